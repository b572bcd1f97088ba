// The library API (`import … from 'sesguard'`): the calls the command line makes, with their types.
// Each run goes sources → inventory → engine → Results; any reporter renders a Results; exitCodeFor decides the
// gate. Importing this module loads neither the AWS SDK nor the CloudTrail detections: scanLive/runScan and
// runTrail import them when called. Known errors are ConfigError, PolicyError and SourceError.
import type { TrailInputs, TrailRunOptions, TrailRunResult } from './detections/index.js';
import { chunkedReporters, reporters, type HtmlReportOptions, type ReportFormat } from './reporters/index.js';
import type { Results } from './results.js';

export { VERSION } from './version.js';
export { ConfigError, PolicyError, SourceError } from './errors.js';

// Configuration
export { loadConfig, parseConfig, locateConfig, DEFAULT_CONFIG_NAMES } from './config/load.js';
export { defaultConfig, DEFAULT_THRESHOLDS, type Config, type ConfigFile, type ConfigSuppression, type Thresholds } from './config/types.js';

// Checks and detections
export { checksFor, checksForSources } from './checks.js';
export { loadChecks, loadCheckFile, type CompiledCheck, type LoadOptions } from './engine/load.js';
export { runFixtures, type FixtureResult, type Expectation } from './engine/fixtures.js';
export { loadDetections, loadDetectionFile, DETECTION_DIR } from './detections/load.js';
export { BUILTIN_POLICY_DIR, SCHEMA_DIR } from './paths.js';

// Runs
export { runIac, evaluateSnapshot, parseSnapshot, mergeResults, trailResults, type IacRunOptions, type EvaluateOptions } from './run.js';
export { scanLive, runScan, DEFAULT_ROLE_NAME, DEFAULT_CONCURRENCY, type LiveScanOptions, type ScanProgress } from './live.js';

/** `sesguard trail`: CloudTrail log files, folders, `s3://` prefixes or LookupEvents → findings, coverage, timeline. */
export async function runTrail(inputs: TrailInputs, options: TrailRunOptions = {}): Promise<TrailRunResult> {
  const detections = await import('./detections/index.js');
  return detections.runTrail(inputs, options);
}
export type { TrailInputs, TrailRunOptions, TrailRunResult, LookupInput } from './detections/index.js';
export type { Coverage, DetectionDefinition, PrincipalTimeline, TrailThresholds } from './detections/types.js';

// Gate, baseline and reports
export { exitCodeFor, type FailOn } from './gate.js';
export { applyBaseline, readBaseline } from './engine/baseline.js';
export {
  reporters,
  chunkedReporters,
  type Reporter,
  type ChunkedReporter,
  type ReportFormat,
  type ReportOptions,
  type HtmlReportOptions,
} from './reporters/index.js';

/**
 * Renders results in one format: `text`, `json`, `sarif`, `markdown` or `html` (what `--format` and the output
 * flags write). The options of every format are accepted (`maxFindings` only matters to `html`, and so on).
 */
export function render(results: Results, format: ReportFormat, options: HtmlReportOptions = {}): string {
  return reporters[format](results, options);
}

/**
 * The same text as `render`, as chunks produced while they are read (what the command line writes): the
 * results JSON of an Organization is some 200 MB, which `render` would hold as one string. Joined, the chunks
 * are exactly `render`'s text.
 */
export function renderChunks(results: Results, format: ReportFormat, options: HtmlReportOptions = {}): Iterable<string> {
  return chunkedReporters[format](results, options);
}

// The data model
export type { Results, Score, Counts, CheckSummary } from './results.js';
export { SEVERITIES, SEVERITY_WEIGHT } from './engine/types.js';
export type { Severity, SourceCode, Finding, NotAssessed, Outcome, Evaluation, CheckDefinition, LoadedCheck, Suppression } from './engine/types.js';
export type { Resource, ResourceType, Inventory, Provenance, Unknown, Maybe, InputError } from './inventory/types.js';
export type { Snapshot, SnapshotAccount } from './inventory/snapshot.js';
