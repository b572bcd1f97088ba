// SNS (awsQuery): topic attributes and subscriptions of the topics SES notifies.
import { ApiError } from '../protocol.js';
import type { SnsTopicScenario } from '../scenario.js';
import { XmlMap } from '../xml.js';
import { paginate, type FakeRequest, type World } from '../world.js';

type Handler = (req: FakeRequest, world: World) => unknown;

function topicArn(req: FakeRequest, t: SnsTopicScenario): string {
  return `arn:aws:sns:${req.region}:${req.account}:${t.Name}`;
}

function topic(req: FakeRequest, world: World): { arn: string; topic: SnsTopicScenario } {
  const arn = req.form.get('TopicArn') ?? '';
  const found = (world.region(req.account, req.region).sns?.topics ?? []).find((t) => topicArn(req, t) === arn);
  if (!found) throw new ApiError('NotFound', 'Topic does not exist', 404);
  return { arn, topic: found };
}

export const snsHandlers: Record<string, Handler> = {
  GetTopicAttributes(req, world) {
    const { arn, topic: t } = topic(req, world);
    const subs = t.Subscriptions ?? [];
    const confirmed = subs.filter((s) => s.Confirmed ?? true).length;
    return {
      Attributes: new XmlMap({
        TopicArn: arn,
        Owner: req.account,
        DisplayName: t.DisplayName ?? '',
        Policy: JSON.stringify(
          t.Policy ?? {
            Version: '2008-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Resource: arn, Condition: { StringEquals: { 'AWS:SourceOwner': req.account } } }],
          },
        ),
        SubscriptionsConfirmed: String(confirmed),
        SubscriptionsPending: String(subs.length - confirmed),
        SubscriptionsDeleted: '0',
        EffectiveDeliveryPolicy: '{"http":{"defaultHealthyRetryPolicy":{"numRetries":3}}}',
      }),
    };
  },

  ListSubscriptionsByTopic(req, world) {
    const { arn, topic: t } = topic(req, world);
    const p = paginate(t.Subscriptions ?? [], req.form.get('NextToken') ?? undefined, undefined, world.pageSizeFor(req.operation), () =>
      new ApiError('InvalidParameter', 'Invalid parameter: NextToken', 400),
    );
    return {
      Subscriptions: p.items.map((s, i) => ({
        SubscriptionArn: (s.Confirmed ?? true) ? `${arn}:${String(i).padStart(8, '0')}-fake` : 'PendingConfirmation',
        Owner: req.account,
        Protocol: s.Protocol,
        Endpoint: s.Endpoint,
        TopicArn: arn,
      })),
      NextToken: p.next,
    };
  },
};
