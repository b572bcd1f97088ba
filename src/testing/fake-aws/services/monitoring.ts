// CloudWatch (awsJson1_0, query-compatible) DescribeAlarms (metric and composite alarms) and CloudTrail (awsJson1_1) trails,
// status, selectors and LookupEvents over the scenario's CloudTrail records.
import { ApiError } from '../protocol.js';
import type { CloudTrailRecord, CompositeAlarmScenario, MetricAlarmScenario, TrailScenario } from '../scenario.js';
import { DEFAULT_DATE, date, paginate, type FakeRequest, type World } from '../world.js';

type Handler = (req: FakeRequest, world: World) => unknown;

export const cloudwatchHandlers: Record<string, Handler> = {
  DescribeAlarms(req, world) {
    const names = Array.isArray(req.json.AlarmNames) ? (req.json.AlarmNames as string[]) : undefined;
    const prefix = typeof req.json.AlarmNamePrefix === 'string' ? req.json.AlarmNamePrefix : undefined;
    const types = Array.isArray(req.json.AlarmTypes) ? (req.json.AlarmTypes as string[]) : ['MetricAlarm'];
    const wanted = (a: { AlarmName: string }) => (!names || names.includes(a.AlarmName)) && (!prefix || a.AlarmName.startsWith(prefix));
    const cloudwatch = world.region(req.account, req.region).cloudwatch;
    // Metric alarms, then composite alarms, paginated as one list (a page may hold some of each).
    const alarms: { metric?: MetricAlarmScenario; composite?: CompositeAlarmScenario }[] = [
      ...(types.includes('MetricAlarm') ? (cloudwatch?.alarms ?? []).filter(wanted).map((a) => ({ metric: a })) : []),
      ...(types.includes('CompositeAlarm') ? (cloudwatch?.compositeAlarms ?? []).filter(wanted).map((a) => ({ composite: a })) : []),
    ];
    const p = paginate(alarms, req.json.NextToken, req.json.MaxRecords, world.pageSizeFor(req.operation), () =>
      new ApiError('InvalidNextToken', 'The service returned an invalid next token', 400, 'InvalidNextToken'),
    );
    const arn = (name: string) => `arn:aws:cloudwatch:${req.region}:${req.account}:alarm:${name}`;
    return {
      MetricAlarms: p.items.flatMap(({ metric: a }) =>
        a
          ? [
              {
                ActionsEnabled: true,
                AlarmActions: [],
                OKActions: [],
                InsufficientDataActions: [],
                StateValue: 'OK',
                StateReason: 'fake',
                Dimensions: [],
                ...a,
                AlarmArn: a.AlarmArn ?? arn(a.AlarmName),
                AlarmConfigurationUpdatedTimestamp: date(DEFAULT_DATE),
                StateUpdatedTimestamp: date(DEFAULT_DATE),
              },
            ]
          : [],
      ),
      CompositeAlarms: p.items.flatMap(({ composite: a }) =>
        a
          ? [
              {
                ActionsEnabled: true,
                AlarmActions: [],
                OKActions: [],
                InsufficientDataActions: [],
                StateValue: 'OK',
                StateReason: 'fake',
                ...a,
                AlarmArn: a.AlarmArn ?? arn(a.AlarmName),
                AlarmConfigurationUpdatedTimestamp: date(DEFAULT_DATE),
                StateUpdatedTimestamp: date(DEFAULT_DATE),
              },
            ]
          : [],
      ),
      NextToken: p.next,
    };
  },
};

interface VisibleTrail {
  trail: TrailScenario;
  homeRegion: string;
  arn: string;
}

/** Trails visible from a region: its own, plus multi-region trails homed elsewhere (shadow trails). */
function visibleTrails(req: FakeRequest, world: World): VisibleTrail[] {
  const account = world.account(req.account);
  const out: VisibleTrail[] = [];
  for (const [homeRegion, region] of Object.entries(account.regions ?? {})) {
    if (!world.isRegionEnabled(req.account, homeRegion)) continue;
    for (const trail of region.cloudtrail?.trails ?? []) {
      if (homeRegion === req.region || trail.IsMultiRegionTrail) {
        out.push({ trail, homeRegion, arn: `arn:aws:cloudtrail:${homeRegion}:${req.account}:trail/${trail.Name}` });
      }
    }
  }
  return out;
}

function findTrail(req: FakeRequest, world: World, nameOrArn: unknown): VisibleTrail {
  const found = visibleTrails(req, world).find((t) => t.trail.Name === nameOrArn || t.arn === nameOrArn);
  if (!found) throw new ApiError('TrailNotFoundException', `Unknown trail: ${String(nameOrArn)} for the user: ${req.account}`);
  return found;
}

function epochOrIso(value: unknown): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') return Date.parse(value);
  return undefined;
}

const LOOKUP_KEYS: Record<string, (r: CloudTrailRecord) => string | undefined> = {
  EventId: (r) => r.eventID,
  EventName: (r) => r.eventName,
  EventSource: (r) => r.eventSource,
  ReadOnly: (r) => (r.readOnly === undefined ? undefined : String(r.readOnly)),
  Username: (r) => username(r),
  AccessKeyId: (r) => (r.userIdentity?.accessKeyId as string | undefined) ?? undefined,
};

function username(r: CloudTrailRecord): string | undefined {
  const id = r.userIdentity ?? {};
  if (typeof id.userName === 'string') return id.userName;
  const arn = typeof id.arn === 'string' ? id.arn : undefined;
  return arn?.split('/').pop();
}

export const cloudtrailHandlers: Record<string, Handler> = {
  DescribeTrails(req, world) {
    const names = Array.isArray(req.json.trailNameList) ? (req.json.trailNameList as string[]) : undefined;
    const shadows = req.json.includeShadowTrails !== false;
    const trails = visibleTrails(req, world).filter(
      (t) => (shadows || t.homeRegion === req.region) && (!names || names.includes(t.trail.Name) || names.includes(t.arn)),
    );
    return {
      trailList: trails.map(({ trail: t, homeRegion, arn }) => ({
        Name: t.Name,
        S3BucketName: t.S3BucketName ?? `trail-bucket-${req.account}`,
        IncludeGlobalServiceEvents: t.IncludeGlobalServiceEvents ?? true,
        IsMultiRegionTrail: t.IsMultiRegionTrail ?? false,
        HomeRegion: homeRegion,
        TrailARN: arn,
        LogFileValidationEnabled: t.LogFileValidationEnabled ?? false,
        HasCustomEventSelectors: t.EventSelectors !== undefined || t.AdvancedEventSelectors !== undefined,
        HasInsightSelectors: false,
        IsOrganizationTrail: t.IsOrganizationTrail ?? false,
      })),
    };
  },

  GetTrailStatus(req, world) {
    const { trail } = findTrail(req, world, req.json.Name);
    return {
      IsLogging: trail.IsLogging,
      StartLoggingTime: trail.IsLogging ? date(DEFAULT_DATE) : undefined,
      StopLoggingTime: trail.IsLogging ? undefined : date(DEFAULT_DATE),
      LatestDeliveryTime: date(DEFAULT_DATE),
    };
  },

  GetEventSelectors(req, world) {
    const { trail, arn } = findTrail(req, world, req.json.TrailName);
    if (trail.AdvancedEventSelectors) return { TrailARN: arn, AdvancedEventSelectors: trail.AdvancedEventSelectors };
    return {
      TrailARN: arn,
      EventSelectors: (trail.EventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true }]).map((s) => ({
        ReadWriteType: s.ReadWriteType ?? 'All',
        IncludeManagementEvents: s.IncludeManagementEvents ?? true,
        DataResources: s.DataResources ?? [],
        ExcludeManagementEventSources: [],
      })),
    };
  },

  LookupEvents(req, world) {
    const attrs = Array.isArray(req.json.LookupAttributes)
      ? (req.json.LookupAttributes as { AttributeKey: string; AttributeValue: string }[])
      : [];
    if (attrs.length > 1) throw new ApiError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    const start = epochOrIso(req.json.StartTime) ?? -Infinity;
    const end = epochOrIso(req.json.EndTime) ?? Infinity;
    const records = (world.region(req.account, req.region).cloudtrail?.events ?? [])
      .filter((r) => {
        const t = Date.parse(r.eventTime);
        if (t < start || t > end) return false;
        return attrs.every((a) => LOOKUP_KEYS[a.AttributeKey]?.(r) === a.AttributeValue);
      })
      .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
    const p = paginate(records, req.json.NextToken, req.json.MaxResults, world.pageSizeFor(req.operation), () =>
      new ApiError('InvalidNextTokenException', 'Invalid NextToken'),
    );
    return {
      Events: p.items.map((r) => ({
        EventId: r.eventID,
        EventName: r.eventName,
        ReadOnly: r.readOnly === undefined ? undefined : String(r.readOnly),
        AccessKeyId: r.userIdentity?.accessKeyId,
        EventTime: date(r.eventTime),
        EventSource: r.eventSource,
        Username: username(r),
        Resources: [],
        CloudTrailEvent: JSON.stringify({ eventVersion: '1.09', awsRegion: req.region, recipientAccountId: req.account, ...r }),
      })),
      NextToken: p.next,
    };
  },
};
