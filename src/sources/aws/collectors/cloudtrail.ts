// CloudTrail collector (one account): every trail visible from the scanned regions (shadow trails included,
// union by ARN), with its logging status and whether it records management events, read in the trail's home
// region. Live scans emit ONE `aws.cloudtrail.account` per account (SESG-MON-005: "no trail covers it").
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type EventSelector,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailTrailProps, Maybe, Resource } from '../../../inventory/types.js';
import type { AccountScope, CallError, Collected } from '../types.js';
import { GLOBAL, arn, attempt, callError, clientOf, failed, mapAll, provenance } from './util.js';

const SERVICE = 'cloudtrail';

/**
 * Whether selectors record management events. Classic selectors: any with IncludeManagementEvents (true by
 * default; ReadOnly and WriteOnly both count). Advanced selectors: any whose `eventCategory` field equals
 * Management. No selectors at all: CloudTrail's default, all management events.
 */
export function recordsManagementEvents(selectors: EventSelector[] | undefined, advanced: AdvancedEventSelector[] | undefined): boolean {
  if (advanced && advanced.length > 0) {
    return advanced.some((s) =>
      (s.FieldSelectors ?? []).some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).some((v) => v.toLowerCase() === 'management')),
    );
  }
  if (!selectors || selectors.length === 0) return true;
  return selectors.some((s) => s.IncludeManagementEvents !== false);
}

function covers(t: CloudTrailTrailProps): boolean {
  return t.isMultiRegionTrail === true && t.isLogging === true && t.includesManagementEvents === true;
}

export async function collectCloudTrail(scope: AccountScope, regions: readonly string[]): Promise<Collected> {
  const errors: CallError[] = [];
  const described = await mapAll(regions, async (region) => {
    const client = clientOf(scope, CloudTrailClient, region);
    const result = await attempt(scope, SERVICE, 'cloudtrail:DescribeTrails', () =>
      client.send(new DescribeTrailsCommand({ includeShadowTrails: true })),
    );
    return { region, result };
  });

  const trails = new Map<string, Trail & { TrailARN: string }>();
  const failedRegions: { region: string; error: unknown }[] = [];
  for (const { region, result } of described) {
    if (!result.ok) {
      failedRegions.push({ region, error: result.error });
      continue;
    }
    for (const t of result.value.trailList ?? []) if (t.TrailARN && !trails.has(t.TrailARN)) trails.set(t.TrailARN, t as Trail & { TrailARN: string });
  }

  const props = await mapAll([...trails.values()].sort((a, b) => a.TrailARN.localeCompare(b.TrailARN)), async (t): Promise<CloudTrailTrailProps> => {
    const home = t.HomeRegion ?? /^arn:[^:]+:cloudtrail:([^:]+):/.exec(t.TrailARN)?.[1] ?? regions[0];
    const client = clientOf(scope, CloudTrailClient, home);
    const [status, selectors] = await Promise.all([
      attempt(scope, SERVICE, 'cloudtrail:GetTrailStatus', () => client.send(new GetTrailStatusCommand({ Name: t.TrailARN }))),
      attempt(scope, SERVICE, 'cloudtrail:GetEventSelectors', () => client.send(new GetEventSelectorsCommand({ TrailName: t.TrailARN }))),
    ]);
    const isLogging: Maybe<boolean> = status.ok ? status.value.IsLogging === true : failed(status);
    const includesManagementEvents: Maybe<boolean> = selectors.ok
      ? recordsManagementEvents(selectors.value.EventSelectors, selectors.value.AdvancedEventSelectors)
      : failed(selectors);
    return { trailName: t.Name ?? t.TrailARN, isMultiRegionTrail: t.IsMultiRegionTrail === true, isLogging, includesManagementEvents };
  });

  // A region whose trails could not be listed may hide the covering trail: without one already found, the
  // account's coverage is unknown (not assessed) rather than failed.
  const coverageKnown = failedRegions.length === 0 || props.some(covers);
  for (const { region, error } of failedRegions) {
    errors.push(callError(scope, region, 'cloudtrail:DescribeTrails', error, coverageKnown ? [] : ['aws.cloudtrail.account']));
  }
  if (!coverageKnown) return { resources: [], errors };

  const id = arn(scope, 'cloudtrail', GLOBAL, 'trails');
  const resource: Resource<'aws.cloudtrail.account'> = {
    type: 'aws.cloudtrail.account',
    id,
    name: scope.accountId,
    provenance: provenance(scope, id, GLOBAL),
    props: { account: scope.accountId, trails: props },
  };
  return { resources: [resource], errors };
}
