// SES collector (one account, one region): the account's sending status (SESv2 GetAccount), every email
// identity with its DKIM / MAIL FROM / default configuration set / sending-authorization policies, the
// configuration sets with their event destinations, and the v1 notification topics of each identity.
import { GetIdentityNotificationAttributesCommand, SESClient, type IdentityNotificationAttributes } from '@aws-sdk/client-ses';
import {
  GetAccountCommand,
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetEmailIdentityCommand,
  GetEmailIdentityPoliciesCommand,
  SESv2Client,
  paginateListConfigurationSets,
  paginateListEmailIdentities,
  type EventDestination as SdkEventDestination,
  type GetAccountCommandOutput,
  type GetEmailIdentityCommandOutput,
  type IdentityInfo,
} from '@aws-sdk/client-sesv2';
import { normalizePolicyDocument } from '../../../inventory/policy-document.js';
import type {
  CloudWatchAlarmProps,
  EventDestination,
  Maybe,
  Resource,
  SesAccountProps,
  SesConfigurationSetProps,
  SesIdentityPolicy,
  SesIdentityProps,
  SesNotifications,
  Unknown,
} from '../../../inventory/types.js';
import { isUnknown, unknown } from '../../../inventory/types.js';
import type { AccountScope, CallError, Collected } from '../types.js';
import { arn, attempt, attemptPages, callError, clientOf, errorName, failed, mapAll, memo, provenance, type Attempt } from './util.js';

const V2 = 'sesv2';
const V1 = 'ses';
/** SES v1 GetIdentityNotificationAttributes: at most 100 identities per call… */
export const NOTIFICATION_BATCH = 100;
/** …and at most one call per second (per account and region). */
export const NOTIFICATION_INTERVAL_MS = 1000;

export interface SesRegionOptions {
  region: string;
  /** The region's CloudWatch alarms (see collectCloudWatch), linked into `aws.ses.account` for SESG-MON-001..003. */
  alarms: Maybe<CloudWatchAlarmProps[]>;
  /** Spacing between GetIdentityNotificationAttributes calls, start to start (default 1 s). */
  notificationIntervalMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const remaining = (since: number | undefined, intervalMs: number) => (since === undefined ? 0 : since + intervalMs - Date.now());

function isNotFound(error: unknown): boolean {
  return errorName(error) === 'NotFoundException';
}

function destinationTargets(d: SdkEventDestination): string[] {
  const targets: string[] = [];
  if (d.SnsDestination) targets.push('sns');
  if (d.CloudWatchDestination) targets.push('cloudwatch');
  if (d.KinesisFirehoseDestination) targets.push('firehose');
  if (d.EventBridgeDestination) targets.push('eventbridge');
  if (d.PinpointDestination) targets.push('pinpoint');
  return targets;
}

function eventDestination(d: SdkEventDestination): EventDestination {
  return {
    name: d.Name ?? '',
    // SESv2 leaves Enabled out for a disabled destination.
    enabled: d.Enabled === true,
    matchingEventTypes: (d.MatchingEventTypes ?? []).map((t) => String(t).toUpperCase()),
    targets: destinationTargets(d),
    ...(d.SnsDestination ? { snsTopicArn: d.SnsDestination.TopicArn ?? unknown('SNS event destination without a topic ARN') } : {}),
  };
}

/** Domains an address identity may inherit DKIM from: its domain, then each parent with at least two labels. */
function candidateParents(address: string): string[] {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join('.'));
  return out;
}

export async function collectSes(scope: AccountScope, options: SesRegionOptions): Promise<Collected> {
  const { region } = options;
  const v2 = clientOf(scope, SESv2Client, region);
  const errors: CallError[] = [];

  const [account, listedIdentities, listedSets] = await Promise.all([
    attempt(scope, V2, 'ses:GetAccount', () => v2.send(new GetAccountCommand({}))),
    attemptPages(scope, V2, 'ses:ListEmailIdentities', paginateListEmailIdentities({ client: v2 }, {})),
    attemptPages(scope, V2, 'ses:ListConfigurationSets', paginateListConfigurationSets({ client: v2 }, {})),
  ]);

  // Configuration sets: fetched once by name, whether listed or referenced by an identity.
  const configurationSetOf = memo(async (name: string): Promise<Maybe<SesConfigurationSetProps> | null> => {
    const [set, destinations] = await Promise.all([
      attempt(scope, V2, 'ses:GetConfigurationSet', () => v2.send(new GetConfigurationSetCommand({ ConfigurationSetName: name }))),
      attempt(scope, V2, 'ses:GetConfigurationSetEventDestinations', () =>
        v2.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: name })),
      ),
    ]);
    const eventDestinations = destinations.ok
      ? (destinations.value.EventDestinations ?? []).map(eventDestination)
      : // The model types the list as an array; the Unknown marker makes the feedback checks not assessed.
        (failed(destinations) as unknown as EventDestination[]);
    if (!set.ok) {
      if (isNotFound(set.error)) return null;
      const reason = failed(set);
      return { configurationSetName: name, reputationMetricsEnabled: reason, tlsPolicy: reason, sendingEnabled: reason, eventDestinations };
    }
    const s = set.value;
    return {
      configurationSetName: name,
      reputationMetricsEnabled: s.ReputationOptions?.ReputationMetricsEnabled === true,
      // SES applies OPTIONAL when no TLS policy is set.
      tlsPolicy: s.DeliveryOptions?.TlsPolicy ?? 'OPTIONAL',
      sendingEnabled: s.SendingOptions?.SendingEnabled !== false,
      eventDestinations,
    };
  });
  const setNames = listedSets.ok ? [...new Set(listedSets.value.flatMap((p) => p.ConfigurationSets ?? []))] : [];
  const setsPromise = mapAll(setNames, async (name) => ({ name, props: await configurationSetOf(name) }));

  // Identities: details and sending-authorization policies per identity.
  const infos: (IdentityInfo & { IdentityName: string })[] = listedIdentities.ok
    ? listedIdentities.value.flatMap((p) => p.EmailIdentities ?? []).filter((i): i is IdentityInfo & { IdentityName: string } => !!i.IdentityName)
    : [];
  const detailsPromise = mapAll(infos, async (info) => {
    const name = info.IdentityName;
    // GetEmailIdentity answers with the identity's sending-authorization policies too (`Policies`): one call per
    // identity, not two. An answer without the field (an emulator, an older endpoint) is not read as "no policy":
    // GetEmailIdentityPolicies is asked then.
    const detail = await attempt(scope, V2, 'ses:GetEmailIdentity', () => v2.send(new GetEmailIdentityCommand({ EmailIdentity: name })));
    const policies =
      detail.ok && detail.value.Policies === undefined
        ? await attempt(scope, V2, 'ses:GetEmailIdentityPolicies', () => v2.send(new GetEmailIdentityPoliciesCommand({ EmailIdentity: name })))
        : detail;
    return { info, detail, policies };
  });
  const notificationsPromise = collectNotifications(scope, region, infos.map((i) => i.IdentityName), options.notificationIntervalMs ?? NOTIFICATION_INTERVAL_MS);

  const [sets, details, notifications] = await Promise.all([setsPromise, detailsPromise, notificationsPromise]);
  const present = details.filter((d) => d.detail.ok || !isNotFound(d.detail.error));

  const identities = await mapAll(present, async ({ info, detail, policies }) =>
    identityProps(info, detail, policies, notifications.byIdentity.get(info.IdentityName) ?? unknown(`ses:GetIdentityNotificationAttributes did not return ${info.IdentityName}`), configurationSetOf),
  );
  linkParentDomains(identities);

  const resources: Resource[] = [];
  for (const props of identities) {
    const name = props.identity as string;
    const id = arn(scope, 'ses', region, `identity/${name}`);
    resources.push({ type: 'aws.ses.identity', id, name, provenance: provenance(scope, id, region), props });
  }
  if (listedSets.ok) {
    for (const { name, props } of sets) {
      if (props === null || isUnknown(props)) continue;
      const id = arn(scope, 'ses', region, `configuration-set/${name}`);
      resources.push({ type: 'aws.ses.configuration-set', id, name, provenance: provenance(scope, id, region), props });
    }
  } else {
    errors.push(callError(scope, region, 'ses:ListConfigurationSets', listedSets.error, ['aws.ses.configuration-set']));
  }
  // The SNS collector finds notification topics through the identities: when those cannot be read, the
  // topics SES writes feedback to cannot all be known either (SESG-SES-005 is then not assessed here).
  if (!listedIdentities.ok) {
    errors.push(callError(scope, region, 'ses:ListEmailIdentities', listedIdentities.error, ['aws.ses.identity', 'aws.sns.topic']));
  }
  if (notifications.error !== undefined) {
    errors.push(callError(scope, region, 'ses:GetIdentityNotificationAttributes', notifications.error, ['aws.sns.topic']));
  }

  const accountId = arn(scope, 'ses', region, 'account');
  resources.push({
    type: 'aws.ses.account',
    id: accountId,
    name: `${scope.accountId}/${region}`,
    provenance: provenance(scope, accountId, region),
    props: accountProps(scope, region, account, listedIdentities.ok ? identities : failed(listedIdentities), options.alarms),
  });
  return { resources, errors };
}

function accountProps(
  scope: AccountScope,
  region: string,
  account: Attempt<GetAccountCommandOutput>,
  identities: SesIdentityProps[] | Unknown,
  alarms: Maybe<CloudWatchAlarmProps[]>,
): SesAccountProps {
  let verifiedIdentityCount: Maybe<number>;
  if (isUnknown(identities)) verifiedIdentityCount = identities;
  else {
    const undecided = identities.find((i) => isUnknown(i.verified));
    verifiedIdentityCount = undecided ? (undecided.verified as Unknown) : identities.filter((i) => i.verified === true).length;
  }
  if (!account.ok) {
    const reason = failed(account);
    return {
      account: scope.accountId,
      region,
      productionAccessEnabled: reason,
      enforcementStatus: reason,
      sendingEnabled: reason,
      max24HourSend: reason,
      sentLast24Hours: reason,
      suppressedReasons: reason,
      verifiedIdentityCount,
      alarms,
    };
  }
  const a = account.value;
  return {
    account: scope.accountId,
    region,
    productionAccessEnabled: a.ProductionAccessEnabled === true,
    enforcementStatus: a.EnforcementStatus ?? unknown('ses:GetAccount returned no EnforcementStatus'),
    sendingEnabled: a.SendingEnabled === true,
    max24HourSend: a.SendQuota?.Max24HourSend ?? unknown('ses:GetAccount returned no SendQuota'),
    sentLast24Hours: a.SendQuota?.SentLast24Hours ?? unknown('ses:GetAccount returned no SendQuota'),
    suppressedReasons: (a.SuppressionAttributes?.SuppressedReasons ?? []).map(String),
    verifiedIdentityCount,
    alarms,
  };
}

async function identityProps(
  info: IdentityInfo & { IdentityName: string },
  detail: Attempt<GetEmailIdentityCommandOutput>,
  policies: Attempt<{ Policies?: Record<string, string> }>,
  notifications: Maybe<SesNotifications>,
  configurationSetOf: (name: string) => Promise<Maybe<SesConfigurationSetProps> | null>,
): Promise<SesIdentityProps> {
  const name = info.IdentityName;
  const type = info.IdentityType ?? (detail.ok ? detail.value.IdentityType : undefined);
  const kind = type === 'EMAIL_ADDRESS' || (type === undefined && name.includes('@')) ? 'email' : 'domain';

  const sendingPolicies: SesIdentityPolicy[] = policies.ok
    ? Object.entries(policies.value.Policies ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([policyName, text]) => ({ name: policyName, document: normalizePolicyDocument(text) }))
    : // Unknown policy names: one placeholder whose Unknown document makes the policy checks not assessed.
      [{ name: '(sending-authorization policies)', document: failed(policies) }];

  if (!detail.ok) {
    const reason = failed(detail);
    return {
      identity: name,
      kind,
      verified: info.VerificationStatus ? info.VerificationStatus === 'SUCCESS' : reason,
      dkim: { signingEnabled: reason, status: reason },
      mailFrom: { domain: reason, status: reason },
      configurationSetName: reason,
      configurationSet: reason,
      notifications,
      policies: sendingPolicies,
    };
  }
  const d = detail.value;
  const verified = d.VerifiedForSendingStatus === true || (d.VerificationStatus ?? info.VerificationStatus) === 'SUCCESS';
  const props: SesIdentityProps = {
    identity: name,
    kind,
    verified,
    dkim: {
      signingEnabled: d.DkimAttributes?.SigningEnabled === true,
      status: d.DkimAttributes?.Status ?? 'NOT_STARTED',
    },
    mailFrom: d.MailFromAttributes?.MailFromDomain
      ? { domain: d.MailFromAttributes.MailFromDomain, status: d.MailFromAttributes.MailFromDomainStatus ?? unknown('no MAIL FROM status') }
      : {},
    notifications,
    policies: sendingPolicies,
  };
  if (d.ConfigurationSetName) {
    props.configurationSetName = d.ConfigurationSetName;
    const set = await configurationSetOf(d.ConfigurationSetName);
    props.configurationSet = set ?? unknown(`default configuration set ${d.ConfigurationSetName} does not exist (ses:GetConfigurationSet: NotFoundException)`);
  }
  return props;
}

/** An address identity inherits DKIM from its nearest domain identity in the same region. */
function linkParentDomains(identities: SesIdentityProps[]): void {
  const domains = new Map<string, SesIdentityProps>();
  for (const i of identities) if (i.kind === 'domain' && typeof i.identity === 'string') domains.set(i.identity.toLowerCase(), i);
  for (const i of identities) {
    if (i.kind !== 'email' || typeof i.identity !== 'string') continue;
    const parent = candidateParents(i.identity).map((d) => domains.get(d)).find((d) => d !== undefined);
    if (!parent) continue;
    i.parentDomain = { identity: parent.identity as string, dkimSigningEnabled: parent.dkim.signingEnabled, dkimStatus: parent.dkim.status };
  }
}

/**
 * SES v1 notification topics of the identities, in batches of at most 100, one call at a time spaced at least
 * `intervalMs` apart (SES allows one GetIdentityNotificationAttributes call per second). A failed batch makes
 * the notifications of its identities Unknown; the other batches still count.
 */
async function collectNotifications(
  scope: AccountScope,
  region: string,
  names: string[],
  intervalMs: number,
): Promise<{ byIdentity: Map<string, Maybe<SesNotifications>>; error?: unknown }> {
  const out = new Map<string, Maybe<SesNotifications>>();
  let firstError: unknown;
  if (names.length === 0) return { byIdentity: out };
  const v1 = clientOf(scope, SESClient, region);
  let lastStart: number | undefined;
  for (let i = 0; i < names.length; i += NOTIFICATION_BATCH) {
    const batch = names.slice(i, i + NOTIFICATION_BATCH);
    // A timer may fire a millisecond early by the wall clock: wait until the interval has really passed since
    // the previous call started (its start taken inside the limiter, when the request is actually sent).
    for (let wait = remaining(lastStart, intervalMs); wait > 0; wait = remaining(lastStart, intervalMs)) await sleep(wait);
    const result = await attempt(scope, V1, 'ses:GetIdentityNotificationAttributes', () => {
      lastStart = Date.now();
      return v1.send(new GetIdentityNotificationAttributesCommand({ Identities: batch }));
    });
    if (!result.ok) firstError ??= result.error;
    for (const name of batch) {
      if (!result.ok) {
        out.set(name, failed(result));
        continue;
      }
      const attributes: IdentityNotificationAttributes | undefined = result.value.NotificationAttributes?.[name];
      if (!attributes) continue;
      const n: SesNotifications = { forwardingEnabled: attributes.ForwardingEnabled === true };
      if (attributes.BounceTopic) n.bounceTopic = attributes.BounceTopic;
      if (attributes.ComplaintTopic) n.complaintTopic = attributes.ComplaintTopic;
      if (attributes.DeliveryTopic) n.deliveryTopic = attributes.DeliveryTopic;
      out.set(name, n);
    }
  }
  return { byIdentity: out, error: firstError };
}
