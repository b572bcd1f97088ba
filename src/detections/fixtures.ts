// Runs the fixtures every detection carries (policies/det/<id>.yaml `fixtures:`): what
// `sesguard policies test` and test/detections-fixtures.test.ts execute. Each case's records go through
// a fresh analyzer with every given definition loaded, so a case also shows which detection it trips.
// A `fires` case reports a change that happened unless it says `attempt: true` (then only an attempt);
// a detection that fails (not assessed) never satisfies a case, fires or quiet.
import { DEFAULT_THRESHOLDS } from '../config/types.js';
import { FlowLineScanner } from '../sources/flowlogs/scan.js';
import { emptyFlowStats } from '../sources/flowlogs/types.js';
import { createTrailAnalyzer } from './analyzer.js';
import { createFlowAnalyzer, type FlowDetector } from './flows.js';
import type { DetectionDefinition, DetectionFixtureCase, Detector, TrailThresholds } from './types.js';
import type { Finding } from '../engine/types.js';
import type { DetectionSupport } from './types.js';

export type DetectionExpectation = 'fires' | 'quiet';

export interface DetectionFixtureResult {
  checkId: string;
  file: string;
  caseName: string;
  expected: DetectionExpectation;
  /** A finding of this detection of the expected kind (change, or attempt for an `attempt` case) was produced. */
  fired: boolean;
  ok: boolean;
  /** Why the detection was not assessed on this case, when it failed. */
  error?: string;
  /** The case asked for an attempt (failed calls) rather than a change. */
  attempt?: boolean;
  /** What this detection reported: changes, attempts, both, or nothing. */
  reported: ('change' | 'attempt')[];
}

/** One line for `sesguard policies test`: what the case expected and what happened. */
export function describeFixtureResult(r: DetectionFixtureResult): string {
  const expected = r.expected === 'fires' ? `fire${r.attempt ? ' as an attempt' : ''}` : 'stay quiet';
  const got = r.error ?? (r.reported.length === 0 ? 'did not fire' : `reported ${r.reported.map((k) => `a${k === 'attempt' ? 'n' : ''} ${k}`).join(' and ')}`);
  return `${r.checkId} "${r.caseName}": expected it to ${expected}, ${r.error ? 'but ' : 'it '}${got}`;
}

/** The thresholds a case runs with: the configuration defaults, then the case's own. */
function thresholdsFor(overrides: Partial<TrailThresholds> | undefined): TrailThresholds {
  return {
    reconRegions: overrides?.reconRegions ?? DEFAULT_THRESHOLDS.reconRegions,
    reconWindowMinutes: overrides?.reconWindowMinutes ?? DEFAULT_THRESHOLDS.reconWindowMinutes,
  };
}

/** One case through both analyzers: its CloudTrail records and its flow log text (read as a delivered file). */
function runCase(fixture: DetectionFixtureCase, definitions: DetectionDefinition[], detectors?: readonly Detector[], flowDetectors?: readonly FlowDetector[]): { findings: Finding[]; support: DetectionSupport[] } {
  const analyzer = createTrailAnalyzer({ thresholds: thresholdsFor(fixture.thresholds), definitions, detectors });
  for (const record of fixture.records) analyzer.add(record);
  const report = analyzer.finish();
  const flows = createFlowAnalyzer({ definitions, approvedMailRelays: fixture.approvedMailRelays, detectors: flowDetectors });
  const stats = emptyFlowStats();
  if (fixture.flowLog !== undefined) {
    const scanner = new FlowLineScanner('fixture.log', stats, { wanted: flows.wanted, onRecord: (r) => flows.add(r) });
    scanner.push(Buffer.from(fixture.flowLog, 'latin1'));
    scanner.end();
  }
  const flowReport = flows.finish(stats, fixture.flowLog !== undefined ? 1 : 0);
  return { findings: [...report.findings, ...flowReport.findings], support: [...report.coverage.detectionsSupported, ...flowReport.support] };
}

/** `detectors` / `flowDetectors` replace the built-in logic (tests inject a failing one). */
export function runDetectionFixtures(definitions: DetectionDefinition[], detectors?: readonly Detector[], flowDetectors?: readonly FlowDetector[]): DetectionFixtureResult[] {
  const results: DetectionFixtureResult[] = [];
  for (const definition of definitions) {
    for (const expected of ['fires', 'quiet'] as const) {
      for (const fixture of definition.fixtures[expected]) {
        const report = runCase(fixture, definitions, detectors, flowDetectors);
        const own = report.findings.filter((f) => f.checkId === definition.id);
        const attempt = fixture.attempt === true;
        const fired = expected === 'fires' ? own.length > 0 && own.every((f) => f.evidence.attempt === attempt) : own.length > 0;
        const reported = (['change', 'attempt'] as const).filter((k) => own.some((f) => f.evidence.attempt === (k === 'attempt')));
        const failure = report.support.find((d) => d.id === definition.id && d.failed);
        results.push({
          checkId: definition.id,
          file: definition.file,
          caseName: fixture.name,
          expected,
          fired,
          reported: [...reported],
          ok: !failure && (expected === 'fires' ? fired : !fired),
          ...(failure ? { error: failure.why } : {}),
          ...(attempt ? { attempt } : {}),
        });
      }
    }
  }
  return results;
}
