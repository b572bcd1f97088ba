// The library API of the CloudTrail detections (`sesguard trail`): what the CLI and the Results
// wrapper import. Everything else in src/detections/ is internal.
export { runTrail, type TrailInputs, type TrailRunOptions, type TrailRunResult, type LookupInput } from './run.js';
export { createTrailAnalyzer, type AnalyzerOptions, type TrailAnalyzer } from './analyzer.js';
export { describeFixtureResult, runDetectionFixtures, type DetectionExpectation, type DetectionFixtureResult } from './fixtures.js';
export { loadDetections, loadDetectionFile, DETECTION_DIR } from './load.js';
export { detectionHelpUri, detectionSummary } from './summary.js';
export { workloadsFromSnapshot, type Workload, type WorkloadDirectory } from './workloads.js';
export { DEFAULT_REGIONS } from '../sources/cloudtrail/regions.js';
export type { Coverage, DetectionDefinition, DetectionFixtureCase, DetectionSupport, PrincipalTimeline, TimelineEntry, TrailReport, TrailThresholds } from './types.js';
