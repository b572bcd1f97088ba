// Posture score (SPEC §6): literal cases, the worked example of docs/scoring.md, and properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Severity } from '../src/engine/types.js';
import { score, type PairOutcome, type ScoredPair } from '../src/scoring/score.js';

function pair(group: string, severity: Severity, outcome: PairOutcome, checkId = 'SESG-X-001', groupKind: 'file' | 'account' = 'file'): ScoredPair {
  return { checkId, severity, group, groupKind, outcome };
}

const f = (severity: Severity, outcome: PairOutcome, group = 'a.yaml') => pair(group, severity, outcome);
const acct = (severity: Severity, outcome: PairOutcome, group = '111122223333') => pair(group, severity, outcome, 'SESG-X-001', 'account');
const times = (n: number, p: ScoredPair) => Array.from({ length: n }, () => p);

describe('score of one group', () => {
  const cases: { name: string; pairs: ScoredPair[]; expected: number | null }[] = [
    { name: 'all pass', pairs: [f('high', 'pass'), f('low', 'pass')], expected: 100 },
    { name: 'one medium of medium+low fails', pairs: [f('medium', 'fail'), f('low', 'pass')], expected: 33.3 },
    { name: 'one low of medium+low fails', pairs: [f('medium', 'pass'), f('low', 'fail')], expected: 66.7 },
    { name: 'suppressed counts as passed', pairs: [f('medium', 'suppressed'), f('low', 'pass')], expected: 100 },
    { name: 'suppressed critical does not cap', pairs: [f('critical', 'suppressed'), f('low', 'fail')], expected: 90.9 },
    { name: 'not-assessed left out', pairs: [f('critical', 'not-assessed'), f('low', 'pass')], expected: 100 },
    { name: 'only not-assessed: no score', pairs: [f('high', 'not-assessed')], expected: null },
    { name: 'high open caps at 70', pairs: [f('high', 'fail'), ...times(20, f('medium', 'pass'))], expected: 70 },
    { name: 'high open, below the cap stays', pairs: [f('high', 'fail'), f('low', 'pass')], expected: 16.7 },
    { name: 'critical open caps at 40', pairs: [f('critical', 'fail'), ...times(20, f('low', 'pass'))], expected: 40 },
    { name: 'critical and high open: the lower cap', pairs: [f('critical', 'fail'), f('high', 'fail'), ...times(200, f('low', 'pass'))], expected: 40 },
    { name: 'all fail', pairs: [f('critical', 'fail'), f('low', 'fail')], expected: 0 },
    // 1000 × 7/8 = 875 tenths exactly; 1000 × 1/8 = 125 tenths: halves stay exact in tenths.
    { name: 'rounds to one decimal', pairs: [f('low', 'fail'), ...times(7, f('low', 'pass'))], expected: 87.5 },
    { name: 'half a tenth rounds up', pairs: [f('low', 'fail'), ...times(1999, f('low', 'pass'))], expected: 100 },
    { name: 'just over half a tenth rounds up', pairs: [f('low', 'fail'), ...times(2000, f('low', 'pass'))], expected: 100 },
    { name: 'just under half a tenth rounds down', pairs: [f('low', 'fail'), ...times(1998, f('low', 'pass'))], expected: 99.9 },
  ];
  it.each(cases)('$name → $expected', ({ pairs, expected }) => {
    const result = score(pairs);
    expect(result.byFile['a.yaml'] ?? null).toBe(expected);
    expect(result.overall).toBe(expected);
  });
});

describe('worked example of docs/scoring.md', () => {
  const mail = 'templates/mail.yaml';
  const net = 'network.tf';
  const pairs: ScoredPair[] = [
    pair(mail, 'high', 'fail', 'SESG-IAM-001'),
    pair(mail, 'medium', 'pass', 'SESG-IAM-002'),
    pair(mail, 'low', 'pass', 'SESG-IAM-003'),
    pair(mail, 'low', 'pass', 'SESG-SES-003'),
    pair(mail, 'medium', 'pass', 'SESG-SES-004'),
    pair(mail, 'medium', 'pass', 'SESG-SES-006'),
    pair(mail, 'low', 'pass', 'SESG-SES-007'),
    pair(mail, 'low', 'pass', 'SESG-SES-008'),
    pair(mail, 'low', 'pass', 'SESG-SES-009'),
    pair(mail, 'medium', 'pass', 'SESG-NET-001'),
    pair(net, 'medium', 'fail', 'SESG-NET-001'),
    pair(net, 'low', 'pass', 'SESG-NET-002'),
    pair(net, 'low', 'pass', 'SESG-NET-003'),
    pair(net, 'high', 'suppressed', 'SESG-MON-005'),
    pair(net, 'medium', 'not-assessed', 'SESG-SES-004'),
    pair('identities.yaml', 'medium', 'not-assessed', 'SESG-SES-004'),
  ];

  it('matches the documented result', () => {
    expect(score(pairs)).toEqual({
      overall: 73.9,
      coverage: 0.875,
      worst: { group: 'templates/mail.yaml', score: 70 },
      byAccount: {},
      byFile: { 'network.tf': 77.8, 'templates/mail.yaml': 70 },
    });
  });

  it('the critical-cap example: 66.7 before the cap, 40 after it, 100 once fixed', () => {
    const lows = times(20, acct('low', 'pass'));
    expect(score([acct('critical', 'fail'), ...lows]).byAccount).toEqual({ '111122223333': 40 });
    expect(score([acct('critical', 'pass'), ...lows]).byAccount).toEqual({ '111122223333': 100 });
  });
});

describe('groups, overall, worst, coverage', () => {
  it('no pairs: no score, full coverage', () => {
    expect(score([])).toEqual({ overall: null, coverage: 1, worst: null, byAccount: {}, byFile: {} });
  });

  it('only not-assessed pairs: no score, zero coverage', () => {
    expect(score([acct('high', 'not-assessed'), acct('low', 'not-assessed', '444455556666')])).toEqual({
      overall: null,
      coverage: 0,
      worst: null,
      byAccount: {},
      byFile: {},
    });
  });

  it('accounts go to byAccount, files to byFile, the mean is over both', () => {
    const result = score([acct('low', 'pass'), acct('medium', 'fail', '444455556666'), acct('low', 'pass', '444455556666'), f('low', 'pass')]);
    expect(result.byAccount).toEqual({ '111122223333': 100, '444455556666': 33.3 });
    expect(result.byFile).toEqual({ 'a.yaml': 100 });
    expect(result.overall).toBe(77.8);
    expect(result.worst).toEqual({ group: '444455556666', score: 33.3 });
  });

  it('worst ties resolve to the first group in sorted order, whatever the input order', () => {
    const a = [acct('high', 'fail', '222'), acct('high', 'fail', '111')];
    expect(score(a).worst).toEqual({ group: '111', score: 0 });
    expect(score([...a].reverse()).worst).toEqual({ group: '111', score: 0 });
  });

  it('coverage is rounded to four decimals', () => {
    expect(score([f('low', 'pass'), f('low', 'pass'), f('low', 'not-assessed')]).coverage).toBe(0.6667);
  });
});

describe('properties', () => {
  const severity = fc.constantFrom<Severity>('critical', 'high', 'medium', 'low');
  const outcome = fc.constantFrom<PairOutcome>('pass', 'fail', 'suppressed', 'not-assessed');
  const arbPair = fc.record({
    checkId: fc.constantFrom('SESG-A-001', 'SESG-B-002'),
    severity,
    group: fc.constantFrom('a.yaml', 'b.tf', '111122223333', '444455556666'),
    groupKind: fc.constantFrom<'file' | 'account'>('file', 'account'),
    outcome,
  });
  const pairs = fc.array(arbPair, { maxLength: 60 });

  it('every score is within [0, 100] and coverage within [0, 1]', () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const s = score(ps);
        for (const v of [...Object.values(s.byFile), ...Object.values(s.byAccount), ...(s.overall === null ? [] : [s.overall])]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(100);
        }
        expect(s.coverage).toBeGreaterThanOrEqual(0);
        expect(s.coverage).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('adding a passing pair never lowers a group score or the overall score', () => {
    fc.assert(
      fc.property(pairs, arbPair, (ps, extra) => {
        const before = score(ps);
        const after = score([...ps, { ...extra, outcome: 'pass' }]);
        if (before.overall !== null) expect(after.overall).toBeGreaterThanOrEqual(before.overall);
        for (const [g, v] of Object.entries(before.byFile)) expect(after.byFile[g]).toBeGreaterThanOrEqual(v);
        for (const [g, v] of Object.entries(before.byAccount)) expect(after.byAccount[g]).toBeGreaterThanOrEqual(v);
      }),
    );
  });

  it('caps hold: ≤ 40 with an open critical, ≤ 70 with an open high', () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const s = score(ps);
        for (const p of ps) {
          const value = (p.groupKind === 'file' ? s.byFile : s.byAccount)[p.group];
          if (p.outcome !== 'fail') continue;
          if (p.severity === 'critical') expect(value).toBeLessThanOrEqual(40);
          if (p.severity === 'high') expect(value).toBeLessThanOrEqual(70);
        }
      }),
    );
  });

  it('worst is the minimum group score and overall lies between worst and the best', () => {
    fc.assert(
      fc.property(pairs, (ps) => {
        const s = score(ps);
        const values = [...Object.values(s.byFile), ...Object.values(s.byAccount)];
        if (values.length === 0) {
          expect(s.worst).toBeNull();
          return;
        }
        expect(s.worst?.score).toBe(Math.min(...values));
        expect(s.overall).toBeGreaterThanOrEqual(Math.min(...values));
        expect(s.overall).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });
});
