// The opening of a trail report, for an incident responder: what the logs cover, the incident drawn as an inline
// SVG timeline (one lane per principal, key or workload; events as ticks; each finding a span numbered in the
// order the attack happened; related findings joined), and "what to do now" with the exact AWS CLI commands.
// No score gauge: detections report what happened, not a posture. Everything is read by shape from the results
// (a file of another version still renders) and escaped; the SVG is plain vector markup, so it prints as drawn.
import type { Finding } from '../../engine/types.js';
import type { ResponseAction } from '../../detections/respond.js';
import type { Results } from '../../results.js';

/** Lanes drawn; the findings of further lanes are still numbered in the list under the drawing. */
export const MAX_LANES = 40;
/** Event ticks drawn per lane (the per-principal tables below list the events themselves). */
export const MAX_TICKS_PER_LANE = 2000;

const W = 1000;
const LABEL_W = 250;
const PLOT_X = LABEL_W + 10;
const PLOT_W = W - PLOT_X - 14;
const ROW_H = 18;
const AXIS_H = 34;
/** Lane labels are cut to this many characters (the full name is the label's tooltip). */
const LABEL_CHARS = 34;

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function time(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/** `2026-11-23 02:10` (UTC). */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

// ---------------------------------------------------------------------------------------------------------
// What the picture is made of

interface Span {
  step: number;
  finding: Finding;
  start: number;
  end: number;
  attempt: boolean;
}

interface Lane {
  key: string;
  label: string;
  /** The full name (tooltip). */
  title: string;
  kind: 'principal' | 'key' | 'workload';
  spans: Span[];
  ticks: { at: number; title: string; failed: boolean }[];
}

/** `arn:aws:iam::1:user/ci-deploy` → `user/ci-deploy`; `…:assumed-role/R/s` → `assumed-role/R/s`. */
function shortArn(arn: string): string {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::[0-9]{12}:(.+)$/.exec(arn);
  return match ? match[1] : arn;
}

function laneOf(finding: Finding): Omit<Lane, 'spans' | 'ticks'> {
  const id = finding.resource.id;
  if (finding.resource.type === 'aws.ec2.network-interface') {
    const workload = isRecord(finding.evidence.workload) ? finding.evidence.workload : {};
    const instance = strings(finding.evidence.instanceIds)[0] ?? (typeof workload.lambdaFunction === 'string' ? `lambda:${workload.lambdaFunction}` : undefined);
    return { key: `workload ${id}`, label: instance ?? id, title: finding.resource.name ?? id, kind: 'workload' };
  }
  if (/^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(id)) {
    const owner = typeof finding.evidence.principal === 'string' ? ` of ${finding.evidence.principal}` : '';
    return { key: `key ${id}`, label: `key ${id}`, title: `access key ${id}${owner}`, kind: 'key' };
  }
  const principal = typeof finding.evidence.principal === 'string' ? finding.evidence.principal : id;
  return { key: `principal ${principal}`, label: shortArn(principal), title: principal, kind: 'principal' };
}

interface TimelineShape {
  principal: string;
  entries: { at: number; title: string; failed: boolean; accessKey?: string }[];
  sends: { at: number; count: number }[];
}

/** The per-principal timeline of the results, read by shape. */
function timelinesOf(results: Results): TimelineShape[] {
  const trail: unknown = results.trail;
  if (!isRecord(trail) || !Array.isArray(trail.timeline)) return [];
  const out: TimelineShape[] = [];
  for (const t of trail.timeline) {
    if (!isRecord(t) || typeof t.principal !== 'string') continue;
    const raw = Array.isArray(t.entries) ? t.entries : [];
    const entries = raw.filter(isRecord).flatMap((e) => {
      const at = time(e.time);
      if (Number.isNaN(at) || typeof e.eventName !== 'string') return [];
      const failed = typeof e.errorCode === 'string';
      return [{ at, failed, title: `${stamp(at)} ${e.eventName}${typeof e.region === 'string' ? ` (${e.region})` : ''}${failed ? ` failed: ${e.errorCode}` : ''}`, ...(typeof e.accessKey === 'string' ? { accessKey: e.accessKey } : {}) }];
    });
    const sends = (Array.isArray(t.sends) ? t.sends : []).filter(isRecord).flatMap((s) => {
      const at = time(s.windowStart);
      return Number.isNaN(at) || typeof s.count !== 'number' ? [] : [{ at, count: s.count }];
    });
    out.push({ principal: t.principal, entries, sends });
  }
  return out;
}

export interface IncidentPicture {
  lanes: Lane[];
  /** Findings in the order they happened, numbered from 1. */
  steps: Span[];
  from: number;
  to: number;
  /** Lanes left out of the drawing (beyond MAX_LANES). */
  moreLanes: number;
  /** Event ticks of the drawn lanes outside [from, to]. */
  outside: number;
}

/** The lanes, spans and ticks of the incident, or null when no finding has a time. */
export function incidentPicture(results: Results): IncidentPicture | null {
  const timed = results.findings
    .filter((f) => !f.suppressed)
    .map((f) => ({ f, start: time(f.evidence.windowStart), end: time(f.evidence.windowEnd) }))
    .filter((x) => !Number.isNaN(x.start))
    .sort((a, b) => a.start - b.start || a.f.checkId.localeCompare(b.f.checkId) || a.f.resource.id.localeCompare(b.f.resource.id));
  if (timed.length === 0) return null;
  const lanes = new Map<string, Lane>();
  const steps: Span[] = timed.map(({ f, start, end }, i) => {
    const where = laneOf(f);
    const lane = lanes.get(where.key) ?? { ...where, spans: [], ticks: [] };
    lanes.set(where.key, lane);
    const span: Span = { step: i + 1, finding: f, start, end: Number.isNaN(end) ? start : Math.max(start, end), attempt: f.evidence.attempt === true };
    lane.spans.push(span);
    return span;
  });
  const first = steps[0].start;
  const last = Math.max(...steps.map((s) => s.end));
  const pad = Math.max(5 * 60_000, (last - first) * 0.05);
  const from = first - pad;
  const to = last + pad;
  const drawn = [...lanes.values()].slice(0, MAX_LANES);
  let outside = 0;
  const timelines = timelinesOf(results);
  const byPrincipal = new Map(timelines.map((t) => [t.principal, t]));
  for (const lane of drawn) {
    const events =
      lane.kind === 'principal'
        ? byPrincipal.get(lane.key.slice('principal '.length))?.entries ?? []
        : lane.kind === 'key'
          ? timelines.flatMap((t) => t.entries.filter((e) => e.accessKey === lane.key.slice('key '.length)))
          : [];
    const sends = lane.kind === 'principal' ? byPrincipal.get(lane.key.slice('principal '.length))?.sends ?? [] : [];
    for (const e of events) {
      if (e.at < from || e.at > to) outside++;
      else if (lane.ticks.length < MAX_TICKS_PER_LANE) lane.ticks.push(e);
    }
    for (const s of sends) {
      if (s.at < from || s.at > to) outside++;
      else if (lane.ticks.length < MAX_TICKS_PER_LANE) lane.ticks.push({ at: s.at, failed: false, title: `${stamp(s.at)} ${s.count} send call(s) in 5 minutes` });
    }
  }
  return { lanes: drawn, steps, from, to, moreLanes: lanes.size - drawn.length, outside };
}

// ---------------------------------------------------------------------------------------------------------
// Drawing

const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);

function axisTicks(from: number, to: number): number[] {
  const step = TICK_STEPS.find((s) => (to - from) / s <= 10) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Spans of one lane in rows, so that overlapping spans (and their step numbers) never cover each other. */
function packRows(spans: Span[], x: (t: number) => number): { rows: number; rowOf: Map<Span, number> } {
  const ends: number[] = [];
  const rowOf = new Map<Span, number>();
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const x1 = x(span.start);
    const x2 = Math.max(x1 + 6, x(span.end), x1 + 6 + 7 * String(span.step).length);
    let row = ends.findIndex((end) => end <= x1);
    if (row < 0) row = ends.push(0) - 1;
    ends[row] = x2 + 2;
    rowOf.set(span, row);
  }
  return { rows: Math.max(1, ends.length), rowOf };
}

/** The incident as one inline SVG. */
export function timelineSvg(picture: IncidentPicture): string {
  const { lanes, from, to } = picture;
  const x = (t: number) => PLOT_X + ((t - from) / (to - from)) * PLOT_W;
  const packed = lanes.map((lane) => packRows(lane.spans, x));
  const heights = packed.map((p) => p.rows * ROW_H + 12);
  const height = AXIS_H + heights.reduce((a, b) => a + b, 0) + 8;
  const parts: string[] = [];
  const ticks = axisTicks(from, to);
  for (const t of ticks) {
    const px = x(t).toFixed(1);
    const day = hhmm(t) === '00:00' || t === ticks[0];
    parts.push(`<line class="grid" x1="${px}" y1="${AXIS_H - 6}" x2="${px}" y2="${height - 4}"/>`);
    parts.push(`<text class="tick" x="${px}" y="${AXIS_H - 10}" text-anchor="middle">${esc(day ? stamp(t) : hhmm(t))}</text>`);
  }
  const anchor = new Map<string, { x: number; y: number }>();
  let top = AXIS_H;
  lanes.forEach((lane, i) => {
    const laneHeight = heights[i];
    const mid = top + laneHeight / 2;
    parts.push(`<g class="lane lane-${lane.kind}" data-lane="${esc(lane.key)}">`);
    if (i % 2 === 1) parts.push(`<rect class="band" x="0" y="${top}" width="${W}" height="${laneHeight}"/>`);
    parts.push(`<text class="lane-label" x="${LABEL_W}" y="${mid + 4}" text-anchor="end"><title>${esc(lane.title)}</title>${esc(truncate(lane.label, LABEL_CHARS))}</text>`);
    for (const tick of lane.ticks) {
      const px = x(tick.at).toFixed(1);
      parts.push(`<line class="event${tick.failed ? ' failed' : ''}" x1="${px}" y1="${top + laneHeight - 8}" x2="${px}" y2="${top + laneHeight - 2}"><title>${esc(tick.title)}</title></line>`);
    }
    for (const span of lane.spans) {
      const x1 = x(span.start);
      const width = Math.max(6, x(span.end) - x1);
      const y = top + 5 + (packed[i].rowOf.get(span) ?? 0) * ROW_H;
      const f = span.finding;
      const label = `${span.step}. ${f.checkId}${span.attempt ? ' (attempt)' : ''}: ${stamp(span.start)}${span.end > span.start ? ` – ${hhmm(span.end)}` : ''}`;
      parts.push(
        `<g class="span sev-${esc(f.severity)}${span.attempt ? ' attempt' : ''}" data-step="${span.step}" data-check="${esc(f.checkId)}"><title>${esc(`${label}\n${f.message}`)}</title>` +
          `<rect x="${x1.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${ROW_H - 4}" rx="3"/>` +
          `<text class="step" x="${(x1 + 3).toFixed(1)}" y="${y + ROW_H - 8}">${span.step}</text></g>`,
      );
      anchor.set(f.fingerprint, { x: x1 + 2, y: y + (ROW_H - 4) / 2 });
    }
    parts.push('</g>');
    top += laneHeight;
  });
  // Findings that point at each other (a workload's mail and the rule opened for it) are joined where they begin.
  const joined = new Set<string>();
  for (const span of picture.steps) {
    const a = anchor.get(span.finding.fingerprint);
    const related = Array.isArray(span.finding.evidence.relatedFindings) ? span.finding.evidence.relatedFindings.filter(isRecord) : [];
    for (const r of related) {
      const b = typeof r.fingerprint === 'string' ? anchor.get(r.fingerprint) : undefined;
      const pair = [span.finding.fingerprint, String(r.fingerprint)].sort().join(' ');
      if (!a || !b || joined.has(pair)) continue;
      joined.add(pair);
      parts.push(`<line class="related" x1="${a.x.toFixed(1)}" y1="${a.y}" x2="${b.x.toFixed(1)}" y2="${b.y}"><title>${esc(typeof r.relation === 'string' ? r.relation : 'related')}</title></line>`);
    }
  }
  return `<svg class="incident-timeline" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="${esc(`Timeline of the incident from ${stamp(from)} to ${stamp(to)} UTC: ${picture.steps.length} findings on ${lanes.length} lanes`)}" xmlns="http://www.w3.org/2000/svg">
<rect class="plot" x="${PLOT_X}" y="${AXIS_H - 6}" width="${PLOT_W}" height="${height - AXIS_H + 2}"/>
${parts.join('\n')}
</svg>`;
}

// ---------------------------------------------------------------------------------------------------------
// Sections

function coverageOf(results: Results): Record<string, unknown> {
  const trail: unknown = results.trail;
  return isRecord(trail) && isRecord(trail.coverage) ? trail.coverage : {};
}

function spanText(value: unknown): string {
  return isRecord(value) && typeof value.start === 'string' && typeof value.end === 'string' ? `${stamp(time(value.start))} – ${stamp(time(value.end))} UTC` : 'no records';
}

/** Time span, what was read, which detections could work, and the findings in one glance. */
export function overviewSection(results: Results): string {
  const coverage = coverageOf(results);
  const flows = isRecord(coverage.flows) ? coverage.flows : undefined;
  const supported = Array.isArray(coverage.detectionsSupported) ? coverage.detectionsSupported.filter(isRecord) : [];
  const cannot = supported.filter((d) => d.supported !== true);
  const open = results.findings.filter((f) => !f.suppressed);
  const attempts = open.filter((f) => f.evidence.attempt === true).length;
  const facts: string[] = [];
  const fact = (label: string, value: string, testid?: string) => facts.push(`<div><dt>${esc(label)}</dt><dd${testid ? ` data-testid="${testid}"` : ''}>${value}</dd></div>`);
  fact('CloudTrail', `${esc(spanText(coverage.timeSpan))}${typeof coverage.analysedEventCount === 'number' ? ` · ${esc(coverage.analysedEventCount)} events analysed of ${esc(coverage.eventCount)} read` : ''}`, 'span-cloudtrail');
  if (flows) fact('VPC Flow Logs', `${esc(spanText(flows.timeSpan))} · ${esc(flows.records)} records to the detections' ports from ${esc(flows.inputs)} file(s) or stream(s)`, 'span-flows');
  else fact('VPC Flow Logs', 'none read', 'span-flows');
  const accounts = strings(coverage.accounts);
  const regions = [...new Set([...strings(coverage.regions), ...(flows ? strings(flows.regions) : [])])].sort();
  if (accounts.length > 0) fact('accounts', `<span class="mono">${esc(accounts.join(', '))}</span>`);
  if (regions.length > 0) fact('regions', `<span class="mono">${esc(regions.join(', '))}</span>`);
  fact('findings', `${esc(open.length)} open${attempts > 0 ? ` (${esc(attempts)} of them attempts that failed)` : ''}${results.findings.length > open.length ? `, ${esc(results.findings.length - open.length)} suppressed` : ''}`, 'incident-findings');
  fact('detections', `${esc(supported.length - cannot.length)} of ${esc(supported.length)} could work on these logs`, 'incident-detections');
  const why = cannot.length
    ? `<ul class="cannot">${cannot.map((d) => `<li><span class="mono">${esc(d.id)}</span>: ${esc(d.why)}</li>`).join('')}</ul>`
    : '';
  return `<section id="overview" class="incident-overview">
<h2>Investigation</h2>
<div class="card"><dl class="where">${facts.join('')}</dl>${why}
<p class="note">"No finding" means nothing happened only for a detection that could work, and only in the time span and records read. The full coverage statement is under <a href="#timeline">Events per principal</a>.</p></div>
</section>`;
}

export function incidentTimelineSection(results: Results): string {
  const picture = incidentPicture(results);
  if (!picture) {
    return `<section id="incident" class="incident"><h2>The incident, step by step</h2><p class="status pass">No open finding: nothing to draw.</p></section>`;
  }
  const steps = picture.steps
    .map(
      (s) =>
        `<li value="${s.step}" class="sev-${esc(s.finding.severity)}"><span class="mono nowrap">${esc(stamp(s.start))}</span> <span class="badge sev-${esc(s.finding.severity)}">${esc(s.finding.severity)}</span> <span class="mono">${esc(s.finding.checkId)}</span>${s.attempt ? ' <em>attempt</em>' : ''} — ${esc(s.finding.message)}</li>`,
    )
    .join('\n');
  const notes: string[] = [];
  if (picture.moreLanes > 0) notes.push(`${picture.moreLanes} more lane(s) are not drawn; their findings are numbered in the list.`);
  if (picture.outside > 0) notes.push(`${picture.outside} event(s) of these lanes fall outside the drawn window (the tables below list them).`);
  return `<section id="incident" class="incident">
<h2>The incident, step by step</h2>
<figure class="incident-figure">
${timelineSvg(picture)}
<figcaption class="note">Times in UTC. One lane per principal, access key or workload (network interface); ticks are its calls (red: failed); each finding is a span, numbered in the order it began (dashed: an attempt that failed); dotted lines join findings that point at each other.${notes.length ? ` ${esc(notes.join(' '))}` : ''}</figcaption>
</figure>
<ol class="steps">
${steps}
</ol>
</section>`;
}

function actionsOf(results: Results): ResponseAction[] | undefined {
  const trail: unknown = results.trail;
  if (!isRecord(trail) || !Array.isArray(trail.actions)) return undefined;
  return trail.actions.filter((a): a is ResponseAction => isRecord(a) && typeof a.action === 'string' && typeof a.command === 'string');
}

export function actionsSection(results: Results): string {
  const actions = actionsOf(results);
  if (actions === undefined) {
    return `<section id="actions" class="actions"><h2>What to do now</h2><p class="muted">These results carry no response actions (written by an older version of sesguard): the runbook lists the usual ones.</p></section>`;
  }
  if (actions.length === 0) return `<section id="actions" class="actions"><h2>What to do now</h2><p>No open finding calls for an action.</p></section>`;
  const rows = actions
    .map((a, i) => {
      const where = [a.account, a.region].filter((v) => typeof v === 'string').join(' · ');
      const because = (Array.isArray(a.because) ? a.because : []).map((b) => b.checkId).filter((c, j, all) => all.indexOf(c) === j);
      return `<tr class="step-${esc(a.step)}"><td class="num">${i + 1}</td><td><span class="badge step">${esc(a.step)}</span></td><td><div>${esc(a.action)}</div>${
        a.note ? `<div class="muted small">${esc(a.note)}</div>` : ''
      }</td><td class="mono small">${esc(where)}</td><td><pre class="code command">${esc(a.command)}</pre></td><td class="mono small">${because.map((c) => `<a href="#check-${esc(c)}">${esc(c)}</a>`).join(' ')}</td></tr>`;
    })
    .join('\n');
  return `<section id="actions" class="actions">
<h2>What to do now</h2>
<p class="note">Derived from the open findings: contain first (credentials keep working until stopped), then repair what was weakened, then review what was created. Run each command in the account named; words in &lt;angle brackets&gt; are for you to fill in.</p>
<div class="scroll"><table class="plain action-table"><thead><tr><th class="num">#</th><th>step</th><th>action</th><th>account · region</th><th class="command-col">AWS CLI</th><th>because of</th></tr></thead><tbody>
${rows}
</tbody></table></div>
</section>`;
}

/** Styles of the sections above (screen and print). */
export const INCIDENT_STYLESHEET = `
.incident-figure { margin: 0; }
svg.incident-timeline { display: block; max-width: 100%; height: auto; font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg.incident-timeline .plot { fill: #fff; stroke: var(--line); }
svg.incident-timeline .band { fill: #f6f8fa; }
svg.incident-timeline .grid { stroke: #e3e7ec; }
svg.incident-timeline .tick { fill: var(--muted); }
svg.incident-timeline .lane-label { fill: var(--fg); font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 10.5px; }
svg.incident-timeline .event { stroke: #7d8794; stroke-width: 1; }
svg.incident-timeline .event.failed { stroke: var(--high); stroke-width: 1.5; }
svg.incident-timeline .span rect { fill-opacity: .35; stroke-width: 1.5; }
svg.incident-timeline .span.attempt rect { fill-opacity: .12; stroke-dasharray: 4 3; }
svg.incident-timeline .span.sev-critical rect { fill: var(--critical); stroke: var(--critical); }
svg.incident-timeline .span.sev-high rect { fill: var(--high); stroke: var(--high); }
svg.incident-timeline .span.sev-medium rect { fill: #d39e00; stroke: var(--medium); }
svg.incident-timeline .span.sev-low rect { fill: var(--low); stroke: var(--low); }
svg.incident-timeline .step { font-weight: 700; fill: #000; font-size: 10px; }
svg.incident-timeline .related { stroke: #333; stroke-width: 1; stroke-dasharray: 2 3; }
ol.steps { margin: 10px 0 0; padding-left: 28px; }
ol.steps li { margin: 3px 0; }
.incident-overview dl.where { margin: 0; }
ul.cannot { margin: 6px 0 0; }
.action-table { width: 100%; }
.action-table pre.command { margin: 0; max-height: none; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 11.5px; }
.action-table td { vertical-align: top; }
.action-table th.command-col { width: 52%; }
.action-table td a { white-space: nowrap; }
.badge.step { background: #eef2f7; color: var(--fg); border-color: #b8c0ca; }
tr.step-contain .badge.step { background: var(--high-bg); color: var(--high); border-color: var(--high); }
@media print {
  .incident-figure, ol.steps li, .action-table tr { break-inside: avoid-page; }
  svg.incident-timeline .band { fill: #f3f3f3; }
}
`;
