// The coverage statement: what the given logs could and could not show. SES send calls are optional
// data events (never in LookupEvents), SMTP sending is never logged, and a single-region trail cannot
// show multi-region reconnaissance; a responder must know which "nothing found" means "not visible". The
// same holds for records that could not be analysed: when some were skipped the statement says how many
// and why, and when none could be analysed no detection is called supported.
import type { Coverage, DetectionDefinition, DetectionSupport, SkippedRecords, TrailThresholds } from './types.js';
import { iso } from './windows.js';

/** What the analyzer counts while records stream by. */
export interface TrailStats {
  /** Records read. */
  eventCount: number;
  /** Records with a name, a source, a valid time (and a caller, when a detection reads them). */
  analysed: number;
  /** Records not analysed, by reason. */
  skipped: Map<string, SkippedRecords>;
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
  /** Detections that threw, with the reason (not assessed). */
  failures: Map<string, string>;
  /** What each detection could not decide from the logs. */
  undecided: Map<string, string[]>;
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
  const failure = input.failures.get(id);
  if (failure) return { id, supported: false, why: failure, failed: true };
  if (stats.eventCount === 0) return { id, supported: false, why: 'no CloudTrail events were read' };
  if (stats.analysed === 0) return { id, supported: false, why: `none of the ${stats.eventCount} records read could be analysed (${skippedSummary(stats)})` };
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

/** The skipped records, most frequent reason first. */
function skippedList(stats: TrailStats): SkippedRecords[] {
  return [...stats.skipped.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/** `103 with no eventTime` for broken records, `2 CloudTrail Insights records (…)` for the others. */
export function skippedPhrase(skipped: SkippedRecords): string {
  return skipped.malformed ? `${skipped.count} with ${skipped.reason}` : `${skipped.count} ${skipped.reason}`;
}

/** `103 with no eventTime, first in logs/a.json; 2 CloudTrail Insights records (…)` */
export function skippedSummary(stats: TrailStats): string {
  return skippedList(stats)
    .map((s) => `${skippedPhrase(s)}${s.firstIn ? `, first in ${s.firstIn}` : ''}`)
    .join('; ');
}

/** At most this many undecided questions are named per detection; the rest are counted. */
const MAX_UNDECIDED = 5;

/**
 * The one line that says a run analysed nothing (exit 2), or null when something was analysed.
 * LookupEvents that answered with no event is not such a run: a quiet account is a valid answer.
 */
export function nothingAnalysed(coverage: Coverage, lookup: boolean): string | null {
  if (coverage.analysedEventCount > 0 || (lookup && coverage.eventCount === 0)) return null;
  if (coverage.eventCount === 0) return 'nothing to analyse: the inputs hold no CloudTrail records';
  const why = coverage.skipped.map((s) => `${skippedPhrase(s)}${s.firstIn ? `, first in ${s.firstIn}` : ''}`).join('; ');
  return `nothing could be analysed: none of the ${coverage.eventCount} records read is a usable CloudTrail event (${why})`;
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
  const span = stats.analysed > 0 && Number.isFinite(stats.first) && Number.isFinite(stats.last);
  // The runbook pulls the last 24-48 hours; a shorter span may miss the start of a campaign.
  if (span && stats.last - stats.first < 23 * 3600_000) {
    notes.push(`The logs span less than 24 hours (${((stats.last - stats.first) / 3600_000).toFixed(1)} h); the runbook looks at the last 24-48 hours.`);
  }
  if (stats.skipped.size > 0) {
    const share = stats.eventCount > 0 ? Math.floor((stats.analysed / stats.eventCount) * 1000) / 10 : 0;
    notes.push(
      `${stats.eventCount - stats.analysed} of ${stats.eventCount} records were not analysed (${skippedSummary(stats)}): ` +
        `findings and "supported" cover only the ${stats.analysed} records (${share} %) that were.`,
    );
  }
  if (stats.awsCallers.size > 0) {
    notes.push(`${stats.awsCallers.size} AWS-service caller(s) (e.g. Trusted Advisor) were not treated as reconnaissance.`);
  }
  if (stats.duplicates > 0) {
    notes.push(`${stats.duplicates} duplicate event(s) (same eventID, eventSource, eventName and eventTime, e.g. overlapping trails) were counted once.`);
  }
  for (const [id, reasons] of [...input.undecided].sort((a, b) => a[0].localeCompare(b[0]))) {
    const more = reasons.length > MAX_UNDECIDED ? ` and ${reasons.length - MAX_UNDECIDED} more` : '';
    notes.push(`${id} could not decide from these logs ${reasons.slice(0, MAX_UNDECIDED).join('; ')}${more}.`);
  }
  for (const [id, why] of [...input.failures].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (input.active.has(id)) notes.push(`${id} is not assessed: ${why}.`);
  }
  const skipped = skippedList(stats);
  return {
    timeSpan: span ? { start: iso(stats.first), end: iso(stats.last) } : null,
    regions: [...stats.regions].sort(),
    accounts: [...stats.accounts].sort(),
    eventCount: stats.eventCount,
    analysedEventCount: stats.analysed,
    relevantEventCount: input.keptCount + stats.sendEvents,
    malformedRecords: skipped.filter((s) => s.malformed).reduce((n, s) => n + s.count, 0),
    skipped,
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
  // Results written before the counts of skipped records existed lack them: every record counted as analysed.
  const skipped = coverage.skipped ?? [];
  const analysed = coverage.analysedEventCount ?? coverage.eventCount - coverage.malformedRecords;
  const events = `${coverage.eventCount} read, ${analysed} analysed, ${coverage.relevantEventCount} relevant to the detections` +
    (skipped.length > 0 ? `; not analysed: ${skipped.map(skippedPhrase).join(', ')}` : '');
  return {
    facts: [
      ['Time span', coverage.timeSpan ? `${coverage.timeSpan.start} to ${coverage.timeSpan.end}` : coverage.eventCount > 0 ? 'none (no record could be analysed)' : 'none (no events read)'],
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
