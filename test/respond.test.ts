// "What to do now" from trail findings: containment first, one action per key / region / rule / workload with the
// reasons merged, nothing restored that a refused call did not change, suppressed findings left out, and every
// value from the logs shell-quoted so a copied command stays the command it says it is.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/engine/types.js';
import { responseActions, shellQuote } from '../src/detections/respond.js';

const ACCOUNT = '111122223333';
const AT = '2026-11-23T12:00:00.000Z';

function finding(checkId: string, evidence: Record<string, unknown>, resource: Partial<Finding['resource']> = {}, fingerprint = `${checkId}-fp`): Finding {
  return {
    checkId,
    severity: 'high',
    title: checkId,
    message: checkId,
    resource: { type: 'aws.iam.principal', id: `arn:aws:iam::${ACCOUNT}:user/ci-deploy`, name: 'ci-deploy', account: ACCOUNT, ...resource },
    evidence: { attempt: false, principal: `arn:aws:iam::${ACCOUNT}:user/ci-deploy`, accessKeys: ['AKIAIOSFODNN7EXAMPLE'], regions: ['us-east-1'], ...evidence },
    suppressed: null,
    fingerprint,
  };
}

describe('responseActions', () => {
  it('one deactivation per key with every finding behind it, before pausing sending and revoking the rule', () => {
    const actions = responseActions(
      [
        finding('SESG-DET-001', { regions: ['us-east-1', 'eu-west-1'] }),
        finding('SESG-DET-010', {}, { region: 'us-east-1' }),
        finding('SESG-DET-006', { openings: [{ groupId: 'sg-0a77', protocol: 'tcp', fromPort: 25, toPort: 25, cidr: '0.0.0.0/0', direction: 'egress' }] }, { region: 'us-east-1' }),
      ],
      AT,
    );
    expect(actions.map((a) => [a.step, a.action, a.because.map((b) => b.checkId)])).toEqual([
      ['contain', 'Deactivate access key AKIAIOSFODNN7EXAMPLE of user ci-deploy', ['SESG-DET-001', 'SESG-DET-010', 'SESG-DET-006']],
      ['contain', 'Pause SES sending in us-east-1', ['SESG-DET-010']],
      ['contain', 'Revoke the mail-port egress rule opened on sg-0a77', ['SESG-DET-006']],
    ]);
    expect(actions.map((a) => a.command)).toEqual([
      'aws iam update-access-key --user-name ci-deploy --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive',
      'aws ses update-account-sending-enabled --no-enabled --region us-east-1',
      "aws ec2 revoke-security-group-egress --group-id sg-0a77 --ip-permissions 'IpProtocol=tcp,FromPort=25,ToPort=25,IpRanges=[{CidrIp=0.0.0.0/0}]' --region us-east-1",
    ]);
  });

  it('a refused change is not restored, but the key that tried is still deactivated; suppressed findings are left out', () => {
    const stop = { eventName: 'StopLogging', region: 'us-east-1', requestParameters: { name: 'management-events' } };
    const actions = responseActions(
      [
        finding('SESG-DET-008', { attempt: true, events: [{ ...stop, errorCode: 'TrailNotFoundException' }] }),
        { ...finding('SESG-DET-008', { events: [stop], accessKeys: ['AKIASUPPRESSED000001'] }), suppressed: { source: 'config', reason: 'drill' } },
        finding('SESG-DET-006', { attempt: true, openings: [{ groupId: 'sg-0a77', protocol: 'tcp', fromPort: 25, toPort: 25, cidr: '0.0.0.0/0' }] }, { region: 'us-east-1' }),
      ],
      AT,
    );
    expect(actions.map((a) => a.action)).toEqual(['Deactivate access key AKIAIOSFODNN7EXAMPLE of user ci-deploy']);
  });

  it('monitoring put back where the logs hold the old value, checked where they do not', () => {
    const events = [
      { eventName: 'StopLogging', region: 'us-east-1', requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org' } },
      { eventName: 'DisableAlarmActions', region: 'eu-west-1', requestParameters: { alarmNames: ['ses-bounce', 'ses complaint'] } },
      { eventName: 'DeleteConfigurationSetEventDestination', region: 'us-east-1', requestParameters: { configurationSetName: 'transactional', eventDestinationName: 'sns' } },
    ];
    const actions = responseActions([finding('SESG-DET-008', { events })], AT).filter((a) => a.step === 'repair');
    expect(actions.map((a) => a.command)).toEqual([
      "aws cloudwatch enable-alarm-actions --alarm-names ses-bounce 'ses complaint' --region eu-west-1",
      'aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111122223333:trail/org --region us-east-1',
      'aws sesv2 get-configuration-set-event-destinations --configuration-set-name transactional --region us-east-1',
    ]);
    expect(actions[2].note).toMatch(/not in the logs: re-create it from your IaC/);
    const lake = responseActions(
      [finding('SESG-DET-008', { events: [
        { eventName: 'StopEventDataStoreIngestion', region: 'us-east-1', requestParameters: { eventDataStore: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852' } },
        { eventName: 'DeleteEventDataStore', region: 'us-east-1', requestParameters: { eventDataStore: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-aaaa' } },
      ] })],
      AT,
    ).filter((a) => a.step === 'repair');
    expect(lake.map((a) => a.command)).toEqual([
      'aws cloudtrail start-event-data-store-ingestion --event-data-store arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852 --region us-east-1',
      'aws cloudtrail restore-event-data-store --event-data-store arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-aaaa --region us-east-1',
    ]);
  });

  it('temporary credentials: a role\'s sessions are revoked as of the report time; a user\'s session tokens too', () => {
    const role = finding('SESG-DET-013', { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/newsletter-sender/i-0abc`, accessKeys: ['ASIANEWSLETTER000001'] }, { id: 'ASIANEWSLETTER000001' });
    const user = finding('SESG-DET-013', { accessKeys: ['ASIAOPERATORCONSOLE1'], consoleLogin: '2026-11-23T09:16:37.000Z' }, {}, 'fp2');
    const actions = responseActions([role, user], AT);
    expect(actions.map((a) => a.action)).toEqual([
      'Revoke the active sessions of role newsletter-sender',
      'Revoke the temporary credentials of user ci-deploy',
      'Disable console sign-in of user ci-deploy',
      'Pause SES sending in us-east-1',
    ]);
    const policy = JSON.parse(/--policy-document '(.*)'$/.exec(actions[0].command)?.[1] ?? '');
    expect(policy.Statement[0]).toEqual({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': AT } } });
  });

  it('a key whose user the logs do not name: the command that names it comes first', () => {
    const [action] = responseActions([finding('SESG-DET-002', { principal: undefined, accessKeys: [] }, { id: 'AKIAUNKNOWNOWNER0001', arn: undefined })], AT);
    expect(action.command.split('\n')).toEqual([
      'aws iam get-access-key-last-used --access-key-id AKIAUNKNOWNOWNER0001   # names the user',
      'aws iam update-access-key --user-name <user> --access-key-id AKIAUNKNOWNOWNER0001 --status Inactive',
    ]);
  });

  it('workloads: an instance is isolated by its interface, a Lambda function throttled to zero, a blocked spambot isolated too', () => {
    const flow = (checkId: string, evidence: Record<string, unknown>, eni: string) =>
      finding(checkId, { principal: undefined, accessKeys: undefined, regions: ['us-east-1'], interfaceId: eni, instanceIds: [], vpcIds: [], ...evidence }, { type: 'aws.ec2.network-interface', id: eni, region: 'us-east-1' }, eni);
    const actions = responseActions(
      [
        flow('SESG-DET-011', { instanceIds: ['i-0relay'], vpcIds: ['vpc-0b'] }, 'eni-0relay'),
        flow('SESG-DET-011', { workload: { lambdaFunction: 'newsletter-worker', interfaceType: 'lambda' } }, 'eni-0fn'),
        flow('SESG-DET-012', {}, 'eni-0bot'),
      ],
      AT,
    );
    expect(actions.map((a) => a.action)).toEqual([
      'Isolate instance i-0relay: a security group without any rule on eni-0relay',
      'Isolate interface eni-0bot: a security group without any rule on eni-0bot',
      'Stop Lambda function newsletter-worker from running',
    ]);
    expect(actions[0].command.split('\n')[0]).toBe(
      "aws ec2 create-security-group --group-name isolation-eni-0relay --description 'incident isolation: no traffic' --vpc-id vpc-0b --region us-east-1 --query GroupId --output text",
    );
    expect(actions[1].note).toMatch(/<vpc-id> is the interface's VPC.*already blocks the mail it tries to send/);
    expect(actions[2].command).toBe('aws lambda put-function-concurrency --function-name newsletter-worker --reserved-concurrent-executions 0 --region us-east-1');
  });

  it('a name an attacker chose stays one argument when the command is pasted into a shell', () => {
    const hostile = "x'; touch /tmp/pwned; echo '$(id)`id`";
    const [action] = responseActions([finding('SESG-DET-005', { identities: [hostile], accessKeys: [] }, { region: 'us-east-1' })], AT);
    const quoted = /--email-identity (.*) --region us-east-1$/.exec(action.command)?.[1] ?? '';
    expect(quoted).toBe(shellQuote(hostile));
    // What the shell makes of it: exactly the original text, as one word.
    expect(execFileSync('sh', ['-c', `printf '%s' ${quoted}`]).toString()).toBe(hostile);
  });
});
