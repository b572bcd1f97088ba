// Enabled regions of one account. EC2 DescribeRegions without AllRegions lists exactly the regions the
// account can use (default ones plus opted-in ones); when EC2 is denied, Account ListRegions with the
// ENABLED / ENABLED_BY_DEFAULT states says the same. The caller intersects the result with the SES regions.
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { ResourceType } from '../../../inventory/types.js';
import type { AccountScope, CallError } from '../types.js';
import { GLOBAL, attempt, attemptPages, callError, clientOf, homeRegion } from './util.js';

/** Every resource type collected per region: missing entirely when the regions cannot be known. */
export const REGIONAL_TYPES: ResourceType[] = [
  'aws.ses.account',
  'aws.ses.identity',
  'aws.ses.configuration-set',
  'aws.sns.topic',
  'aws.cloudwatch.alarm',
  'aws.cloudtrail.account',
  'aws.ec2.security-group',
  'aws.ec2.network-acl',
];

export interface EnabledRegions {
  /** Enabled region names, sorted; undefined when neither call answered. */
  regions?: string[];
  /** Which call answered. */
  via?: 'ec2:DescribeRegions' | 'account:ListRegions';
  errors: CallError[];
}

export async function collectEnabledRegions(scope: AccountScope, region = homeRegion(scope.partition)): Promise<EnabledRegions> {
  const ec2 = clientOf(scope, EC2Client, region);
  const described = await attempt(scope, 'ec2', 'ec2:DescribeRegions', () => ec2.send(new DescribeRegionsCommand({})));
  if (described.ok) {
    const regions = (described.value.Regions ?? [])
      .filter((r) => r.OptInStatus !== 'not-opted-in')
      .map((r) => r.RegionName)
      .filter((name): name is string => !!name);
    return { regions: [...new Set(regions)].sort(), via: 'ec2:DescribeRegions', errors: [] };
  }

  const account = clientOf(scope, AccountClient, region);
  const listed = await attemptPages(
    scope,
    'account',
    'account:ListRegions',
    paginateListRegions({ client: account }, { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] }),
  );
  if (listed.ok) {
    const regions = listed.value
      .flatMap((p) => p.Regions ?? [])
      .filter((r) => r.RegionOptStatus === 'ENABLED' || r.RegionOptStatus === 'ENABLED_BY_DEFAULT')
      .map((r) => r.RegionName)
      .filter((name): name is string => !!name);
    return { regions: [...new Set(regions)].sort(), via: 'account:ListRegions', errors: [] };
  }
  // Both failed: nothing regional can be scanned for this account; say so for every regional type.
  return {
    errors: [
      callError(scope, GLOBAL, 'ec2:DescribeRegions', described.error, []),
      callError(scope, GLOBAL, 'account:ListRegions', listed.error, REGIONAL_TYPES),
    ],
  };
}
