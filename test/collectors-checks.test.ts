// The collectors' output is what the checks expect: collecting the planted Organization from the fake AWS and
// evaluating the built-in checks finds the planted mistakes and leaves the well-configured account clean.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { Evaluation } from '../src/engine/types.js';
import type { Resource } from '../src/inventory/types.js';
import {
  collectCloudTrail,
  collectCloudWatch,
  collectEc2,
  collectIam,
  collectOrganization,
  collectSes,
  collectSnsTopics,
  sesTopicArns,
  staticScope,
} from '../src/sources/aws/collectors/index.js';
import { startFakeAws, type FakeAws, type Scenario } from '../src/testing/fake-aws/index.js';

const MGMT = '111111111111';
const SEC = '222222222222';
const MAIL = '333333333333';
const scenario = JSON.parse(readFileSync(new URL('../fixtures/scenarios/org-planted.json', import.meta.url), 'utf8')) as Scenario;

async function collectAccount(fake: FakeAws, account: string): Promise<Resource[]> {
  const scope = staticScope({
    endpoint: fake.endpoint,
    accountId: account,
    credentials: { accessKeyId: `ASIA${account}TEST`, secretAccessKey: 's', sessionToken: 't' },
  });
  const cw = await collectCloudWatch(scope, 'us-east-1');
  const ses = await collectSes(scope, { region: 'us-east-1', alarms: cw.alarms, notificationIntervalMs: 0 });
  const parts = [
    await collectIam(scope),
    cw,
    ses,
    await collectSnsTopics(scope, sesTopicArns(ses.resources)),
    await collectEc2(scope, 'us-east-1'),
    await collectCloudTrail(scope, ['us-east-1', 'eu-west-1']),
  ];
  for (const p of parts) expect(p.errors).toEqual([]);
  return parts.flatMap((p) => p.resources);
}

let fake: FakeAws;
let evaluations: Evaluation[];
let resources: Resource[];
beforeAll(async () => {
  fake = await startFakeAws(scenario, { pageSize: 2 });
  const org = await collectOrganization(
    staticScope({ endpoint: fake.endpoint, accountId: MGMT, credentials: { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 's' } }),
  );
  resources = [...org.resources, ...(await collectAccount(fake, SEC)), ...(await collectAccount(fake, MAIL))];
  evaluations = evaluateAll(loadChecks(), { resources, organizationAccounts: org.accounts.map((a) => a.id) }, {
    config: celConfig({ ...defaultConfig(), approvedDomainIdentities: ['notify.example.com'] }, new Date('2026-12-01T00:00:00Z'), org.organizationId),
    org: org.accounts.map((a) => a.id),
  });
});
afterAll(async () => {
  await fake.close();
});

/** Outcome of a check on a resource of the marketing account (or of the Organization). */
function outcome(checkId: string, type: string, name: string): string {
  const resource = resources.find(
    (r) => r.type === type && r.name === name && (r.type === 'aws.organizations.account' || r.provenance.account === MAIL),
  );
  const found = evaluations.find((e) => e.checkId === checkId && e.resourceId === resource?.id);
  return found ? found.outcome.kind : 'missing';
}

describe('planted mistakes are found from live data', () => {
  it.each([
    ['SESG-SES-001', 'aws.ses.identity', 'offers.example.net', 'fail'],
    ['SESG-SES-004', 'aws.ses.identity', 'news@example.net', 'fail'],
    ['SESG-SES-005', 'aws.sns.topic', 'ses-feedback-deleted', 'fail'],
    ['SESG-SES-005', 'aws.sns.topic', 'ses-feedback', 'fail'],
    ['SESG-SES-006', 'aws.ses.identity', 'promo@example.org', 'fail'],
    ['SESG-SES-009', 'aws.ses.configuration-set', 'marketing', 'fail'],
    ['SESG-IAM-005', 'aws.iam.user', 'ses-smtp-user.20220110', 'fail'],
    ['SESG-IAM-006', 'aws.iam.role', 'partner-mailer', 'fail'],
    ['SESG-NET-001', 'aws.ec2.security-group', 'mailer-open-25', 'fail'],
    ['SESG-NET-001', 'aws.ec2.security-group', 'old-mailer-open-25', 'not-applicable'],
    ['SESG-NET-002', 'aws.ec2.security-group', 'submission', 'fail'],
    ['SESG-NET-003', 'aws.ec2.network-acl', 'acl-0mail', 'fail'],
    ['SESG-MON-004', 'aws.cloudwatch.alarm', 'ses-bounce-rate', 'fail'],
    ['SESG-MON-005', 'aws.cloudtrail.account', MAIL, 'fail'],
    ['SESG-ACC-004', 'aws.ses.account', `${MAIL}/us-east-1`, 'fail'],
    ['SESG-ACC-005', 'aws.ses.account', `${MAIL}/us-east-1`, 'fail'],
    ['SESG-ORG-001', 'aws.organizations.account', 'marketing-mail', 'fail'],
    ['SESG-ORG-001', 'aws.organizations.account', 'management', 'not-applicable'],
  ])('%s on %s %s: %s', (check, type, name, expected) => {
    expect(outcome(check, type, name)).toBe(expected);
  });

  it('the well-configured account has no failing or unassessed SES, IAM, network or monitoring check', () => {
    const ids = new Set(resources.filter((r) => r.provenance.account === SEC && r.type !== 'aws.organizations.account').map((r) => r.id));
    const bad = evaluations
      .filter((e) => ids.has(e.resourceId) && (e.outcome.kind === 'fail' || e.outcome.kind === 'not-assessed'))
      .map((e) => `${e.checkId} ${e.resourceId}: ${JSON.stringify(e.outcome)}`);
    expect(bad).toEqual([]);
  });
});
