// Baseline comparison (src/engine/baseline.ts): tables of current vs baseline findings and the expected
// new / unchanged / fixed outcome, plus readBaseline's refusals of files that are not results JSON.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyBaseline, readBaseline } from '../src/engine/baseline.js';
import { fingerprint } from '../src/engine/results.js';
import type { Finding, Severity } from '../src/engine/types.js';
import { SourceError } from '../src/errors.js';
import type { Results } from '../src/results.js';

interface Spec {
  check?: string;
  id: string;
  line?: number;
  severity?: Severity;
  suppressed?: boolean;
}

function finding(spec: Spec): Finding {
  const checkId = spec.check ?? 'SESG-IAM-001';
  return {
    checkId,
    severity: spec.severity ?? 'high',
    title: 'Send permission on every SES identity',
    message: `${spec.id} may send as anyone`,
    resource: { type: 'aws.iam.role', id: spec.id, name: spec.id.split('#')[1] ?? spec.id, file: spec.id.split('#')[0], line: spec.line ?? 10 },
    evidence: {},
    suppressed: spec.suppressed ? { source: 'inline', reason: 'accepted risk' } : null,
    fingerprint: fingerprint(checkId, spec.id),
  };
}

function results(specs: Spec[], kind = 'iac'): Results {
  return {
    schemaVersion: 1,
    tool: { name: 'sesguard', version: '0.1.0', informationUri: 'https://example.invalid' },
    kind,
    startedAt: '2026-11-23T12:00:00.000Z',
    finishedAt: '2026-11-23T12:00:01.000Z',
    score: { overall: 50, coverage: 1, worst: null, byAccount: {}, byFile: {} },
    findings: specs.map(finding),
    notAssessed: [],
    errors: [],
    counts: { evaluated: 1, passed: 0, failed: specs.length, suppressed: 0, notAssessed: 0, notApplicable: 0 },
    checks: [],
    inputs: { files: [], skipped: [] },
    notices: [],
    incomplete: false,
  };
}

const A = 'mail.yaml#SenderRole';
const B = 'mail.yaml#RelaySg';

describe('applyBaseline', () => {
  const cases: {
    name: string;
    baseline: Spec[];
    current: Spec[];
    states: ('new' | 'unchanged')[];
    fixed: string[];
    summary: { new: number; unchanged: number; fixed: number };
  }[] = [
    { name: 'same finding, same line', baseline: [{ id: A }], current: [{ id: A }], states: ['unchanged'], fixed: [], summary: { new: 0, unchanged: 1, fixed: 0 } },
    { name: 'same finding moved to another line', baseline: [{ id: A, line: 10 }], current: [{ id: A, line: 42 }], states: ['unchanged'], fixed: [], summary: { new: 0, unchanged: 1, fixed: 0 } },
    { name: 'a finding the baseline did not have', baseline: [{ id: A }], current: [{ id: A }, { id: B }], states: ['unchanged', 'new'], fixed: [], summary: { new: 1, unchanged: 1, fixed: 0 } },
    { name: 'resource renamed: new and fixed', baseline: [{ id: A }], current: [{ id: 'mail.yaml#SenderRole2' }], states: ['new'], fixed: [A], summary: { new: 1, unchanged: 0, fixed: 1 } },
    { name: 'same resource, another check: new', baseline: [{ id: A }], current: [{ id: A }, { id: A, check: 'SESG-IAM-002' }], states: ['unchanged', 'new'], fixed: [], summary: { new: 1, unchanged: 1, fixed: 0 } },
    { name: 'everything fixed', baseline: [{ id: A }, { id: B }], current: [], states: [], fixed: [A, B], summary: { new: 0, unchanged: 0, fixed: 2 } },
    { name: 'empty baseline: all new', baseline: [], current: [{ id: A }, { id: B }], states: ['new', 'new'], fixed: [], summary: { new: 2, unchanged: 0, fixed: 0 } },
    { name: 'suppressed in the baseline, open now: new', baseline: [{ id: A, suppressed: true }], current: [{ id: A }], states: ['new'], fixed: [], summary: { new: 1, unchanged: 0, fixed: 0 } },
    { name: 'open in the baseline, suppressed now: unchanged, not fixed, not counted', baseline: [{ id: A }], current: [{ id: A, suppressed: true }], states: ['unchanged'], fixed: [], summary: { new: 0, unchanged: 0, fixed: 0 } },
    { name: 'suppressed in both', baseline: [{ id: A, suppressed: true }], current: [{ id: A, suppressed: true }], states: ['unchanged'], fixed: [], summary: { new: 0, unchanged: 0, fixed: 0 } },
    { name: 'newly suppressed finding: new but not counted', baseline: [], current: [{ id: A, suppressed: true }], states: ['new'], fixed: [], summary: { new: 0, unchanged: 0, fixed: 0 } },
    { name: 'suppressed baseline finding gone: not fixed', baseline: [{ id: A, suppressed: true }], current: [], states: [], fixed: [], summary: { new: 0, unchanged: 0, fixed: 0 } },
    { name: 'a duplicate beyond the baseline count is new', baseline: [{ id: A }], current: [{ id: A }, { id: A }], states: ['unchanged', 'new'], fixed: [], summary: { new: 1, unchanged: 1, fixed: 0 } },
    { name: 'a suppressed duplicate does not take the open one\'s match', baseline: [{ id: A }], current: [{ id: A, suppressed: true }, { id: A }], states: ['new', 'unchanged'], fixed: [], summary: { new: 0, unchanged: 1, fixed: 0 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = applyBaseline(results(c.current), results(c.baseline));
      expect(out.results.findings.map((f) => f.baselineState)).toEqual(c.states);
      expect(out.fixed.map((f) => f.resource.id)).toEqual(c.fixed);
      expect(out.summary).toEqual(c.summary);
    });
  }

  it('keeps everything else of the current results and does not modify its inputs', () => {
    const current = results([{ id: A, line: 7 }]);
    const baseline = results([{ id: A }]);
    const before = JSON.stringify(current);
    const out = applyBaseline(current, baseline);
    expect(JSON.stringify(current)).toBe(before);
    expect(out.results.findings[0]).toEqual({ ...current.findings[0], baselineState: 'unchanged' });
    expect({ ...out.results, findings: current.findings }).toEqual(current);
  });

  it('fixed findings are returned without a baselineState of their own', () => {
    const baseline = results([{ id: A }]);
    baseline.findings[0].baselineState = 'unchanged';
    const out = applyBaseline(results([]), baseline);
    expect(out.fixed[0]).not.toHaveProperty('baselineState');
  });

  const kinds: { current: string; baseline: string; ok: boolean }[] = [
    { current: 'scan', baseline: 'evaluate', ok: true },
    { current: 'evaluate', baseline: 'scan', ok: true },
    { current: 'trail', baseline: 'trail', ok: true },
    { current: 'scan', baseline: 'iac', ok: false },
    { current: 'iac', baseline: 'trail', ok: false },
  ];
  for (const k of kinds) {
    it(`a ${k.baseline} baseline for a ${k.current} run: ${k.ok ? 'compared' : 'refused'}`, () => {
      const call = () => applyBaseline(results([{ id: A }], k.current), results([{ id: A }], k.baseline), { file: 'base.json' });
      if (k.ok) expect(call().summary.unchanged).toBe(1);
      else expect(call).toThrow(SourceError);
    });
  }
});

describe('readBaseline', () => {
  it('reads a results JSON as --json writes it', () => {
    const text = readFileSync(new URL('../fixtures/results/iac-results.json', import.meta.url), 'utf8');
    const baseline = readBaseline(text, 'iac-results.json');
    expect(baseline.findings.length).toBeGreaterThan(0);
    expect(baseline.findings.every((f) => typeof f.fingerprint === 'string')).toBe(true);
  });

  const valid = results([{ id: A }]);
  const refusals: { name: string; text: string; message: RegExp }[] = [
    { name: 'not JSON', text: '{"schemaVersion": 1,', message: /not valid JSON/ },
    { name: 'an array', text: '[]', message: /object expected/ },
    { name: 'a SARIF file', text: JSON.stringify({ version: '2.1.0', runs: [] }), message: /SARIF/ },
    { name: 'a snapshot', text: JSON.stringify({ schemaVersion: 1, scope: { accounts: [] }, tool: { name: 'sesguard' } }), message: /snapshot/ },
    { name: 'another tool', text: JSON.stringify({ ...valid, tool: { name: 'prowler' } }), message: /tool.name/ },
    { name: 'schemaVersion 2', text: JSON.stringify({ ...valid, schemaVersion: 2 }), message: /schemaVersion 2/ },
    { name: 'no schemaVersion', text: JSON.stringify({ ...valid, schemaVersion: undefined }), message: /schemaVersion null/ },
    { name: 'no findings', text: JSON.stringify({ ...valid, findings: undefined }), message: /no findings/ },
    { name: 'a finding without fingerprint', text: JSON.stringify({ ...valid, findings: [{ ...valid.findings[0], fingerprint: undefined }] }), message: /finding 0 has no fingerprint/ },
    { name: 'a finding with a bad severity', text: JSON.stringify({ ...valid, findings: [{ ...valid.findings[0], severity: 'urgent' }] }), message: /unknown severity "urgent"/ },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} with a SourceError naming the file`, () => {
      let error: unknown;
      try {
        readBaseline(r.text, 'base.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).file).toBe('base.json');
      expect((error as SourceError).message).toMatch(r.message);
    });
  }
});
