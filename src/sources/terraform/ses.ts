// SES from a Terraform plan: identities (v1 and v2 resources) with DKIM, MAIL FROM, sending-authorization
// policies, v1 notification topics and their default configuration set; configuration sets with their
// event destinations. Provider/AWS defaults are applied where an argument is left out.
import {
  isUnknown,
  unknown,
  type EventDestination,
  type Maybe,
  type Resource,
  type SesConfigurationSetProps,
  type SesIdentityPolicy,
  type SesIdentityProps,
  type SesNotifications,
  type Unknown,
} from '../../inventory/types.js';
import { namedBy, type Context } from './context.js';
import type { TfResource } from './model.js';
import { KNOWN_AFTER_APPLY, block, bool, field, str, strList, upperSnake, type Values } from './values.js';

/** The attribute that holds the identity's name, by resource type. */
const IDENTITY_ATTRIBUTE: Record<string, string> = {
  aws_sesv2_email_identity: 'email_identity',
  aws_ses_domain_identity: 'domain',
  aws_ses_email_identity: 'email',
};
const IDENTITY_TYPES = Object.keys(IDENTITY_ATTRIBUTE);
const CONFIGURATION_SET_TYPES = ['aws_sesv2_configuration_set', 'aws_ses_configuration_set'];

/** The Terraform resource types this adapter reads. */
export const SES_RESOURCE_TYPES = [
  ...IDENTITY_TYPES,
  ...CONFIGURATION_SET_TYPES,
  'aws_sesv2_configuration_set_event_destination',
  'aws_ses_event_destination',
  'aws_ses_domain_dkim',
  'aws_ses_domain_mail_from',
  'aws_sesv2_email_identity_mail_from_attributes',
  'aws_ses_identity_policy',
  'aws_sesv2_email_identity_policy',
  'aws_ses_identity_notification_topic',
];

function identityName(resource: TfResource): Maybe<string> {
  return str(resource.values[IDENTITY_ATTRIBUTE[resource.type]!]) ?? unknown(KNOWN_AFTER_APPLY);
}

function matchesIdentity(target: TfResource, value: string): boolean {
  const name = target.values[IDENTITY_ATTRIBUTE[target.type]!];
  if (typeof name === 'string' && name.toLowerCase() === value.toLowerCase()) return true;
  const fromArn = /^arn:aws[a-z-]*:ses:[^:]*:[^:]*:identity\/(.+)$/.exec(value)?.[1];
  return (fromArn !== undefined && fromArn.toLowerCase() === String(name).toLowerCase()) || target.values.arn === value;
}

function configurationSetName(resource: TfResource): Maybe<string> {
  const attribute = resource.type === 'aws_sesv2_configuration_set' ? 'configuration_set_name' : 'name';
  return str(resource.values[attribute]) ?? unknown(KNOWN_AFTER_APPLY);
}

function matchesConfigurationSet(target: TfResource, value: string): boolean {
  return namedBy(target, value, [target.type === 'aws_sesv2_configuration_set' ? 'configuration_set_name' : 'name'], 'configuration-set');
}

/** Which kinds of target an event destination writes to, from the blocks that are set. */
function targets(destination: Values | Unknown, kinds: [string, string][]): string[] {
  const out: string[] = [];
  for (const [attribute, kind] of kinds) if (block(field(destination, attribute)) !== undefined) out.push(kind);
  return out;
}

/** Upper-case event types; a wholly unknown list becomes one unknown element (read as "maybe any type"). */
function eventTypes(value: unknown): Maybe<string>[] {
  const list = strList(value);
  if (isUnknown(list)) return [list];
  return list.map((t) => (typeof t === 'string' ? upperSnake(t) : t));
}

function eventDestination(ctx: Context, owner: TfResource, resource: TfResource): EventDestination {
  const v = resource.values;
  if (resource.type === 'aws_sesv2_configuration_set_event_destination') {
    const d = block(v.event_destination) ?? {};
    const sns = block(field(d, 'sns_destination'));
    return {
      name: String(str(v.event_destination_name) ?? resource.address),
      ...ctx.lineIn(owner, resource),
      enabled: bool(field(d, 'enabled'), false),
      matchingEventTypes: eventTypes(field(d, 'matching_event_types')),
      targets: targets(d, [
        ['sns_destination', 'sns'],
        ['cloud_watch_destination', 'cloudwatch'],
        ['kinesis_firehose_destination', 'firehose'],
        ['event_bridge_destination', 'eventbridge'],
        ['pinpoint_destination', 'pinpoint'],
      ]),
      ...(sns !== undefined ? { snsTopicArn: str(field(sns, 'topic_arn')) ?? unknown(KNOWN_AFTER_APPLY) } : {}),
    };
  }
  const sns = block(v.sns_destination);
  return {
    name: String(str(v.name) ?? resource.address),
    ...ctx.lineIn(owner, resource),
    enabled: bool(v.enabled, false),
    matchingEventTypes: eventTypes(v.matching_types),
    targets: targets(v, [
      ['sns_destination', 'sns'],
      ['cloudwatch_destination', 'cloudwatch'],
      ['kinesis_destination', 'firehose'],
    ]),
    ...(sns !== undefined ? { snsTopicArn: str(field(sns, 'topic_arn')) ?? unknown(KNOWN_AFTER_APPLY) } : {}),
  };
}

function configurationSetProps(ctx: Context, set: TfResource, destinations: TfResource[]): SesConfigurationSetProps {
  const v = set.values;
  const eventDestinations = destinations.map((d) => eventDestination(ctx, set, d));
  if (set.type === 'aws_sesv2_configuration_set') {
    // These blocks are Optional+Computed: left out of the configuration, they print as unknown.
    const options = (name: string) => block(ctx.value(set, name, 'block'));
    const tls = str(field(options('delivery_options'), 'tls_policy'));
    return {
      configurationSetName: configurationSetName(set),
      reputationMetricsEnabled: bool(field(options('reputation_options'), 'reputation_metrics_enabled'), false),
      tlsPolicy: typeof tls === 'string' ? tls.toUpperCase() : (tls ?? 'OPTIONAL'),
      sendingEnabled: bool(field(options('sending_options'), 'sending_enabled'), true),
      eventDestinations,
    };
  }
  const tls = str(field(block(v.delivery_options), 'tls_policy'));
  return {
    configurationSetName: configurationSetName(set),
    reputationMetricsEnabled: bool(v.reputation_metrics_enabled, false),
    tlsPolicy: typeof tls === 'string' ? tls.toUpperCase() : (tls ?? 'OPTIONAL'),
    sendingEnabled: bool(v.sending_enabled, true),
    eventDestinations,
  };
}

/** The key under which resources naming the same identity outside the plan share one placeholder. */
function outsideIdentityKey(value: Maybe<string>, resource: TfResource): string {
  if (isUnknown(value)) return `unknown:${resource.address}`;
  const fromArn = /^arn:aws[a-z-]*:ses:[^:]*:[^:]*:identity\/(.+)$/.exec(value)?.[1];
  return `outside:${(fromArn ?? value).toLowerCase()}`;
}

/** The identity name of a value that names an identity outside the plan (a name, or an identity ARN). */
function outsideIdentityName(value: Maybe<string>): Maybe<string> {
  if (isUnknown(value)) return value;
  return /^arn:aws[a-z-]*:ses:[^:]*:[^:]*:identity\/(.+)$/.exec(value)?.[1] ?? value;
}

/** What the plan attaches to one identity (of the plan, or defined elsewhere). */
interface Attachments {
  dkim: TfResource[];
  mailFrom: Maybe<string>[];
  policies: TfResource[];
  topics: TfResource[];
  /** Every resource above (DKIM, MAIL FROM, policies, topics): what the identity carries. */
  sources: TfResource[];
  /** For an identity outside the plan: the value naming it and the resource that names it first. */
  outside?: { value: Maybe<string>; first: TfResource };
}

export function adaptSes(ctx: Context): Resource[] {
  const out: Resource[] = [];

  // Configuration sets and their event destinations; destinations of a set defined elsewhere share a
  // placeholder set, so they are still evaluated.
  const destinationsOf = new Map<string, TfResource[]>();
  const outsideSets = new Map<string, { name: Maybe<string>; first: TfResource; destinations: TfResource[] }>();
  for (const destination of ctx.ofType('aws_sesv2_configuration_set_event_destination', 'aws_ses_event_destination')) {
    const linked = ctx.link(destination, 'configuration_set_name', CONFIGURATION_SET_TYPES, matchesConfigurationSet, true);
    for (const set of linked.targets) destinationsOf.set(set.address, [...(destinationsOf.get(set.address) ?? []), destination]);
    for (const name of linked.outside) {
      const key = isUnknown(name) ? `unknown:${destination.address}` : name;
      const entry = outsideSets.get(key) ?? { name, first: destination, destinations: [] };
      entry.destinations.push(destination);
      outsideSets.set(key, entry);
    }
  }
  const setProps = new Map<string, SesConfigurationSetProps>();
  for (const set of ctx.ofType(...CONFIGURATION_SET_TYPES)) {
    const props = configurationSetProps(ctx, set, destinationsOf.get(set.address) ?? []);
    setProps.set(set.address, props);
    out.push(ctx.emit('aws.ses.configuration-set', set, props.configurationSetName, props, destinationsOf.get(set.address)));
  }
  for (const { name, first, destinations } of outsideSets.values()) {
    const missing = unknown(
      isUnknown(name) ? name.$unknown : `configuration set "${name}" is not defined in ${ctx.model.scope}`,
    );
    out.push(
      ctx.emit('aws.ses.configuration-set', first, isUnknown(name) ? undefined : name, {
        configurationSetName: name,
        reputationMetricsEnabled: missing,
        tlsPolicy: missing,
        sendingEnabled: missing,
        eventDestinations: destinations.map((d) => eventDestination(ctx, first, d)),
      }, destinations),
    );
  }

  // Everything that hangs off an identity, linked by reference or by name/ARN; what names an identity
  // outside the plan is gathered per identity, for a placeholder.
  const attachmentsOf = new Map<string, Attachments>();
  const entry = (key: string, outside?: Attachments['outside']): Attachments => {
    let found = attachmentsOf.get(key);
    if (!found) {
      found = { dkim: [], mailFrom: [], policies: [], topics: [], sources: [], ...(outside ? { outside } : {}) };
      attachmentsOf.set(key, found);
    }
    return found;
  };
  const attach = (types: string[], attribute: (r: TfResource) => string, add: (a: Attachments, r: TfResource) => void): void => {
    for (const resource of ctx.ofType(...types)) {
      const linked = ctx.link(resource, attribute(resource), IDENTITY_TYPES, matchesIdentity, true);
      const to = [...linked.targets.map((identity) => entry(identity.address)), ...linked.outside.map((value) => entry(outsideIdentityKey(value, resource), { value, first: resource }))];
      for (const attachments of to) {
        add(attachments, resource);
        attachments.sources.push(resource);
      }
    }
  };
  attach(['aws_ses_domain_dkim'], () => 'domain', (a, r) => a.dkim.push(r));
  attach(
    ['aws_ses_domain_mail_from', 'aws_sesv2_email_identity_mail_from_attributes'],
    (r) => (r.type === 'aws_ses_domain_mail_from' ? 'domain' : 'email_identity'),
    (a, r) => a.mailFrom.push(str(r.values.mail_from_domain) ?? unknown(KNOWN_AFTER_APPLY)),
  );
  attach(
    ['aws_ses_identity_policy', 'aws_sesv2_email_identity_policy'],
    (r) => (r.type === 'aws_ses_identity_policy' ? 'identity' : 'email_identity'),
    (a, r) => a.policies.push(r),
  );
  attach(['aws_ses_identity_notification_topic'], () => 'identity', (a, r) => a.topics.push(r));
  const none: Attachments = { dkim: [], mailFrom: [], policies: [], topics: [], sources: [] };

  const identities = ctx.ofType(...IDENTITY_TYPES);
  /** DKIM signing of a domain identity of the plan. */
  const domainSigning = (identity: TfResource): Maybe<boolean> =>
    identity.type === 'aws_sesv2_email_identity' ? true : (attachmentsOf.get(identity.address)?.dkim.length ?? 0) > 0;
  // Domain identities by lower-case name (the first one written wins, as a search in order would find it).
  const domains = new Map<string, TfResource>();
  for (const d of identities) {
    const name = d.values[IDENTITY_ATTRIBUTE[d.type]!];
    if (typeof name === 'string' && !name.includes('@') && !domains.has(name.toLowerCase())) domains.set(name.toLowerCase(), d);
  }
  const parentDomainOf = (email: string): TfResource | undefined => {
    const labels = email.slice(email.lastIndexOf('@') + 1).toLowerCase().split('.');
    // An address inherits DKIM from its domain, and a subdomain from its parent domain.
    for (let i = 0; i < labels.length - 1; i++) {
      const hit = domains.get(labels.slice(i).join('.'));
      if (hit) return hit;
    }
    return undefined;
  };

  /** Policies and notifications of an identity, positioned relative to `owner`. */
  const policiesFor = (owner: TfResource, attached: Attachments): SesIdentityPolicy[] =>
    attached.policies.map((p) => ({
      name: String(str(p.type === 'aws_ses_identity_policy' ? p.values.name : p.values.policy_name) ?? p.address),
      ...ctx.lineIn(owner, p),
      document: ctx.document(owner, p.values.policy, 'the policy document is not set'),
      definedAt: ctx.provenance(p),
    }));
  const notificationsFor = (attached: Attachments): SesNotifications => {
    const notifications: SesNotifications = {};
    for (const topic of attached.topics) {
      const type = str(topic.values.notification_type);
      const arn = str(topic.values.topic_arn) ?? '';
      if (type === 'Bounce') notifications.bounceTopic = arn;
      else if (type === 'Complaint') notifications.complaintTopic = arn;
      else if (type === 'Delivery') notifications.deliveryTopic = arn;
    }
    return notifications;
  };

  for (const identity of identities) {
    const attached = attachmentsOf.get(identity.address) ?? none;
    const name = identityName(identity);
    const kind: SesIdentityProps['kind'] =
      identity.type === 'aws_ses_email_identity' || (typeof name === 'string' && name.includes('@')) ? 'email' : 'domain';

    let signingEnabled: Maybe<boolean>;
    let parentDomain: SesIdentityProps['parentDomain'];
    if (kind === 'domain') {
      signingEnabled = domainSigning(identity);
    } else {
      // An address identity has no DKIM keys of its own: it signs through its domain identity.
      const parent = typeof name === 'string' ? parentDomainOf(name) : undefined;
      if (parent) {
        signingEnabled = false;
        parentDomain = { identity: String(identityName(parent)), dkimSigningEnabled: domainSigning(parent) };
      } else {
        signingEnabled = unknown(`DKIM of an address identity comes from its domain identity, which is not in ${ctx.model.scope}`);
      }
    }

    const mailFrom = attached.mailFrom[0];
    const props: SesIdentityProps = {
      identity: name,
      kind,
      verified: true,
      dkim: { signingEnabled },
      ...(parentDomain ? { parentDomain } : {}),
      mailFrom: mailFrom !== undefined ? { domain: mailFrom } : {},
      notifications: notificationsFor(attached),
      policies: policiesFor(identity, attached),
    };

    if (identity.type === 'aws_sesv2_email_identity') {
      const raw = identity.values.configuration_set_name;
      if (raw !== undefined && raw !== null && raw !== '') {
        const linked = ctx.link(identity, 'configuration_set_name', CONFIGURATION_SET_TYPES, matchesConfigurationSet);
        const set = linked.targets[0];
        if (set) {
          const resolved = setProps.get(set.address)!;
          props.configurationSetName = resolved.configurationSetName;
          props.configurationSet = resolved;
        } else {
          const setName = str(raw) ?? unknown(KNOWN_AFTER_APPLY);
          props.configurationSetName = setName;
          props.configurationSet = unknown(
            isUnknown(setName)
              ? 'the default configuration set is known only after apply'
              : `configuration set "${setName}" is not defined in ${ctx.model.scope}`,
          );
        }
      }
    }
    out.push(ctx.emit('aws.ses.identity', identity, name, props, attached.sources));
  }

  // Identities defined elsewhere that the plan gives a policy, DKIM, MAIL FROM or a topic: a placeholder
  // carries what the plan says (so a public sending-authorization policy still fails SESG-SES-001); what
  // only the identity itself knows (is it verified, its other settings) is Unknown, naming it.
  for (const attached of attachmentsOf.values()) {
    if (!attached.outside) continue;
    const { value, first } = attached.outside;
    const name = outsideIdentityName(value);
    const missing = unknown(isUnknown(name) ? name.$unknown : `SES identity ${name} is not defined in ${ctx.model.scope}`);
    const mailFrom = attached.mailFrom[0];
    out.push(
      ctx.emit('aws.ses.identity', first, isUnknown(name) ? undefined : name, {
        identity: name,
        // An unknown name is taken as a domain: the domain-only checks then stay not assessed, never not applicable.
        kind: typeof name === 'string' && name.includes('@') ? 'email' : 'domain',
        verified: missing,
        dkim: { signingEnabled: attached.dkim.length > 0 ? true : missing },
        mailFrom: mailFrom !== undefined ? { domain: mailFrom } : {},
        notifications: notificationsFor(attached),
        policies: policiesFor(first, attached),
      }, attached.sources),
    );
  }
  return out;
}
