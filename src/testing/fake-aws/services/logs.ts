// CloudWatch Logs (awsJson1_1, target Logs_20140328): FilterLogEvents over a group's streams, events in time
// order (then stream, then position), paginated by the fake's page size; `startTime`/`endTime` in epoch ms
// (end inclusive, as AWS documents it). A missing group answers ResourceNotFoundException.
import { ApiError } from '../protocol.js';
import { hash32, paginate, type FakeRequest, type World } from '../world.js';

type Handler = (req: FakeRequest, world: World) => unknown;

export const logsHandlers: Record<string, Handler> = {
  FilterLogEvents(req, world) {
    const name = String(req.json.logGroupName ?? req.json.logGroupIdentifier ?? '');
    const group = (world.region(req.account, req.region).logs?.groups ?? []).find((g) => g.logGroupName === name);
    if (!group) throw new ApiError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
    if (req.json.filterPattern !== undefined && req.json.filterPattern !== '') {
      throw new ApiError('InvalidParameterException', 'filterPattern is not modelled by the fake', 400);
    }
    const start = typeof req.json.startTime === 'number' ? req.json.startTime : -Infinity;
    const end = typeof req.json.endTime === 'number' ? req.json.endTime : Infinity;
    const streams = Array.isArray(req.json.logStreamNames) ? new Set(req.json.logStreamNames as string[]) : null;
    const events = group.streams
      .filter((s) => !streams || streams.has(s.logStreamName))
      .flatMap((s) =>
        s.events.map((e, i) => ({
          logStreamName: s.logStreamName,
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.timestamp + 60_000,
          eventId: e.eventId ?? String(hash32(`${name}|${s.logStreamName}|${i}`)).padStart(56, '0'),
          position: i,
        })),
      )
      .filter((e) => e.timestamp >= start && e.timestamp <= end)
      .sort((a, b) => a.timestamp - b.timestamp || a.logStreamName.localeCompare(b.logStreamName) || a.position - b.position);
    const p = paginate(events, req.json.nextToken, req.json.limit, world.pageSize, () => new ApiError('InvalidParameterException', 'The specified nextToken is invalid.', 400));
    return { events: p.items.map(({ position: _position, ...event }) => event), nextToken: p.next };
  },
};
