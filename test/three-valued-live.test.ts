// Issue #8's live case, against the fake AWS: `ses:GetAccount` fails (an emulator without it, an audit role
// without the permission, a timeout), so production access is Unknown — but the region's two verified
// identities alone prove that the monitoring checks apply, and its alarms are known and wrong. Three-valued
// evaluation reports SESG-MON-001/002 as failed, not as a coverage gap; checks that do need GetAccount
// stay not assessed, naming the failed call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { Outcome } from '../src/engine/types.js';
import { isUnknown, type Resource } from '../src/inventory/types.js';
import { collectCloudWatch, collectSes, staticScope } from '../src/sources/aws/collectors/index.js';
import { startFakeAws, type FakeAws, type Scenario } from '../src/testing/fake-aws/index.js';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:ses-alerts`;

const scenario: Scenario = {
  organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: ACCOUNT, roots: [{ Id: 'r-ab12' }] },
  accounts: [
    {
      Id: ACCOUNT,
      Name: 'mail',
      parentId: 'r-ab12',
      enabledRegions: [REGION],
      regions: {
        [REGION]: {
          ses: {
            account: { ProductionAccessEnabled: true, EnforcementStatus: 'HEALTHY' },
            identities: [
              { IdentityName: 'notify.example.com', IdentityType: 'DOMAIN', VerificationStatus: 'SUCCESS' },
              { IdentityName: 'billing@example.com', IdentityType: 'EMAIL_ADDRESS', VerificationStatus: 'SUCCESS' },
            ],
          },
          cloudwatch: {
            alarms: [
              // 5 meant as 5 %: SES reports the bounce rate as a fraction, so this never fires.
              { AlarmName: 'ses-bounce-rate', Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Statistic: 'Average', Period: 3600, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ActionsEnabled: true, AlarmActions: [TOPIC] },
              { AlarmName: 'ses-complaint-rate', Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Statistic: 'Average', Period: 3600, EvaluationPeriods: 1, Threshold: 0.001, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ActionsEnabled: false, AlarmActions: [TOPIC] },
            ],
          },
        },
      },
    },
  ],
};

let fake: FakeAws;
let resources: Resource[];
let outcomes: Map<string, Outcome>;

beforeAll(async () => {
  fake = await startFakeAws(scenario, { pageSize: 2, faults: [{ service: 'sesv2', operation: 'GetAccount', error: 'UnknownOperation' }] });
  const scope = staticScope({ endpoint: fake.endpoint, accountId: ACCOUNT, credentials: { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 's' } });
  const cw = await collectCloudWatch(scope, REGION);
  const ses = await collectSes(scope, { region: REGION, alarms: cw.alarms, notificationIntervalMs: 0 });
  scope.destroy();
  resources = [...cw.resources, ...ses.resources];
  const account = resources.filter((r) => r.type === 'aws.ses.account');
  const config = celConfig({ ...defaultConfig(), approvedRegions: [REGION], approvedRegionsSet: true }, new Date('2026-12-01T00:00:00Z'));
  outcomes = new Map(evaluateAll(loadChecks(), { resources: account, organizationAccounts: [] }, { config, org: [] }).map((e) => [e.checkId, e.outcome]));
});
afterAll(async () => {
  await fake.close();
});

describe('ses:GetAccount fails, identities and alarms are known', () => {
  it('production access is Unknown, naming the failed call; the verified identities are counted', () => {
    const account = resources.find((r) => r.type === 'aws.ses.account');
    const props = account?.props as { productionAccessEnabled: unknown; verifiedIdentityCount: unknown };
    expect(isUnknown(props.productionAccessEnabled)).toBe(true);
    expect(JSON.stringify(props.productionAccessEnabled)).toMatch(/GetAccount/);
    expect(props.verifiedIdentityCount).toBe(2);
  });

  it.each([
    ['SESG-MON-001', /threshold 5 above 0\.05/],
    ['SESG-MON-002', /actions disabled/],
  ])('%s fails on the known, wrong alarms', (id, message) => {
    const outcome = outcomes.get(id);
    expect(outcome?.kind).toBe('fail');
    expect(outcome?.kind === 'fail' ? JSON.stringify(outcome.evidence) + outcome.message : '').toMatch(message);
  });

  it('SESG-MON-003 fails too: no send-volume alarm at all', () => {
    expect(outcomes.get('SESG-MON-003')?.kind).toBe('fail');
  });

  it.each(['SESG-ACC-002', 'SESG-ACC-003'])('%s, which needs GetAccount, is not assessed and says why', (id) => {
    const outcome = outcomes.get(id);
    expect(outcome?.kind).toBe('not-assessed');
    expect(outcome?.kind === 'not-assessed' ? outcome.reason : '').toMatch(/GetAccount/);
  });
});
