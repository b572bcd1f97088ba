// SNS collector: the topics SES writes feedback to (v1 notification topics and SNS event destinations), each
// checked for existence and confirmed subscriptions (SESG-SES-005). Calls go to the topic's own region.
import { GetTopicAttributesCommand, SNSClient, paginateListSubscriptionsByTopic } from '@aws-sdk/client-sns';
import type { Maybe, Resource, SnsTopicProps } from '../../../inventory/types.js';
import { isUnknown } from '../../../inventory/types.js';
import type { AccountScope, CallError, Collected } from '../types.js';
import { attempt, attemptPages, callError, clientOf, errorName, failed, mapAll, parseArn, provenance } from './util.js';

const SERVICE = 'sns';

/** Topic ARNs SES uses in the given resources: identity notification topics and SNS event destinations. */
export function sesTopicArns(resources: readonly Resource[]): string[] {
  const topics = new Set<string>();
  const add = (value: Maybe<string> | undefined) => {
    if (typeof value === 'string' && value !== '') topics.add(value);
  };
  const addSet = (set: unknown) => {
    if (!set || isUnknown(set)) return;
    const destinations = (set as { eventDestinations?: unknown }).eventDestinations;
    if (!Array.isArray(destinations)) return;
    for (const d of destinations as { snsTopicArn?: Maybe<string> }[]) add(d.snsTopicArn);
  };
  for (const r of resources) {
    if (r.type === 'aws.ses.identity') {
      const props = (r as Resource<'aws.ses.identity'>).props;
      if (!isUnknown(props.notifications)) {
        add(props.notifications.bounceTopic);
        add(props.notifications.complaintTopic);
        add(props.notifications.deliveryTopic);
      }
      addSet(props.configurationSet);
    } else if (r.type === 'aws.ses.configuration-set') {
      addSet(r.props);
    }
  }
  return [...topics].sort();
}

function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  return name === 'NotFoundException' || name === 'NotFound';
}

/**
 * One `aws.sns.topic` per ARN. A topic that does not exist is a finding (exists false); a topic whose
 * attributes cannot be read (denied, cross-account) is still emitted, with `exists` and its subscriptions
 * Unknown, so SESG-SES-005 is not assessed for that topic by name; the failure is also a CallError for the notice.
 */
export async function collectSnsTopics(scope: AccountScope, topicArns: readonly string[]): Promise<Collected> {
  const errors: CallError[] = [];
  const unique = [...new Set(topicArns)].sort();
  const resources = await mapAll(unique, async (topicArn): Promise<Resource<'aws.sns.topic'>> => {
    const parsed = parseArn(topicArn);
    const region = parsed?.region || 'us-east-1';
    const account = parsed?.account || scope.accountId;
    const client = clientOf(scope, SNSClient, region);
    const resource = (props: SnsTopicProps): Resource<'aws.sns.topic'> => ({
      type: 'aws.sns.topic',
      id: topicArn,
      name: parsed?.resource ?? topicArn,
      provenance: provenance(scope, topicArn, region, account),
      props,
    });

    const attributes = await attempt(scope, SERVICE, 'sns:GetTopicAttributes', () => client.send(new GetTopicAttributesCommand({ TopicArn: topicArn })));
    if (!attributes.ok) {
      if (isNotFound(attributes.error)) return resource({ topicArn, exists: false, subscriptions: [] });
      errors.push(callError(scope, region, 'sns:GetTopicAttributes', attributes.error, []));
      const reason = failed(attributes);
      return resource({ topicArn, exists: reason, subscriptions: reason });
    }
    const listed = await attemptPages(
      scope,
      SERVICE,
      'sns:ListSubscriptionsByTopic',
      paginateListSubscriptionsByTopic({ client }, { TopicArn: topicArn }),
    );
    const subscriptions = listed.ok
      ? listed.value
          .flatMap((p) => p.Subscriptions ?? [])
          .map((s) => ({
            protocol: s.Protocol ?? '',
            endpoint: s.Endpoint ?? '',
            // SNS shows unconfirmed subscriptions with this placeholder instead of an ARN.
            confirmed: !!s.SubscriptionArn && s.SubscriptionArn !== 'PendingConfirmation' && s.SubscriptionArn !== 'Deleted',
          }))
      : failed(listed);
    return resource({ topicArn, exists: true, subscriptions });
  });
  return { resources, errors };
}
