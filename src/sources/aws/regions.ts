// Where SES exists, by partition. A scan covers these regions intersected with the account's enabled regions
// (or the --regions list). Kept as data: when AWS launches SES in a new region, add it here.

export const SES_REGIONS: Record<'aws' | 'aws-us-gov' | 'aws-cn', readonly string[]> = {
  aws: [
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
    'af-south-1',
    'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
    'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
    'ca-central-1',
    'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2',
    'il-central-1', 'me-central-1', 'me-south-1',
    'sa-east-1',
    'ap-southeast-5',
  ],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
  'aws-cn': [],
};

/** The partition of a region name. */
export function partitionOf(region: string): 'aws' | 'aws-us-gov' | 'aws-cn' {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** Regions to scan: requested (or all SES regions of the partition) ∩ enabled, in SES list order. */
export function regionsToScan(partition: 'aws' | 'aws-us-gov' | 'aws-cn', enabled: readonly string[], requested?: readonly string[] | 'all'): string[] {
  const ses = SES_REGIONS[partition];
  const wanted = !requested || requested === 'all' ? ses : ses.filter((r) => requested.includes(r));
  const on = new Set(enabled);
  return wanted.filter((r) => on.has(r));
}
