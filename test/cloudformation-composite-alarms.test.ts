// SESG-MON-004 on CloudFormation: an SES alarm with its actions off that alerts through a composite alarm of the
// same template is wired right — named by `!Sub` over `Ref` (hand-written templates) or by `Fn::Join` over
// `Fn::GetAtt …Arn` (what CDK's AlarmRule.anyOf synthesizes); behind an AND it is not; a rule taken from a
// parameter without default leaves it not assessed.
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const reputation = (metric: string, extra = '') => `
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SES
      MetricName: ${metric}
      Statistic: Maximum
      Period: 3600
      EvaluationPeriods: 1
      Threshold: ${metric === 'Reputation.BounceRate' ? '0.05' : '0.001'}
      ComparisonOperator: GreaterThanOrEqualToThreshold
      ActionsEnabled: false${extra}`;

const STACK = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Alerts:
    Type: AWS::SNS::Topic
  BounceAlarm:${reputation('Reputation.BounceRate')}
  ComplaintAlarm:${reputation('Reputation.ComplaintRate', '\n      AlarmName: ses-complaint')}
  HeldBounceAlarm:${reputation('Reputation.BounceRate')}
  Deploying:
    Type: AWS::CloudWatch::Alarm
    Properties: { Namespace: Custom/Deploy, MetricName: InProgress, Statistic: Maximum, Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanOrEqualToThreshold }
  SesHealth:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmRule: !Sub 'ALARM(\${BounceAlarm}) OR ALARM(ses-complaint)'
      AlarmActions: [!Ref Alerts]
  OutsideDeploys:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmName: ses-bounce-outside-deploys
      AlarmRule: !Sub 'ALARM("\${HeldBounceAlarm.Arn}") AND NOT ALARM(\${Deploying})'
      AlarmActions: [!Ref Alerts]
`;

// The shape CDK synthesizes for new CompositeAlarm(…, { alarmRule: AlarmRule.anyOf(bounce, complaint) }).
const CDK = JSON.stringify(
  {
    Resources: {
      SesAlertsTopic5C7E2B1A: { Type: 'AWS::SNS::Topic' },
      SesBounceAlarm3F1D9C2E: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Statistic: 'Maximum', Period: 3600, EvaluationPeriods: 1, Threshold: 0.05, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ActionsEnabled: false } },
      SesComplaintAlarm8A4B6D0F: { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Statistic: 'Maximum', Period: 3600, EvaluationPeriods: 1, Threshold: 0.001, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ActionsEnabled: false } },
      SesHealthComposite1E2F3A4B: {
        Type: 'AWS::CloudWatch::CompositeAlarm',
        Properties: {
          AlarmRule: { 'Fn::Join': ['', ['(ALARM("', { 'Fn::GetAtt': ['SesBounceAlarm3F1D9C2E', 'Arn'] }, '") OR ALARM("', { 'Fn::GetAtt': ['SesComplaintAlarm8A4B6D0F', 'Arn'] }, '"))']] },
          AlarmActions: [{ Ref: 'SesAlertsTopic5C7E2B1A' }],
        },
      },
    },
  },
  null,
  1,
);

const PARAM = `Parameters:
  HealthRule: { Type: String }
Resources:
  BounceAlarm:${reputation('Reputation.BounceRate')}
  Health:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties: { AlarmRule: !Ref HealthRule, AlarmActions: [arn:aws:sns:us-east-1:111122223333:ses-alerts] }
`;

type Results = {
  findings: { checkId: string; message: string; resource: { logicalId: string; file: string } }[];
  notAssessed: { checkId: string; logicalId: string; file: string; reason: string }[];
};
let results: Results;
beforeAll(async () => {
  const r = await cli(['iac', 'stack.yaml', 'SesStack.template.json', 'param.yaml', '--format', 'json', '--fail-on', 'none'], tempDir({ 'stack.yaml': STACK, 'SesStack.template.json': CDK, 'param.yaml': PARAM }));
  expect(r.stderr).not.toMatch(/error/i);
  results = JSON.parse(r.stdout) as Results;
});

function outcome(file: string, logicalId: string): string {
  const finding = results.findings.find((f) => f.checkId === 'SESG-MON-004' && f.resource.logicalId === logicalId && f.resource.file.endsWith(file));
  if (finding) return `fail: ${finding.message}`;
  const open = results.notAssessed.find((n) => n.checkId === 'SESG-MON-004' && n.logicalId === logicalId && n.file.endsWith(file));
  return open ? `not assessed: ${open.reason}` : 'pass';
}

describe('composite alarms in CloudFormation', () => {
  it.each([
    ['stack.yaml', 'BounceAlarm', 'pass'],
    ['stack.yaml', 'ComplaintAlarm', 'pass'],
    ['SesStack.template.json', 'SesBounceAlarm3F1D9C2E', 'pass'],
    ['SesStack.template.json', 'SesComplaintAlarm8A4B6D0F', 'pass'],
  ])('%s %s: %s, through the composite alarm', (file, logicalId, expected) => {
    expect(outcome(file, logicalId)).toBe(expected);
  });

  it('an alarm behind an AND still has no action that alerts on it', () => {
    expect(outcome('stack.yaml', 'HeldBounceAlarm')).toMatch(/^fail: SES bounce-rate alarm HeldBounceAlarm is miswired: alarm actions are disabled; the alarm has no alarm action; no composite alarm with actions goes to ALARM whenever it does$/);
  });

  it('a rule from a parameter without default leaves the alarm not assessed, saying why', () => {
    expect(outcome('param.yaml', 'BounceAlarm')).toMatch(/^not assessed: .*composite alarm Health: AlarmRule: .*HealthRule/);
  });
});
