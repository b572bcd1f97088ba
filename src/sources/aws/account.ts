// Everything collected for one account, in dependency order: IAM (global); per region CloudWatch alarms
// (linked into the SES account), SES, EC2; CloudTrail across the regions; SNS topics that SES uses.
// Also adapts the Organization and region collectors to what the scan orchestrator needs.
import {
  collectCloudTrail,
  collectCloudWatch,
  collectEc2,
  collectEnabledRegions,
  collectIam,
  collectOrganization as collectOrg,
  collectSes,
  collectSnsTopics,
  sesTopicArns,
} from './collectors/index.js';
import { regionsToScan } from './regions.js';
import type { AccountScope, Collected } from './types.js';

export interface OrganizationResult {
  /** Active accounts; null when they could not be listed (the scan cannot go on with --org). */
  accounts: { id: string; name: string }[] | null;
  managementAccountId: string | null;
  /** The Organization's id (`o-…`), null when it could not be read. */
  organizationId: string | null;
  collected: Collected;
  error?: string;
}

export async function collectOrganization(
  scope: AccountScope,
  _home: string,
  onAccounts?: (accounts: { id: string; name: string }[]) => void,
): Promise<OrganizationResult> {
  const org = await collectOrg(scope, onAccounts);
  const listing = org.errors.find((e) => e.call === 'organizations:ListAccounts');
  return {
    accounts: listing ? null : org.accounts,
    managementAccountId: org.managementAccountId ?? null,
    organizationId: org.organizationId ?? null,
    collected: { resources: org.resources, errors: org.errors },
    ...(listing ? { error: `${listing.call}: ${listing.error}` } : {}),
  };
}

export async function enabledRegions(scope: AccountScope, home: string): Promise<{ regions: string[] | null; error?: string }> {
  const found = await collectEnabledRegions(scope, home);
  if (found.regions) return { regions: found.regions };
  return { regions: null, error: found.errors.map((e) => `${e.call}: ${e.error}`).join('; ') || 'no answer' };
}

function merge(into: Collected, part: Collected): void {
  into.resources.push(...part.resources);
  into.errors.push(...part.errors);
}

export interface AccountOptions {
  /** Access keys from the IAM credential report (default); false: per user (--no-credential-report). */
  credentialReport?: boolean;
}

export async function collectAccount(scope: AccountScope, regions: readonly string[], _home: string, options: AccountOptions = {}): Promise<Collected> {
  const iamOptions = { credentialReport: options.credentialReport };
  const out: Collected = { resources: [], errors: [] };
  if (regions.length === 0) {
    // Nothing regional to look at (e.g. --regions names only regions this account has not enabled): the
    // account-wide trail verdict would rest on no region at all, so it is not assessed rather than failed.
    out.errors.push({
      account: scope.accountId,
      region: 'global',
      call: 'sesguard:regions',
      error: 'no requested SES region is enabled in this account',
      affects: ['aws.cloudtrail.account'],
    });
    merge(out, await collectIam(scope, iamOptions));
    return out;
  }
  const regional = regions.map(async (region) => {
    const cloudwatch = await collectCloudWatch(scope, region);
    const [ses, ec2] = await Promise.all([collectSes(scope, { region, alarms: cloudwatch.alarms }), collectEc2(scope, region)]);
    return [cloudwatch, ses, ec2] as Collected[];
  });
  const [iam, trail, perRegion] = await Promise.all([collectIam(scope, iamOptions), collectCloudTrail(scope, regions), Promise.all(regional)]);
  merge(out, iam);
  merge(out, trail);
  for (const parts of perRegion) for (const part of parts) merge(out, { resources: part.resources, errors: part.errors });
  merge(out, await collectSnsTopics(scope, sesTopicArns(out.resources)));
  return out;
}

/** What scanning one account gave: its regions and resources, or why it could not be scanned. */
export interface MemberScan {
  status: 'scanned' | 'failed';
  reason?: string;
  regions: string[];
  collected: Collected;
}

/**
 * One account whose credentials work: its enabled regions, then everything in the regions to scan. The same on the
 * main thread and on a scan worker (scan-worker.ts).
 */
export async function scanMember(
  scope: AccountScope,
  home: string,
  requestedRegions: readonly string[] | 'all' | undefined,
  options: AccountOptions = {},
): Promise<MemberScan> {
  const enabled = await enabledRegions(scope, home);
  if (!enabled.regions) {
    return { status: 'failed', reason: `cannot list the enabled regions: ${enabled.error ?? 'unknown error'}`, regions: [], collected: { resources: [], errors: [] } };
  }
  const regions = regionsToScan(scope.partition, enabled.regions, requestedRegions);
  const collected = await collectAccount(scope, regions, home, options);
  return { status: 'scanned', regions, collected };
}
