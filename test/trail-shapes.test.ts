// `sesguard trail` on CloudTrail records in the shapes real trails deliver, written here for the purpose:
// organization trails (member accounts, callers from other accounts), AWS's own callers (AWSService,
// invokedBy, service-linked roles), failed calls (errorCode / errorMessage), data events, Insights files,
// digest files, and records that went through log shippers (fields dropped, renamed or reformatted).
// Each shape must be read for what it is: never misread as a call, never silently dropped.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runTrail } from '../src/detections/run.js';
import type { CloudTrailRecord, CloudTrailUserIdentity } from '../src/sources/cloudtrail/types.js';
import { cli, tempDir } from './helpers.js';

const MGMT = '111122223333';
const MEMBER = '444455556666';
const OUTSIDE = '999988887777';
const ORG = 'o-a1b2c3d4e5';
const T0 = Date.parse('2026-11-23T02:00:00Z');
const BOTO = 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69';

let serial = 0;
function id(): string {
  serial++;
  return `5f0c${String(serial).padStart(4, '0')}-2b1e-4d7a-9c3f-${String(serial).padStart(12, '0')}`;
}

const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString().replace('.000Z', 'Z');

function roleSession(account: string, role: string, session: string, key: string, path = ''): CloudTrailUserIdentity {
  return {
    type: 'AssumedRole',
    principalId: `AROA${role.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 12).padEnd(12, 'X')}EXAMPLE:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROA${role.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 12).padEnd(12, 'X')}EXAMPLE`, arn: `arn:aws:iam::${account}:role/${path}${role}`, accountId: account, userName: role },
      attributes: { creationDate: '2026-11-23T01:58:12Z', mfaAuthenticated: 'false' },
    },
  };
}

/** A management event as a trail delivers it (eventVersion 1.10 fields, TLS details, request id). */
function call(minute: number, source: string, name: string, identity: CloudTrailUserIdentity, fields: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  const region = (fields.awsRegion as string | undefined) ?? 'us-east-1';
  return {
    eventVersion: '1.10',
    userIdentity: identity,
    eventTime: at(minute),
    eventSource: source,
    eventName: name,
    awsRegion: region,
    sourceIPAddress: '185.220.101.47',
    userAgent: BOTO,
    requestParameters: null,
    responseElements: null,
    requestID: id(),
    eventID: id(),
    readOnly: /^(Get|List|Describe)/.test(name),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: identity.accountId,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${source.split('.')[0]}.${region}.amazonaws.com` },
    ...fields,
  };
}

const logFile = (records: unknown[]) => gzipSync(JSON.stringify({ Records: records }));
const orgKey = (account: string, region: string, stamp: string) =>
  `AWSLogs/${ORG}/${account}/CloudTrail/${region}/2026/11/23/${account}_CloudTrail_${region}_20261123T${stamp}Z_Zk3q8RvB1nW2xY5c.json.gz`;

describe('an organization trail', () => {
  // The member account is reached through OrganizationAccountAccessRole; a sender in an account outside
  // the Organization sends through one of the member's identities (SES sending authorization): its
  // records carry the caller's account in userIdentity and the identity owner's in recipientAccountId.
  const intruder = roleSession(MEMBER, 'OrganizationAccountAccessRole', 'attacker', 'ASIAXKPL3EXAMPLEORG1');
  const delegate = roleSession(OUTSIDE, 'bulk-mailer', 'i-0f3c9a1e2b7d44c10', 'ASIAXKPL3EXAMPLEOUT1');
  const sends = Array.from({ length: 400 }, (_, i) =>
    call(30 + (i % 240) / 60, 'ses.amazonaws.com', 'SendRawEmail', delegate, {
      recipientAccountId: MEMBER,
      readOnly: false,
      managementEvent: false,
      eventCategory: 'Data',
      sourceIPAddress: '45.146.164.110',
      requestParameters: { source: 'billing@member.example', sourceArn: `arn:aws:ses:us-east-1:${MEMBER}:identity/member.example`, destinations: ['HIDDEN_DUE_TO_SECURITY_REASONS'] },
      responseElements: { messageId: `0100018c-${String(i).padStart(8, '0')}-example-000000` },
      resources: [{ accountId: MEMBER, type: 'AWS::SES::Identity', ARN: `arn:aws:ses:us-east-1:${MEMBER}:identity/member.example` }],
      sharedEventID: id(),
    }),
  );
  const files = {
    [orgKey(MEMBER, 'us-east-1', '0215')]: logFile([
      call(5, 'ses.amazonaws.com', 'PutAccountDetails', intruder, { requestParameters: { mailType: 'MARKETING', websiteURL: 'https://member.example', contactLanguage: 'EN', useCaseDescription: 'HIDDEN_DUE_TO_SECURITY_REASONS' } }),
    ]),
    [orgKey(MEMBER, 'us-east-1', '0235')]: logFile(sends),
    [orgKey(MGMT, 'us-east-1', '0215')]: logFile([call(6, 'sts.amazonaws.com', 'AssumeRole', roleSession(MGMT, 'AdminSSO', 'bob@example.com', 'ASIAXKPL3EXAMPLEMGT1'))]),
  };

  it('reports each finding in the account where it happened, naming the caller from elsewhere', async () => {
    const dir = tempDir(files);
    const run = await runTrail([dir], { cwd: dir });
    expect(run.errors).toEqual([]);
    expect(run.coverage.accounts).toEqual([MGMT, MEMBER]);
    const got = run.findings.map((f) => [f.checkId, f.resource.account, f.resource.id]);
    expect(got).toEqual([
      ['SESG-DET-003', MEMBER, `arn:aws:sts::${MEMBER}:assumed-role/OrganizationAccountAccessRole/attacker`],
      ['SESG-DET-010', MEMBER, `arn:aws:iam::${OUTSIDE}:role/bulk-mailer`],
    ]);
    expect(run.findings[1].message).toContain('bulk-mailer made 400 SES send calls');
  });
});

describe("AWS's own callers", () => {
  const advisor: CloudTrailUserIdentity = { type: 'AWSService', invokedBy: 'trustedadvisor.amazonaws.com' };
  const support = roleSession(MGMT, 'AWSServiceRoleForSupport', 'SupportApp', 'ASIAXKPL3EXAMPLESUP1', 'aws-service-role/support.amazonaws.com/');
  const config = { ...roleSession(MGMT, 'AWSServiceRoleForConfig', 'AWSConfig-Describe', 'ASIAXKPL3EXAMPLECFG1', 'aws-service-role/config.amazonaws.com/'), invokedBy: 'config.amazonaws.com' };
  const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1'];
  const records = [
    ...regions.map((r, i) => call(i, 'ses.amazonaws.com', 'GetSendQuota', advisor, { awsRegion: r, sourceIPAddress: 'trustedadvisor.amazonaws.com', userAgent: 'trustedadvisor.amazonaws.com', recipientAccountId: MGMT })),
    ...regions.map((r, i) => call(i, 'ses.amazonaws.com', 'GetAccount', support, { awsRegion: r, sourceIPAddress: 'AWS Internal', userAgent: 'AWS Internal' })),
    ...regions.map((r, i) => call(i, 'ses.amazonaws.com', 'ListIdentities', config, { awsRegion: r, sourceIPAddress: 'config.amazonaws.com', userAgent: 'config.amazonaws.com' })),
  ];

  it('sweeping SES quotas and identities in every region is not reconnaissance, and coverage says so', async () => {
    const dir = tempDir({ 'aws-callers.json': JSON.stringify({ Records: records }) });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.findings).toEqual([]);
    expect(run.coverage.notes).toContain('3 AWS-service caller(s) (e.g. Trusted Advisor) were not treated as reconnaissance.');
    expect(run.timeline.find((t) => t.principal === 'service:trustedadvisor.amazonaws.com')?.byAws).toBe(true);
  });
});

describe('failed calls (errorCode, errorMessage)', () => {
  const leaked: CloudTrailUserIdentity = { type: 'IAMUser', principalId: 'AIDAXKPL3EXAMPLE7Q2MW', arn: `arn:aws:iam::${MGMT}:user/ci-deploy`, accountId: MGMT, accessKeyId: 'AKIAXKPL3EXAMPLEQ7ZN', userName: 'ci-deploy' };
  const failed = (minute: number, name: string, code: string, message: string, params: Record<string, unknown>) =>
    call(minute, 'cloudtrail.amazonaws.com', name, leaked, { errorCode: code, errorMessage: message, requestParameters: params });
  const records = [
    failed(0, 'StopLogging', 'TrailNotFoundException', `Unknown trail: arn:aws:cloudtrail:us-east-1:${MGMT}:trail/management-events for the user: ${MGMT}`, { name: 'management-events' }),
    failed(1, 'DeleteTrail', 'AccessDenied', `User: arn:aws:iam::${MGMT}:user/ci-deploy is not authorized to perform: cloudtrail:DeleteTrail with an explicit deny in a service control policy`, { name: 'org-trail' }),
    call(2, 'cloudtrail.amazonaws.com', 'StopLogging', leaked, { requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/account-trail` }, responseElements: null }),
  ];

  it('a refused tampering call is an attempt: own wording, one severity step lower, apart from the change that happened', async () => {
    const dir = tempDir({ 'tamper.json': JSON.stringify({ Records: records }) });
    const run = await runTrail([dir], { cwd: dir });
    const det008 = run.findings.filter((f) => f.checkId === 'SESG-DET-008').map((f) => [f.severity, f.evidence.attempt, f.message]);
    expect(det008).toEqual([
      [
        'medium',
        true,
        'user/ci-deploy tried to stop CloudTrail logging of management-events (us-east-1) and to delete trail org-trail (us-east-1); ' +
          'the 2 calls failed with TrailNotFoundException, AccessDenied. These calls changed nothing; find out who holds this credential.',
      ],
      [
        'high',
        false,
        `user/ci-deploy weakened monitoring: stopped CloudTrail logging of arn:aws:cloudtrail:us-east-1:${MGMT}:trail/account-trail (us-east-1). ` +
          'Restore it now; activity after this point may be missing from the logs.',
      ],
    ]);
    const attempt = run.findings.find((f) => f.evidence.attempt)!;
    expect(attempt.evidence.errorCodes).toEqual(['AccessDenied', 'TrailNotFoundException']);
    expect((attempt.evidence.events as { errorCode: string }[]).map((e) => e.errorCode)).toEqual(['TrailNotFoundException', 'AccessDenied']);
  });

  it('through the CLI an attempt alone does not fail a high gate: nothing was weakened', async () => {
    const dir = tempDir({ 'tamper.json': JSON.stringify({ Records: records.slice(0, 2) }) });
    const r = await cli(['trail', 'tamper.json', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.findings.map((f: { severity: string }) => f.severity)).toEqual(['medium']);
    expect(results.findings[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('data events', () => {
  const app = roleSession(MGMT, 'app-server', 'i-0a1b2c3d4e5f60001', 'ASIAXKPL3EXAMPLEAPP1');
  const s3 = (minute: number) =>
    call(minute, 's3.amazonaws.com', 'GetObject', app, {
      readOnly: true,
      managementEvent: false,
      eventCategory: 'Data',
      requestParameters: { bucketName: 'app-assets', Host: 'app-assets.s3.us-east-1.amazonaws.com', key: 'img/logo.png' },
      additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': 'Zm9vYmFyYmF6', bytesTransferredOut: 4096 },
      resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::app-assets/img/logo.png' }, { accountId: MGMT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::app-assets' }],
    });

  it('S3 data events without SES send events: data events present, send volume not assessed and said why', async () => {
    const dir = tempDir({ 'data.json': JSON.stringify({ Records: [s3(0), s3(1), s3(2)] }) });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.coverage.dataEventsPresent).toBe(true);
    expect(run.coverage.sesSendEventsPresent).toBe(false);
    expect(run.coverage.detectionsSupported.find((d) => d.id === 'SESG-DET-010')?.why).toBe('data events are present but none are SES send calls: the trail does not record SES data events');
    expect(run.errors).toEqual([]);
  });
});

describe('Insights and digest files', () => {
  const insight = (state: 'Start' | 'End', minute: number, shared: string) => ({
    eventVersion: '1.08',
    eventTime: at(minute),
    awsRegion: 'us-east-1',
    eventID: id(),
    eventType: 'AwsCloudTrailInsight',
    recipientAccountId: MGMT,
    sharedEventID: shared,
    insightDetails: {
      state,
      eventSource: 'ses.amazonaws.com',
      eventName: 'GetSendQuota',
      insightType: 'ApiCallRateInsight',
      insightContext: {
        statistics: { baseline: { average: 0.0021 }, insight: { average: 4.8 }, ...(state === 'End' ? { insightDuration: 7, baselineDuration: 10079 } : {}) },
        attributions: [{ attribute: 'userIdentityArn', insight: [{ value: `arn:aws:iam::${MGMT}:user/ci-deploy`, average: 4.8 }], baseline: [] }],
      },
    },
    eventCategory: 'Insight',
  });
  const digest = {
    awsAccountId: MGMT,
    digestStartTime: '2026-11-23T01:00:00Z',
    digestEndTime: '2026-11-23T02:00:00Z',
    digestS3Bucket: 'org-trail-logs',
    digestS3Object: `AWSLogs/${MGMT}/CloudTrail-Digest/us-east-1/2026/11/23/${MGMT}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261123T020000Z.json.gz`,
    digestPublicKeyFingerprint: '8c4d1a7e0b5f2c9d3e6a1b4c7d0e3f21',
    digestSignatureAlgorithm: 'SHA256withRSA',
    newestEventTime: '2026-11-23T01:58:41Z',
    oldestEventTime: '2026-11-23T01:00:03Z',
    previousDigestS3Bucket: 'org-trail-logs',
    previousDigestS3Object: `AWSLogs/${MGMT}/CloudTrail-Digest/us-east-1/2026/11/23/${MGMT}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261123T010000Z.json.gz`,
    previousDigestHashValue: '31e8b5433410dfb61a9dc45cc65b22ff31e8b5433410dfb61a9dc45cc65b22ff',
    previousDigestHashAlgorithm: 'SHA-256',
    previousDigestSignature: '5e8fa2b9c0d14f3e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f',
    logFiles: [{ s3Bucket: 'org-trail-logs', s3Object: `AWSLogs/${MGMT}/CloudTrail/us-east-1/2026/11/23/${MGMT}_CloudTrail_us-east-1_20261123T0105Z_a1b2.json.gz`, hashValue: '9a8b7c6d', hashAlgorithm: 'SHA-256', newestEventTime: '2026-11-23T01:04:59Z', oldestEventTime: '2026-11-23T01:00:03Z' }],
  };
  const leaked: CloudTrailUserIdentity = { type: 'IAMUser', principalId: 'AIDAXKPL3EXAMPLE7Q2MW', arn: `arn:aws:iam::${MGMT}:user/ci-deploy`, accountId: MGMT, accessKeyId: 'AKIAXKPL3EXAMPLEQ7ZN', userName: 'ci-deploy' };
  const files = {
    [`AWSLogs/${MGMT}/CloudTrail-Insight/us-east-1/2026/11/23/${MGMT}_CloudTrail-Insight_us-east-1_20261123T0230Z_Qm9vYmFy.json.gz`]: logFile([insight('Start', 10, 'aa11'), insight('End', 17, 'aa11')]),
    [`AWSLogs/${MGMT}/CloudTrail-Digest/us-east-1/2026/11/23/${MGMT}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261123T020000Z.json.gz`]: gzipSync(JSON.stringify(digest)),
    // A responder's copy, renamed: recognised by its content.
    'copied/hourly-check.json': JSON.stringify(digest),
    [`AWSLogs/${MGMT}/CloudTrail/us-east-1/2026/11/23/${MGMT}_CloudTrail_us-east-1_20261123T0215Z_Zk3q8RvB.json.gz`]: logFile([call(0, 'ses.amazonaws.com', 'PutAccountDetails', leaked)]),
  };

  it('Insights records are counted, not read as calls; digest files are skipped by name or by content, not errors', async () => {
    const dir = tempDir(files);
    const run = await runTrail([dir], { cwd: dir });
    expect(run.errors).toEqual([]);
    expect(run.findings.map((f) => f.checkId)).toEqual(['SESG-DET-003']);
    expect(run.coverage.eventCount).toBe(3);
    expect(run.coverage.analysedEventCount).toBe(1);
    expect(run.coverage.malformedRecords).toBe(0);
    expect(run.coverage.skipped).toEqual([
      { reason: 'CloudTrail Insights records (unusual call rates, not API calls)', count: 2, malformed: false, firstIn: expect.stringContaining('CloudTrail-Insight') },
    ]);
    expect(run.inputs.skipped).toEqual(['AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/23/111122223333_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261123T020000Z.json.gz', 'copied/hourly-check.json']);
    expect(run.coverage.notes).toContain('1 CloudTrail digest file(s) recognised by their content were skipped (they hold hashes, not events).');
    expect(run.timeline.map((t) => t.principal)).toEqual([`arn:aws:iam::${MGMT}:user/ci-deploy`]);
  });
});

describe('records that went through a log shipper', () => {
  const leaked: CloudTrailUserIdentity = { type: 'IAMUser', principalId: 'AIDAXKPL3EXAMPLE7Q2MW', arn: `arn:aws:iam::${MGMT}:user/ci-deploy`, accountId: MGMT, accessKeyId: 'AKIAXKPL3EXAMPLEQ7ZN', userName: 'ci-deploy' };
  const recon = (minute: number, region: string) => call(minute, 'ses.amazonaws.com', 'GetSendQuota', leaked, { awsRegion: region });
  const without = (record: CloudTrailRecord, ...keys: string[]) => Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));

  it('eventTime renamed or reformatted without a zone: counted, named by reason and first file, never guessed', async () => {
    const renamed = (r: CloudTrailRecord) => ({ ...without(r, 'eventTime'), '@timestamp': r.eventTime });
    const reformatted = (r: CloudTrailRecord) => ({ ...r, eventTime: String(r.eventTime).replace('T', ' ').replace('Z', '.000000000') });
    const dir = tempDir({
      'elastic.json': JSON.stringify({ Records: [renamed(recon(0, 'us-east-1')), renamed(recon(1, 'eu-west-1'))] }),
      'siem.json': JSON.stringify({ Records: [reformatted(recon(2, 'ap-south-1'))] }),
      'trail.json': JSON.stringify({ Records: [recon(3, 'us-west-2'), call(4, 'ec2.amazonaws.com', 'DescribeInstances', leaked)] }),
    });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.errors).toEqual([]);
    // Only one region of the sweep had a usable time: no reconnaissance finding is made up.
    expect(run.findings).toEqual([]);
    expect(run.coverage.skipped).toEqual([
      { reason: 'no eventTime', count: 2, malformed: true, firstIn: 'elastic.json' },
      { reason: 'an eventTime that is not ISO 8601 with a time zone', count: 1, malformed: true, firstIn: 'siem.json' },
    ]);
    expect(run.coverage.notes).toContain(
      '3 of 5 records were not analysed (2 with no eventTime, first in elastic.json; 1 with an eventTime that is not ISO 8601 with a time zone, first in siem.json): ' +
        'findings and "supported" cover only the 2 records (40 %) that were.',
    );
  });

  it('times with an offset instead of Z are read exactly and ordered with the others', async () => {
    const offset = (r: CloudTrailRecord) => {
      const t = new Date(Date.parse(String(r.eventTime)) + 2 * 3_600_000).toISOString().replace('.000Z', '+02:00');
      return { ...r, eventTime: t };
    };
    const dir = tempDir({ 'a.json': JSON.stringify({ Records: [recon(0, 'us-east-1'), offset(recon(1, 'eu-west-1')), recon(2, 'ap-south-1')] }) });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.findings.map((f) => [f.checkId, f.evidence.windowStart, f.evidence.windowEnd])).toEqual([['SESG-DET-001', '2026-11-23T02:00:00.000Z', '2026-11-23T02:02:00.000Z']]);
    expect(run.coverage.timeSpan).toEqual({ start: '2026-11-23T02:00:00.000Z', end: '2026-11-23T02:02:00.000Z' });
  });

  it('eventID dropped: still analysed, a stable stand-in id, identical copies counted once', async () => {
    const records = [recon(0, 'us-east-1'), recon(1, 'eu-west-1'), recon(2, 'ap-south-1')].map((r) => without(r, 'eventID', 'requestID'));
    const dir = tempDir({ 'a.json': JSON.stringify({ Records: records }), 'b.json': JSON.stringify({ Records: [records[0]] }) });
    const run = await runTrail([dir], { cwd: dir });
    const ids = run.findings[0].evidence.eventIds as string[];
    expect(ids).toHaveLength(3);
    expect(ids.every((x) => /^no-eventID:[0-9a-f]{20}$/.test(x))).toBe(true);
    expect(run.coverage.notes.some((n) => n.startsWith('1 duplicate event(s)'))).toBe(true);
    const again = await runTrail([tempDir({ 'c.json': JSON.stringify({ Records: [...records].reverse() }) })]);
    expect(again.findings[0].evidence.eventIds).toEqual(ids);
  });

  it('request parameters stored as JSON text are still read', async () => {
    const reenable = call(0, 'ses.amazonaws.com', 'UpdateAccountSendingEnabled', leaked, { requestParameters: '{"enabled":true}' as unknown as Record<string, unknown> });
    const dir = tempDir({ 'a.json': JSON.stringify({ Records: [reenable] }) });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.findings.map((f) => f.checkId)).toEqual(['SESG-DET-004']);
  });

  it('userIdentity dropped: the caller is unknown, so the record is counted and never merged with other unknown callers', async () => {
    const dir = tempDir({ 'a.json': JSON.stringify({ Records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => without(recon(i, r), 'userIdentity')) }) });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.findings).toEqual([]);
    expect(run.coverage.skipped).toEqual([{ reason: 'no userIdentity (the caller is unknown)', count: 3, malformed: true, firstIn: 'a.json' }]);
    expect(run.errors).toEqual([{ message: expect.stringMatching(/^nothing could be analysed: none of the 3 records read is a usable CloudTrail event \(3 with no userIdentity/) }]);
  });

  it('the same eventID for different events is not a duplicate: identity is (eventID, source, name, time)', async () => {
    const a = recon(0, 'us-east-1');
    const b = { ...recon(1, 'eu-west-1'), eventID: a.eventID };
    const c = { ...recon(2, 'ap-south-1'), eventID: a.eventID };
    const dir = tempDir({ 'a.json': JSON.stringify({ Records: [a, b, c, a] }) });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.findings.map((f) => f.evidence.eventCount)).toEqual([3]);
    expect(run.coverage.notes.some((n) => n.startsWith('1 duplicate event(s) (same eventID, eventSource, eventName and eventTime'))).toBe(true);
  });
});

describe('a run that analysed nothing is not a clean run', () => {
  const noTime = Array.from({ length: 103 }, (_, i) => {
    const { eventTime: _t, ...rest } = call(i, 'ses.amazonaws.com', 'GetSendQuota', { type: 'IAMUser', arn: `arn:aws:iam::${MGMT}:user/x`, accountId: MGMT });
    return rest;
  });

  it.each([
    ['103 records without eventTime', { 'logs/a.json': JSON.stringify({ Records: noTime }) }, 'nothing could be analysed: none of the 103 records read is a usable CloudTrail event (103 with no eventTime, first in logs/a.json)'],
    ['a log with an empty Records array', { 'logs/a.json': JSON.stringify({ Records: [] }) }, 'nothing to analyse: the inputs hold no CloudTrail records'],
    ['a folder with only a digest file', { 'logs/CloudTrail-Digest/d.json.gz': gzipSync('{}') }, 'nothing to analyse: no CloudTrail log or VPC flow log file was found in logs'],
  ])('%s: exit 2, one line naming why, no "No open findings." and no -Infinity', async (_name, files, why) => {
    const dir = tempDir(files);
    for (const format of ['text', 'json', 'markdown']) {
      const r = await cli(['trail', 'logs', '--format', format], dir);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('sesguard:') && !l.startsWith('sesguard: note:'))).toEqual([`sesguard: ${why}`]);
      expect(r.stdout).not.toMatch(/Infinity|NaN/);
      expect(r.stdout).not.toContain('No open findings.');
    }
  });
});
