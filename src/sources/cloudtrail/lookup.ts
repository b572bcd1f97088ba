// LookupEvents (CloudTrail event history, 90 days, management events only) per region, paginated and
// rate-limited to 2 requests/s per region as the API allows. Rather than paging through every event of
// an account, it asks for what the detections read: every SES event, and each non-SES event by name.
// A failing region is one error entry (region + call); the other regions are still read.
import { CloudTrailClient, LookupEventsCommand, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
import type { InputError } from '../../inventory/types.js';
import type { CloudTrailRecord } from './types.js';
import { describeFailure, jsonProblemMessage } from './read.js';

/** LookupEvents allows 2 requests per second per account and region. */
export const LOOKUP_INTERVAL_MS = 500;

export { DEFAULT_REGIONS } from './regions.js';

export interface LookupQuery {
  /** Event sources whose every event is wanted (ses.amazonaws.com). */
  sources: string[];
  /** Further events wanted by name (their sources are noisy: ec2, iam, monitoring). */
  names: string[];
}

export interface LookupOptions {
  since: Date;
  until: Date;
  query: LookupQuery;
  onError(error: InputError): void;
  /** Injected in tests; real time otherwise. */
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

export function defaultCloudTrailClient(region: string, endpoint?: string): CloudTrailClient {
  return new CloudTrailClient({ region, ...(endpoint ? { endpoint } : {}) });
}

/** One region's events matching the query. Yields parsed CloudTrailEvent records. */
export async function* lookupRegion(client: CloudTrailClient, region: string, options: LookupOptions): AsyncGenerator<CloudTrailRecord> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? Date.now;
  let nextSlot = 0;
  const attributes: LookupAttribute[] = [
    ...options.query.sources.map((value) => ({ AttributeKey: 'EventSource' as const, AttributeValue: value })),
    ...options.query.names.map((value) => ({ AttributeKey: 'EventName' as const, AttributeValue: value })),
  ];
  for (const attribute of attributes) {
    let token: string | undefined;
    do {
      const wait = nextSlot - clock();
      if (wait > 0) await sleep(wait);
      nextSlot = Math.max(clock(), nextSlot) + LOOKUP_INTERVAL_MS;
      let page;
      try {
        page = await client.send(
          new LookupEventsCommand({
            LookupAttributes: [attribute],
            StartTime: options.since,
            EndTime: options.until,
            MaxResults: 50,
            NextToken: token,
          }),
        );
      } catch (error) {
        options.onError({ region, call: 'LookupEvents', message: describeFailure(error) });
        return;
      }
      for (const event of page.Events ?? []) {
        if (typeof event.CloudTrailEvent !== 'string') continue;
        let record: CloudTrailRecord;
        try {
          record = JSON.parse(event.CloudTrailEvent) as CloudTrailRecord;
        } catch {
          // Positioned, never quoted: the event may hold request parameters that are secrets.
          options.onError({ region, call: 'LookupEvents', message: `event ${event.EventId ?? '?'}: ${jsonProblemMessage(event.CloudTrailEvent, 'CloudTrailEvent is not valid JSON')}` });
          continue;
        }
        yield record;
      }
      token = page.NextToken;
    } while (token);
  }
}
