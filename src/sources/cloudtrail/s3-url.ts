// S3 log locations (s3://bucket/prefix) recognised and split without the AWS SDK, so that telling local
// paths from S3 prefixes does not load the S3 client.
import { ConfigError } from '../../errors.js';

export interface S3Location {
  bucket: string;
  prefix: string;
}

export function isS3Url(input: string): boolean {
  return /^s3:\/\//i.test(input);
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!match || match[1] === '') throw new ConfigError(`not an S3 URL: ${url} (expected s3://bucket/prefix)`);
  return { bucket: match[1], prefix: match[2] };
}
