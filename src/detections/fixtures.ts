// Runs the fixtures every detection carries (policies/det/<id>.yaml `fixtures:`): what
// `sesguard policies test` and test/detections-fixtures.test.ts execute. Each case's records go through
// a fresh analyzer with every given definition loaded, so a case also shows which detection it trips.
import { DEFAULT_THRESHOLDS } from '../config/types.js';
import { createTrailAnalyzer } from './analyzer.js';
import type { DetectionDefinition, TrailThresholds } from './types.js';

export type DetectionExpectation = 'fires' | 'quiet';

export interface DetectionFixtureResult {
  checkId: string;
  file: string;
  caseName: string;
  expected: DetectionExpectation;
  /** A finding of this detection was produced. */
  fired: boolean;
  ok: boolean;
}

/** The thresholds a case runs with: the configuration defaults, then the case's own. */
function thresholdsFor(overrides: Partial<TrailThresholds> | undefined): TrailThresholds {
  return {
    reconRegions: overrides?.reconRegions ?? DEFAULT_THRESHOLDS.reconRegions,
    reconWindowMinutes: overrides?.reconWindowMinutes ?? DEFAULT_THRESHOLDS.reconWindowMinutes,
  };
}

export function runDetectionFixtures(definitions: DetectionDefinition[]): DetectionFixtureResult[] {
  const results: DetectionFixtureResult[] = [];
  for (const definition of definitions) {
    for (const expected of ['fires', 'quiet'] as const) {
      for (const fixture of definition.fixtures[expected]) {
        const analyzer = createTrailAnalyzer({ thresholds: thresholdsFor(fixture.thresholds), definitions });
        for (const record of fixture.records) analyzer.add(record);
        const fired = analyzer.finish().findings.some((f) => f.checkId === definition.id);
        results.push({
          checkId: definition.id,
          file: definition.file,
          caseName: fixture.name,
          expected,
          fired,
          ok: expected === 'fires' ? fired : !fired,
        });
      }
    }
  }
  return results;
}
