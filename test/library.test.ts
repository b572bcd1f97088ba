// The library API (src/index.ts, package entry `sesguard`): each call the command line makes, as a library
// caller makes it — an IaC run, a live scan against the loopback fake AWS, a snapshot evaluated, the trail
// detections, every reporter, the gate — and the same answers as the CLI.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { startFakeAws, type FakeAws } from '../src/testing/fake-aws/index.js';
import { cli, tempDir } from './helpers.js';

const fixtures = path.join(PACKAGE_ROOT, 'fixtures');
const BAD = path.join(fixtures, 'iac', 'cloudformation', 'bad-mail-stack.yaml');
const scenario = JSON.parse(readFileSync(path.join(fixtures, 'scenarios', 'org-planted.json'), 'utf8'));
const credentials = async () => ({ accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'not-a-secret' });

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws(scenario, { pageSize: 2 });
});
afterAll(async () => {
  await fake.close();
});

describe('library API', () => {
  it('runIac gives the results the CLI gives', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const results = await api.runIac([BAD], { config: api.defaultConfig(), cwd: PACKAGE_ROOT, now: () => now });
    const viaCli = JSON.parse((await cli(['iac', BAD, '--format', 'json', '--fail-on', 'none'], PACKAGE_ROOT, now)).stdout) as api.Results;
    expect(results.findings.map((f) => f.fingerprint)).toEqual(viaCli.findings.map((f) => f.fingerprint));
    expect(results.score).toEqual(viaCli.score);
    expect(api.exitCodeFor(results, 'high', null)).toBe(1);
    expect(api.exitCodeFor(results, 'none', null)).toBe(0);
    expect(api.exitCodeFor(results, 'none', 100)).toBe(1);
  });
  it('render writes every format', async () => {
    const results = await api.runIac([BAD], { config: api.defaultConfig(), cwd: PACKAGE_ROOT });
    expect(JSON.parse(api.render(results, 'json')).findings).toHaveLength(results.findings.length);
    expect(JSON.parse(api.render(results, 'sarif')).runs[0].results).toHaveLength(results.findings.length);
    expect(api.render(results, 'markdown')).toMatch(/SESG-NET-001/);
    expect(api.render(results, 'html')).toMatch(/^<!DOCTYPE html>/i);
    expect(api.render(results, 'text')).toMatch(/open findings/);
  });
  it('renderChunks gives the same text as render, in pieces (one per finding at least for JSON and SARIF)', async () => {
    const results = await api.runIac([BAD], { config: api.defaultConfig(), cwd: PACKAGE_ROOT });
    expect(results.findings.length).toBeGreaterThan(1);
    for (const format of ['json', 'sarif', 'markdown', 'html', 'text'] as const) {
      const chunks = [...api.renderChunks(results, format, { baselineFixed: 2, maxFindings: 1 })];
      expect(chunks.join(''), format).toBe(api.render(results, format, { baselineFixed: 2, maxFindings: 1 }));
      if (format === 'json' || format === 'sarif') expect(chunks.length, format).toBeGreaterThan(results.findings.length);
    }
  });
  it('runScan reads the fake Organization and evaluates it; evaluateSnapshot of its snapshot agrees', async () => {
    const config = api.defaultConfig();
    const { snapshot, results } = await api.runScan({ org: true, externalId: 'sesguard-ext-1', endpoint: fake.endpoint, credentials, homeRegion: 'us-east-1', config });
    expect(snapshot.scope.accounts.length).toBeGreaterThan(1);
    expect(results.findings.length).toBeGreaterThan(0);
    const again = api.evaluateSnapshot(api.parseSnapshot(JSON.stringify(snapshot), 'snapshot.json'), { config });
    expect(again.findings.map((f) => f.fingerprint)).toEqual(results.findings.map((f) => f.fingerprint));
  });
  it('runTrail and trailResults run the detections over log files', async () => {
    const run = await api.runTrail([path.join(fixtures, 'cloudtrail', 'recon-three-regions.json')], { cwd: PACKAGE_ROOT });
    const results = api.trailResults(run, api.defaultConfig());
    expect(results.kind).toBe('trail');
    expect(results.findings.map((f) => f.checkId)).toContain('SESG-DET-001');
  });
  it('loadChecks, checksFor and loadDetections list the catalogue; runFixtures passes on the built-ins', () => {
    const checks = api.checksFor(api.defaultConfig());
    expect(checks.map((c) => c.id)).toEqual(api.loadChecks().map((c) => c.id));
    expect(api.checksForSources(checks, ['C']).every((c) => c.sources.includes('C'))).toBe(true);
    expect(api.loadDetections().map((d) => d.id)).toContain('SESG-DET-001');
    expect(api.runFixtures(checks.filter((c) => c.id === 'SESG-NET-001')).every((r) => r.ok)).toBe(true);
  });
  it('known errors are the exported classes', () => {
    const dir = tempDir({ 'sesguard.yaml': 'colour: red\n' });
    expect(() => api.loadConfig(undefined, dir)).toThrow(api.ConfigError);
    expect(() => api.parseSnapshot('{', 'x.json')).toThrow(api.SourceError);
  });
});
