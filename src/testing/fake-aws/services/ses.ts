// SES: SESv2 (restJson1, /v2/email/…) for account, identities and configuration sets; SES v1
// (awsQuery) for identity notification topics, at most 100 identities per call like AWS.
import { ApiError } from '../protocol.js';
import type { SesConfigurationSetScenario, SesIdentityScenario } from '../scenario.js';
import { XmlMap } from '../xml.js';
import { paginate, type FakeRequest, type World } from '../world.js';
import { memberList } from './iam.js';

type Handler = (req: FakeRequest, world: World) => unknown;

/** restJson routes of SESv2: method, path pattern with `{Label}`s, operation. Old GET list forms kept too. */
export const SESV2_ROUTES: [string, string, string][] = [
  ['GET', '/v2/email/account', 'GetAccount'],
  ['POST', '/v2/email/list-identities', 'ListEmailIdentities'],
  ['GET', '/v2/email/identities', 'ListEmailIdentities'],
  ['GET', '/v2/email/identities/{EmailIdentity}', 'GetEmailIdentity'],
  ['GET', '/v2/email/identities/{EmailIdentity}/policies', 'GetEmailIdentityPolicies'],
  ['POST', '/v2/email/list-configuration-sets', 'ListConfigurationSets'],
  ['GET', '/v2/email/configuration-sets', 'ListConfigurationSets'],
  ['GET', '/v2/email/configuration-sets/{ConfigurationSetName}', 'GetConfigurationSet'],
  ['GET', '/v2/email/configuration-sets/{ConfigurationSetName}/event-destinations', 'GetConfigurationSetEventDestinations'],
];

const badToken = (): ApiError => new ApiError('BadRequestException', 'Invalid NextToken', 400);

function listParam(req: FakeRequest, name: string): unknown {
  return req.json[name] ?? req.query.get(name) ?? undefined;
}

function identities(req: FakeRequest, world: World): SesIdentityScenario[] {
  return world.region(req.account, req.region).ses?.identities ?? [];
}

function identity(req: FakeRequest, world: World): SesIdentityScenario {
  const name = req.labels.EmailIdentity;
  const found = identities(req, world).find((i) => i.IdentityName === name);
  if (!found) throw new ApiError('NotFoundException', `Email identity ${name} does not exist.`, 404);
  return found;
}

function configurationSet(req: FakeRequest, world: World): SesConfigurationSetScenario {
  const name = req.labels.ConfigurationSetName;
  const found = (world.region(req.account, req.region).ses?.configurationSets ?? []).find((c) => c.ConfigurationSetName === name);
  if (!found) throw new ApiError('NotFoundException', `Configuration set <${name}> does not exist.`, 404);
  return found;
}

function policies(i: SesIdentityScenario): Record<string, string> {
  return Object.fromEntries(Object.entries(i.Policies ?? {}).map(([name, doc]) => [name, JSON.stringify(doc)]));
}

export const sesv2Handlers: Record<string, Handler> = {
  GetAccount(req, world) {
    const a = world.region(req.account, req.region).ses?.account ?? {};
    // A fresh account: in the sandbox, healthy, 200 messages a day.
    return {
      DedicatedIpAutoWarmupEnabled: a.DedicatedIpAutoWarmupEnabled ?? false,
      EnforcementStatus: a.EnforcementStatus ?? 'HEALTHY',
      ProductionAccessEnabled: a.ProductionAccessEnabled ?? false,
      SendingEnabled: a.SendingEnabled ?? true,
      SendQuota: {
        Max24HourSend: a.SendQuota?.Max24HourSend ?? 200,
        MaxSendRate: a.SendQuota?.MaxSendRate ?? 1,
        SentLast24Hours: a.SendQuota?.SentLast24Hours ?? 0,
      },
      SuppressionAttributes: { SuppressedReasons: a.SuppressionAttributes?.SuppressedReasons ?? [] },
    };
  },

  ListEmailIdentities(req, world) {
    const p = paginate(identities(req, world), listParam(req, 'NextToken'), listParam(req, 'PageSize'), world.pageSizeFor(req.operation), badToken);
    return {
      EmailIdentities: p.items.map((i) => ({
        IdentityType: i.IdentityType,
        IdentityName: i.IdentityName,
        SendingEnabled: i.SendingEnabled ?? true,
        VerificationStatus: i.VerificationStatus ?? 'SUCCESS',
      })),
      NextToken: p.next,
    };
  },

  GetEmailIdentity(req, world) {
    const i = identity(req, world);
    const status = i.VerificationStatus ?? 'SUCCESS';
    return {
      IdentityType: i.IdentityType,
      FeedbackForwardingStatus: i.FeedbackForwardingStatus ?? true,
      VerifiedForSendingStatus: status === 'SUCCESS',
      VerificationStatus: status,
      DkimAttributes: {
        SigningEnabled: i.DkimAttributes?.SigningEnabled ?? false,
        Status: i.DkimAttributes?.Status ?? 'NOT_STARTED',
        Tokens: i.DkimAttributes?.Tokens ?? [],
        SigningAttributesOrigin: i.DkimAttributes?.SigningAttributesOrigin ?? 'AWS_SES',
      },
      MailFromAttributes: i.MailFromAttributes
        ? { BehaviorOnMxFailure: 'USE_DEFAULT_VALUE', ...i.MailFromAttributes }
        : undefined,
      Policies: policies(i),
      Tags: [],
      ConfigurationSetName: i.ConfigurationSetName,
    };
  },

  GetEmailIdentityPolicies(req, world) {
    return { Policies: policies(identity(req, world)) };
  },

  ListConfigurationSets(req, world) {
    const sets = world.region(req.account, req.region).ses?.configurationSets ?? [];
    const p = paginate(sets, listParam(req, 'NextToken'), listParam(req, 'PageSize'), world.pageSizeFor(req.operation), badToken);
    return { ConfigurationSets: p.items.map((c) => c.ConfigurationSetName), NextToken: p.next };
  },

  GetConfigurationSet(req, world) {
    const c = configurationSet(req, world);
    return {
      ConfigurationSetName: c.ConfigurationSetName,
      DeliveryOptions: { TlsPolicy: c.DeliveryOptions?.TlsPolicy ?? 'OPTIONAL', SendingPoolName: c.DeliveryOptions?.SendingPoolName },
      ReputationOptions: { ReputationMetricsEnabled: c.ReputationOptions?.ReputationMetricsEnabled ?? false },
      SendingOptions: { SendingEnabled: c.SendingOptions?.SendingEnabled ?? true },
      TrackingOptions: c.TrackingOptions,
      SuppressionOptions: c.SuppressionOptions,
      Tags: [],
    };
  },

  GetConfigurationSetEventDestinations(req, world) {
    const c = configurationSet(req, world);
    return {
      EventDestinations: (c.EventDestinations ?? []).map((d) => ({ Enabled: false, ...d })),
    };
  },
};

export const MAX_NOTIFICATION_IDENTITIES = 100;

export const sesV1Handlers: Record<string, Handler> = {
  GetIdentityNotificationAttributes(req, world) {
    const names = memberList(req.form, 'Identities');
    if (names.length > MAX_NOTIFICATION_IDENTITIES) {
      throw new ApiError(
        'ValidationError',
        `1 validation error detected: Value at 'identities' failed to satisfy constraint: Member must have length less than or equal to ${MAX_NOTIFICATION_IDENTITIES}`,
        400,
      );
    }
    const known = identities(req, world);
    const entries: Record<string, unknown> = {};
    for (const name of names) {
      const i = known.find((x) => x.IdentityName === name);
      if (!i) continue; // unknown identities are left out of the map, as SES does
      const n = i.Notifications ?? {};
      entries[name] = {
        BounceTopic: n.BounceTopic,
        ComplaintTopic: n.ComplaintTopic,
        DeliveryTopic: n.DeliveryTopic,
        ForwardingEnabled: n.ForwardingEnabled ?? i.FeedbackForwardingStatus ?? true,
        HeadersInBounceNotificationsEnabled: n.HeadersInBounceNotificationsEnabled ?? false,
        HeadersInComplaintNotificationsEnabled: n.HeadersInComplaintNotificationsEnabled ?? false,
        HeadersInDeliveryNotificationsEnabled: n.HeadersInDeliveryNotificationsEnabled ?? false,
      };
    }
    return { NotificationAttributes: new XmlMap(entries) };
  },
};
