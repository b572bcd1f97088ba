// Runs every built-in check's fixtures (pass / fail / not applicable / not assessed) through the real engine.
import { describe, expect, it } from 'vitest';
import { loadChecks } from '../src/engine/load.js';
import { runFixtures } from '../src/engine/fixtures.js';

const checks = loadChecks();
const results = runFixtures(checks);

describe('built-in check fixtures', () => {
  it('loads checks', () => {
    expect(checks.length).toBeGreaterThan(0);
  });
  for (const r of results) {
    it(`${r.checkId} ${r.expected}: ${r.caseName}`, () => {
      const detail = 'reason' in r.actual ? ` (${r.actual.reason})` : r.actual.kind === 'fail' ? ` (${r.actual.message})` : '';
      expect(`${r.actual.kind}${r.ok ? '' : detail}`).toBe(r.expected);
    });
  }
});
