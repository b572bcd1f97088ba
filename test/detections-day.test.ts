// The acceptance test: a realistic day of logs holding an attack mixed with benign look-alikes.
// Every attack step is reported with its evidence, nothing benign is, whatever the file order; the
// coverage statement says what the logs could show; memory keeps only the events that matter.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrailAnalyzer } from '../src/detections/analyzer.js';
import { ACCOUNT, expectedAttackFindings, generateDay, writeDay, type DayOptions } from '../src/detections/generate.js';
import { loadDetections } from '../src/detections/load.js';
import { runTrail } from '../src/detections/run.js';
import type { CloudTrailRecord } from '../src/sources/cloudtrail/types.js';

const definitions = loadDetections();
const thresholds = { reconRegions: 3, reconWindowMinutes: 60 };

function temp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sesguard-trail-'));
}

/** A seeded Fisher-Yates shuffle, so a failure can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function analyse(files: CloudTrailRecord[][]) {
  const analyzer = createTrailAnalyzer({ thresholds, definitions });
  for (const file of files) for (const record of file) analyzer.add(record);
  return analyzer.finish();
}

function dayFiles(options: DayOptions = {}): CloudTrailRecord[][] {
  return [...generateDay(options)].map((f) => f.records);
}

describe('a realistic day: attack plus benign look-alikes', async () => {
  const dir = temp();
  // A third of the files uncompressed, as a responder's copy might be; digests beside them.
  writeDay(dir, { seed: 7, digests: true, gzip: (i) => i % 3 !== 0 });
  const result = await runTrail([dir], { cwd: dir, thresholds });

  it('reports every attack step, about the right principal or key, and nothing else', () => {
    const got = result.findings
      .map((f) => ({ checkId: f.checkId, subject: f.resource.id, ...(f.evidence.attempt ? { attempt: true } : {}) }))
      .sort((a, b) => a.checkId.localeCompare(b.checkId) || Number(a.attempt ?? false) - Number(b.attempt ?? false));
    expect(got).toEqual(expectedAttackFindings());
    // The refused StopLogging is an attempt, one step lower; the one that worked is the tampering.
    const det008 = result.findings.filter((f) => f.checkId === 'SESG-DET-008').map((f) => [f.severity, f.evidence.attempt]);
    expect(det008.sort()).toEqual([['high', false], ['medium', true]]);
  });

  it.each(expectedAttackFindings().filter((e) => !e.attempt).map((e) => [e.checkId] as const))('%s carries its evidence', (checkId) => {
    const finding = result.findings.find((f) => f.checkId === checkId);
    expect(finding).toBeDefined();
    const e = finding!.evidence;
    expect((e.eventIds as string[]).length).toBeGreaterThan(0);
    expect(e.windowStart).toMatch(/^2026-11-23T0[23]:/);
    expect(e.principal).toBeTruthy();
    expect((e.sourceIps as string[]).length).toBeGreaterThan(0);
    expect((e.userAgents as string[]).length).toBeGreaterThan(0);
    expect((e.regions as string[]).length).toBeGreaterThan(0);
    expect((e.accessKeys as string[]).length).toBeGreaterThan(0);
    expect(finding!.resource.account).toBe(ACCOUNT);
    // Attacker addresses only: no benign caller's event was pulled into an attack finding.
    expect(e.sourceIps).toEqual(expect.arrayContaining([expect.stringMatching(/^(198\.51\.100\.23|203\.0\.113\.77)$/)]));
    expect((e.sourceIps as string[]).every((ip) => ip === '198.51.100.23' || ip === '203.0.113.77')).toBe(true);
  });

  it('links the new key to its creation and its SES requests', () => {
    const finding = result.findings.find((f) => f.checkId === 'SESG-DET-007')!;
    const related = finding.evidence.related as { relation: string; events: { eventName: string; principal: string }[] }[];
    expect(related[0]).toMatchObject({ relation: 'key creation', events: [{ eventName: 'CreateAccessKey', principal: `arn:aws:iam::${ACCOUNT}:user/ci-deploy` }] });
    // The finding is the key's SES use; the creation is its context.
    expect((finding.evidence.events as { eventName: string }[])[0].eventName).toBe('GetSendQuota');
    expect(finding.evidence.sendCalls).toBe(2250);
  });

  it('shows what else the leaked key did next to the reconnaissance', () => {
    const finding = result.findings.find((f) => f.checkId === 'SESG-DET-001')!;
    const related = finding.evidence.related as { relation: string; events: { eventName: string }[] }[];
    const others = related.find((r) => r.relation === 'other requests with AKIAIOSFODNN7EXAMPLE')!;
    expect(new Set(others.events.map((e) => e.eventName))).toEqual(
      new Set(['PutAccountDetails', 'CreateUser', 'PutUserPolicy', 'CreateAccessKey', 'VerifyEmailIdentity', 'AuthorizeSecurityGroupEgress', 'DeleteConfigurationSetEventDestination', 'UpdateAccountSendingEnabled', 'StopLogging']),
    );
  });

  it('states coverage: regions, span, data events, every CloudTrail detection supported (no flow logs given)', () => {
    const c = result.coverage;
    expect(c.accounts).toEqual([ACCOUNT]);
    expect(c.regions).toHaveLength(17);
    expect(c.timeSpan?.start.startsWith('2026-11-23T00:')).toBe(true);
    expect(c.dataEventsPresent).toBe(true);
    expect(c.sesSendEventsPresent).toBe(true);
    expect(c.detectionsSupported.filter((d) => !d.supported).map((d) => [d.id, d.why])).toEqual([
      ['SESG-DET-011', 'no VPC Flow Logs were read'],
      ['SESG-DET-012', 'no VPC Flow Logs were read'],
    ]);
    expect(c.notes.join(' ')).toContain('SMTP sending');
    expect(c.relevantEventCount).toBeLessThan(c.eventCount);
  });

  it('skips the digest files and reads every log, gzipped or not', () => {
    expect(result.errors).toEqual([]);
    expect(result.inputs.skipped).toHaveLength(17);
    expect(result.inputs.skipped.every((s) => s.includes('CloudTrail-Digest'))).toBe(true);
    expect(result.inputs.files.some((f) => f.file.endsWith('.json'))).toBe(true);
    expect(result.inputs.files.some((f) => f.file.endsWith('.json.gz'))).toBe(true);
  });

  it('keeps a timeline per principal with the findings each event fed', () => {
    const ci = result.timeline.find((t) => t.principal === `arn:aws:iam::${ACCOUNT}:user/ci-deploy`)!;
    expect(ci.sourceIps).toEqual(['198.51.100.23']);
    expect(ci.entries.find((e) => e.eventName === 'PutAccountDetails')?.findings).toEqual(['SESG-DET-003']);
    expect(ci.entries.find((e) => e.eventName === 'StopLogging')?.findings).toEqual(['SESG-DET-008']);
    const sender = result.timeline.find((t) => t.principal === `arn:aws:iam::${ACCOUNT}:user/backup-admin`)!;
    expect(sender.sends.reduce((n, w) => n + w.count, 0)).toBe(2250);
  });
});

describe('the benign day alone', () => {
  it('reports nothing', () => {
    expect(analyse(dayFiles({ seed: 3, attack: false })).findings).toEqual([]);
  });
});

describe('file order does not matter', () => {
  const files = dayFiles({ seed: 11 });
  const reference = JSON.stringify(analyse(files));
  it.each([1, 2, 3])('shuffled files and records, seed %i', (seed) => {
    const shuffled = shuffle(files, seed).map((records, i) => shuffle(records, seed * 100 + i));
    expect(JSON.stringify(analyse(shuffled))).toBe(reference);
  });
  it('records repeated by an overlapping trail are counted once', () => {
    const doubled = [...files, ...files.filter((_, i) => i % 2 === 0).map((f) => f.filter((r) => r.eventCategory !== 'Data'))];
    const report = analyse(doubled);
    expect(report.findings.map((f) => f.fingerprint)).toEqual(JSON.parse(reference).findings.map((f: { fingerprint: string }) => f.fingerprint));
    expect(report.coverage.notes.join(' ')).toMatch(/duplicate event/);
  });
});

describe('a trail without data events', () => {
  const report = analyse(dayFiles({ seed: 5, dataEvents: false }));
  it('still finds every step CloudTrail management events show', () => {
    expect(report.findings.map((f) => f.checkId).sort()).toEqual(expectedAttackFindings().map((e) => e.checkId).filter((id) => id !== 'SESG-DET-010'));
  });
  it('says the send burst could not be seen', () => {
    const det010 = report.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-010')!;
    expect(det010.supported).toBe(false);
    expect(det010.why).toMatch(/data events/);
    expect(report.coverage.sesSendEventsPresent).toBe(false);
    expect(report.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-007')!.why).toMatch(/sends with the key are not/);
  });
});

describe('memory is bounded by the events that matter', () => {
  it('ten times the background noise keeps the same events', () => {
    const small = analyse(dayFiles({ seed: 2, noisePerFile: 2 })).coverage;
    const large = analyse(dayFiles({ seed: 2, noisePerFile: 20 })).coverage;
    expect(large.eventCount).toBeGreaterThan(small.eventCount + 5000);
    expect(large.relevantEventCount).toBe(small.relevantEventCount);
  });
});

describe('--since / --until', () => {
  it('leaves out events outside the range and says so', async () => {
    const dir = temp();
    writeDay(dir, { seed: 7 });
    const result = await runTrail([dir], { cwd: dir, thresholds, since: new Date('2026-11-23T02:50:00Z'), until: new Date('2026-11-23T04:00:00Z') });
    expect(result.findings.map((f) => f.checkId).sort()).toEqual(['SESG-DET-004', 'SESG-DET-008', 'SESG-DET-008', 'SESG-DET-010']);
    expect(result.coverage.notes.join(' ')).toMatch(/outside the requested time range/);
  });
});

describe('the result handed to the Results wrapper', () => {
  it('lists the detections that ran as checks, with effective severity and a help link', async () => {
    const dir = temp();
    writeDay(dir, { seed: 9, attack: false, noisePerFile: 0 });
    const result = await runTrail([dir], { cwd: dir, checks: { 'SESG-DET-010': { enabled: false }, 'SESG-DET-003': { severity: 'critical' } } });
    expect(result.checks.map((c) => c.id)).toEqual(definitions.map((d) => d.id).filter((id) => id !== 'SESG-DET-010'));
    expect(result.checks.find((c) => c.id === 'SESG-DET-003')).toMatchObject({ severity: 'critical', sources: ['D'], helpUri: expect.stringContaining('docs/runbook.md') });
    expect(result.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-010')).toEqual({ id: 'SESG-DET-010', supported: false, why: 'disabled in the configuration' });
    expect(Date.parse(result.finishedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
  });
});
