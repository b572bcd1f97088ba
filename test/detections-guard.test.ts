// Detections are units isolated from each other (STYLE): each declares its input and the events it reads
// once (policies/det/<id>.yaml), sees only those, and runs inside a guard, so one that throws, reads what
// it did not declare, or mixes a change with an attempt is not assessed with its reason while the others
// still report. The analyzer and the reporters never import an individual rule file.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrailAnalyzer } from '../src/detections/analyzer.js';
import { lookupQuery, wantedEvents } from '../src/detections/declaration.js';
import { runDetectionFixtures } from '../src/detections/fixtures.js';
import { loadDetections } from '../src/detections/load.js';
import { DETECTORS } from '../src/detections/rules/index.js';
import type { DetectionDefinition, Detector } from '../src/detections/types.js';
import { defaultConfig } from '../src/config/types.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { trailResults } from '../src/run.js';
import type { CloudTrailRecord } from '../src/sources/cloudtrail/types.js';
import type { TrailRunResult } from '../src/detections/run.js';

const definitions = loadDetections();
const thresholds = { reconRegions: 3, reconWindowMinutes: 60 };
const ACCOUNT = '111122223333';
const CI = `arn:aws:iam::${ACCOUNT}:user/ci-deploy`;

let n = 0;
function rec(minute: number, name: string, fields: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  n++;
  return {
    eventVersion: '1.10',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLECIDEPLOY1', arn: CI, accountId: ACCOUNT, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'ci-deploy' },
    eventTime: new Date(Date.parse('2026-11-23T02:00:00Z') + minute * 60_000).toISOString().replace('.000Z', 'Z'),
    eventSource: 'ses.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'Boto3/1.34.69',
    requestParameters: null,
    responseElements: null,
    eventID: `guard-${String(n).padStart(4, '0')}`,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: ACCOUNT,
    ...fields,
  };
}

/** Recon in three regions (DET-001) and a production-access request (DET-003). */
const RECORDS = [
  ...['us-east-1', 'eu-west-1', 'ap-south-1'].map((region, i) => rec(i, 'GetSendQuota', { awsRegion: region })),
  rec(10, 'PutAccountDetails', { requestParameters: { mailType: 'MARKETING' } }),
];

function run(detectors: readonly Detector[], records = RECORDS, defs = definitions) {
  const analyzer = createTrailAnalyzer({ thresholds, definitions: defs, detectors });
  for (const record of records) analyzer.add(record, 'guard.json');
  return analyzer.finish();
}

/** The built-in detectors with one replaced. */
function replacing(id: string, detect: Detector['detect']): Detector[] {
  return DETECTORS.map((d) => (d.id === id ? { id, detect } : d));
}

describe('a detection that throws', () => {
  const report = run(
    replacing('SESG-DET-003', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'mailType')\n    at detect (SESG-DET-003.ts:12:3)");
    }),
  );

  it('is not assessed, with its reason on one line and no stack', () => {
    const support = report.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-003');
    expect(support).toEqual({
      id: 'SESG-DET-003',
      supported: false,
      failed: true,
      why: "the detection failed (TypeError: Cannot read properties of undefined (reading 'mailType'))",
    });
    expect(report.coverage.notes).toContain("SESG-DET-003 is not assessed: the detection failed (TypeError: Cannot read properties of undefined (reading 'mailType')).");
  });

  it('does not stop the others: the reconnaissance is still reported', () => {
    expect(report.findings.map((f) => [f.checkId, f.resource.id])).toEqual([['SESG-DET-001', CI]]);
  });

  it('reaches the results as not assessed, lowering coverage, never as passed', () => {
    const result: TrailRunResult = {
      ...report,
      errors: [],
      inputs: { files: [], skipped: [] },
      detections: definitions,
      checks: [],
      startedAt: '2026-11-23T12:00:00.000Z',
      finishedAt: '2026-11-23T12:00:01.000Z',
    };
    const results = trailResults(result, defaultConfig());
    expect(results.notAssessed).toContainEqual({ checkId: 'SESG-DET-003', reason: expect.stringMatching(/^the detection failed \(TypeError/) });
    expect(results.score.coverage).toBeLessThan(1);
  });

  it('fails its own fixtures (fires and quiet alike), so `sesguard policies test` catches it', () => {
    const throwing = replacing('SESG-DET-005', () => {
      throw new Error('boom');
    });
    const det005 = definitions.filter((d) => d.id === 'SESG-DET-005');
    const got = runDetectionFixtures(det005, throwing);
    expect(got.length).toBeGreaterThan(1);
    expect(got.every((r) => !r.ok && r.error === 'the detection failed (boom)')).toBe(true);
  });
});

describe('what a detection may read is what its YAML declares', () => {
  it('reading an undeclared event makes it not assessed, naming the event and the file', () => {
    const report = run(replacing('SESG-DET-003', (context) => (context.named('StopLogging').length, [])));
    expect(report.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-003')?.why).toBe(
      'the detection failed (it reads StopLogging, which is not among the events SESG-DET-003 declares in its events (policies/det/SESG-DET-003.yaml))',
    );
    expect(report.findings.map((f) => f.checkId)).toEqual(['SESG-DET-001']);
  });

  it('reading send volume without declaring a send event is refused too', () => {
    const report = run(replacing('SESG-DET-003', (context) => (context.sends.length, [])));
    expect(report.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-003')?.why).toMatch(/reads SES send volume, but no SES send event is among the events/);
  });

  it('declared events of another source with the same name are not visible', () => {
    const seen: string[] = [];
    const det003 = { ...definitions.find((d) => d.id === 'SESG-DET-003')!, events: [{ source: 'ses.amazonaws.com', names: ['PutAccountDetails'] }] };
    const spy: Detector = { id: 'SESG-DET-003', detect: (context) => (seen.push(...context.named('PutAccountDetails').map((e) => e.source)), []) };
    run([spy], [rec(0, 'PutAccountDetails'), rec(1, 'PutAccountDetails', { eventSource: 'pinpoint.amazonaws.com' })], [det003]);
    expect(seen).toEqual(['ses.amazonaws.com']);
  });

  it('the analyzer keeps only declared events: an undeclared one is in no timeline', () => {
    const report = run(DETECTORS, [rec(0, 'GetSendQuota'), rec(1, 'DescribeInstances', { eventSource: 'ec2.amazonaws.com' })]);
    const names = report.timeline.flatMap((t) => t.entries.map((e) => e.eventName));
    expect(names).toEqual(['GetSendQuota']);
    expect(report.coverage.analysedEventCount).toBe(2);
  });

  it('LookupEvents asks for whole sources a detection reads (SES) and single events of the others', () => {
    const query = lookupQuery(definitions);
    expect(query.sources).toEqual(['ses.amazonaws.com']);
    expect(query.names).toEqual(expect.arrayContaining(['CreateAccessKey', 'PutEventSelectors', 'StopLogging', 'AuthorizeSecurityGroupEgress', 'DeleteAlarms']));
    expect(query.names).not.toContain('GetSendQuota');
    expect(wantedEvents(definitions).get('iam.amazonaws.com')?.has('AddUserToGroup')).toBe(true);
  });

  it('a detection defined in YAML without logic in this version is not assessed, not silently passed', () => {
    const ghost: DetectionDefinition = { ...definitions[0], id: 'SESG-DET-099', file: 'SESG-DET-099.yaml' };
    const report = run(DETECTORS, RECORDS, [...definitions, ghost]);
    expect(report.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-099')).toMatchObject({ supported: false, failed: true, why: expect.stringContaining('no logic') });
  });
});

describe('a change and an attempt are never one finding', () => {
  it('a detection that puts a failed call into a reported change is not assessed', () => {
    const mixing = replacing('SESG-DET-003', (context) => {
      const events = context.named('PutAccountDetails');
      return [{ attempt: false, subject: CI, subjectKind: 'principal', account: ACCOUNT, windowStart: events[0].time, windowEnd: events[1].time, message: 'x', events }];
    });
    const report = run(mixing, [rec(0, 'PutAccountDetails'), rec(1, 'PutAccountDetails', { errorCode: 'AccessDenied', errorMessage: 'denied' })]);
    expect(report.findings).toEqual([]);
    expect(report.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-003')?.why).toMatch(/a reported change holds a call that failed \(event guard-\d+\)/);
  });
});

describe('the analyzer imports no individual rule file', () => {
  const dir = path.join(PACKAGE_ROOT, 'src', 'detections');
  const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
  it.each(readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => [f] as const))('src/detections/%s', (file) => {
    expect(imports(path.join(dir, file)).filter((i) => /rules\/SESG-/.test(i))).toEqual([]);
  });
  it.each(readdirSync(path.join(dir, 'rules')).filter((f) => f.startsWith('SESG-')).map((f) => [f] as const))('rules/%s imports no other rule', (file) => {
    expect(imports(path.join(dir, 'rules', file)).filter((i) => /SESG-/.test(i))).toEqual([]);
  });
});
