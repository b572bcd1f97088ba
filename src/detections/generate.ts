// A deterministic, seeded generator of a realistic day of CloudTrail logs for one account: an SES abuse
// campaign (the steps of SPEC §8's detections) mixed with benign look-alikes (Trusted Advisor sweeping
// quotas, an operator checking the quota, a steady high-volume sender, ordinary changes) and background
// noise. Used by the tests (written to a temp dir, some files gzipped, in shuffled order) and by
// benchmark B4 (scaled up with noisePerFile; never committed). Files are produced lazily, one at a time.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CloudTrailRecord, CloudTrailUserIdentity } from '../sources/cloudtrail/types.js';
import { DEFAULT_REGIONS } from '../sources/cloudtrail/regions.js';

export const ACCOUNT = '111122223333';
export const LEAKED_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const NEW_KEY = 'AKIAI44QH8DHBEXAMPLE';
export const SMTP_KEY = 'AKIAJSMTPUSEREXAMPLE';
export const BENIGN_NEW_KEY = 'AKIAREPORTBOTEXAMPLE';
export const SMTP_USER = 'ses-smtp-user.20261123-023000';

export interface DayOptions {
  seed?: number;
  /** UTC day, YYYY-MM-DD. */
  date?: string;
  /** Include the attack (false: only the benign day, for "nothing benign is reported"). */
  attack?: boolean;
  /** Background events per file. */
  noisePerFile?: number;
  /** Minutes covered by one log file per region (AWS delivers about every 5). */
  fileMinutes?: number;
  /** Record SES send data events (off: a trail with management events only). */
  dataEvents?: boolean;
  /**
   * How many regions carry the full background noise; the others get a twentieth of it (at least one
   * record a file), as in a real account that works in one or two regions. Default: every region.
   */
  busyRegions?: number;
}

export interface GeneratedFile {
  /** Path as AWS lays it out under the bucket: AWSLogs/<account>/CloudTrail/<region>/<y>/<m>/<d>/<name>.json.gz */
  key: string;
  records: CloudTrailRecord[];
}

/** What the attack must produce: one finding per detection, about this subject, and the one attempt. */
export function expectedAttackFindings(): { checkId: string; subject: string; attempt?: true }[] {
  const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
  return [
    { checkId: 'SESG-DET-001', subject: user('ci-deploy') },
    { checkId: 'SESG-DET-002', subject: LEAKED_KEY },
    { checkId: 'SESG-DET-003', subject: user('ci-deploy') },
    { checkId: 'SESG-DET-004', subject: user('ci-deploy') },
    { checkId: 'SESG-DET-005', subject: user('ci-deploy') },
    { checkId: 'SESG-DET-006', subject: user('ci-deploy') },
    { checkId: 'SESG-DET-007', subject: NEW_KEY },
    { checkId: 'SESG-DET-008', subject: user('ci-deploy') },
    { checkId: 'SESG-DET-008', subject: user('ci-deploy'), attempt: true },
    { checkId: 'SESG-DET-009', subject: user(SMTP_USER) },
    { checkId: 'SESG-DET-010', subject: user('backup-admin') },
  ];
}

/** mulberry32: small, fast, and the same sequence on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const ATTACKER_IP = '198.51.100.23';
const ATTACKER_UA = 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.15.0 md/arch#x86_64 lang/python#3.11.4';
const SENDER_IP = '203.0.113.77';
const SENDER_UA = 'aws-sdk-go/1.44.0 (go1.20.3; linux; amd64)';
const CONSOLE_UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';
const REGIONS = DEFAULT_REGIONS;

function iamUser(name: string, key: string): CloudTrailUserIdentity {
  return { type: 'IAMUser', principalId: `AIDA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, accessKeyId: key, userName: name };
}

function roleSession(role: string, session: string, key: string, path = ''): CloudTrailUserIdentity {
  return {
    type: 'AssumedRole',
    principalId: `AROA${role.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: key,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROA${role.toUpperCase().slice(0, 17)}`, arn: `arn:aws:iam::${ACCOUNT}:role/${path}${role}`, accountId: ACCOUNT, userName: role },
      attributes: { creationDate: '2026-11-23T00:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

class Day {
  readonly events: CloudTrailRecord[] = [];
  private readonly random: () => number;
  readonly start: number;

  constructor(seed: number, date: string) {
    this.random = prng(seed);
    this.start = Date.parse(`${date}T00:00:00Z`);
  }

  rand(): number {
    return this.random();
  }

  int(below: number): number {
    return Math.floor(this.random() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  uuid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => this.int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.int(4)]}${hex(3)}-${hex(12)}`;
  }

  /** A time `minutes` after midnight, with up to `jitterSeconds` of noise. */
  at(minutes: number, jitterSeconds = 0): number {
    return this.start + minutes * MINUTE + Math.floor(this.random() * jitterSeconds * 1000);
  }

  record(fields: Partial<CloudTrailRecord> & { time: number; identity: CloudTrailUserIdentity; source: string; name: string; region: string }): CloudTrailRecord {
    const { time, identity, source, name, region, ...rest } = fields;
    const readOnly = /^(Get|List|Describe|Lookup)/.test(name);
    return {
      eventVersion: '1.09',
      userIdentity: identity,
      eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: source,
      eventName: name,
      awsRegion: region,
      sourceIPAddress: '192.0.2.10',
      userAgent: CONSOLE_UA,
      requestParameters: null,
      responseElements: null,
      requestID: this.uuid(),
      eventID: this.uuid(),
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
      ...rest,
    };
  }

  push(fields: Parameters<Day['record']>[0]): void {
    this.events.push(this.record(fields));
  }
}

function attack(day: Day, dataEvents: boolean): void {
  const leaked = iamUser('ci-deploy', LEAKED_KEY);
  const by = { identity: leaked, sourceIPAddress: ATTACKER_IP, userAgent: ATTACKER_UA };
  // 02:10 reconnaissance with the leaked long-term key, region after region.
  const reconRegions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1', 'ap-southeast-2', 'sa-east-1'];
  reconRegions.forEach((region, i) => {
    const base = 130 + i * 1.2;
    ['GetAccountSendingEnabled', 'GetSendQuota', 'ListIdentities', 'GetIdentityVerificationAttributes'].forEach((name, k) => {
      day.push({ ...by, time: day.at(base + k * 0.1, 5), source: 'ses.amazonaws.com', name, region, requestParameters: name === 'ListIdentities' ? { identityType: 'EmailAddress', maxItems: 100 } : null });
    });
  });
  // 02:21 production-access requests in three regions within minutes.
  ['us-east-1', 'eu-west-1', 'ap-south-1'].forEach((region, i) => {
    day.push({
      ...by,
      time: day.at(141 + i, 20),
      source: 'ses.amazonaws.com',
      name: 'PutAccountDetails',
      region,
      readOnly: false,
      requestParameters: { mailType: 'MARKETING', websiteURL: 'https://promo-deals.example', contactLanguage: 'EN', useCaseDescription: 'HIDDEN_DUE_TO_SECURITY_REASONS', productionAccessEnabled: true },
    });
  });
  // 02:30 SMTP credentials, as the SES console wizard creates them.
  const iam = { source: 'iam.amazonaws.com', region: 'us-east-1' };
  day.push({ ...by, ...iam, time: day.at(150), name: 'CreateUser', requestParameters: { userName: SMTP_USER }, responseElements: { user: { userName: SMTP_USER, arn: `arn:aws:iam::${ACCOUNT}:user/${SMTP_USER}`, userId: 'AIDASMTPUSEREXAMPLE01', path: '/' } } });
  day.push({
    ...by,
    ...iam,
    time: day.at(150.1),
    name: 'PutUserPolicy',
    requestParameters: { userName: SMTP_USER, policyName: 'AmazonSesSendingAccess', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ses:SendRawEmail', Resource: '*' }] }) },
  });
  day.push({ ...by, ...iam, time: day.at(150.2), name: 'CreateAccessKey', requestParameters: { userName: SMTP_USER }, responseElements: { accessKey: { userName: SMTP_USER, accessKeyId: SMTP_KEY, status: 'Active', createDate: 'Nov 23, 2026 2:30:12 AM' } } });
  // 02:35 a fresh key for an existing user, used below for SES.
  day.push({ ...by, ...iam, time: day.at(155), name: 'CreateAccessKey', requestParameters: { userName: 'backup-admin' }, responseElements: { accessKey: { userName: 'backup-admin', accessKeyId: NEW_KEY, status: 'Active', createDate: 'Nov 23, 2026 2:35:00 AM' } } });
  // 02:40 a From address; 02:45 mail egress; 02:50 feedback removed; 02:52 sending re-enabled.
  day.push({ ...by, time: day.at(160), source: 'ses.amazonaws.com', name: 'VerifyEmailIdentity', region: 'us-east-1', requestParameters: { emailAddress: 'billing@promo-deals.example' } });
  day.push({
    ...by,
    time: day.at(165),
    source: 'ec2.amazonaws.com',
    name: 'AuthorizeSecurityGroupEgress',
    region: 'us-east-1',
    requestParameters: { groupId: 'sg-0a77ac4e1bad25e25', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 25, toPort: 25, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] } },
    responseElements: { _return: true, securityGroupRuleSet: { items: [{ groupId: 'sg-0a77ac4e1bad25e25', securityGroupRuleId: 'sgr-0attack25', isEgress: true, ipProtocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0' }] } },
  });
  day.push({ ...by, time: day.at(170), source: 'ses.amazonaws.com', name: 'DeleteConfigurationSetEventDestination', region: 'us-east-1', requestParameters: { configurationSetName: 'transactional', eventDestinationName: 'bounce-complaint-sns' } });
  day.push({ ...by, time: day.at(172), source: 'ses.amazonaws.com', name: 'UpdateAccountSendingEnabled', region: 'eu-west-1', requestParameters: { enabled: true } });
  // 03:00 the new key checks the quota, then sends as fast as the quota allows.
  const sender = { identity: iamUser('backup-admin', NEW_KEY), sourceIPAddress: SENDER_IP, userAgent: SENDER_UA };
  day.push({ ...sender, time: day.at(180, 10), source: 'ses.amazonaws.com', name: 'GetSendQuota', region: 'us-east-1' });
  if (dataEvents) {
    for (let minute = 181; minute < 196; minute++) {
      for (let i = 0; i < 150; i++) {
        day.push({
          ...sender,
          time: day.at(minute, 60),
          source: 'ses.amazonaws.com',
          name: 'SendRawEmail',
          region: 'us-east-1',
          readOnly: false,
          managementEvent: false,
          eventCategory: 'Data',
          requestParameters: { source: 'billing@promo-deals.example', destinations: ['HIDDEN_DUE_TO_SECURITY_REASONS'] },
          responseElements: { messageId: day.uuid() },
        });
      }
    }
  }
  // 03:19 a first try at stopping the trail names one that does not exist (an attempt); 03:20 the trail is stopped.
  day.push({
    ...by,
    time: day.at(199),
    source: 'cloudtrail.amazonaws.com',
    name: 'StopLogging',
    region: 'us-east-1',
    requestParameters: { name: 'default' },
    errorCode: 'TrailNotFoundException',
    errorMessage: `Unknown trail: arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/default for the user: ${ACCOUNT}`,
  });
  day.push({ ...by, time: day.at(200), source: 'cloudtrail.amazonaws.com', name: 'StopLogging', region: 'us-east-1', requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events` } });
}

function benign(day: Day, dataEvents: boolean): void {
  // Trusted Advisor sweeps the SES quota of every region every six hours (its service-linked role).
  for (const hour of [1, 7, 13, 19]) {
    for (const region of REGIONS) {
      const identity = roleSession('AWSServiceRoleForTrustedAdvisor', `TrustedAdvisor_${ACCOUNT}_${day.uuid()}`, `ASIATA${day.int(1e9).toString().padStart(14, '0')}`, 'aws-service-role/trustedadvisor.amazonaws.com/');
      day.push({ identity, time: day.at(hour * 60 + 2, 120), source: 'ses.amazonaws.com', name: 'GetSendQuota', region, sourceIPAddress: 'trustedadvisor.amazonaws.com', userAgent: 'trustedadvisor.amazonaws.com' });
    }
  }
  // AWS Config (invokedBy) lists identities in several regions.
  for (const region of REGIONS.slice(0, 6)) {
    const identity = { ...roleSession('AWSServiceRoleForConfig', 'AWSConfig-Describe', 'ASIACONFIGEXAMPLE001', 'aws-service-role/config.amazonaws.com/'), invokedBy: 'config.amazonaws.com' };
    day.push({ identity, time: day.at(600, 300), source: 'ses.amazonaws.com', name: 'ListIdentities', region, sourceIPAddress: 'config.amazonaws.com', userAgent: 'config.amazonaws.com' });
  }
  // An operator checks the quota and the account in one region from the console.
  const alice = { identity: iamUser('alice', 'ASIAOPERATORCONSOLE1'), sourceIPAddress: '192.0.2.10', userAgent: CONSOLE_UA };
  for (const name of ['GetSendQuota', 'GetAccount', 'ListEmailIdentities', 'GetSendQuota']) {
    day.push({ ...alice, time: day.at(9 * 60 + 15, 600), source: 'ses.amazonaws.com', name, region: 'us-east-1' });
  }
  // She pauses a configuration set (not a re-enable), sets a bounce topic, creates an SES alarm.
  day.push({ ...alice, time: day.at(9 * 60 + 40), source: 'ses.amazonaws.com', name: 'UpdateConfigurationSetSendingEnabled', region: 'us-east-1', requestParameters: { configurationSetName: 'marketing', enabled: false } });
  day.push({ ...alice, time: day.at(9 * 60 + 42), source: 'ses.amazonaws.com', name: 'SetIdentityNotificationTopic', region: 'us-east-1', requestParameters: { identity: 'example.com', notificationType: 'Bounce', snsTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:ses-bounces` } });
  day.push({ ...alice, time: day.at(9 * 60 + 44), source: 'monitoring.amazonaws.com', name: 'PutMetricAlarm', region: 'us-east-1', requestParameters: { alarmName: 'reputation-watch', namespace: 'AWS/SES', metricName: 'Reputation.BounceRate', threshold: 0.05 } });
  // A deployment role changes ordinary things: HTTPS egress, port 25 to the internal relay only,
  // deletes a CPU alarm, and creates a key for a reporting bot that only reads S3.
  const deploy = { identity: roleSession('deploy', 'gha-run-4411', 'ASIADEPLOYEXAMPLE001'), sourceIPAddress: '140.82.112.4', userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64' };
  day.push({
    ...deploy,
    time: day.at(14 * 60),
    source: 'ec2.amazonaws.com',
    name: 'AuthorizeSecurityGroupEgress',
    region: 'eu-west-1',
    requestParameters: { groupId: 'sg-0web', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }, { ipProtocol: 'tcp', fromPort: 25, toPort: 25, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }] } },
  });
  day.push({ ...deploy, time: day.at(14 * 60 + 5), source: 'monitoring.amazonaws.com', name: 'DeleteAlarms', region: 'eu-west-1', requestParameters: { alarmNames: ['web-cpu-high'] } });
  day.push({ ...deploy, time: day.at(14 * 60 + 10), source: 'iam.amazonaws.com', name: 'CreateAccessKey', region: 'us-east-1', requestParameters: { userName: 'report-bot' }, responseElements: { accessKey: { userName: 'report-bot', accessKeyId: BENIGN_NEW_KEY, status: 'Active' } } });
  const bot = { identity: iamUser('report-bot', BENIGN_NEW_KEY), sourceIPAddress: '192.0.2.44', userAgent: 'aws-cli/2.15.0' };
  for (let i = 0; i < 5; i++) {
    day.push({ ...bot, time: day.at(14 * 60 + 20 + i * 30), source: 's3.amazonaws.com', name: 'ListBuckets', region: 'us-east-1' });
  }
  // A steady high-volume sender: the newsletter role, all day, sessions rotating every hour.
  if (dataEvents) {
    for (let window = 0; window < 288; window++) {
      const hour = Math.floor(window / 12);
      const identity = roleSession('newsletter-sender', `i-0a1b2c3d4e5f6${hour.toString().padStart(4, '0')}`, `ASIANEWSLETTER${hour.toString().padStart(6, '0')}`);
      const count = 20 + day.int(11);
      for (let i = 0; i < count; i++) {
        day.push({
          identity,
          time: day.at(window * 5, 300),
          source: 'ses.amazonaws.com',
          name: 'SendRawEmail',
          region: 'us-east-1',
          sourceIPAddress: '10.20.1.15',
          userAgent: 'aws-sdk-java/2.20.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17',
          readOnly: false,
          managementEvent: false,
          eventCategory: 'Data',
          vpcEndpointId: 'vpce-0ses1234',
          requestParameters: { source: 'news@example.com', destinations: ['HIDDEN_DUE_TO_SECURITY_REASONS'] },
          responseElements: { messageId: day.uuid() },
        });
      }
    }
  }
}

/** A base64-looking token of `length` characters (session tokens are a large share of real records). */
function token(day: Day, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[day.int(64)];
  return out;
}

const SDK_AGENTS = [
  'aws-sdk-java/2.21.29 Linux/5.10.205-195.804.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  'aws-sdk-js/3.450.0 ua/2.0 os/linux#5.10.205-195.804.amzn2.x86_64 lang/js md/nodejs#20.10.0 api/kms#3.450.0',
  'Boto3/1.34.11 md/Botocore#1.34.11 ua/2.0 os/linux#5.10.205 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.11',
  'aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/sts#1.26.6',
];

function tls(source: string, region: string): Record<string, unknown> {
  return { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${source.split('.')[0]}.${region}.amazonaws.com` };
}

type Noise = (day: Day, region: string, time: number) => CloudTrailRecord;

/** The background of a real account: service role sessions, AWS services acting for it, data events. */
const NOISE: Noise[] = [
  // Lambda assuming its execution role: AWSService caller, credentials in the response.
  (day, region, time) =>
    day.record({
      identity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
      time,
      source: 'sts.amazonaws.com',
      name: 'AssumeRole',
      region,
      sourceIPAddress: 'lambda.amazonaws.com',
      userAgent: 'lambda.amazonaws.com',
      readOnly: true,
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/lambda-exec-orders`, roleSessionName: `orders-api-${day.int(1e6)}` },
      responseElements: {
        credentials: { accessKeyId: `ASIA${token(day, 16).toUpperCase().replace(/[^A-Z0-9]/g, 'Q')}`, sessionToken: token(day, 620), expiration: 'Nov 23, 2026, 11:59:59 PM' },
        assumedRoleUser: { assumedRoleId: `AROAEXAMPLELAMBDAEXEC:orders-api-${day.int(1e6)}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/lambda-exec-orders/orders-api` },
      },
      resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/lambda-exec-orders` }],
      sharedEventID: day.uuid(),
      tlsDetails: tls('sts.amazonaws.com', region),
    }),
  // KMS decrypt by an application role session.
  (day, region, time) =>
    day.record({
      identity: roleSession('app-server', `i-0a1b2c3d4e5f6${String(day.int(999)).padStart(4, '0')}`, `ASIAAPPSERVER${String(day.int(1e6)).padStart(7, '0')}`),
      time,
      source: 'kms.amazonaws.com',
      name: 'Decrypt',
      region,
      sourceIPAddress: `10.0.${day.int(255)}.${day.int(255)}`,
      userAgent: day.pick(SDK_AGENTS),
      readOnly: true,
      requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:rds:db-id': `db-${token(day, 26).toUpperCase()}` } },
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${region}:${ACCOUNT}:key/${day.uuid()}` }],
      vpcEndpointId: 'vpce-0kms1234abcd',
      tlsDetails: tls('kms.amazonaws.com', region),
    }),
  // EC2 describe calls from a monitoring agent.
  (day, region, time) =>
    day.record({
      identity: roleSession('monitoring-agent', `agent-${day.int(20)}`, `ASIAMONITOR${String(day.int(1e6)).padStart(9, '0')}`),
      time,
      source: 'ec2.amazonaws.com',
      name: day.pick(['DescribeInstances', 'DescribeSecurityGroups', 'DescribeVolumes', 'DescribeNetworkInterfaces']),
      region,
      sourceIPAddress: `10.1.${day.int(255)}.${day.int(255)}`,
      userAgent: day.pick(SDK_AGENTS),
      readOnly: true,
      requestParameters: { maxResults: 1000, filterSet: { items: [{ name: 'tag:Environment', valueSet: { items: [{ value: 'production' }] } }] }, instancesSet: {} },
      tlsDetails: tls('ec2.amazonaws.com', region),
    }),
  // SSM parameters read at start-up.
  (day, region, time) =>
    day.record({
      identity: roleSession('batch-worker', `batch-${day.int(50)}`, `ASIABATCHWORKER${String(day.int(1e5)).padStart(5, '0')}`),
      time,
      source: 'ssm.amazonaws.com',
      name: 'GetParameter',
      region,
      sourceIPAddress: `10.2.${day.int(255)}.${day.int(255)}`,
      userAgent: day.pick(SDK_AGENTS),
      readOnly: true,
      requestParameters: { name: `/orders/${day.pick(['db/url', 'db/password', 'queue/url', 'feature-flags'])}`, withDecryption: true },
      tlsDetails: tls('ssm.amazonaws.com', region),
    }),
  // CloudWatch Logs streams created by a service on the account's behalf.
  (day, region, time) =>
    day.record({
      identity: roleSession('ecs-task-orders', day.uuid().replace(/-/g, ''), `ASIAECSTASK${String(day.int(1e9)).padStart(9, '0')}`),
      time,
      source: 'logs.amazonaws.com',
      name: 'CreateLogStream',
      region,
      sourceIPAddress: `10.3.${day.int(255)}.${day.int(255)}`,
      userAgent: 'aws-sdk-go/1.44.327 (go1.20.8; linux; amd64) exec-env/AWS_ECS_FARGATE',
      readOnly: false,
      requestParameters: { logGroupName: '/ecs/orders', logStreamName: `orders/web/${day.uuid().replace(/-/g, '')}` },
      tlsDetails: tls('logs.amazonaws.com', region),
    }),
  // S3 object reads: data events with resources and additional event data.
  (day, region, time) =>
    day.record({
      identity: roleSession('app-server', `i-0a1b2c3d4e5f6${String(day.int(999)).padStart(4, '0')}`, `ASIAAPPSERVER${String(day.int(1e6)).padStart(7, '0')}`),
      time,
      source: 's3.amazonaws.com',
      name: 'GetObject',
      region,
      sourceIPAddress: `10.0.${day.int(255)}.${day.int(255)}`,
      userAgent: `[${day.pick(SDK_AGENTS)}]`,
      readOnly: true,
      managementEvent: false,
      eventCategory: 'Data',
      requestParameters: { bucketName: 'orders-assets', Host: `orders-assets.s3.${region}.amazonaws.com`, key: `img/${day.int(1e6)}.png` },
      additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': token(day, 76), bytesTransferredOut: day.int(500_000) },
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::orders-assets/img/${day.int(1e6)}.png` },
        { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::orders-assets' },
      ],
      tlsDetails: tls('s3.amazonaws.com', region),
    }),
];

function noise(day: Day, region: string, from: number, minutes: number, count: number): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  for (let i = 0; i < count; i++) out.push(day.pick(NOISE)(day, region, from + Math.floor(day.rand() * minutes * MINUTE)));
  return out;
}

function stamp(time: number): { y: string; m: string; d: string; compact: string } {
  const iso = new Date(time).toISOString();
  return { y: iso.slice(0, 4), m: iso.slice(5, 7), d: iso.slice(8, 10), compact: `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z` };
}

/** The day's log files, one per region and `fileMinutes`, lazily. */
export function* generateDay(options: DayOptions = {}): Generator<GeneratedFile> {
  const day = new Day(options.seed ?? 1, options.date ?? '2026-11-23');
  const fileMinutes = options.fileMinutes ?? 60;
  const dataEvents = options.dataEvents ?? true;
  if (options.attack ?? true) attack(day, dataEvents);
  benign(day, dataEvents);
  const slots = new Map<string, CloudTrailRecord[]>();
  for (const record of day.events) {
    const slot = Math.floor((Date.parse(record.eventTime as string) - day.start) / (fileMinutes * MINUTE));
    const key = `${record.awsRegion}|${slot}`;
    const list = slots.get(key);
    if (list) list.push(record);
    else slots.set(key, [record]);
  }
  day.events.length = 0;
  const perFile = options.noisePerFile ?? 5;
  const busy = options.busyRegions ?? REGIONS.length;
  for (let slot = 0; slot * fileMinutes < 24 * 60; slot++) {
    for (const [index, region] of REGIONS.entries()) {
      const from = day.start + slot * fileMinutes * MINUTE;
      const count = index < busy ? perFile : Math.min(perFile, Math.max(1, Math.round(perFile / 20)));
      const records = [...(slots.get(`${region}|${slot}`) ?? []), ...noise(day, region, from, fileMinutes, count)];
      if (records.length === 0) continue;
      records.sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
      // Delivered a few minutes after the slot ends, named by delivery time as AWS does.
      const s = stamp(from + fileMinutes * MINUTE + 5 * MINUTE);
      const name = `${ACCOUNT}_CloudTrail_${region}_${s.compact}_${day.uuid().replace(/-/g, '').slice(0, 16)}.json.gz`;
      yield { key: `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${s.y}/${s.m}/${s.d}/${name}`, records };
    }
  }
}

export interface WriteOptions extends DayOptions {
  /** Which files to gzip (by index); the rest are written as plain .json. Default: all. */
  gzip?: (index: number) => boolean;
  /** Also write a digest file per region, as AWS does (they must be skipped). */
  digests?: boolean;
}

/** Writes the day under `dir` as AWS lays it out; returns the written paths. */
export function writeDay(dir: string, options: WriteOptions = {}): string[] {
  const written: string[] = [];
  let index = 0;
  for (const file of generateDay(options)) {
    const body = JSON.stringify({ Records: file.records });
    const gz = options.gzip?.(index) ?? true;
    const target = path.join(dir, gz ? file.key : file.key.replace(/\.gz$/, ''));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, gz ? gzipSync(body) : body);
    written.push(target);
    index++;
  }
  if (options.digests) {
    for (const region of REGIONS) {
      const target = path.join(dir, `AWSLogs/${ACCOUNT}/CloudTrail-Digest/${region}/2026/11/23/${ACCOUNT}_CloudTrail-Digest_${region}_management-events_us-east-1_20261123T010000Z.json.gz`);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, gzipSync(JSON.stringify({ awsAccountId: ACCOUNT, digestStartTime: '2026-11-23T00:00:00Z', digestEndTime: '2026-11-23T01:00:00Z', logFiles: [] })));
      written.push(target);
    }
  }
  return written;
}
