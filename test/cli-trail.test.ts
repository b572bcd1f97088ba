// `sesguard trail` through the CLI: a generated day of logs with an attack and benign look-alikes, the bad
// inputs of the trail issue (one line each, the rest analysed, exit 2), suppressions, and time options.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedAttackFindings, writeDay } from '../src/detections/generate.js';
import { timeOf } from '../src/cli/trail.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { cli, tempDir } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = tempDir();
  writeDay(path.join(dir, 'logs'), {});
});

describe('sesguard trail', () => {
  it('reports every attack step with evidence, nothing benign; exit 1 on high findings', async () => {
    const r = await cli(['trail', 'logs', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout);
    expect(results.kind).toBe('trail');
    const found = results.findings.map((f: { checkId: string }) => f.checkId).sort();
    expect(found).toEqual(expectedAttackFindings().map((e) => e.checkId).sort());
    for (const f of results.findings) {
      expect(f.evidence.eventIds?.length ?? f.evidence.events?.length ?? 0).toBeGreaterThan(0);
    }
    expect(results.trail.timeline.length).toBeGreaterThan(0);
    expect(results.trail.coverage.detectionsSupported).toHaveLength(13);
    expect(results.notAssessed.map((n: { checkId: string }) => n.checkId)).toEqual(['SESG-DET-011', 'SESG-DET-012']);
  });
  it('SARIF of a trail run goes to its own category and points at a log file that exists', async () => {
    const r = await cli(['trail', 'logs', '--format', 'sarif', '--fail-on', 'none'], dir);
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.automationDetails.id).toMatch(/^sesguard\/trail\//);
    const uri = run.results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(uri).toMatch(/^logs\/.*\.json(\.gz)?$/);
    expect(existsSync(path.join(dir, decodeURIComponent(uri)))).toBe(true);
  });
  it('Markdown carries a per-principal timeline of the principals behind findings', async () => {
    const r = await cli(['trail', 'logs', '--format', 'markdown', '--fail-on', 'none'], dir);
    expect(r.stdout).toMatch(/## Timeline by principal\n\n### `arn:aws:iam::111122223333:user\/ci-deploy`/);
    expect(r.stdout).toMatch(/\| [0-9T:.-]+Z \| [0-9T:.-]+Z \| GetSendQuota \| 8 \| [a-z0-9-]+(, [a-z0-9-]+){7} \| 198\.51\.100\.23 \| SESG-DET-001, SESG-DET-002 \|/);
    expect(r.stdout).toMatch(/\| PutAccountDetails \| 3 \| .* \| SESG-DET-003 \|/);
  });
  it('config suppressions apply by principal ARN', async () => {
    const d = tempDir({
      'sesguard.yaml': 'suppressions:\n  - check: "SESG-DET-*"\n    resource: "arn:aws:iam::111122223333:user/*"\n    reason: "tabletop exercise IR-9"\n',
    });
    const r = await cli(['trail', path.join(dir, 'logs'), '--format', 'json'], d);
    const results = JSON.parse(r.stdout);
    expect(results.findings.every((f: { suppressed: unknown }) => f.suppressed !== null)).toBe(true);
    expect(r.code).toBe(0);
  });
  it('bad inputs: one line each naming the file, the rest still analysed, exit 2', async () => {
    const d = tempDir();
    mkdirSync(path.join(d, 'logs'));
    for (const name of ['truncated.json.gz', 'not-cloudtrail.json', 'recon-three-regions.json']) {
      copyFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'cloudtrail', name), path.join(d, 'logs', name));
    }
    const r = await cli(['trail', 'logs', '--format', 'json', '--fail-on', 'none'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/truncated\.json\.gz/);
    expect(r.stderr).toMatch(/not-cloudtrail\.json/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(r.stdout).findings.some((f: { checkId: string }) => f.checkId === 'SESG-DET-001')).toBe(true);
  });
  it.each([
    [['trail'], /trail needs CloudTrail or VPC Flow Logs files/],
    [['trail', 'logs', '--since', 'yesterday'], /--since takes an ISO time/],
    [['trail', '--lookup', 'logs'], /give no paths with it/],
    [['trail', 'missing-folder'], /missing-folder/],
  ])('%j: exit 2, one line', async (argv, message) => {
    const r = await cli(argv, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('time options', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it.each([
    ['48h', '2026-11-21T12:00:00.000Z'],
    ['30m', '2026-11-23T11:30:00.000Z'],
    ['7d', '2026-11-16T12:00:00.000Z'],
    ['2026-11-20T08:00:00Z', '2026-11-20T08:00:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
  ])('%s', (value, iso) => {
    expect(timeOf(value, '--since', now)?.toISOString()).toBe(iso);
  });
});

describe('--baseline-until (SESG-DET-013)', () => {
  it('sets where the first-seen baseline ends: before any call of the key, the key cannot be judged (undecided, not reported)', async () => {
    const { loadDetections } = await import('../src/detections/load.js');
    const det013 = loadDetections().find((d) => d.id === 'SESG-DET-013');
    const records = det013?.fixtures.fires[0].records ?? [];
    const d = tempDir({ 'logs/day.json': JSON.stringify({ Records: records }) });
    const plain = JSON.parse((await cli(['trail', 'logs', '--format', 'json', '--fail-on', 'none'], d)).stdout);
    expect(plain.findings.filter((f: { checkId: string }) => f.checkId === 'SESG-DET-013').map((f: { evidence: { newSourceIps: string[] } }) => f.evidence.newSourceIps)).toEqual([['185.220.101.47']]);
    const early = JSON.parse((await cli(['trail', 'logs', '--format', 'json', '--fail-on', 'none', '--baseline-until', '2026-03-14T00:30:00Z'], d)).stdout);
    expect(early.findings.filter((f: { checkId: string }) => f.checkId === 'SESG-DET-013')).toEqual([]);
    expect(early.trail.coverage.notes.join('\n')).toMatch(/SESG-DET-013 could not decide .* made no call in the baseline/);
    const bad = await cli(['trail', 'logs', '--baseline-until', 'soon'], d);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--baseline-until takes an ISO time/)]);
  });
});
