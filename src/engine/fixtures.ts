// Runs the fixtures every check carries (pass / fail / not applicable / not assessed cases):
// what `sesguard policies test` and test/policies.test.ts execute.
import type { Resource, ResourceType } from '../inventory/types.js';
import { celConfig, defaultConfig, type Config } from '../config/types.js';
import { evaluateCheck } from './evaluate.js';
import type { CompiledCheck } from './load.js';
import type { FixtureCase, Outcome } from './types.js';

/** Fixtures are evaluated as of this instant, so key-age cases stay true forever. */
export const FIXTURE_NOW = new Date('2026-01-01T00:00:00Z');

export type Expectation = 'pass' | 'fail' | 'not-applicable' | 'not-assessed';

export interface FixtureResult {
  checkId: string;
  file: string;
  caseName: string;
  expected: Expectation;
  actual: Outcome;
  ok: boolean;
}

function configFor(overrides: Record<string, unknown> | undefined): Config {
  const config = defaultConfig();
  if (!overrides) return config;
  const { thresholds, ...rest } = overrides as { thresholds?: Record<string, number> } & Record<string, unknown>;
  Object.assign(config, rest);
  if (Array.isArray(rest.approvedRegions)) config.approvedRegionsSet = true;
  if (thresholds) Object.assign(config.thresholds, thresholds);
  return config;
}

export function fixtureResource(check: CompiledCheck, fixture: FixtureCase): Resource {
  return {
    type: (fixture.type ?? check.resourceTypes[0]) as ResourceType,
    id: `fixture:${check.id}:${fixture.name}`,
    name: fixture.name,
    provenance: { source: 'aws', account: '111122223333', region: 'us-east-1' },
    props: fixture.props as never,
  };
}

export function runFixtures(checks: CompiledCheck[]): FixtureResult[] {
  const results: FixtureResult[] = [];
  const groups: [Expectation, keyof CompiledCheck['fixtures']][] = [
    ['pass', 'pass'],
    ['fail', 'fail'],
    ['not-applicable', 'notApplicable'],
    ['not-assessed', 'notAssessed'],
  ];
  for (const check of checks) {
    for (const [expected, key] of groups) {
      for (const fixture of check.fixtures[key] ?? []) {
        const config = configFor(fixture.config);
        const actual = evaluateCheck(check, fixtureResource(check, fixture), {
          config: { ...celConfig(config, FIXTURE_NOW), ...(fixture.config?.now ? { now: fixture.config.now } : {}) },
          org: fixture.organizationAccounts ?? [],
        });
        results.push({ checkId: check.id, file: check.file, caseName: fixture.name, expected, actual, ok: actual.kind === expected });
      }
    }
  }
  return results;
}
