// "What to do now": the containment and repair steps a responder takes after `sesguard trail`, derived from the
// open findings (suppressed ones are left out) and their evidence, each with the exact AWS CLI command. Pure:
// findings in, actions out, read by shape so a results file of another version still works. Keys are deactivated
// whatever the outcome of the calls (someone holds the credential); what a refused call would have changed is
// not restored, since it did not change. Every value from the logs is shell-quoted: a name an attacker chose
// (an identity, a configuration set) cannot turn a copied command into another one.
import type { Finding } from '../engine/types.js';

export type ResponseStep = 'contain' | 'repair' | 'review';

export interface ResponseAction {
  step: ResponseStep;
  /** What to do, in words: "Deactivate access key AKIA… of user ci-deploy". */
  action: string;
  account?: string;
  region?: string;
  /** The exact AWS CLI command (several lines when the step takes several calls). */
  command: string;
  /** Why: the findings that lead to this action. */
  because: { checkId: string; fingerprint: string }[];
  /** What the command leaves to the responder (a placeholder to fill, a decision to make). */
  note?: string;
}

const STEP_ORDER: Record<ResponseStep, number> = { contain: 0, repair: 1, review: 2 };
/** Within a step: credentials first (they keep working until stopped), then sending, then the network. */
const KIND_ORDER = ['key', 'sessions', 'login', 'pause', 'egress', 'isolate', 'lambda', 'monitoring', 'identity', 'smtp', 'production'];

/** Quotes a value for a POSIX shell when it holds anything but plainly safe characters. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `arn:aws:iam::111122223333:user/path/name` → `name`. */
function userOf(arn: string | undefined): string | undefined {
  const match = arn ? /^arn:aws[a-z-]*:iam::[0-9]{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
  return match?.[1];
}

/** `arn:aws:sts::111122223333:assumed-role/Role/session` → `Role`. */
function roleOf(arn: string | undefined): string | undefined {
  const match = arn ? /^arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role\/([^/]+)\/.+$/.exec(arn) : null;
  return match?.[1];
}

/** The one region a finding is about, when it has one. */
function regionOf(finding: Finding): string | undefined {
  if (finding.resource.region) return finding.resource.region;
  const regions = strings(finding.evidence.regions);
  return regions.length === 1 ? regions[0] : undefined;
}

interface Event {
  eventName: string;
  region?: string;
  errorCode?: string;
  params: Record<string, unknown>;
}

function eventsOf(finding: Finding): Event[] {
  const events = Array.isArray(finding.evidence.events) ? finding.evidence.events : [];
  return events.map(record).filter((e) => typeof e.eventName === 'string').map((e) => ({
    eventName: e.eventName as string,
    region: typeof e.region === 'string' ? e.region : undefined,
    errorCode: typeof e.errorCode === 'string' ? e.errorCode : undefined,
    params: record(e.requestParameters),
  }));
}

function notes(parts: (string | undefined)[]): { note?: string } {
  const kept = parts.filter((p): p is string => p !== undefined);
  return kept.length > 0 ? { note: kept.join('; ') } : {};
}

/** Revokes every session a role issued before `at` (what the console's "Revoke active sessions" does). */
function revokeSessionsPolicy(at: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': at } } }] });
}

/** Registers actions, merging the reasons of the same action reached from several findings. */
class Plan {
  private readonly actions = new Map<string, ResponseAction>();

  add(key: string, action: Omit<ResponseAction, 'because'>, finding: Finding): void {
    const because = { checkId: finding.checkId, fingerprint: finding.fingerprint };
    const known = this.actions.get(key);
    if (known) {
      if (!known.because.some((b) => b.fingerprint === because.fingerprint)) known.because.push(because);
      return;
    }
    this.actions.set(key, { ...action, because: [because] });
  }

  list(): ResponseAction[] {
    const rank = new Map([...this.actions].map(([key, action]) => [action, KIND_ORDER.indexOf(key.split(' ')[0])]));
    return [...this.actions.values()].sort(
      (a, b) =>
        STEP_ORDER[a.step] - STEP_ORDER[b.step] ||
        (rank.get(a) ?? 99) - (rank.get(b) ?? 99) ||
        (a.account ?? '').localeCompare(b.account ?? '') ||
        (a.region ?? '').localeCompare(b.region ?? '') ||
        a.action.localeCompare(b.action),
    );
  }
}

/** Detections whose findings mean SES sending in a region may be abused right now. */
const SENDING = new Set(['SESG-DET-003', 'SESG-DET-004', 'SESG-DET-007', 'SESG-DET-010', 'SESG-DET-013']);

function keyActions(plan: Plan, finding: Finding, at: string): void {
  const account = finding.resource.account;
  const principal = typeof finding.evidence.principal === 'string' ? finding.evidence.principal : undefined;
  const keys = new Set(strings(finding.evidence.accessKeys));
  if (/^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(finding.resource.id)) keys.add(finding.resource.id);
  const owner = (key: string): string | undefined => {
    if (finding.checkId === 'SESG-DET-007' && key === finding.evidence.createdKey && typeof finding.evidence.keyOwner === 'string') return finding.evidence.keyOwner;
    return userOf(principal) ?? userOf(finding.resource.arn);
  };
  for (const key of keys) {
    if (key.startsWith('AKIA')) {
      const user = owner(key);
      plan.add(`key ${key}`, {
        step: 'contain',
        action: `Deactivate access key ${key}${user ? ` of user ${user}` : ''}`,
        account,
        command: user
          ? `aws iam update-access-key --user-name ${shellQuote(user)} --access-key-id ${key} --status Inactive`
          : `aws iam get-access-key-last-used --access-key-id ${key}   # names the user\naws iam update-access-key --user-name <user> --access-key-id ${key} --status Inactive`,
        ...(user ? {} : { note: 'the logs do not name the key\'s user: the first command does' }),
      }, finding);
      continue;
    }
    // Temporary credentials end on their own, but not soon enough: deny every session issued before now.
    const role = roleOf(principal);
    const user = userOf(principal);
    if (role) {
      plan.add(`sessions role ${account} ${role}`, {
        step: 'contain',
        action: `Revoke the active sessions of role ${role}`,
        account,
        command: `aws iam put-role-policy --role-name ${shellQuote(role)} --policy-name AWSRevokeOlderSessions --policy-document ${shellQuote(revokeSessionsPolicy(at))}`,
        note: 'sessions issued before the report time are denied everything; new ones (the workload\'s next) work',
      }, finding);
    }
    else if (user) {
      plan.add(`sessions user ${account} ${user}`, {
        step: 'contain',
        action: `Revoke the temporary credentials of user ${user}`,
        account,
        command: `aws iam put-user-policy --user-name ${shellQuote(user)} --policy-name sesguard-revoke-older-sessions --policy-document ${shellQuote(revokeSessionsPolicy(at))}`,
      }, finding);
    }
  }
  // The keys created for an SMTP user: SMTP sending leaves no CloudTrail record, so they must go now.
  if (finding.checkId === 'SESG-DET-009' && typeof finding.evidence.smtpUser === 'string') {
    const smtpUser = finding.evidence.smtpUser;
    for (const key of strings(finding.evidence.createdKeys)) {
      plan.add(`key ${key}`, {
        step: 'contain',
        action: `Deactivate access key ${key} of SMTP user ${smtpUser}`,
        account,
        command: `aws iam update-access-key --user-name ${shellQuote(smtpUser)} --access-key-id ${key} --status Inactive`,
      }, finding);
    }
    plan.add(`smtp ${account} ${smtpUser}`, {
      step: 'review',
      action: `Delete SMTP user ${smtpUser} unless someone asked for it`,
      account,
      command: `aws iam list-access-keys --user-name ${shellQuote(smtpUser)}\naws iam list-user-policies --user-name ${shellQuote(smtpUser)}\naws iam list-attached-user-policies --user-name ${shellQuote(smtpUser)}\naws iam list-groups-for-user --user-name ${shellQuote(smtpUser)}`,
      note: 'delete its keys, policies and group memberships, then the user (aws iam delete-user)',
    }, finding);
  }
}

/** SESG-DET-013 after a console login without MFA: the password alone let someone in. */
function loginActions(plan: Plan, finding: Finding): void {
  if (finding.checkId !== 'SESG-DET-013' || typeof finding.evidence.consoleLogin !== 'string') return;
  const user = userOf(typeof finding.evidence.principal === 'string' ? finding.evidence.principal : undefined);
  if (!user) return;
  plan.add(`login ${finding.resource.account} ${user}`, {
    step: 'contain',
    action: `Disable console sign-in of user ${user}`,
    account: finding.resource.account,
    command: `aws iam delete-login-profile --user-name ${shellQuote(user)}`,
    note: 'give it back with a new password once the user has an MFA device (aws iam create-login-profile --password-reset-required)',
  }, finding);
}

function sendingActions(plan: Plan, finding: Finding): void {
  if (!SENDING.has(finding.checkId)) return;
  const account = finding.resource.account;
  const regions = new Set(strings(finding.evidence.regions));
  for (const w of Array.isArray(finding.evidence.sendWindows) ? finding.evidence.sendWindows : []) for (const r of strings(record(w).regions)) regions.add(r);
  if (regions.size === 0 && finding.resource.region) regions.add(finding.resource.region);
  for (const region of regions) {
    plan.add(`pause ${account} ${region}`, {
      step: 'contain',
      action: `Pause SES sending in ${region}`,
      account,
      region,
      command: `aws ses update-account-sending-enabled --no-enabled --region ${shellQuote(region)}`,
      note: 'stops all sending of the account in the region, legitimate mail too; re-enable once the credentials are contained',
    }, finding);
  }
  if (finding.checkId === 'SESG-DET-003') {
    for (const region of strings(finding.evidence.requestedRegions)) {
      plan.add(`production ${account} ${region}`, {
        step: 'review',
        action: `Withdraw the production access request in ${region} unless the account owner filed it`,
        account,
        region,
        command: `aws sesv2 get-account --region ${shellQuote(region)}   # ProductionAccessEnabled and the review details`,
        note: 'withdraw it in the support case AWS opened for the request',
      }, finding);
    }
  }
}

/** `IpProtocol=tcp,FromPort=25,ToPort=25,IpRanges=[{CidrIp=0.0.0.0/0}]` for one opening. */
function permissionOf(opening: Record<string, unknown>): string | undefined {
  const protocol = String(opening.protocol ?? '');
  const cidr = typeof opening.cidr === 'string' ? opening.cidr : undefined;
  if (!protocol || !cidr) return undefined;
  const range = cidr.includes(':') ? `Ipv6Ranges=[{CidrIpv6=${cidr}}]` : `IpRanges=[{CidrIp=${cidr}}]`;
  const from = Number(opening.fromPort);
  const to = Number(opening.toPort);
  const ports = protocol !== '-1' && from >= 0 && to >= 0 ? `,FromPort=${from},ToPort=${to}` : '';
  return `IpProtocol=${protocol}${ports},${range}`;
}

function egressActions(plan: Plan, finding: Finding): void {
  if (finding.checkId !== 'SESG-DET-006' || finding.evidence.attempt === true) return;
  const region = regionOf(finding);
  const regionFlag = region ? ` --region ${shellQuote(region)}` : ' --region <region>';
  for (const opening of (Array.isArray(finding.evidence.openings) ? finding.evidence.openings : []).map(record)) {
    const group = typeof opening.groupId === 'string' ? opening.groupId : undefined;
    const rule = typeof opening.ruleId === 'string' ? opening.ruleId : undefined;
    const permission = permissionOf(opening);
    if (!group || (!rule && !permission)) continue;
    const command = rule
      ? `aws ec2 revoke-security-group-egress --group-id ${shellQuote(group)} --security-group-rule-ids ${shellQuote(rule)}${regionFlag}`
      : `aws ec2 revoke-security-group-egress --group-id ${shellQuote(group)} --ip-permissions ${shellQuote(permission as string)}${regionFlag}`;
    plan.add(`egress ${group} ${rule ?? permission}`, {
      step: 'contain',
      action: `Revoke the mail-port egress rule opened on ${group}${rule ? ` (${rule})` : ''}`,
      account: finding.resource.account,
      region,
      command,
      ...notes([
        opening.direction === 'unknown' ? 'the logs do not say whether this rule is egress: check it first (aws ec2 describe-security-group-rules)' : undefined,
        region ? undefined : 'the finding spans several regions: use the group\'s region',
      ]),
    }, finding);
  }
}

function workloadActions(plan: Plan, finding: Finding): void {
  if (finding.checkId !== 'SESG-DET-011' && finding.checkId !== 'SESG-DET-012') return;
  const eni = typeof finding.evidence.interfaceId === 'string' ? finding.evidence.interfaceId : undefined;
  if (!eni) return;
  const region = regionOf(finding);
  const regionFlag = region ? ` --region ${shellQuote(region)}` : ' --region <region>';
  const workload = record(finding.evidence.workload);
  const fn = typeof workload.lambdaFunction === 'string' ? workload.lambdaFunction : undefined;
  const instances = strings(finding.evidence.instanceIds);
  const blocked = finding.checkId === 'SESG-DET-012' ? '; its security group already blocks the mail it tries to send, the host is still compromised' : '';
  if (fn) {
    plan.add(`lambda ${fn}`, {
      step: 'contain',
      action: `Stop Lambda function ${fn} from running`,
      account: finding.resource.account,
      region,
      command: `aws lambda put-function-concurrency --function-name ${shellQuote(fn)} --reserved-concurrent-executions 0${regionFlag}`,
      note: `the function named by the interface's description in the snapshot (Lambda shares an interface among functions with the same subnets and groups)${blocked}`,
    }, finding);
    return;
  }
  const vpc = strings(finding.evidence.vpcIds)[0] ?? (typeof workload.vpcId === 'string' ? workload.vpcId : undefined);
  const who = instances.length > 0 ? `instance ${instances.join(', ')}` : `interface ${eni}`;
  plan.add(`isolate ${eni}`, {
    step: 'contain',
    action: `Isolate ${who}: a security group without any rule on ${eni}`,
    account: finding.resource.account,
    region,
    command: [
      `aws ec2 create-security-group --group-name ${shellQuote(`isolation-${eni}`)} --description 'incident isolation: no traffic' --vpc-id ${vpc ? shellQuote(vpc) : '<vpc-id>'}${regionFlag} --query GroupId --output text`,
      `aws ec2 revoke-security-group-egress --group-id <isolation-group-id> --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'${regionFlag}`,
      `aws ec2 modify-network-interface-attribute --network-interface-id ${shellQuote(eni)} --groups <isolation-group-id>${regionFlag}`,
    ].join('\n'),
    note: `<isolation-group-id> is what the first command prints; the instance keeps running for forensics (snapshot its volumes before stopping it)${vpc ? '' : '; <vpc-id> is the interface\'s VPC (the logs do not name it)'}${blocked}`,
  }, finding);
}

/** CLI commands that put back what SESG-DET-008 saw weakened (or check it, where the old value is not in the logs). */
function monitoringActions(plan: Plan, finding: Finding): void {
  if (finding.checkId !== 'SESG-DET-008') return;
  const account = finding.resource.account;
  for (const event of eventsOf(finding)) {
    if (event.errorCode) continue;
    const region = event.region;
    const r = region ? ` --region ${shellQuote(region)}` : '';
    const p = event.params;
    const str = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : undefined);
    const add = (key: string, action: string, command: string, note?: string) =>
      plan.add(`monitoring ${key}`, { step: 'repair', action, account, region, command, ...(note ? { note } : {}) }, finding);
    switch (event.eventName) {
      case 'StopLogging': {
        const trail = str('name');
        if (trail) add(`start ${trail}`, `Restart CloudTrail logging of ${trail}`, `aws cloudtrail start-logging --name ${shellQuote(trail)}${r}`);
        break;
      }
      case 'DeleteTrail': {
        const trail = str('name');
        if (trail) add(`trail ${trail}`, `Re-create trail ${trail}`, `aws cloudtrail create-trail --name ${shellQuote(trail)} --s3-bucket-name <bucket> --is-multi-region-trail${r}\naws cloudtrail start-logging --name ${shellQuote(trail)}${r}`, 'the bucket (and the organization, KMS and log-validation settings) are not in the logs: take them from your IaC');
        break;
      }
      case 'PutEventSelectors': {
        const trail = str('trailName');
        if (trail) add(`selectors ${trail}`, `Restore the event selectors of ${trail}`, `aws cloudtrail get-event-selectors --trail-name ${shellQuote(trail)}${r}`, 'the selectors before the change are not in the logs: put back the ones your IaC defines');
        break;
      }
      case 'UpdateTrail': {
        const trail = str('name');
        if (trail) {
          add(`update ${trail}`, `Turn the settings of trail ${trail} back on`, `aws cloudtrail update-trail --name ${shellQuote(trail)} --is-multi-region-trail --include-global-service-events --enable-log-file-validation${r}\naws cloudtrail get-trail --name ${shellQuote(trail)}${r}`, 'the finding says which settings the update switched off; keep the others as your IaC defines them');
        }
        break;
      }
      case 'StopEventDataStoreIngestion': {
        const store = str('eventDataStore');
        if (store) add(`ingestion ${store}`, `Restart the ingestion of event data store ${store}`, `aws cloudtrail start-event-data-store-ingestion --event-data-store ${shellQuote(store)}${r}`);
        break;
      }
      case 'DeleteEventDataStore': {
        const store = str('eventDataStore');
        if (store) add(`store ${store}`, `Restore event data store ${store}`, `aws cloudtrail restore-event-data-store --event-data-store ${shellQuote(store)}${r}`, 'possible within 7 days of the deletion');
        break;
      }
      case 'UpdateEventDataStore': {
        const store = str('eventDataStore');
        if (store) add(`store-settings ${store}`, `Restore the settings of event data store ${store}`, `aws cloudtrail get-event-data-store --event-data-store ${shellQuote(store)}${r}`, 'the finding says what the update switched off; put back what your IaC defines (aws cloudtrail update-event-data-store)');
        break;
      }
      case 'DeleteConfigurationSetEventDestination':
      case 'UpdateConfigurationSetEventDestination': {
        const set = str('configurationSetName') ?? str('ConfigurationSetName');
        const destination = str('eventDestinationName') ?? str('EventDestinationName');
        if (set) add(`destination ${set} ${destination}`, `Restore event destination ${destination ?? ''} of configuration set ${set}`.replace('  ', ' '), `aws sesv2 get-configuration-set-event-destinations --configuration-set-name ${shellQuote(set)}${r}`, 'the destination\'s settings are not in the logs: re-create it from your IaC (aws sesv2 create-configuration-set-event-destination)');
        break;
      }
      case 'DeleteConfigurationSet': {
        const set = str('configurationSetName') ?? str('ConfigurationSetName');
        if (set) add(`set ${set}`, `Re-create configuration set ${set}`, `aws sesv2 create-configuration-set --configuration-set-name ${shellQuote(set)}${r}`, 'its event destinations and options are not in the logs: take them from your IaC');
        break;
      }
      case 'SetIdentityNotificationTopic': {
        const identity = str('identity');
        const type = str('notificationType');
        if (identity && type) add(`topic ${identity} ${type}`, `Restore the ${type} notification topic of ${identity}`, `aws ses set-identity-notification-topic --identity ${shellQuote(identity)} --notification-type ${shellQuote(type)} --sns-topic <topic-arn>${r}`, 'the topic before the change is not in the logs');
        break;
      }
      case 'SetIdentityFeedbackForwardingEnabled': {
        const identity = str('identity');
        if (identity) add(`forwarding ${identity}`, `Turn feedback forwarding back on for ${identity}`, `aws ses set-identity-feedback-forwarding-enabled --identity ${shellQuote(identity)} --forwarding-enabled${r}`);
        break;
      }
      case 'PutEmailIdentityFeedbackAttributes': {
        const identity = str('emailIdentity');
        if (identity) add(`forwarding ${identity}`, `Turn feedback forwarding back on for ${identity}`, `aws sesv2 put-email-identity-feedback-attributes --email-identity ${shellQuote(identity)} --email-forwarding-enabled${r}`);
        break;
      }
      case 'DisableAlarmActions':
      case 'DeleteAlarms': {
        const names = strings(p.alarmNames);
        if (names.length === 0) break;
        const list = names.map(shellQuote).join(' ');
        if (event.eventName === 'DisableAlarmActions') add(`alarm-actions ${names.join(' ')}`, `Re-enable the actions of alarm ${names.join(', ')}`, `aws cloudwatch enable-alarm-actions --alarm-names ${list}${r}`);
        else add(`alarms ${names.join(' ')}`, `Re-create alarm ${names.join(', ')}`, `aws cloudwatch describe-alarms --alarm-names ${list}${r}`, 'deleted alarms are not in the logs: re-create them from your IaC (aws cloudwatch put-metric-alarm)');
        break;
      }
      default:
        break;
    }
  }
}

function identityActions(plan: Plan, finding: Finding): void {
  if (finding.checkId !== 'SESG-DET-005' || finding.evidence.attempt === true) return;
  const region = regionOf(finding);
  for (const identity of strings(finding.evidence.identities)) {
    plan.add(`identity ${finding.resource.account} ${region} ${identity}`, {
      step: 'review',
      action: `Delete sending identity ${identity} unless someone asked for it`,
      account: finding.resource.account,
      region,
      command: `aws sesv2 delete-email-identity --email-identity ${shellQuote(identity)}${region ? ` --region ${shellQuote(region)}` : ' --region <region>'}`,
    }, finding);
  }
}

/** The actions for the open findings, containment first. `at` is the report time (sessions issued before it are revoked). */
export function responseActions(findings: readonly Finding[], at: string): ResponseAction[] {
  const plan = new Plan();
  for (const finding of findings) {
    if (finding.suppressed) continue;
    keyActions(plan, finding, at);
    loginActions(plan, finding);
    sendingActions(plan, finding);
    egressActions(plan, finding);
    workloadActions(plan, finding);
    monitoringActions(plan, finding);
    identityActions(plan, finding);
  }
  return plan.list();
}
