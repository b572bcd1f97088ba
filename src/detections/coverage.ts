// The coverage statement: what the given logs could and could not show. SES send calls are optional
// data events (never in LookupEvents), SMTP sending is never logged, and a single-region trail cannot
// show multi-region reconnaissance; a responder must know which "nothing found" means "not visible".
import type { Coverage, DetectionDefinition, DetectionSupport, TrailThresholds } from './types.js';
import { iso } from './windows.js';

/** What the analyzer counts while records stream by. */
export interface TrailStats {
  eventCount: number;
  malformed: number;
  duplicates: number;
  first: number;
  last: number;
  regions: Set<string>;
  accounts: Set<string>;
  dataEvents: boolean;
  sendEvents: number;
  awsCallers: Set<string>;
}

export interface CoverageInput {
  stats: TrailStats;
  keptCount: number;
  definitions: DetectionDefinition[];
  /** Detections enabled by config. */
  active: Set<string>;
  thresholds: TrailThresholds;
  lookup: boolean;
}

/** The reason given for a detection switched off by the config's `checks:` (not a gap of the logs). */
export const DISABLED_WHY = 'disabled in the configuration';

const SMTP_NOTE =
  'SMTP sending (email-smtp.<region>.amazonaws.com) is never recorded by CloudTrail: abuse of SMTP credentials shows only as their creation (SESG-DET-009) and in SES sending metrics.';

function support(definition: DetectionDefinition, input: CoverageInput): DetectionSupport {
  const { stats, thresholds, lookup } = input;
  const id = definition.id;
  if (!input.active.has(id)) return { id, supported: false, why: DISABLED_WHY };
  if (stats.eventCount === 0) return { id, supported: false, why: 'no CloudTrail events were read' };
  if (definition.needsDataEvents) {
    if (lookup) return { id, supported: false, why: 'LookupEvents returns management events only; SES send calls are data events' };
    if (stats.sendEvents === 0) {
      return {
        id,
        supported: false,
        why: stats.dataEvents
          ? 'data events are present but none are SES send calls: the trail does not record SES data events'
          : 'no data events in these logs: enable SES data events on the trail to see send volume',
      };
    }
    return { id, supported: true, why: `${stats.sendEvents} SES send data events present` };
  }
  if (id === 'SESG-DET-001' && stats.regions.size < thresholds.reconRegions) {
    return {
      id,
      supported: false,
      why: `the logs cover ${stats.regions.size} region(s); reconnaissance across ${thresholds.reconRegions} regions needs a multi-region trail or --regions all`,
    };
  }
  if (id === 'SESG-DET-001') {
    return { id, supported: true, why: `the logs cover ${stats.regions.size} regions (${thresholds.reconRegions} needed)` };
  }
  if (id === 'SESG-DET-007' && stats.sendEvents === 0) {
    return { id, supported: true, why: 'key creation and SES management calls are visible; sends with the key are not (no SES data events)' };
  }
  return { id, supported: true, why: `management events ${definition.events.map((g) => g.names.join('/')).join(', ')} are recorded` };
}

export function buildCoverage(input: CoverageInput): Coverage {
  const { stats, lookup } = input;
  const notes: string[] = [SMTP_NOTE];
  if (lookup) {
    notes.push('Source is LookupEvents: management events only, 90 days of history; SES send data events are never returned.');
  }
  else if (stats.sendEvents === 0) {
    notes.push('No SES send data events: who sent how much through the SES API cannot be told from these logs (SESG-DET-010 not assessed).');
  }
  // The runbook pulls the last 24-48 hours; a shorter span may miss the start of a campaign.
  if (stats.eventCount > 0 && stats.last - stats.first < 23 * 3600_000) {
    notes.push(`The logs span less than 24 hours (${((stats.last - stats.first) / 3600_000).toFixed(1)} h); the runbook looks at the last 24-48 hours.`);
  }
  if (stats.awsCallers.size > 0) {
    notes.push(`${stats.awsCallers.size} AWS-service caller(s) (e.g. Trusted Advisor) were not treated as reconnaissance.`);
  }
  if (stats.duplicates > 0) notes.push(`${stats.duplicates} duplicate event(s) (same eventID, e.g. overlapping trails) were counted once.`);
  if (stats.malformed > 0) notes.push(`${stats.malformed} record(s) without a name, source or valid time were skipped.`);
  return {
    timeSpan: stats.eventCount > 0 && Number.isFinite(stats.first) ? { start: iso(stats.first), end: iso(stats.last) } : null,
    regions: [...stats.regions].sort(),
    accounts: [...stats.accounts].sort(),
    eventCount: stats.eventCount,
    relevantEventCount: input.keptCount + stats.sendEvents,
    malformedRecords: stats.malformed,
    dataEventsPresent: stats.dataEvents,
    sesSendEventsPresent: stats.sendEvents > 0,
    detectionsSupported: input.definitions.map((d) => support(d, input)),
    notes,
  };
}

/** The coverage statement as the reporters print it, in plain text (each reporter escapes it). */
export interface CoverageStatement {
  /** Label and value, in order: time span, regions, accounts, events, data events, SES send events. */
  facts: [string, string][];
  /** E.g. "8 of 10 enabled detections could work on these logs". */
  summary: string;
  /** Every detection that could not work, with its reason (disabled ones included). */
  unsupported: { id: string; why: string }[];
}

/** At most this many regions or accounts are named; the rest are counted. */
export const MAX_LISTED = 20;

function listed(values: string[]): string {
  if (values.length === 0) return 'none';
  const shown = values.slice(0, MAX_LISTED).join(', ');
  return values.length > MAX_LISTED ? `${values.length}: ${shown} and ${values.length - MAX_LISTED} more` : `${values.length}: ${shown}`;
}

export function coverageStatement(coverage: Coverage): CoverageStatement {
  const enabled = coverage.detectionsSupported.filter((d) => d.why !== DISABLED_WHY);
  const disabled = coverage.detectionsSupported.length - enabled.length;
  const supported = enabled.filter((d) => d.supported).length;
  const events = `${coverage.eventCount} read, ${coverage.relevantEventCount} relevant to the detections` +
    (coverage.malformedRecords > 0 ? `, ${coverage.malformedRecords} malformed record(s) skipped` : '');
  return {
    facts: [
      ['Time span', coverage.timeSpan ? `${coverage.timeSpan.start} to ${coverage.timeSpan.end}` : 'none (no events read)'],
      ['Regions', listed(coverage.regions)],
      ['Accounts', listed(coverage.accounts)],
      ['Events', events],
      ['Data events', coverage.dataEventsPresent ? 'present' : 'none in these logs'],
      ['SES send events', coverage.sesSendEventsPresent ? 'present' : 'none (SES API send calls are data events; SMTP sending is never logged)'],
    ],
    summary: `${supported} of ${enabled.length} enabled detection${enabled.length === 1 ? '' : 's'} could work on these logs` +
      (disabled > 0 ? ` (${disabled} disabled in the configuration)` : ''),
    unsupported: coverage.detectionsSupported.filter((d) => !d.supported).map((d) => ({ id: d.id, why: d.why })),
  };
}
