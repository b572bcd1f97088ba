// SES resources of a template → aws.ses.identity and aws.ses.configuration-set, with configuration sets
// joined to their event destinations and identities joined to their default configuration set.
import {
  type EventDestination,
  type Maybe,
  type Resource,
  type SesConfigurationSetProps,
  type SesIdentityProps,
  isUnknown,
  unknown,
} from '../../inventory/types.js';
import type { TemplateContext } from './context.js';
import type { RawResource } from './parse.js';
import { bool, list, obj, str } from './values.js';

const CONFIGURATION_SET = 'AWS::SES::ConfigurationSet';
const EVENT_DESTINATION = 'AWS::SES::ConfigurationSetEventDestination';
const EMAIL_IDENTITY = 'AWS::SES::EmailIdentity';

/** The CloudFormation resource types this adapter reads. CloudFormation has no sending-authorization policy type. */
export const SES_RESOURCE_TYPES: readonly string[] = [CONFIGURATION_SET, EVENT_DESTINATION, EMAIL_IDENTITY];

/** Target property of an event destination → the target kind of the model. */
const TARGETS: [string, string][] = [
  ['SnsDestination', 'sns'],
  ['CloudWatchDestination', 'cloudwatch'],
  ['KinesisFirehoseDestination', 'firehose'],
  ['EventBridgeDestination', 'eventbridge'],
];

/** `renderingFailure` (CloudFormation) → `RENDERING_FAILURE` (SES API). */
function eventType(value: unknown): Maybe<string> {
  const text = str(value) ?? unknown('empty event type');
  if (isUnknown(text)) return text;
  return text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function upper(value: Maybe<string>): Maybe<string> {
  return isUnknown(value) ? value : value.toUpperCase();
}

function eventDestination(resource: RawResource): EventDestination {
  const destination = obj(resource.properties.EventDestination);
  const types = list(destination.MatchingEventTypes);
  const out: EventDestination = {
    name: (() => {
      const name = str(destination.Name);
      return typeof name === 'string' ? name : resource.logicalId;
    })(),
    enabled: bool(destination.Enabled, false),
    matchingEventTypes: isUnknown(types) ? [types] : types.map(eventType),
    targets: TARGETS.filter(([property]) => destination[property] !== undefined).map(([, kind]) => kind),
    line: resource.line,
    column: resource.column,
  };
  if (destination.SnsDestination !== undefined) {
    out.snsTopicArn = str(obj(destination.SnsDestination).TopicARN) ?? unknown('SNS destination without TopicARN');
  }
  return out;
}

function configurationSetName(resource: RawResource): string {
  const name = str(resource.properties.Name);
  return typeof name === 'string' ? name : resource.logicalId;
}

/**
 * A configuration set defined elsewhere, as far as the template shows it: the destinations it writes for the set,
 * and an Unknown standing for the set's other destinations and settings. An identity whose feedback the known
 * destinations already cover is decided; otherwise it is not assessed.
 */
function outsideSet(name: string, destinations: EventDestination[]): Maybe<SesConfigurationSetProps> {
  const missing = unknown(`configuration set ${name} is not defined in this template`);
  if (destinations.length === 0) return missing;
  return {
    configurationSetName: name,
    reputationMetricsEnabled: missing,
    tlsPolicy: missing,
    sendingEnabled: missing,
    eventDestinations: [...destinations, unknown(`the other event destinations of configuration set ${name} are not in this template`)],
  };
}

/**
 * An event destination written for a set defined elsewhere (by name, `Fn::ImportValue`, a parameter): evaluated
 * on its own, as that set as far as the template shows it, under the destination's id, line and suppressions.
 * The set's own settings (SESG-SES-008/009) are not assessed, with the reason.
 */
function outsideSetDestination(context: TemplateContext, resource: RawResource, destination: EventDestination): Resource<'aws.ses.configuration-set'> {
  const reference = resource.properties.ConfigurationSetName;
  const name = str(reference) ?? unknown('ConfigurationSetName is not set');
  const missing = unknown(
    isUnknown(name) ? `the configuration set is not defined in this template: ${name.$unknown}` : `configuration set ${name} is not defined in this template`,
  );
  return {
    type: 'aws.ses.configuration-set',
    id: context.id(resource),
    name: typeof name === 'string' && name !== '' ? name : `event destination ${resource.logicalId}`,
    provenance: context.provenance(resource),
    props: {
      configurationSetName: name,
      reputationMetricsEnabled: missing,
      tlsPolicy: missing,
      sendingEnabled: missing,
      eventDestinations: [destination, missing],
    },
  };
}

export function adaptSes(context: TemplateContext): Resource[] {
  const out: Resource[] = [];
  const sets = new Map<string, SesConfigurationSetProps>();
  for (const resource of context.ofType(CONFIGURATION_SET)) {
    const p = resource.properties;
    const tls = str(obj(p.DeliveryOptions).TlsPolicy);
    const props: SesConfigurationSetProps = {
      configurationSetName: configurationSetName(resource),
      reputationMetricsEnabled: bool(obj(p.ReputationOptions).ReputationMetricsEnabled, false),
      tlsPolicy: tls === undefined ? 'OPTIONAL' : upper(tls),
      sendingEnabled: bool(obj(p.SendingOptions).SendingEnabled, true),
      eventDestinations: [],
    };
    sets.set(resource.logicalId, props);
    out.push({
      type: 'aws.ses.configuration-set',
      id: context.id(resource),
      name: configurationSetName(resource),
      provenance: context.provenance(resource),
      props,
    });
  }
  /** Destinations written for sets defined elsewhere, by the set's name. */
  const outside = new Map<string, EventDestination[]>();
  for (const resource of context.ofType(EVENT_DESTINATION)) {
    const destination = eventDestination(resource);
    const reference = resource.properties.ConfigurationSetName;
    const set = context.target(reference, [CONFIGURATION_SET], 'Name');
    if (set) {
      sets.get(set.logicalId)?.eventDestinations.push(destination);
      continue;
    }
    const name = str(reference);
    if (typeof name === 'string') outside.set(name, [...(outside.get(name) ?? []), destination]);
    out.push(outsideSetDestination(context, resource, destination));
  }

  const identities = context.ofType(EMAIL_IDENTITY);
  const domains = new Map<string, RawResource>();
  for (const resource of identities) {
    const identity = str(resource.properties.EmailIdentity);
    if (typeof identity === 'string' && !identity.includes('@')) domains.set(identity.toLowerCase(), resource);
  }
  for (const resource of identities) {
    const p = resource.properties;
    const identity = str(p.EmailIdentity) ?? unknown('EmailIdentity is not set');
    const kind = typeof identity === 'string' && identity.includes('@') ? 'email' : 'domain';
    const props: SesIdentityProps = {
      identity,
      kind,
      verified: true,
      // An address identity signs with its domain's Easy DKIM: its own setting is not what decides.
      dkim: {
        signingEnabled:
          kind === 'email'
            ? unknown('DKIM of an address identity comes from its domain identity, which is not in this template')
            : bool(obj(p.DkimAttributes).SigningEnabled, true),
      },
      mailFrom: {},
      notifications: {},
      policies: [],
    };
    if (kind === 'email' && typeof identity === 'string') {
      // The address's domain, or the nearest parent domain identity (sub.example.com → example.com).
      const labels = identity.slice(identity.lastIndexOf('@') + 1).toLowerCase().split('.');
      const parent = labels.map((_, i) => domains.get(labels.slice(i).join('.'))).find((d) => d !== undefined);
      if (parent) {
        props.dkim.signingEnabled = false;
        props.parentDomain = {
          identity: String(parent.properties.EmailIdentity),
          dkimSigningEnabled: bool(obj(parent.properties.DkimAttributes).SigningEnabled, true),
        };
      }
    }
    const mailFrom = str(obj(p.MailFromAttributes).MailFromDomain);
    if (mailFrom !== undefined) props.mailFrom.domain = mailFrom;
    const setRef = obj(p.ConfigurationSetAttributes).ConfigurationSetName;
    if (setRef !== undefined && setRef !== null) {
      const set = context.target(setRef, [CONFIGURATION_SET], 'Name');
      if (set) {
        props.configurationSetName = configurationSetName(set);
        props.configurationSet = sets.get(set.logicalId);
      } else {
        const name = str(setRef) ?? unknown('empty configuration set name');
        props.configurationSetName = name;
        props.configurationSet = isUnknown(name) ? name : outsideSet(name, outside.get(name) ?? []);
      }
    }
    out.push({
      type: 'aws.ses.identity',
      id: context.id(resource),
      name: typeof identity === 'string' ? identity : resource.logicalId,
      provenance: context.provenance(resource),
      props,
    });
  }
  return out;
}

