// trailResults: a trail run as a Results document. Coverage is the share of enabled detections the logs
// let work; a supported detection that found nothing is a passed pair, one the logs cannot support is a
// not-assessed pair, a disabled one is neither; there is no posture score.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/types.js';
import { writeDay } from '../src/detections/generate.js';
import { loadDetections } from '../src/detections/load.js';
import { runTrail } from '../src/detections/run.js';
import { renderText } from '../src/reporters/text.js';
import type { Results } from '../src/results.js';
import { trailResults } from '../src/run.js';

// These days are CloudTrail only: the CloudTrail detections are the enabled set here (a run without flow logs
// reports the VPC Flow Logs detections not assessed, tested below).
const CLOUDTRAIL = loadDetections().filter((d) => d.input === 'cloudtrail');
const ALL = CLOUDTRAIL.length;

function temp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'sesguard-trail-results-'));
}

async function resultsOf(write: (dir: string) => void, options: Parameters<typeof runTrail>[1] = {}, config = defaultConfig()): Promise<Results> {
  const dir = temp();
  write(dir);
  return trailResults(await runTrail([dir], { cwd: dir, definitions: CLOUDTRAIL, ...options }), config);
}

/** evaluated = passed + failed + suppressed, and every enabled detection is in exactly one bucket. */
function expectConsistent(r: Results, enabled: number): void {
  const c = r.counts;
  expect(c.evaluated).toBe(c.passed + c.failed + c.suppressed);
  const failing = new Set(r.findings.map((f) => f.checkId)).size;
  expect(c.passed + failing + c.notAssessed).toBe(enabled);
  expect(r.score.overall).toBeNull();
  expect(r.score.worst).toBeNull();
}

describe('a day with data events and an attack', () => {
  let r: Results;
  beforeAll(async () => {
    r = await resultsOf((dir) => writeDay(dir, { seed: 3 }));
  });
  it('every detection could work: coverage 1, nothing not assessed', () => {
    expect(r.score.coverage).toBe(1);
    expect(r.notAssessed).toEqual([]);
    expect(r.counts.notAssessed).toBe(0);
  });
  it('findings are failed pairs; each supported detection without a finding is one passed pair', () => {
    const failing = new Set(r.findings.map((f) => f.checkId));
    expect(r.counts.failed).toBe(r.findings.length);
    expect(r.counts.passed).toBe(ALL - failing.size);
    expectConsistent(r, ALL);
  });
  it('a benign day: every detection ran and found nothing, so every pair passed', async () => {
    const benign = await resultsOf((dir) => writeDay(dir, { seed: 3, attack: false }));
    expect(benign.findings).toEqual([]);
    expect(benign.counts).toMatchObject({ evaluated: ALL, passed: ALL, failed: 0, notAssessed: 0 });
    expect(benign.score.coverage).toBe(1);
    expect(renderText(benign)).toContain(`Evaluated ${ALL} (check, resource) pairs: ${ALL} passed, 0 failed`);
  });
});

describe('CloudTrail without VPC Flow Logs', () => {
  it('the flow detections are not assessed, saying no flow logs were read; coverage counts them', async () => {
    const dir = temp();
    writeDay(dir, { seed: 3 });
    const r = trailResults(await runTrail([dir], { cwd: dir }), defaultConfig());
    expect(r.notAssessed).toEqual([
      { checkId: 'SESG-DET-011', reason: 'no VPC Flow Logs were read' },
      { checkId: 'SESG-DET-012', reason: 'no VPC Flow Logs were read' },
    ]);
    expect(r.score.coverage).toBeCloseTo(ALL / (ALL + 2), 4);
  });
});

describe('a day without data events', () => {
  let r: Results;
  beforeAll(async () => {
    r = await resultsOf((dir) => writeDay(dir, { seed: 5, dataEvents: false }));
  });
  it('SESG-DET-010 is not assessed and coverage says so', () => {
    expect(r.notAssessed.map((n) => n.checkId)).toEqual(['SESG-DET-010']);
    expect(r.notAssessed[0].reason).toMatch(/data events/);
    expect(r.score.coverage).toBeCloseTo((ALL - 1) / ALL, 4);
    expectConsistent(r, ALL);
  });
  it('the text report counts honestly', () => {
    const c = r.counts;
    expect(renderText(r)).toContain(`Evaluated ${c.evaluated} (check, resource) pairs: ${c.passed} passed, ${c.failed} failed, 0 suppressed; 1 not assessed`);
    expect(renderText(r)).toContain(`coverage ${(((ALL - 1) / ALL) * 100).toFixed(1)} %`);
  });
});

describe('logs that cannot show much', () => {
  it('a file with no SES events at all: single region, no data events → those detections not assessed', async () => {
    const record = {
      eventVersion: '1.09', eventID: 'x1', eventTime: '2026-11-23T01:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances',
      awsRegion: 'eu-west-1', recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/a', accountId: '111122223333' },
    };
    const r = await resultsOf((dir) => writeFileSync(path.join(dir, 'ec2.json'), JSON.stringify({ Records: [record] })));
    expect(r.notAssessed.map((n) => n.checkId).sort()).toEqual(['SESG-DET-001', 'SESG-DET-010']);
    expect(r.score.coverage).toBeCloseTo((ALL - 2) / ALL, 4);
    expect(r.findings).toEqual([]);
    expect(r.counts.passed).toBe(ALL - 2);
    expectConsistent(r, ALL);
  });

  it('a log with no events: nothing could be evaluated, coverage 0, no passed pair', async () => {
    const r = await resultsOf((dir) => writeFileSync(path.join(dir, 'empty.json'), JSON.stringify({ Records: [] })));
    expect(r.score.coverage).toBe(0);
    expect(r.counts).toMatchObject({ evaluated: 0, passed: 0, failed: 0, notAssessed: ALL });
    expectConsistent(r, ALL);
  });
});

describe('config', () => {
  it('a disabled detection is neither passed nor not assessed, and is out of the coverage ratio', async () => {
    const r = await resultsOf((dir) => writeDay(dir, { seed: 5, dataEvents: false }), { checks: { 'SESG-DET-010': { enabled: false }, 'SESG-DET-002': { enabled: false } } });
    expect(r.notAssessed).toEqual([]);
    expect(r.score.coverage).toBe(1);
    expectConsistent(r, ALL - 2);
  });

  it('suppressed findings count as evaluated, not failed', async () => {
    const config = defaultConfig();
    config.suppressions = [{ check: 'SESG-DET-*', resource: 'arn:aws:iam::111122223333:user/*', reason: 'tabletop exercise' }];
    const r = await resultsOf((dir) => writeDay(dir, { seed: 3 }), {}, config);
    expect(r.counts.suppressed).toBeGreaterThan(0);
    expect(r.counts.failed).toBe(r.findings.filter((f) => !f.suppressed).length);
    expectConsistent(r, ALL);
  });
});
