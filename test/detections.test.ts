// SESG-DET-001 … 010 as tables of literal cases: each detection with events that must be reported
// (and about whom) and benign look-alikes that must not. Runs the pure analyzer, no IO.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrailAnalyzer } from '../src/detections/analyzer.js';
import { DETECTION_DIR, loadDetections } from '../src/detections/load.js';
import { DETECTORS } from '../src/detections/rules/index.js';
import { FLOW_DETECTORS } from '../src/detections/rules/flow-index.js';
import { PolicyError } from '../src/errors.js';
import { awsManagedPolicyDocument } from '../src/inventory/aws-managed-policies.js';
import type { TrailThresholds } from '../src/detections/types.js';
import type { CloudTrailRecord, CloudTrailUserIdentity } from '../src/sources/cloudtrail/types.js';

const everything = loadDetections();
const definitions = everything.filter((d) => d.input === 'cloudtrail');
const flowDefinitions = everything.filter((d) => d.input === 'vpc-flow');

/** A temporary directory holding the given files (local: test/helpers.ts pulls in the whole CLI). */
function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-trail-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
const T0 = Date.parse('2026-11-23T02:00:00Z');
const ACCOUNT = '111122223333';

const user = (name: string, key = 'AKIAIOSFODNN7EXAMPLE'): CloudTrailUserIdentity => ({
  type: 'IAMUser', principalId: `AIDA${name}`, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, accessKeyId: key, userName: name,
});
const role = (name: string, session: string, key: string, path = ''): CloudTrailUserIdentity => ({
  type: 'AssumedRole', principalId: `AROA:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}`, accountId: ACCOUNT, accessKeyId: key,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${path}${name}`, accountId: ACCOUNT, userName: name } },
});
const LEAKED = user('ci-deploy');
const TRUSTED_ADVISOR = role('AWSServiceRoleForTrustedAdvisor', 'TrustedAdvisor_1', 'ASIATA00000000000001', 'aws-service-role/trustedadvisor.amazonaws.com/');
const AWS_SERVICE: CloudTrailUserIdentity = { type: 'AWSService', invokedBy: 'config.amazonaws.com' };
const INVOKED: CloudTrailUserIdentity = { ...user('ci-deploy'), invokedBy: 'cloudformation.amazonaws.com' };
const OPERATOR = user('alice', 'ASIAOPERATORCONSOLE1');

interface Options {
  region?: string;
  identity?: CloudTrailUserIdentity;
  source?: string;
  params?: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: string;
  data?: boolean;
  ip?: string;
}

let counter = 0;
/** One record `minute` minutes after 02:00 UTC. */
function rec(minute: number, name: string, o: Options = {}): CloudTrailRecord {
  counter++;
  return {
    eventVersion: '1.09',
    userIdentity: o.identity ?? LEAKED,
    eventTime: new Date(T0 + minute * 60_000).toISOString(),
    eventSource: o.source ?? 'ses.amazonaws.com',
    eventName: name,
    awsRegion: o.region ?? 'us-east-1',
    sourceIPAddress: o.ip ?? '198.51.100.23',
    userAgent: 'Boto3/1.34.0',
    requestParameters: o.params ?? null,
    responseElements: o.response ?? null,
    eventID: `ev-${String(counter).padStart(6, '0')}`,
    recipientAccountId: ACCOUNT,
    managementEvent: !o.data,
    eventCategory: o.data ? 'Data' : 'Management',
    ...(o.error ? { errorCode: o.error, errorMessage: 'denied' } : {}),
  };
}

const iam = (minute: number, name: string, o: Options = {}) => rec(minute, name, { source: 'iam.amazonaws.com', ...o });
const ec2 = (minute: number, name: string, o: Options = {}) => rec(minute, name, { source: 'ec2.amazonaws.com', ...o });
const createKey = (minute: number, userName: string, key: string, o: Options = {}) =>
  iam(minute, 'CreateAccessKey', { params: { userName }, response: { accessKey: { userName, accessKeyId: key, status: 'Active' } }, ...o });
/** `count` send data events by `identity` spread over the 5-minute window starting at `minute`. */
function sends(count: number, minute: number, identity: CloudTrailUserIdentity, name = 'SendRawEmail'): CloudTrailRecord[] {
  return Array.from({ length: count }, (_, i) => rec(minute + (i % 290) / 60, name, { identity, data: true }));
}
function steady(perWindow: number, windows: number, identity: (w: number) => CloudTrailUserIdentity, fromMinute = 0): CloudTrailRecord[] {
  return Array.from({ length: windows }, (_, w) => sends(perWindow, fromMinute + w * 5, identity(w))).flat();
}
const egress = (permissions: unknown[]) => ({ groupId: 'sg-0123', ipPermissions: { items: permissions } });
const tcp = (from: number, to: number, cidr: string) => ({ ipProtocol: 'tcp', fromPort: from, toPort: to, ipRanges: { items: [{ cidrIp: cidr }] } });

interface Case {
  name: string;
  records: CloudTrailRecord[];
  /** Expected finding subjects (resource.id), in order. */
  want: string[];
  /** Which of them are attempts (failed calls); default: none. */
  attempts?: boolean[];
  thresholds?: Partial<TrailThresholds>;
  /** Text the (first) message must contain. */
  says?: string;
}

function findings(records: CloudTrailRecord[], thresholds: Partial<TrailThresholds> = {}) {
  const analyzer = createTrailAnalyzer({ thresholds: { reconRegions: 3, reconWindowMinutes: 60, ...thresholds }, definitions });
  for (const r of records) analyzer.add(r);
  return analyzer.finish().findings;
}

function table(id: string, cases: Case[]): void {
  describe(id, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const got = findings(c.records, c.thresholds).filter((f) => f.checkId === id);
      expect(got.map((f) => f.resource.id)).toEqual(c.want);
      expect(got.map((f) => f.evidence.attempt)).toEqual(c.attempts ?? c.want.map(() => false));
      if (c.says) expect(got[0].message).toContain(c.says);
      for (const f of got) {
        expect(f.resource.type).toBe('aws.iam.principal');
        expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
        expect((f.evidence.eventIds as string[]).length).toBeGreaterThan(0);
      }
    });
  });
}

const CI = `arn:aws:iam::${ACCOUNT}:user/ci-deploy`;
const ALL_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1'];

table('SESG-DET-001', [
  { name: 'GetSendQuota in 3 regions within 10 minutes', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i * 5, 'GetSendQuota', { region: r })), want: [CI], says: '3 regions' },
  { name: 'mixed v1/v2 recon calls across 3 regions', records: [rec(0, 'GetAccount', { region: 'us-east-1' }), rec(2, 'ListEmailIdentities', { region: 'us-west-2' }), rec(4, 'GetIdentityVerificationAttributes', { region: 'eu-west-1' })], want: [CI] },
  { name: 'denied calls are an attempt at reconnaissance', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i, 'GetSendQuota', { region: r, error: 'AccessDenied' })), want: [CI], attempts: [true], says: 'tried to call SES reconnaissance APIs in 3 regions within 2 minutes (GetSendQuota ×3); the 3 calls failed with AccessDenied' },
  { name: 'successes and failures are judged apart: 3 regions allowed, 3 refused', records: ['us-east-1', 'eu-west-1', 'ap-south-1', 'us-west-2', 'eu-central-1', 'sa-east-1'].map((r, i) => rec(i, 'GetSendQuota', { region: r, ...(i >= 3 ? { error: 'AccessDenied' } : {}) })), want: [CI, CI], attempts: [false, true] },
  { name: 'benign for this detection: 2 allowed regions and 1 refused (neither alone reaches 3)', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i, 'GetSendQuota', { region: r, ...(i === 2 ? { error: 'AccessDenied' } : {}) })), want: [] },
  { name: 'two campaigns five hours apart are two findings', records: [0, 300].flatMap((m) => ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(m + i, 'GetSendQuota', { region: r }))), want: [CI, CI] },
  { name: 'benign: 3 regions spread over 2 hours', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i * 61, 'GetSendQuota', { region: r })), want: [] },
  { name: 'benign: an operator checking the quota in one region many times', records: Array.from({ length: 20 }, (_, i) => rec(i, i % 2 ? 'GetSendQuota' : 'GetAccount', { identity: OPERATOR })), want: [] },
  { name: 'benign: Trusted Advisor (service-linked role) sweeping every region', records: ALL_REGIONS.map((r, i) => rec(i, 'GetSendQuota', { region: r, identity: TRUSTED_ADVISOR, ip: '203.0.113.9' })), want: [] },
  { name: 'benign: an AWSService identity', records: ALL_REGIONS.map((r, i) => rec(i, 'ListIdentities', { region: r, identity: AWS_SERVICE })), want: [] },
  { name: 'benign: calls invokedBy an AWS service', records: ALL_REGIONS.map((r, i) => rec(i, 'GetSendQuota', { region: r, identity: INVOKED })), want: [] },
  { name: 'benign: a service address as the source', records: ALL_REGIONS.map((r, i) => rec(i, 'GetSendQuota', { region: r, identity: user('x', 'ASIAX'), ip: 'trustedadvisor.amazonaws.com' })), want: [] },
  { name: 'benign: three principals, one region each', records: ['a', 'b', 'c'].map((n, i) => rec(i, 'GetSendQuota', { region: ALL_REGIONS[i], identity: user(n) })), want: [] },
  { name: 'benign: non-reconnaissance SES calls in 3 regions', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i, 'ListConfigurationSets', { region: r })), want: [] },
  { name: 'config: reconRegions 4 is not met by 3 regions', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i, 'GetSendQuota', { region: r })), thresholds: { reconRegions: 4 }, want: [] },
  { name: 'config: reconWindowMinutes 180 catches a slow sweep', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i * 61, 'GetSendQuota', { region: r })), thresholds: { reconWindowMinutes: 180 }, want: [CI] },
]);

const V1_SEQUENCE = ['GetAccountSendingEnabled', 'GetSendQuota', 'ListIdentities', 'GetIdentityVerificationAttributes'];
table('SESG-DET-002', [
  { name: 'the v1 sequence with a long-term key in one region', records: V1_SEQUENCE.map((n, i) => rec(i, n)), want: ['AKIAIOSFODNN7EXAMPLE'], says: 'us-east-1' },
  { name: 'the v2 sequence (GetAccount, ListEmailIdentities, GetEmailIdentity)', records: ['GetAccount', 'ListEmailIdentities', 'GetEmailIdentity'].map((n, i) => rec(i, n, { region: 'eu-west-1' })), want: ['AKIAIOSFODNN7EXAMPLE'] },
  { name: 'in any order', records: [...V1_SEQUENCE].reverse().map((n, i) => rec(i * 10, n)), want: ['AKIAIOSFODNN7EXAMPLE'] },
  { name: 'the same sequence in 3 regions at once is one finding', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].flatMap((r, k) => V1_SEQUENCE.map((n, i) => rec(k * 2 + i * 0.1, n, { region: r }))), want: ['AKIAIOSFODNN7EXAMPLE'], says: 'ap-south-1, eu-west-1, us-east-1' },
  { name: 'benign: a temporary (ASIA) key', records: V1_SEQUENCE.map((n, i) => rec(i, n, { identity: OPERATOR })), want: [] },
  { name: 'benign: the steps split across two regions', records: V1_SEQUENCE.map((n, i) => rec(i, n, { region: i < 2 ? 'us-east-1' : 'eu-west-1' })), want: [] },
  { name: 'benign: the steps spread over 2 hours', records: V1_SEQUENCE.map((n, i) => rec(i * 40, n)), want: [] },
  { name: 'benign: no verification step', records: V1_SEQUENCE.slice(0, 3).map((n, i) => rec(i, n)), want: [] },
  { name: 'benign: invoked by an AWS service', records: V1_SEQUENCE.map((n, i) => rec(i, n, { identity: INVOKED })), want: [] },
]);

table('SESG-DET-003', [
  { name: 'one production-access request', records: [rec(0, 'PutAccountDetails', { params: { mailType: 'MARKETING', websiteURL: 'https://x.example' } })], want: [CI], says: 'in us-east-1' },
  { name: 'requests in 3 regions within 3 minutes are one finding that says so', records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((r, i) => rec(i, 'PutAccountDetails', { region: r })), want: [CI], says: '3 regions within 2 minutes' },
  { name: 'a denied request is an attempt', records: [rec(0, 'PutAccountDetails', { error: 'AccessDenied' })], want: [CI], attempts: [true], says: 'tried to request SES production access (PutAccountDetails) in us-east-1; the call failed with AccessDenied' },
  { name: 'one granted and one refused request are two findings', records: [rec(0, 'PutAccountDetails', { region: 'eu-west-1' }), rec(1, 'PutAccountDetails', { error: 'AccessDenied' })], want: [CI, CI], attempts: [false, true], says: 'in eu-west-1. Confirm' },
  { name: 'benign: reading the account', records: [rec(0, 'GetAccount')], want: [] },
  { name: 'benign: another Put call', records: [rec(0, 'PutAccountSuppressionAttributes')], want: [] },
]);

table('SESG-DET-004', [
  { name: 'UpdateAccountSendingEnabled true', records: [rec(0, 'UpdateAccountSendingEnabled', { params: { enabled: true } })], want: [CI], says: 'the account in us-east-1' },
  { name: 'PutAccountSendingAttributes true (v2)', records: [rec(0, 'PutAccountSendingAttributes', { params: { sendingEnabled: true } })], want: [CI] },
  { name: 'UpdateConfigurationSetSendingEnabled "true"', records: [rec(0, 'UpdateConfigurationSetSendingEnabled', { params: { configurationSetName: 'tx', enabled: 'true' } })], want: [CI], says: 'configuration set tx' },
  { name: 'PutConfigurationSetSendingOptions SendingEnabled (v2, PascalCase)', records: [rec(0, 'PutConfigurationSetSendingOptions', { params: { ConfigurationSetName: 'tx', SendingEnabled: true } })], want: [CI] },
  { name: 'benign: sending paused', records: [rec(0, 'UpdateAccountSendingEnabled', { params: { enabled: false } })], want: [] },
  { name: 'benign: configuration set paused', records: [rec(0, 'UpdateConfigurationSetSendingEnabled', { params: { configurationSetName: 'tx', enabled: false } })], want: [] },
]);

table('SESG-DET-005', [
  { name: 'CreateEmailIdentity', records: [rec(0, 'CreateEmailIdentity', { params: { emailIdentity: 'promo.example' } })], want: [CI], says: 'promo.example' },
  { name: 'VerifyEmailIdentity', records: [rec(0, 'VerifyEmailIdentity', { params: { emailAddress: 'a@promo.example' } })], want: [CI] },
  { name: 'VerifyDomainIdentity', records: [rec(0, 'VerifyDomainIdentity', { params: { domain: 'promo.example' } })], want: [CI] },
  { name: 'VerifyEmailAddress', records: [rec(0, 'VerifyEmailAddress', { params: { emailAddress: 'a@promo.example' } })], want: [CI] },
  { name: 'benign: deleting an identity', records: [rec(0, 'DeleteIdentity', { params: { identity: 'old.example' } })], want: [] },
  { name: 'benign: reading verification status', records: [rec(0, 'GetIdentityVerificationAttributes')], want: [] },
]);

table('SESG-DET-006', [
  { name: 'TCP 25 to 0.0.0.0/0', records: [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([tcp(25, 25, '0.0.0.0/0')]) })], want: [CI], says: 'TCP 25 to 0.0.0.0/0' },
  { name: 'TCP 587 to ::/0', records: [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([{ ipProtocol: 'tcp', fromPort: 587, toPort: 587, ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }]) })], want: [CI], says: 'TCP 587' },
  { name: 'all protocols to the world', records: [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([{ ipProtocol: '-1', ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }]) })], want: [CI], says: 'all traffic' },
  { name: 'a TCP range containing 465', records: [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([tcp(400, 500, '0.0.0.0/0')]) })], want: [CI], says: 'TCP 465' },
  { name: 'ModifySecurityGroupRules on a rule the logs show is egress', records: [
    ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([tcp(443, 443, '0.0.0.0/0')]), response: { securityGroupRuleSet: { items: [{ securityGroupRuleId: 'sgr-1', isEgress: true }] } } }),
    ec2(5, 'ModifySecurityGroupRules', { params: { ModifySecurityGroupRulesRequest: { GroupId: 'sg-0123', SecurityGroupRule: { SecurityGroupRuleId: 'sgr-1', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 25, ToPort: 25, CidrIpv4: '0.0.0.0/0' } } } } }),
  ], want: [CI] },
  { name: 'ModifySecurityGroupRules on a rule of unknown direction says so', records: [
    ec2(0, 'ModifySecurityGroupRules', { params: { ModifySecurityGroupRulesRequest: { GroupId: 'sg-0123', SecurityGroupRule: { SecurityGroupRuleId: 'sgr-9', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 25, ToPort: 25, CidrIpv4: '0.0.0.0/0' } } } } }),
  ], want: [CI], says: 'direction not in the logs' },
  { name: 'benign: HTTPS to the world', records: [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([tcp(443, 443, '0.0.0.0/0')]) })], want: [] },
  { name: 'benign: port 25 to the internal relay network', records: [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([tcp(25, 25, '10.0.0.0/8')]) })], want: [] },
  { name: 'benign: UDP 25', records: [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([{ ipProtocol: 'udp', fromPort: 25, toPort: 25, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }]) })], want: [] },
  { name: 'benign: inbound 25 (an MX host)', records: [ec2(0, 'AuthorizeSecurityGroupIngress', { params: egress([tcp(25, 25, '0.0.0.0/0')]) })], want: [] },
  { name: 'benign: modifying a rule the logs show is ingress', records: [
    ec2(0, 'AuthorizeSecurityGroupIngress', { params: egress([tcp(25, 25, '10.0.0.0/8')]), response: { securityGroupRuleSet: { items: [{ securityGroupRuleId: 'sgr-2', isEgress: false }] } } }),
    ec2(5, 'ModifySecurityGroupRules', { params: { ModifySecurityGroupRulesRequest: { GroupId: 'sg-0123', SecurityGroupRule: { SecurityGroupRuleId: 'sgr-2', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 25, ToPort: 25, CidrIpv4: '0.0.0.0/0' } } } } }),
  ], want: [] },
]);

const NEW = 'AKIAI44QH8DHBEXAMPLE';
const BACKUP = user('backup-admin', NEW);
table('SESG-DET-007', [
  { name: 'a new key checks the quota 30 minutes after creation', records: [createKey(0, 'backup-admin', NEW), rec(30, 'GetSendQuota', { identity: BACKUP, ip: '203.0.113.77' })], want: [NEW], says: 'used for SES 30 minutes later' },
  { name: 'a new key only sends (data events) 2 hours later', records: [createKey(0, 'backup-admin', NEW), ...sends(10, 120, BACKUP)], want: [NEW], says: '10 send calls' },
  { name: 'the use arrives before the creation in the input', records: [rec(30, 'GetSendQuota', { identity: BACKUP }), createKey(0, 'backup-admin', NEW)], want: [NEW] },
  { name: 'benign: first SES use 25 hours later', records: [createKey(0, 'backup-admin', NEW), rec(25 * 60, 'GetSendQuota', { identity: BACKUP })], want: [] },
  { name: 'benign: the new key is used for S3 only', records: [createKey(0, 'backup-admin', NEW), rec(10, 'ListBuckets', { identity: BACKUP, source: 's3.amazonaws.com' })], want: [] },
  { name: 'benign: a failed CreateAccessKey', records: [iam(0, 'CreateAccessKey', { params: { userName: 'backup-admin' }, error: 'LimitExceeded' }), rec(10, 'GetSendQuota', { identity: BACKUP })], want: [] },
  { name: 'benign: SES used by an older key', records: [createKey(0, 'backup-admin', NEW), rec(10, 'GetSendQuota', { identity: user('backup-admin', 'AKIAOLDKEYEXAMPLE001') })], want: [] },
]);

table('SESG-DET-008', [
  { name: 'event destination deleted', records: [rec(0, 'DeleteConfigurationSetEventDestination', { params: { configurationSetName: 'tx', eventDestinationName: 'sns' } })], want: [CI], says: 'deleted event destination sns' },
  { name: 'event destination disabled', records: [rec(0, 'UpdateConfigurationSetEventDestination', { params: { configurationSetName: 'tx', eventDestination: { name: 'sns', enabled: false } } })], want: [CI] },
  { name: 'bounce topic cleared', records: [rec(0, 'SetIdentityNotificationTopic', { params: { identity: 'example.com', notificationType: 'Bounce' } })], want: [CI], says: 'cleared the Bounce' },
  { name: 'feedback forwarding disabled (v1)', records: [rec(0, 'SetIdentityFeedbackForwardingEnabled', { params: { identity: 'example.com', forwardingEnabled: false } })], want: [CI] },
  { name: 'feedback forwarding disabled (v2)', records: [rec(0, 'PutEmailIdentityFeedbackAttributes', { params: { EmailIdentity: 'example.com', EmailForwardingEnabled: false } })], want: [CI] },
  { name: 'an SES alarm deleted (by name)', records: [rec(0, 'DeleteAlarms', { source: 'monitoring.amazonaws.com', params: { alarmNames: ['ses-bounce-rate'] } })], want: [CI] },
  { name: 'an alarm the logs show is on AWS/SES deleted', records: [
    rec(0, 'PutMetricAlarm', { source: 'monitoring.amazonaws.com', identity: OPERATOR, params: { alarmName: 'acct-health', namespace: 'AWS/SES' } }),
    rec(60, 'DeleteAlarms', { source: 'monitoring.amazonaws.com', params: { alarmNames: ['acct-health'] } }),
  ], want: [CI] },
  { name: 'trail stopped', records: [rec(0, 'StopLogging', { source: 'cloudtrail.amazonaws.com', params: { name: 'main' } })], want: [CI], says: 'stopped CloudTrail logging of main' },
  { name: 'trail deleted', records: [rec(0, 'DeleteTrail', { source: 'cloudtrail.amazonaws.com', params: { name: 'main' } })], want: [CI] },
  { name: 'several steps within the window are one finding', records: [rec(0, 'DeleteConfigurationSetEventDestination', { params: { configurationSetName: 'tx', eventDestinationName: 'sns' } }), rec(30, 'StopLogging', { source: 'cloudtrail.amazonaws.com', params: { name: 'main' } })], want: [CI] },
  { name: 'benign: a CPU alarm deleted', records: [rec(0, 'DeleteAlarms', { source: 'monitoring.amazonaws.com', params: { alarmNames: ['web-cpu-high'] } })], want: [] },
  { name: 'benign: a bounce topic set', records: [rec(0, 'SetIdentityNotificationTopic', { params: { identity: 'example.com', notificationType: 'Bounce', snsTopic: 'arn:aws:sns:us-east-1:111122223333:b' } })], want: [] },
  { name: 'benign: the Delivery topic cleared', records: [rec(0, 'SetIdentityNotificationTopic', { params: { identity: 'example.com', notificationType: 'Delivery' } })], want: [] },
  { name: 'benign: feedback forwarding enabled', records: [rec(0, 'SetIdentityFeedbackForwardingEnabled', { params: { identity: 'example.com', forwardingEnabled: true } })], want: [] },
  { name: 'benign: logging started', records: [rec(0, 'StartLogging', { source: 'cloudtrail.amazonaws.com', params: { name: 'main' } })], want: [] },
]);

const SMTP = 'ses-smtp-user.20261123-023000';
const SMTP_ARN = `arn:aws:iam::${ACCOUNT}:user/${SMTP}`;
const sendPolicy = (action: unknown, effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });
table('SESG-DET-009', [
  { name: 'the SES console wizard: user, policy, key', records: [
    iam(0, 'CreateUser', { params: { userName: SMTP }, response: { user: { userName: SMTP, arn: SMTP_ARN } } }),
    iam(0.1, 'PutUserPolicy', { params: { userName: SMTP, policyName: 'AmazonSesSendingAccess', policyDocument: sendPolicy('ses:SendRawEmail') } }),
    createKey(0.2, SMTP, 'AKIAJSMTPUSEREXAMPLE'),
  ], want: [SMTP_ARN], says: 'created access key AKIAJSMTPUSEREXAMPLE' },
  { name: 'an ses-smtp-user.* user alone', records: [iam(0, 'CreateUser', { params: { userName: SMTP } })], want: [SMTP_ARN] },
  { name: 'a wildcard sending policy added to an ordinary user', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: sendPolicy(['s3:GetObject', 'SES:Send*']) } })], want: [`arn:aws:iam::${ACCOUNT}:user/app`] },
  { name: 'a URL-encoded policy document', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: encodeURIComponent(sendPolicy('ses:*')) } })], want: [`arn:aws:iam::${ACCOUNT}:user/app`] },
  { name: 'an inline policy allowing every action (*)', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'admin', policyDocument: sendPolicy('*') } })], want: [`arn:aws:iam::${ACCOUNT}:user/app`] },
  { name: 'a NotAction policy that does not exclude SES', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }) } })], want: [`arn:aws:iam::${ACCOUNT}:user/app`] },
  { name: 'a policy scoped to one identity still lets the user send', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com` }] }) } })], want: [`arn:aws:iam::${ACCOUNT}:user/app`] },
  { name: 'a customer policy made to send by a new default version, attached, then a key', records: [
    iam(0, 'CreatePolicyVersion', { params: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/app-rw`, setAsDefault: true, policyDocument: sendPolicy(['s3:*', 'ses:SendRawEmail']) } }),
    iam(1, 'AttachUserPolicy', { params: { userName: 'app', policyArn: `arn:aws:iam::${ACCOUNT}:policy/app-rw` } }),
    createKey(2, 'app', 'AKIAAPPKEYEXAMPLE002'),
  ], want: [`arn:aws:iam::${ACCOUNT}:user/app`], says: 'created access key AKIAAPPKEYEXAMPLE002 for app' },
  { name: 'a user added to a group whose inline policy in the logs can send', records: [
    iam(0, 'PutGroupPolicy', { params: { groupName: 'mailers', policyName: 'send', policyDocument: sendPolicy('ses:Send*') } }),
    iam(1, 'AddUserToGroup', { params: { groupName: 'mailers', userName: 'app' } }),
    createKey(2, 'app', 'AKIAAPPKEYEXAMPLE003'),
  ], want: [`arn:aws:iam::${ACCOUNT}:user/app`], says: 'added app to group mailers' },
  { name: 'a refused PutUserPolicy is an attempt, and the key that follows is not an SMTP credential', records: [
    iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: sendPolicy('ses:*') }, error: 'AccessDenied' }),
    createKey(1, 'app', 'AKIAAPPKEYEXAMPLE004'),
  ], want: [`arn:aws:iam::${ACCOUNT}:user/app`], attempts: [true], says: 'tried to add inline SES sending policy p to app; the call failed with AccessDenied' },
  { name: 'the wizard with a refused key: the user and policy are a change, the key an attempt', records: [
    iam(0, 'CreateUser', { params: { userName: SMTP }, response: { user: { userName: SMTP, arn: SMTP_ARN } } }),
    iam(0.1, 'PutUserPolicy', { params: { userName: SMTP, policyName: 'AmazonSesSendingAccess', policyDocument: sendPolicy('ses:SendRawEmail') } }),
    iam(0.2, 'CreateAccessKey', { params: { userName: SMTP }, error: 'LimitExceeded' }),
  ], want: [SMTP_ARN, SMTP_ARN], attempts: [false, true] },
  { name: 'benign: a policy allowing everything but SES (NotAction ses:*)', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', NotAction: ['ses:*'], Resource: '*' }] }) } })], want: [] },
  { name: 'benign: ses:* allowed and denied in the same policy', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ses:*', Resource: '*' }] }) } })], want: [] },
  { name: 'benign: a read-only SES policy', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: sendPolicy(['ses:Get*', 'ses:List*']) } })], want: [] },
  { name: 'a customer policy created in the logs with ses:* and attached', records: [
    iam(0, 'CreatePolicy', { params: { policyName: 'mail', policyDocument: sendPolicy('ses:*') }, response: { policy: { arn: `arn:aws:iam::${ACCOUNT}:policy/mail` } } }),
    iam(1, 'AttachUserPolicy', { params: { userName: 'app', policyArn: `arn:aws:iam::${ACCOUNT}:policy/mail` } }),
  ], want: [`arn:aws:iam::${ACCOUNT}:user/app`] },
  { name: 'a key for a user given sending rights earlier in the logs joins the finding', records: [
    iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: sendPolicy('ses:SendEmail') } }),
    createKey(10, 'app', 'AKIAAPPKEYEXAMPLE001'),
  ], want: [`arn:aws:iam::${ACCOUNT}:user/app`], says: 'AKIAAPPKEYEXAMPLE001' },
  { name: 'benign: an ordinary user created', records: [iam(0, 'CreateUser', { params: { userName: 'alice' } })], want: [] },
  { name: 'benign: an S3-only inline policy', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: sendPolicy('s3:*') } })], want: [] },
  { name: 'benign: a policy denying SES', records: [iam(0, 'PutUserPolicy', { params: { userName: 'app', policyName: 'p', policyDocument: sendPolicy('ses:*', 'Deny') } })], want: [] },
  { name: 'benign: ReadOnlyAccess attached', records: [iam(0, 'AttachUserPolicy', { params: { userName: 'app', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } })], want: [] },
  { name: 'benign: a key for an ordinary user', records: [createKey(0, 'report-bot', 'AKIAREPORTBOTEXAMPLE')], want: [] },
]);

describe('SESG-DET-009 judges AWS managed policies from the data file (issue #8), and says what it cannot decide', () => {
  const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
  const NOTIFY = `arn:aws:iam::${ACCOUNT}:user/svc-notify`;
  function report(records: CloudTrailRecord[]) {
    const analyzer = createTrailAnalyzer({ thresholds: { reconRegions: 3, reconWindowMinutes: 60 }, definitions });
    for (const r of records) analyzer.add(r);
    return analyzer.finish();
  }
  const admin = [
    iam(0, 'CreateUser', { params: { userName: 'svc-notify' }, response: { user: { userName: 'svc-notify', arn: NOTIFY } } }),
    iam(1, 'AttachUserPolicy', { params: { userName: 'svc-notify', policyArn: ADMIN } }),
    createKey(2, 'svc-notify', 'AKIANOTIFYKEYEXAMPLE'),
  ];

  it('AdministratorAccess then a key: an SMTP credential once the data file holds the policy; until then undecided, and said so', () => {
    const got = report(admin);
    const det009 = got.findings.filter((f) => f.checkId === 'SESG-DET-009');
    if (awsManagedPolicyDocument(ADMIN) !== undefined) {
      expect(det009.map((f) => f.resource.id)).toEqual([NOTIFY]);
      expect(det009[0].message).toContain(`attached ${ADMIN}, which grants SES sending, to svc-notify; created access key AKIANOTIFYKEYEXAMPLE for svc-notify`);
    } else {
      expect(det009).toEqual([]);
      const note = got.coverage.notes.find((n) => n.startsWith('SESG-DET-009 could not decide'));
      expect(note).toContain(`whether ${ADMIN} lets svc-notify send SES mail: policy ${ADMIN}: AWS managed policy AdministratorAccess is not in sesguard's AWS managed policy data file`);
      expect(note).toContain('whether access key AKIANOTIFYKEYEXAMPLE for svc-notify is an SMTP credential');
    }
  });

  it('ReadOnlyAccess then a key is never an SMTP credential', () => {
    const got = report([iam(1, 'AttachUserPolicy', { params: { userName: 'svc-notify', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }), createKey(2, 'svc-notify', 'AKIANOTIFYKEYEXAMPLE')]);
    expect(got.findings.filter((f) => f.checkId === 'SESG-DET-009')).toEqual([]);
  });

  it('a customer managed policy created before these logs: undecided, named, never passed silently', () => {
    const got = report([iam(1, 'AttachUserPolicy', { params: { userName: 'svc-notify', policyArn: `arn:aws:iam::${ACCOUNT}:policy/legacy-mail` } }), createKey(2, 'svc-notify', 'AKIANOTIFYKEYEXAMPLE')]);
    expect(got.findings.filter((f) => f.checkId === 'SESG-DET-009')).toEqual([]);
    expect(got.coverage.notes.find((n) => n.startsWith('SESG-DET-009 could not decide'))).toContain(`customer managed policy arn:aws:iam::${ACCOUNT}:policy/legacy-mail is not created in these logs`);
  });

  it('a group whose policies are not in the logs: undecided', () => {
    const got = report([iam(1, 'AddUserToGroup', { params: { userName: 'svc-notify', groupName: 'Admins' } })]);
    expect(got.coverage.notes.find((n) => n.startsWith('SESG-DET-009 could not decide'))).toContain('the policies of group Admins are not in these logs');
  });
});

describe('SESG-DET-008 judges event selectors', () => {
  const put = (params: Record<string, unknown>, o: Options = {}) => rec(0, 'PutEventSelectors', { source: 'cloudtrail.amazonaws.com', params: { trailName: 'main', ...params }, ...o });
  const adv = (...selectors: { field: string; [op: string]: unknown }[][]) => ({ advancedEventSelectors: selectors.map((fieldSelectors, i) => ({ name: `s${i}`, fieldSelectors })) });
  const MGMT = { field: 'eventCategory', equals: ['Management'] };
  it.each([
    ['management events off (basic)', { eventSelectors: [{ readWriteType: 'All', includeManagementEvents: false, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }] }, 'no longer records SES write management events (e.g. PutAccountDetails), SES read management events (e.g. GetSendQuota), IAM write management events (e.g. CreateAccessKey)'],
    ['write-only (basic): reconnaissance no longer visible', { eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: true }] }, 'no longer records SES read management events (e.g. GetSendQuota)'],
    ['an empty selector list', { eventSelectors: [] }, 'no longer records SES write management events'],
    ['advanced: data events only', adv([{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }]), 'no longer records SES write management events'],
    ['advanced: SES excluded by event source', adv([MGMT, { field: 'eventSource', notEquals: ['ses.amazonaws.com', 'kms.amazonaws.com'] }]), 'no longer records SES write management events (e.g. PutAccountDetails), SES read management events (e.g. GetSendQuota)'],
    ['advanced: only errors recorded', adv([MGMT, { field: 'errorCode', equals: ['AccessDenied'] }]), 'no longer records SES write'],
    ['advanced: the caller excludes itself', adv([MGMT, { field: 'userIdentity.arn', notStartsWith: ['arn:aws:iam::111122223333:user/ci-deploy'] }]), 'no longer records the management calls of arn:aws:iam::111122223333:user/ci-deploy*'],
  ])('%s', (_name, params, says) => {
    const got = findings([put(params)]).filter((f) => f.checkId === 'SESG-DET-008');
    expect(got).toHaveLength(1);
    expect(got[0].message).toContain(`changed the event selectors of trail main so that it ${says}`);
  });

  it.each([
    ['all management events, basic', { eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'] }] }],
    ['defaults (no flags)', { eventSelectors: [{ dataResources: [] }] }],
    ['advanced: read and write management events in two selectors', adv([MGMT, { field: 'readOnly', equals: ['true'] }], [MGMT, { field: 'readOnly', equals: ['false'] }])],
    ['advanced: management events minus KMS, plus S3 data', adv([MGMT, { field: 'eventSource', notEquals: ['kms.amazonaws.com'] }], [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }])],
    ['parameters not in the record (dropped by a shipper)', {}],
  ])('benign: %s', (_name, params) => {
    expect(findings([put(params)]).filter((f) => f.checkId === 'SESG-DET-008')).toEqual([]);
  });

  it('a refused change of the selectors is an attempt', () => {
    const got = findings([put({ eventSelectors: [{ includeManagementEvents: false }] }, { error: 'AccessDenied' })]).filter((f) => f.checkId === 'SESG-DET-008');
    expect(got.map((f) => [f.severity, f.evidence.attempt])).toEqual([['medium', true]]);
    expect(got[0].message).toContain('tried to change the event selectors of trail main so that it no longer records');
  });
});

describe('SESG-DET-008 judges UpdateTrail and CloudTrail Lake against what the logs show before', () => {
  const trail = (minute: number, name: string, params: Record<string, unknown>, response?: Record<string, unknown>, o: Options = {}) =>
    rec(minute, name, { source: 'cloudtrail.amazonaws.com', params, ...(response ? { response } : {}), ...o });
  const det008 = (records: CloudTrailRecord[]) => findings(records).filter((f) => f.checkId === 'SESG-DET-008');
  const STORE = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:eventdatastore/0f1e2d3c-4b5a-4968-8776-655443322110`;
  const MGMT = [{ name: 'm', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }];
  const S3 = [{ name: 'd', fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }] }];
  const created = (multiRegion: boolean, validation: boolean) =>
    trail(0, 'CreateTrail', { name: 'main', s3BucketName: 'logs' }, { name: 'main', isMultiRegionTrail: multiRegion, includeGlobalServiceEvents: true, logFileValidationEnabled: validation, isOrganizationTrail: false });

  it.each([
    ['a multi-region trail made single-region', [created(true, true), trail(5, 'UpdateTrail', { name: 'main', isMultiRegionTrail: false })], 'changed trail main so that it records only its home region'],
    ['no CreateTrail in the logs: an explicit false is taken as a change', [trail(5, 'UpdateTrail', { name: 'main', includeGlobalServiceEvents: false })], 'changed trail main so that it no longer records global service events'],
    ['a trail named by ARN', [created(true, true), trail(5, 'UpdateTrail', { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`, enableLogFileValidation: false })], 'changed trail main so that it no longer writes digest files'],
    ['a single-region trail of the same name in another region is another trail', [created(false, true), trail(5, 'UpdateTrail', { name: 'main', isMultiRegionTrail: false }, undefined, { region: 'eu-west-1' })], 'records only its home region'],
    ['the logs dropped the response: the request is what was configured', [trail(0, 'CreateTrail', { name: 'main', isMultiRegionTrail: true }), trail(5, 'UpdateTrail', { name: 'main', isMultiRegionTrail: false })], 'records only its home region'],
  ])('fires: %s', (_name, records, says) => {
    const got = det008(records);
    expect(got).toHaveLength(1);
    expect(got[0].message).toContain(says);
  });

  it.each([
    ['settings re-sent as the logs show them (CloudFormation, Terraform)', [created(false, false), trail(5, 'UpdateTrail', { name: 'main', s3KeyPrefix: 'v2', isMultiRegionTrail: false, enableLogFileValidation: false })]],
    ['settings turned on', [trail(5, 'UpdateTrail', { name: 'main', isMultiRegionTrail: true, enableLogFileValidation: true, includeGlobalServiceEvents: true })]],
    ['a CloudWatch Logs group replaced by another', [trail(5, 'UpdateTrail', { name: 'main', cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:trail-v2:*` })]],
  ])('quiet: %s', (_name, records) => {
    expect(det008(records)).toEqual([]);
  });

  it('event selectors re-sent as an earlier PutEventSelectors in the logs set them are not a second change', () => {
    const writeOnly = { trailName: 'main', eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: true }] };
    const got = det008([trail(5, 'PutEventSelectors', writeOnly), trail(65 * 3, 'PutEventSelectors', writeOnly), trail(65 * 6, 'PutEventSelectors', { trailName: 'main', eventSelectors: [{ includeManagementEvents: false }] })]);
    expect(got.map((f) => f.message)).toEqual([
      expect.stringContaining('changed the event selectors of trail main so that it no longer records SES read management events (e.g. GetSendQuota)'),
      expect.stringContaining('changed the event selectors of trail main so that it no longer records SES write management events (e.g. PutAccountDetails), IAM write management events (e.g. CreateAccessKey)'),
    ]);
  });

  it('narrowed selectors of an event data store whose earlier configuration is not in the logs: undecided, said, not reported', () => {
    const analyzer = createTrailAnalyzer({ thresholds: { reconRegions: 3, reconWindowMinutes: 60 }, definitions });
    analyzer.add(trail(5, 'UpdateEventDataStore', { eventDataStore: STORE, advancedEventSelectors: S3 }));
    const got = analyzer.finish();
    expect(got.findings.filter((f) => f.checkId === 'SESG-DET-008')).toEqual([]);
    expect(got.coverage.notes.find((n) => n.startsWith('SESG-DET-008 could not decide'))).toContain('whether UpdateEventDataStore of 0f1e2d3c-4b5a-4968-8776-655443322110');
  });

  it('the same change after a CreateEventDataStore of management events is reported, named by the store', () => {
    const create = trail(0, 'CreateEventDataStore', { name: 'org-events', advancedEventSelectors: MGMT }, { eventDataStoreArn: STORE, name: 'org-events', advancedEventSelectors: MGMT, multiRegionEnabled: true });
    const got = det008([create, trail(5, 'UpdateEventDataStore', { eventDataStore: STORE, advancedEventSelectors: S3 })]);
    expect(got.map((f) => f.message)).toEqual([expect.stringContaining('changed CloudTrail Lake event data store org-events so that it no longer records SES write management events')]);
  });

  it('a refused deletion of an event data store is an attempt', () => {
    const got = det008([trail(5, 'DeleteEventDataStore', { eventDataStore: STORE }, undefined, { error: 'EventDataStoreTerminationProtectedException' })]);
    expect(got.map((f) => [f.severity, f.evidence.attempt])).toEqual([['medium', true]]);
    expect(got[0].message).toContain('tried to delete CloudTrail Lake event data store 0f1e2d3c-4b5a-4968-8776-655443322110 (us-east-1); the call failed with EventDataStoreTerminationProtectedException');
  });
});

describe('every detection reports a refused call as an attempt, one severity step lower', () => {
  const deny = { error: 'AccessDenied' };
  const cases: [string, CloudTrailRecord[], string][] = [
    ['SESG-DET-002', V1_SEQUENCE.map((n, i) => rec(i, n, deny)), 'tried to run the SES enumeration sequence'],
    ['SESG-DET-004', [rec(0, 'UpdateAccountSendingEnabled', { params: { enabled: true }, ...deny })], 'tried to re-enable SES sending for the account in us-east-1; the call failed with AccessDenied'],
    ['SESG-DET-005', [rec(0, 'VerifyDomainIdentity', { params: { domain: 'promo.example' }, ...deny })], 'tried to create or verify SES identity promo.example in us-east-1; the call failed with AccessDenied'],
    ['SESG-DET-006', [ec2(0, 'AuthorizeSecurityGroupEgress', { params: egress([tcp(25, 25, '0.0.0.0/0')]), error: 'UnauthorizedOperation' })], 'tried to open security-group egress to the world on a mail port: sg-0123: TCP 25 to 0.0.0.0/0; the call failed with UnauthorizedOperation'],
    ['SESG-DET-007', [createKey(0, 'backup-admin', NEW), rec(30, 'GetSendQuota', { identity: BACKUP, ...deny })], 'tried to use SES 30 minutes later (GetSendQuota)'],
    ['SESG-DET-010', sends(150, 0, BACKUP).map((r) => ({ ...r, errorCode: 'AccountSendingPausedException', errorMessage: 'Account sending paused.' })), 'tried to make 150 SES send calls in 5 minutes'],
  ];
  it.each(cases)('%s', (id, records, says) => {
    const definition = definitions.find((d) => d.id === id)!;
    const got = findings(records).filter((f) => f.checkId === id);
    expect(got).toHaveLength(1);
    expect(got[0].evidence.attempt).toBe(true);
    expect(got[0].severity).toBe({ critical: 'high', high: 'medium', medium: 'low', low: 'low' }[definition.severity]);
    expect(got[0].message).toContain(says);
  });

  it('a change and an attempt of the same subject have different fingerprints', () => {
    const got = findings([rec(0, 'PutAccountDetails'), rec(0, 'PutAccountDetails', { ...deny })]).filter((f) => f.checkId === 'SESG-DET-003');
    expect(got).toHaveLength(2);
    expect(got[0].fingerprint).not.toBe(got[1].fingerprint);
  });
});

const SENDER_ROLE = `arn:aws:iam::${ACCOUNT}:role/newsletter-sender`;
const newsletter = (w: number) => role('newsletter-sender', `i-${Math.floor(w / 12)}`, `ASIANEWS${Math.floor(w / 12)}`);
table('SESG-DET-010', [
  { name: 'a principal with no history sends 500 in 5 minutes', records: sends(500, 60, BACKUP), want: [`arn:aws:iam::${ACCOUNT}:user/backup-admin`], says: 'no sending baseline' },
  { name: 'adjacent burst windows are one finding', records: [...sends(300, 60, BACKUP), ...sends(300, 65, BACKUP)], want: [`arn:aws:iam::${ACCOUNT}:user/backup-admin`], says: '600 SES send calls in 10 minutes' },
  { name: 'a steady sender (20/window) jumps to 300', records: [...steady(20, 24, newsletter), ...sends(300, 24 * 5, newsletter(23))], want: [SENDER_ROLE], says: '10 × its median of 20' },
  { name: 'SendEmail (v2) counts as well', records: sends(150, 0, BACKUP, 'SendEmail'), want: [`arn:aws:iam::${ACCOUNT}:user/backup-admin`] },
  { name: 'benign: a steady high-volume sender all day (role sessions rotate)', records: steady(30, 288, newsletter), want: [] },
  { name: 'benign: 100 sends in a window (not above the floor)', records: sends(100, 0, BACKUP), want: [] },
  { name: 'benign: a steady sender peaking at 9 × its median', records: [...steady(40, 24, newsletter), ...sends(360, 24 * 5, newsletter(23))], want: [] },
]);

describe('findings carry the evidence the runbook needs', () => {
  it('event ids, times, principal, keys, addresses, agents, regions, and the key creation as related event', () => {
    const got = findings([createKey(0, 'backup-admin', NEW), rec(30, 'GetSendQuota', { identity: BACKUP, ip: '203.0.113.77', region: 'eu-west-1' })]);
    expect(got).toHaveLength(1);
    const e = got[0].evidence;
    expect(e.attempt).toBe(false);
    expect(e.windowStart).toBe('2026-11-23T02:00:00.000Z');
    expect(e.windowEnd).toBe('2026-11-23T02:30:00.000Z');
    expect(e.principal).toBe(`arn:aws:iam::${ACCOUNT}:user/backup-admin`);
    expect(e.accessKeys).toEqual(['AKIAI44QH8DHBEXAMPLE']);
    expect(e.sourceIps).toEqual(['203.0.113.77']);
    expect(e.userAgents).toEqual(['Boto3/1.34.0']);
    expect(e.regions).toEqual(['eu-west-1']);
    expect((e.events as { eventTime: string }[]).map((x) => x.eventTime)).toEqual(['2026-11-23T02:30:00.000Z']);
    const related = e.related as { relation: string; events: { eventName: string; principal: string; sourceIp: string }[] }[];
    expect(related.map((r) => [r.relation, r.events.map((x) => [x.eventName, x.principal, x.sourceIp])])).toEqual([
      ['key creation', [['CreateAccessKey', CI, '198.51.100.23']]],
    ]);
    expect(got[0].resource).toMatchObject({ type: 'aws.iam.principal', id: NEW, account: ACCOUNT });
  });

  it('the fingerprint depends on check, subject and window start only', () => {
    const a = findings([rec(0, 'PutAccountDetails')]);
    const b = findings([rec(0, 'PutAccountDetails', { ip: '192.0.2.1' })]);
    const c = findings([rec(1, 'PutAccountDetails')]);
    expect(a[0].fingerprint).toBe(b[0].fingerprint);
    expect(a[0].fingerprint).not.toBe(c[0].fingerprint);
  });
});

describe('config overrides', () => {
  const records = [rec(0, 'PutAccountDetails')];
  it.each([
    ['disabled', { 'SESG-DET-003': { enabled: false } }, []],
    ['severity changed', { 'SESG-DET-003': { severity: 'critical' as const } }, ['critical']],
    ['untouched', {}, ['high']],
  ])('%s', (_name, overrides, severities) => {
    const analyzer = createTrailAnalyzer({ thresholds: { reconRegions: 3, reconWindowMinutes: 60 }, definitions, overrides });
    for (const r of records) analyzer.add(r);
    expect(analyzer.finish().findings.map((f) => f.severity)).toEqual(severities);
  });
});

describe('detection metadata (policies/det/)', () => {
  it('one YAML per detector, same ids, SESG-DET-001 … 010 and 013 read CloudTrail, 011 and 012 VPC Flow Logs', () => {
    expect(definitions.map((d) => d.id)).toEqual(DETECTORS.map((d) => d.id));
    expect(definitions.map((d) => d.id)).toEqual([...Array.from({ length: 10 }, (_, i) => `SESG-DET-${String(i + 1).padStart(3, '0')}`), 'SESG-DET-013']);
    expect(flowDefinitions.map((d) => d.id)).toEqual(FLOW_DETECTORS.map((d) => d.id));
    expect(flowDefinitions.map((d) => d.id)).toEqual(['SESG-DET-011', 'SESG-DET-012']);
  });

  it.each(flowDefinitions.map((d) => [d.id, d] as const))('%s: declares the flows it reads (TCP, mail ports) and no CloudTrail event', (id, d) => {
    expect([d.sources, d.events, d.flows?.protocols]).toEqual([['F'], [], [6]]);
    expect(d.flows?.ports).toContain(25);
    expect(d.severity).toBe({ 'SESG-DET-011': 'high', 'SESG-DET-012': 'medium' }[id]);
    expect(d.rationale).toMatch(/seeds? 00\d/i);
    expect(d.references.every((r) => r.startsWith('https://docs.aws.amazon.com/'))).toBe(true);
    expect(Object.keys(FLOW_DETECTORS.find((x) => x.id === id)!).sort()).toEqual(['detect', 'id']);
  });

  it.each(definitions.map((d) => [d.id, d] as const))('%s: declares its input and the events it reads in its YAML only', (id, d) => {
    expect(d.input).toBe('cloudtrail');
    expect(d.events.length).toBeGreaterThan(0);
    // The logic carries no list of its own (the one declaration is the YAML).
    expect(Object.keys(DETECTORS.find((x) => x.id === id)!).sort()).toEqual(['detect', 'id']);
  });

  it.each(definitions.map((d) => [d.id, d] as const))('%s: severity as SPEC §8, rationale cites the seeds, https references', (id, d) => {
    const SPEC: Record<string, string> = {
      'SESG-DET-001': 'high', 'SESG-DET-002': 'medium', 'SESG-DET-003': 'high', 'SESG-DET-004': 'medium', 'SESG-DET-005': 'medium',
      'SESG-DET-006': 'medium', 'SESG-DET-007': 'high', 'SESG-DET-008': 'high', 'SESG-DET-009': 'medium', 'SESG-DET-010': 'medium',
      'SESG-DET-013': 'high',
    };
    expect(d.severity).toBe(SPEC[id]);
    expect(d.sources).toEqual(['D']);
    expect(d.rationale).toMatch(/seeds? 00\d/i);
    expect(d.remediation.console ?? d.remediation.cli).toBeTruthy();
    expect(d.references.every((r) => r.startsWith('https://docs.aws.amazon.com/'))).toBe(true);
  });

  it.each([
    ['not YAML', 'id: [unclosed', /not valid YAML/],
    ['an unknown key', 'id: SESG-DET-001\ntitle: Recon across regions\nseverity: high\nsources: [D]\nrationale: long enough rationale text here\nremediation: { cli: x }\nreferences: [https://docs.aws.amazon.com/x]\nevents: [{ source: ses.amazonaws.com, names: [GetSendQuota] }]\nlogic: x', /unknown key "logic"/],
    ['a wrong source letter', 'id: SESG-DET-001\ntitle: Recon across regions\nseverity: high\nsources: [L]\nrationale: long enough rationale text here\nremediation: { cli: x }\nreferences: [https://docs.aws.amazon.com/x]\nevents: [{ source: ses.amazonaws.com, names: [GetSendQuota] }]', /sources/],
    ['an http reference', 'id: SESG-DET-001\ntitle: Recon across regions\nseverity: high\nsources: [D]\nrationale: long enough rationale text here\nremediation: { cli: x }\nreferences: [http://docs.aws.amazon.com/x]\nevents: [{ source: ses.amazonaws.com, names: [GetSendQuota] }]', /references/],
  ])('a file with %s is a PolicyError naming it', (_name, text, message) => {
    const dir = tempDir({ 'SESG-DET-001.yaml': text });
    expect(() => loadDetections(dir)).toThrow(message);
    try {
      loadDetections(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).file).toBe(path.join(dir, 'SESG-DET-001.yaml'));
    }
  });

  it('an id that does not match the file name is a PolicyError', () => {
    const text = readFileSync(path.join(DETECTION_DIR, 'SESG-DET-001.yaml'), 'utf8');
    expect(() => loadDetections(tempDir({ 'SESG-DET-099.yaml': text }))).toThrow(/does not match the file name/);
  });
});

describe('volume', () => {
  it('a key polling SES every second for a day does not overflow anything', () => {
    const poll = Array.from({ length: 86_400 }, (_, i) => rec(i / 60, i % 2 ? 'GetSendQuota' : 'GetAccount', { identity: BACKUP }));
    const got = findings([createKey(0, 'backup-admin', NEW), ...poll]);
    expect(got.map((f) => f.checkId)).toEqual(['SESG-DET-007']);
    expect(got[0].evidence.sesCalls).toBe(86_400);
    expect((got[0].evidence.events as unknown[]).length).toBe(50);
  });
});
