// Options of the commands that call AWS (scan, trail): which regions, and which endpoint.
import { ConfigError } from '../errors.js';
import { SES_REGIONS } from '../sources/aws/regions.js';
import { text, type Options } from './options.js';

function regionList(value: string, flag: string): string[] | 'all' {
  if (value === 'all') return 'all';
  const regions = value.split(',').map((s) => s.trim()).filter(Boolean);
  const known = new Set(Object.values(SES_REGIONS).flat());
  const bad = regions.find((r) => !known.has(r));
  if (bad !== undefined || regions.length === 0) {
    throw new ConfigError(`${flag} takes SES region names separated by commas, or all (got "${bad ?? value}"; SES regions: ${[...known].join(', ')})`);
  }
  return regions;
}

export const REGIONS = {
  regions: text('R,..|all', 'SES regions to read (default: every SES region the account has enabled)', regionList),
} satisfies Options;

export const ENDPOINT = {
  'endpoint-url': text('URL', 'one endpoint for all services (emulators); AWS_ENDPOINT_URL* are honoured too'),
} satisfies Options;

/** The region the SDK's own calls start from (STS, Organizations), as the AWS CLI picks it. */
export function homeRegion(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}
