// Logs in S3 (s3://bucket/AWSLogs/<account>/CloudTrail/..., …/vpcflowlogs/<region>/..., with or without Hive-
// compatible prefixes `year=YYYY/month=MM/day=DD/`): ListObjectsV2 page by page,
// each object's body streamed into the same reader as local files. A listing failure is one error
// naming the prefix; a failing object is one error naming the object; the rest is still read.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { InputError } from '../../inventory/types.js';
import { isDigestName, isLogName, type TrailObject } from './local.js';
import { describeFailure } from './read.js';
import { parseS3Url } from './s3-url.js';

export { isS3Url, parseS3Url, type S3Location } from './s3-url.js';

export interface S3ClientOptions {
  region?: string;
  /** One endpoint for all services (LocalStack and other emulators). */
  endpoint?: string;
}

/** Emulators serve buckets by path; real S3 follows the bucket's region when it differs from ours. */
export function defaultS3Client(options: S3ClientOptions): S3Client {
  return new S3Client({
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    followRegionRedirects: true,
  });
}

/** `yyyy/mm/dd` in a CloudTrail key, as a UTC day start, or null. */
function dayOf(key: string): number | null {
  const match = /\/(?:year=)?(\d{4})\/(?:month=)?(\d{2})\/(?:day=)?(\d{2})\//.exec(key);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

const DAY = 24 * 3600_000;

export interface S3ListOptions {
  /** Skip day folders that cannot hold events of this range (a file is delivered within minutes). */
  since?: Date;
  until?: Date;
  onSkipped(name: string): void;
  onError(error: InputError): void;
}

/** The log objects under an S3 prefix, listed lazily page by page. */
export async function* listS3(client: S3Client, url: string, options: S3ListOptions): AsyncGenerator<TrailObject> {
  const { bucket, prefix } = parseS3Url(url);
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    } catch (error) {
      options.onError({ file: url, call: 'ListObjectsV2', message: describeFailure(error) });
      return;
    }
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (!key) continue;
      const name = `s3://${bucket}/${key}`;
      if (isDigestName(key) || !isLogName(key)) {
        options.onSkipped(name);
        continue;
      }
      const day = dayOf(key);
      if (day !== null && ((options.since && day + DAY <= options.since.getTime() - DAY) || (options.until && day > options.until.getTime() + DAY))) {
        continue;
      }
      yield { name, open: () => objectBody(client, bucket, key), walked: true };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

async function* objectBody(client: S3Client, bucket: string, key: string): AsyncGenerator<Uint8Array> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = response.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body) return;
  yield* body;
}
