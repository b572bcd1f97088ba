// The CloudTrail part of the HTML report: what the logs cover and one table of events per principal.
// `results.trail` is written by `sesguard trail` (src/detections/types.ts). It is read here by shape, not
// trusted by type: a results file from another version (or edited by hand) still renders.
// An Organization's trail has a timeline for every principal that sent mail: the page lists the principals
// whose events fed a finding first, and stops at a number of principals and of event rows, saying what it
// left out (the JSON results hold every timeline).
import type { Results } from '../../results.js';
import { esc, MAX_TIMELINE_EVENTS, MAX_TIMELINE_PRINCIPALS, MAX_TIMELINE_ROWS, num, plural, type ReportView } from './view.js';

interface TimelineEvent {
  time: string;
  eventName: string;
  eventSource?: string;
  region?: string;
  sourceIp?: string;
  eventId?: string;
  errorCode?: string;
  accessKey?: string;
  findings?: string[];
}

interface TimelineView {
  principal: string;
  principalType?: string;
  firstSeen?: string;
  lastSeen?: string;
  eventCount?: number;
  sourceIps?: string[];
  accessKeys?: string[];
  regions?: string[];
  truncated?: boolean;
  events: TimelineEvent[];
}

export interface TrailView {
  timeline: TimelineView[];
  coverage?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function toEvent(value: unknown): TimelineEvent | undefined {
  if (!isRecord(value)) return undefined;
  const time = typeof value.time === 'number' ? new Date(value.time).toISOString() : optionalString(value.time);
  const eventName = optionalString(value.eventName) ?? optionalString(value.name);
  if (time === undefined || eventName === undefined) return undefined;
  return {
    time,
    eventName,
    eventSource: optionalString(value.eventSource) ?? optionalString(value.source),
    region: optionalString(value.region),
    sourceIp: optionalString(value.sourceIp),
    eventId: optionalString(value.eventId) ?? optionalString(value.id),
    errorCode: optionalString(value.errorCode),
    accessKey: optionalString(value.accessKey),
    findings: stringList(value.findings),
  };
}

/** The trail block of the results, if it has one this reporter can read. */
export function trailOf(results: Results): TrailView | undefined {
  const trail: unknown = results.trail;
  if (!isRecord(trail)) return undefined;
  const timeline: TimelineView[] = [];
  for (const t of Array.isArray(trail.timeline) ? trail.timeline : []) {
    if (!isRecord(t) || typeof t.principal !== 'string') continue;
    const raw = Array.isArray(t.entries) ? t.entries : Array.isArray(t.events) ? t.events : [];
    timeline.push({
      principal: t.principal,
      principalType: optionalString(t.principalType),
      firstSeen: optionalString(t.firstSeen),
      lastSeen: optionalString(t.lastSeen),
      eventCount: typeof t.eventCount === 'number' ? t.eventCount : undefined,
      sourceIps: stringList(t.sourceIps),
      accessKeys: stringList(t.accessKeys),
      regions: stringList(t.regions),
      truncated: t.truncated === true,
      events: raw.map(toEvent).filter((e): e is TimelineEvent => e !== undefined),
    });
  }
  return { timeline, coverage: trail.coverage };
}

function coverageFacts(coverage: unknown): string {
  if (coverage === undefined || coverage === null) return '';
  if (!isRecord(coverage)) return `<pre class="code">${esc(JSON.stringify(coverage, null, 2))}</pre>`;
  const facts: string[] = [];
  const span = coverage.timeSpan;
  if (isRecord(span)) facts.push(`<div><dt>time span</dt><dd>${esc(span.start)} – ${esc(span.end)}</dd></div>`);
  for (const [key, label] of [
    ['eventCount', 'events read'],
    ['analysedEventCount', 'events analysed'],
    ['relevantEventCount', 'relevant events'],
    ['malformedRecords', 'malformed records'],
  ] as const) {
    if (typeof coverage[key] === 'number') facts.push(`<div><dt>${label}</dt><dd>${esc(coverage[key])}</dd></div>`);
  }
  for (const [key, label] of [
    ['accounts', 'accounts'],
    ['regions', 'regions'],
  ] as const) {
    const list = stringList(coverage[key]);
    if (list) facts.push(`<div><dt>${label}</dt><dd class="mono">${esc(list.join(', ') || '—')}</dd></div>`);
  }
  for (const [key, label] of [
    ['dataEventsPresent', 'data events present'],
    ['sesSendEventsPresent', 'SES send events present'],
  ] as const) {
    if (typeof coverage[key] === 'boolean') facts.push(`<div><dt>${label}</dt><dd>${coverage[key] ? 'yes' : 'no'}</dd></div>`);
  }
  const supported = Array.isArray(coverage.detectionsSupported) ? coverage.detectionsSupported.filter(isRecord) : [];
  const detections = supported.length
    ? `<table class="plain"><thead><tr><th>detection</th><th>can run</th><th>why</th></tr></thead><tbody>${supported
        .map((d) => `<tr><td class="mono">${esc(d.id)}</td><td>${d.supported ? 'yes' : '<strong>no</strong>'}</td><td>${esc(d.why)}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const notes = stringList(coverage.notes) ?? [];
  return `<h3>What the logs cover</h3><dl class="where">${facts.join('')}</dl>${detections}${
    notes.length ? `<ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''
  }`;
}

function principalBlock(t: TimelineView, room: number): string {
  const shown = t.events.slice(0, Math.min(MAX_TIMELINE_EVENTS, room));
  const more = t.events.length - shown.length;
  const facts: string[] = [];
  if (t.firstSeen || t.lastSeen) facts.push(`${esc(t.firstSeen ?? '?')} – ${esc(t.lastSeen ?? '?')}`);
  if (t.eventCount !== undefined) facts.push(esc(plural(t.eventCount, 'event')));
  if (t.accessKeys?.length) facts.push(`keys <span class="mono">${esc(t.accessKeys.join(', '))}</span>`);
  if (t.sourceIps?.length) facts.push(`from <span class="mono">${esc(t.sourceIps.join(', '))}</span>`);
  if (t.regions?.length) facts.push(`regions <span class="mono">${esc(t.regions.join(', '))}</span>`);
  const rows = shown
    .map(
      (e) =>
        `<tr${e.errorCode ? ' class="failed-call"' : ''}><td class="mono nowrap">${esc(e.time)}</td><td class="mono">${esc(e.eventName)}${
          e.eventSource ? ` <span class="muted">${esc(e.eventSource)}</span>` : ''
        }</td><td class="mono">${esc(e.region ?? '')}</td><td class="mono">${esc(e.sourceIp ?? '')}</td><td class="mono">${esc(e.errorCode ?? '')}</td><td class="mono">${esc(
          (e.findings ?? []).join(', '),
        )}</td><td class="mono small">${esc(e.eventId ?? '')}</td></tr>`,
    )
    .join('');
  return `<div class="principal" data-principal="${esc(t.principal)}">
<h3><span class="mono">${esc(t.principal)}</span>${t.principalType ? ` <span class="muted">${esc(t.principalType)}</span>` : ''}</h3>
${facts.length ? `<p class="small">${facts.join(' · ')}</p>` : ''}
<div class="scroll"><table class="plain timeline"><thead><tr><th>time</th><th>event</th><th>region</th><th>source IP</th><th>error</th><th>findings</th><th>event id</th></tr></thead><tbody>${rows}</tbody></table></div>
${more > 0 || t.truncated ? `<p class="muted small">More events exist than are shown${more > 0 ? ` (${num(more)} left out here)` : ''}; the JSON results and the logs hold them.</p>` : ''}
</div>`;
}

/** Principals whose events fed a finding first, then the others; each group in the order of the results (first seen). */
function byInvolvement(timeline: TimelineView[]): TimelineView[] {
  const fed = (t: TimelineView) => t.events.some((e) => (e.findings ?? []).length > 0);
  return [...timeline.filter(fed), ...timeline.filter((t) => !fed(t))];
}

export function timelineSection(view: ReportView): string {
  const trail = view.trail;
  if (!trail) return '';
  const ordered = byInvolvement(trail.timeline);
  const listed = ordered.slice(0, MAX_TIMELINE_PRINCIPALS);
  let room = MAX_TIMELINE_ROWS;
  const blocks = listed.map((t) => {
    const block = principalBlock(t, room);
    room -= Math.min(MAX_TIMELINE_EVENTS, room, t.events.length);
    return block;
  });
  const left = ordered.length - listed.length;
  const cut =
    left > 0
      ? `<p class="muted small more">… and ${plural(left, 'more principal')} (${plural(
          ordered.slice(listed.length).reduce((n, t) => n + t.events.length, 0),
          'event',
        )} in their timelines): the JSON results hold every timeline.</p>`
      : '';
  const principals = blocks.join('\n') + cut;
  return `<section id="timeline" class="timeline-section major">
<h2>Events per principal (CloudTrail timeline)</h2>
${coverageFacts(trail.coverage)}
${principals || '<p class="muted">No principal timeline in the results.</p>'}
</section>`;
}
