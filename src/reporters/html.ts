// HTML reporter for auditors (SPEC §5): one self-contained file — inline CSS and JS, no network fetch of
// any kind (a strict Content-Security-Policy says so to the browser) — with the score gauge, severity
// breakdown, account/file × area heatmap, filterable findings with evidence and remediation, not-assessed
// scope, errors, notices, the CloudTrail timeline and the trend against a baseline. A trail report opens on the
// incident instead (html/incident.ts). Prints cleanly.
// Everything taken from the results is escaped: file names, messages and evidence come from scanned inputs.
import { SEVERITIES, SEVERITY_RANK, type Finding, type NotAssessed, type Severity } from '../engine/types.js';
import type { CheckSummary, Results } from '../results.js';
import {
  bySeverity,
  countBySeverity,
  errorWhere,
  formatPercent,
  formatScore,
  locationOf,
  notAssessedScope,
  resourceLabel,
  type ReportOptions,
} from './common.js';
import { CLIENT_SCRIPT, STYLESHEET } from './html/assets.js';
import { INCIDENT_STYLESHEET, actionsSection, incidentTimelineSection, overviewSection } from './html/incident.js';
import { APPENDIX_TITLE, PRINT_STYLESHEET, appendixPointer, evidenceBlock } from './html/print.js';

export interface HtmlReportOptions extends ReportOptions {
  /** Findings of the baseline that are gone in this run (the trend's "fixed" count), when the caller knows it. */
  baselineFixed?: number;
}

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** The areas of the check catalogue (the middle part of a check id), in the order the heatmap shows them. */
export const AREAS = ['IAM', 'SES', 'ACC', 'MON', 'NET', 'ORG', 'DET'] as const;

/** Above this many findings, remediation is shown once per check (Checks section) instead of in every finding. */
export const INLINE_REMEDIATION_LIMIT = 1000;
/** Evidence longer than this (pretty JSON characters) is cut in the page; the JSON results hold all of it. */
export const MAX_EVIDENCE_CHARS = 20_000;
/** Events shown per principal in the CloudTrail timeline. */
export const MAX_TIMELINE_EVENTS = 500;

const KIND_TITLES: Record<string, string> = {
  iac: 'IaC scan',
  scan: 'AWS scan',
  evaluate: 'snapshot evaluation',
  trail: 'incident investigation',
  demo: 'demo',
};

const REMEDIATION_LABELS: [keyof CheckSummary['remediation'], string][] = [
  ['console', 'Console'],
  ['cli', 'AWS CLI'],
  ['cloudformation', 'CloudFormation'],
  ['terraform', 'Terraform'],
];

/** Text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const esc = escapeHtml;

/** The area of a check: `SESG-IAM-001` → `IAM`. */
export function areaOf(checkId: string): string {
  const parts = checkId.split('-');
  return (parts.length >= 3 ? parts[parts.length - 2] : parts[0] ?? '').toUpperCase() || 'OTHER';
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

// ---------------------------------------------------------------------------------------------------------
// CloudTrail timeline: `results.trail` is written by `sesguard trail` (src/detections/types.ts). It is read
// here by shape, not trusted by type: a results file from another version (or edited by hand) still renders.

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

interface TrailView {
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

// ---------------------------------------------------------------------------------------------------------
// Sections

function header(results: Results): string {
  const title = KIND_TITLES[results.kind] ?? results.kind;
  const open = results.findings.filter((f) => !f.suppressed).length;
  const banner =
    results.incomplete || results.errors.length > 0
      ? `<div class="banner incomplete" role="alert"><strong>Incomplete.</strong> ${
          results.incomplete ? 'The run was interrupted or could not cover its whole scope. ' : ''
        }${results.errors.length > 0 ? `${esc(plural(results.errors.length, 'error'))} — see <a href="#errors">Errors</a>. ` : ''}` +
        'Findings and score describe only what could be read.</div>'
      : '';
  const status =
    open > 0
      ? `<p class="status fail">${esc(plural(open, 'open finding'))}</p>`
      : '<p class="status pass">No open findings</p>';
  const inputs = results.inputs;
  const scope: string[] = [];
  if (inputs.files.length > 0) scope.push(plural(inputs.files.length, 'file'));
  if (inputs.accounts && inputs.accounts.length > 0) scope.push(plural(inputs.accounts.length, 'account'));
  if (inputs.resourceCount !== undefined) scope.push(plural(inputs.resourceCount, 'resource'));
  return `<header class="top">
<div class="brand">${esc(results.tool.name)} <span class="version">${esc(results.tool.version)}</span></div>
<h1>${esc(title)} report</h1>
<dl class="meta">
<div><dt>kind</dt><dd>${esc(results.kind)}</dd></div>
<div><dt>started</dt><dd><time>${esc(results.startedAt)}</time></dd></div>
<div><dt>finished</dt><dd><time>${esc(results.finishedAt)}</time></dd></div>
${scope.length > 0 ? `<div><dt>scope</dt><dd>${esc(scope.join(', '))}</dd></div>` : ''}
</dl>
${status}
</header>
${banner}`;
}

function scoreBand(score: number | null): string {
  if (score === null) return 'none';
  if (score >= 90) return 'good';
  if (score >= 70) return 'fair';
  if (score >= 40) return 'poor';
  return 'bad';
}

/** A half-circle gauge: the arc's length is the score out of 100. */
function gauge(score: number | null): string {
  const radius = 80;
  const length = Math.PI * radius;
  const value = score === null ? 0 : Math.max(0, Math.min(100, score));
  const filled = (length * value) / 100;
  return `<svg class="gauge band-${scoreBand(score)}" viewBox="0 0 200 120" role="img" aria-label="posture score ${esc(formatScore(score))} of 100">
<path class="track" d="M 20 100 A 80 80 0 0 1 180 100" fill="none" stroke-width="18"/>
<path class="value" d="M 20 100 A 80 80 0 0 1 180 100" fill="none" stroke-width="18" stroke-dasharray="${filled.toFixed(2)} ${length.toFixed(2)}"/>
<text x="100" y="92" text-anchor="middle" class="gauge-score" data-testid="score">${esc(formatScore(score))}</text>
<text x="100" y="114" text-anchor="middle" class="gauge-caption">of 100</text>
</svg>`;
}

function postureSection(results: Results): string {
  const s = results.score;
  const c = results.counts;
  const bySev = countBySeverity(results.findings);
  const max = Math.max(1, ...SEVERITIES.map((sev) => bySev[sev].open + bySev[sev].suppressed));
  const bars = SEVERITIES.map((sev) => {
    const { open, suppressed } = bySev[sev];
    return `<tr class="sev-row" data-severity="${sev}">
<th scope="row"><span class="badge sev-${sev}">${sev}</span></th>
<td class="num" data-testid="open-${sev}">${open}</td>
<td class="num muted" data-testid="suppressed-${sev}">${suppressed}</td>
<td class="bar-cell"><span class="bar sev-${sev}" style="width:${((100 * open) / max).toFixed(1)}%"></span><span class="bar suppressed" style="width:${((100 * suppressed) / max).toFixed(1)}%"></span></td>
</tr>`;
  }).join('\n');
  return `<section id="posture" class="posture">
<h2>Posture</h2>
<div class="posture-grid">
<div class="card gauge-card">
${gauge(s.overall)}
<dl class="score-facts">
<div><dt>overall</dt><dd data-testid="overall">${esc(formatScore(s.overall))}</dd></div>
<div><dt>worst</dt><dd data-testid="worst">${s.worst ? `<span class="mono">${esc(s.worst.group)}</span> ${esc(formatScore(s.worst.score))}` : '—'}</dd></div>
<div><dt>coverage</dt><dd data-testid="coverage">${esc(formatPercent(s.coverage))}</dd></div>
</dl>
<p class="note">Score per ${Object.keys(s.byAccount).length > 0 ? 'account' : 'file'}: 100 × (1 − failed weight / evaluated weight), capped at 40 with a critical and 70 with a high finding open; overall is the mean. Coverage = assessed / (assessed + not assessed).</p>
</div>
<div class="card">
<h3>Findings by severity</h3>
<table class="severity-table">
<thead><tr><th>severity</th><th class="num">open</th><th class="num">suppressed</th><th><span class="sr">bar</span></th></tr></thead>
<tbody>
${bars}
</tbody>
</table>
<p class="counts" data-testid="counts">${c.evaluated} (check, resource) pairs evaluated: ${c.passed} passed, ${c.failed} failed, ${c.suppressed} suppressed; ${c.notAssessed} not assessed, ${c.notApplicable} not applicable.</p>
</div>
</div>
</section>`;
}

function trendSection(results: Results, options: HtmlReportOptions): string {
  const withState = results.findings.filter((f) => f.baselineState !== undefined);
  if (withState.length === 0 && options.baselineFixed === undefined) return '';
  const fresh = withState.filter((f) => f.baselineState === 'new').length;
  const unchanged = withState.filter((f) => f.baselineState === 'unchanged').length;
  const fixed = options.baselineFixed;
  return `<section id="trend" class="trend">
<h2>Trend against the baseline</h2>
<div class="trend-grid">
<div class="card trend-new"><div class="big" data-testid="trend-new">${fresh}</div><div>new</div></div>
<div class="card trend-unchanged"><div class="big" data-testid="trend-unchanged">${unchanged}</div><div>unchanged</div></div>
<div class="card trend-fixed"><div class="big" data-testid="trend-fixed">${fixed === undefined ? '—' : fixed}</div><div>fixed${fixed === undefined ? ' (not known: the results do not say)' : ''}</div></div>
</div>
<p class="note">New findings are not in the baseline; unchanged ones are (matched by fingerprint: check id and resource, not the line).</p>
</section>`;
}

interface HeatRow {
  group: string;
  score: number | undefined;
  cells: Map<string, { open: number; worst: Severity | undefined; suppressed: number }>;
}

function heatmapSection(results: Results): string {
  const live = Object.keys(results.score.byAccount).length > 0 || results.findings.some((f) => !f.resource.file && f.resource.account);
  const scores = live ? results.score.byAccount : results.score.byFile;
  const groupOfFinding = (f: Finding): string =>
    (live ? (f.resource.account ?? f.resource.file) : (f.resource.file ?? f.resource.account)) ?? '(no account or file)';
  const rows = new Map<string, HeatRow>();
  const row = (group: string): HeatRow => {
    let r = rows.get(group);
    if (!r) {
      r = { group, score: scores[group], cells: new Map() };
      rows.set(group, r);
    }
    return r;
  };
  for (const g of Object.keys(scores)) row(g);
  if (live) for (const a of results.inputs.accounts ?? []) if (a.status === 'scanned') row(a.accountId);
  const areas: string[] = [...AREAS];
  for (const f of results.findings) {
    const area = areaOf(f.checkId);
    if (!areas.includes(area)) areas.push(area);
    const r = row(groupOfFinding(f));
    const cell = r.cells.get(area) ?? { open: 0, worst: undefined, suppressed: 0 };
    if (f.suppressed) cell.suppressed++;
    else {
      cell.open++;
      if (cell.worst === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[cell.worst]) cell.worst = f.severity;
    }
    r.cells.set(area, cell);
  }
  if (rows.size === 0) return '';
  const sorted = [...rows.values()].sort(
    (a, b) => (a.score ?? 101) - (b.score ?? 101) || a.group.localeCompare(b.group),
  );
  const names = new Map((results.inputs.accounts ?? []).map((a) => [a.accountId, a.name]));
  const body = sorted
    .map((r) => {
      const name = live && names.get(r.group) ? ` <span class="muted">${esc(names.get(r.group))}</span>` : '';
      const cells = areas
        .map((area) => {
          const cell = r.cells.get(area);
          const open = cell?.open ?? 0;
          const cls = cell?.worst ? `heat sev-${cell.worst}` : 'heat clean';
          const title = `${r.group} · ${area}: ${plural(open, 'open finding')}${cell?.worst ? `, worst ${cell.worst}` : ''}${cell?.suppressed ? `, ${cell.suppressed} suppressed` : ''}`;
          return `<td class="${cls}" data-area="${esc(area)}" data-group="${esc(r.group)}" data-count="${open}" title="${esc(title)}">${
            open > 0 ? `<button type="button" class="cell" data-area="${esc(area)}" data-group="${esc(r.group)}">${open}</button>` : '<span class="zero">0</span>'
          }</td>`;
        })
        .join('');
      return `<tr><th scope="row" class="mono">${esc(r.group)}${name}</th><td class="num score band-${scoreBand(r.score ?? null)}">${esc(formatScore(r.score))}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<section id="heatmap" class="heatmap">
<h2>${live ? 'Accounts' : 'Files'} × areas</h2>
<p class="note">Open findings per ${live ? 'account' : 'file'} and check area, coloured by the most severe; lowest score first. Select a number to list those findings.</p>
<div class="scroll">
<table class="heat-table">
<thead><tr><th>${live ? 'account' : 'file'}</th><th class="num">score</th>${areas.map((a) => `<th class="area">${esc(a)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>
<p class="legend">${SEVERITIES.map((s) => `<span class="heat sev-${s} key">${s}</span>`).join(' ')} <span class="heat clean key">none open</span></p>
</section>`;
}

function prettyEvidence(evidence: Record<string, unknown>): string {
  let text: string;
  try {
    text = JSON.stringify(evidence, null, 2) ?? 'null';
  } catch {
    text = String(evidence);
  }
  if (text.length > MAX_EVIDENCE_CHARS) {
    return `${esc(text.slice(0, MAX_EVIDENCE_CHARS))}\n<span class="muted">… ${text.length - MAX_EVIDENCE_CHARS} more characters: the JSON results hold the whole evidence.</span>`;
  }
  return esc(text);
}

function remediationBlock(check: CheckSummary): string {
  const snippets = REMEDIATION_LABELS.filter(([key]) => check.remediation[key])
    .map(([key, label]) => `<div class="snippet"><div class="snippet-label">${label}</div><pre class="code remediation-${key}">${esc(check.remediation[key])}</pre></div>`)
    .join('\n');
  const refs =
    check.references.length > 0
      ? `<h4>References</h4><ul class="refs">${check.references.map((r) => `<li class="mono">${esc(r)}</li>`).join('')}</ul>`
      : '';
  return `<h4>Why it matters</h4>
<p class="rationale">${esc(check.rationale)}</p>
<h4>Remediation</h4>
<div class="remediation">${snippets || '<p class="muted">No remediation text in the results.</p>'}</div>
${refs}
<p class="muted small">Check documentation: <span class="mono">${esc(check.helpUri)}</span></p>`;
}

function findingBody(f: Finding, index: number, check: CheckSummary | undefined, inline: boolean): string {
  const r = f.resource;
  const status = f.suppressed ? 'suppressed' : 'open';
  const area = areaOf(f.checkId);
  const where: string[] = [];
  if (r.file) where.push(`<div><dt>file</dt><dd class="mono">${esc(locationOf(f))}</dd></div>`);
  if (r.logicalId) where.push(`<div><dt>logical id / address</dt><dd class="mono">${esc(r.logicalId)}</dd></div>`);
  if (r.cdkPath) where.push(`<div><dt>CDK path</dt><dd class="mono">${esc(r.cdkPath)}</dd></div>`);
  if (r.arn) where.push(`<div><dt>ARN</dt><dd class="mono">${esc(r.arn)}</dd></div>`);
  if (r.account) where.push(`<div><dt>account</dt><dd class="mono">${esc(r.account)}</dd></div>`);
  if (r.region) where.push(`<div><dt>region</dt><dd class="mono">${esc(r.region)}</dd></div>`);
  where.push(`<div><dt>resource type</dt><dd class="mono">${esc(r.type)}</dd></div>`);
  where.push(`<div><dt>fingerprint</dt><dd class="mono">${esc(f.fingerprint)}</dd></div>`);
  const suppression = f.suppressed
    ? `<p class="suppression"><strong>Suppressed</strong> (${esc(f.suppressed.source)}${f.suppressed.expires ? `, until ${esc(f.suppressed.expires)}` : ''}): ${esc(f.suppressed.reason)}</p>`
    : '';
  const guidance = !check
    ? '<p class="muted">The results carry no metadata for this check.</p>'
    : inline
      ? // On screen next to the finding; in print once per check, in the appendix (html/print.ts).
        `<div class="inline-guidance">${remediationBlock(check)}</div>${appendixPointer(check.id)}`
      : `<p>Rationale and remediation: see <a href="#check-${esc(check.id)}">${esc(check.id)}</a> under Checks.</p>`;
  const baseline = f.baselineState ? `<span class="badge baseline-${f.baselineState}">${f.baselineState}</span>` : '';
  const id = `finding-${index}`;
  return `<tbody class="finding sev-${f.severity} status-${status}" id="${id}" data-severity="${f.severity}" data-area="${esc(area)}" data-status="${status}"${
    f.baselineState ? ` data-baseline="${f.baselineState}"` : ''
  } data-check="${esc(f.checkId)}">
<tr class="summary">
<td><button type="button" class="toggle" aria-expanded="false" aria-controls="${id}-detail" title="show evidence and remediation">▸</button></td>
<td><span class="badge sev-${f.severity}">${f.severity}</span>${f.suppressed ? ' <span class="badge suppressed-badge">suppressed</span>' : ''}${baseline ? ` ${baseline}` : ''}</td>
<td class="mono nowrap">${esc(f.checkId)}</td>
<td><div class="res mono">${esc(resourceLabel(f))}</div><div class="loc mono muted">${esc(locationOf(f))}</div></td>
<td><div class="title">${esc(f.title)}</div><div class="message">${esc(f.message)}</div></td>
</tr>
<tr class="detail" id="${id}-detail">
<td></td>
<td colspan="4">
${suppression}
<dl class="where">${where.join('')}</dl>
<h4>Evidence</h4>
${evidenceBlock(prettyEvidence(f.evidence))}
${guidance}
</td>
</tr>
</tbody>`;
}

function findingsSection(results: Results, checks: Map<string, CheckSummary>): string {
  const findings = [...results.findings].sort(
    (a, b) => bySeverity(a, b) || a.checkId.localeCompare(b.checkId) || locationOf(a).localeCompare(locationOf(b)),
  );
  if (findings.length === 0) {
    return `<section id="findings" class="findings major"><h2>Findings</h2><p class="status pass">No findings.</p></section>`;
  }
  const inline = findings.length <= INLINE_REMEDIATION_LIMIT;
  const areas = [...new Set(findings.map((f) => areaOf(f.checkId)))].sort(
    (a, b) => (AREAS.indexOf(a as (typeof AREAS)[number]) + 1 || 99) - (AREAS.indexOf(b as (typeof AREAS)[number]) + 1 || 99) || a.localeCompare(b),
  );
  const severities = SEVERITIES.filter((s) => findings.some((f) => f.severity === s));
  const hasBaseline = findings.some((f) => f.baselineState);
  const option = (value: string, label = value) => `<option value="${esc(value)}">${esc(label)}</option>`;
  const controls = `<div class="controls" role="search">
<label>Search <input type="search" id="f-search" placeholder="check, resource, account, file, message, evidence…" autocomplete="off"></label>
<label>Severity <select id="f-severity">${option('', 'all')}${severities.map((s) => option(s)).join('')}</select></label>
<label>Area <select id="f-area">${option('', 'all')}${areas.map((a) => option(a)).join('')}</select></label>
<label>Status <select id="f-status">${option('', 'all')}${option('open')}${option('suppressed')}${hasBaseline ? option('new', 'new since baseline') + option('unchanged', 'unchanged since baseline') : ''}</select></label>
<button type="button" id="f-reset">Reset</button>
<button type="button" id="f-expand">Expand all</button>
<button type="button" id="f-collapse">Collapse all</button>
<span id="f-shown" class="muted" aria-live="polite">${findings.length} of ${findings.length} shown</span>
</div>`;
  return `<section id="findings" class="findings major">
<h2>Findings <span class="muted">(${findings.length})</span></h2>
${controls}
<table class="finding-table">
<thead><tr><th><span class="sr">expand</span></th><th>severity</th><th>check</th><th>resource</th><th>finding</th></tr></thead>
${findings.map((f, i) => findingBody(f, i, checks.get(f.checkId), inline)).join('\n')}
</table>
<p id="f-none" class="muted" hidden>No finding matches the search and filters.</p>
</section>`;
}

function notAssessedSection(results: Results): string {
  if (results.notAssessed.length === 0) return '';
  const byCheck = new Map<string, Map<string, NotAssessed[]>>();
  for (const n of results.notAssessed) {
    const reasons = byCheck.get(n.checkId) ?? new Map<string, NotAssessed[]>();
    const list = reasons.get(n.reason) ?? [];
    list.push(n);
    reasons.set(n.reason, list);
    byCheck.set(n.checkId, reasons);
  }
  const total = (reasons: Map<string, NotAssessed[]>) => [...reasons.values()].reduce((sum, l) => sum + l.length, 0);
  const groups = [...byCheck].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]));
  const titles = new Map(results.checks.map((c) => [c.id, c.title]));
  const body = groups
    .map(([checkId, reasons]) => {
      const items = [...reasons]
        .map(
          ([reason, entries]) =>
            `<li><div class="reason">${esc(reason)}</div><ul class="scopes">${entries.map((e) => `<li class="mono">${esc(notAssessedScope(e))}</li>`).join('')}</ul></li>`,
        )
        .join('');
      return `<div class="na-check" data-check="${esc(checkId)}"><h3><span class="mono">${esc(checkId)}</span> ${esc(titles.get(checkId) ?? '')} <span class="muted">(${total(reasons)})</span></h3><ul class="reasons">${items}</ul></div>`;
    })
    .join('\n');
  return `<section id="not-assessed" class="not-assessed major">
<h2>Not assessed <span class="muted">(${results.notAssessed.length})</span></h2>
<p class="note">These (check, resource) pairs neither passed nor failed: the data needed was not available. They are left out of the score and lower the coverage.</p>
${body}
</section>`;
}

function errorsSection(results: Results): string {
  if (results.errors.length === 0) return '';
  return `<section id="errors" class="errors">
<h2>Errors <span class="muted">(${results.errors.length})</span></h2>
<ul class="error-list">${results.errors
    .map((e) => {
      const where = errorWhere(e);
      return `<li>${where ? `<span class="mono">${esc(where)}</span>: ` : ''}${esc(e.message)}</li>`;
    })
    .join('')}</ul>
</section>`;
}

function noticesSection(results: Results): string {
  if (results.notices.length === 0) return '';
  return `<section id="notices" class="notices">
<h2>Notices</h2>
<ul>${results.notices.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</section>`;
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

function timelineSection(results: Results): string {
  const trail = trailOf(results);
  if (!trail) return '';
  const principals = trail.timeline
    .map((t) => {
      const shown = t.events.slice(0, MAX_TIMELINE_EVENTS);
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
${more > 0 || t.truncated ? `<p class="muted small">More events exist than are shown${more > 0 ? ` (${more} left out here)` : ''}; the JSON results and the logs hold them.</p>` : ''}
</div>`;
    })
    .join('\n');
  return `<section id="timeline" class="timeline-section major">
<h2>Events per principal (CloudTrail timeline)</h2>
${coverageFacts(trail.coverage)}
${principals || '<p class="muted">No principal timeline in the results.</p>'}
</section>`;
}

function checksSection(results: Results): string {
  if (results.checks.length === 0) return '';
  const open = new Map<string, number>();
  const suppressed = new Map<string, number>();
  const notAssessed = new Map<string, number>();
  for (const f of results.findings) (f.suppressed ? suppressed : open).set(f.checkId, ((f.suppressed ? suppressed : open).get(f.checkId) ?? 0) + 1);
  for (const n of results.notAssessed) notAssessed.set(n.checkId, (notAssessed.get(n.checkId) ?? 0) + 1);
  const checks = [...results.checks].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.id.localeCompare(b.id));
  const rows = checks
    .map(
      (c) =>
        `<tr><td class="mono nowrap"><a href="#check-${esc(c.id)}">${esc(c.id)}</a></td><td><span class="badge sev-${c.severity}">${c.severity}</span></td><td>${esc(c.title)}</td><td class="num">${open.get(c.id) ?? 0}</td><td class="num">${suppressed.get(c.id) ?? 0}</td><td class="num">${notAssessed.get(c.id) ?? 0}</td></tr>`,
    )
    .join('');
  // In print the appendix holds the checks the findings point to; the table above still lists every check.
  const details = checks
    .map((c) => `<div class="check${open.has(c.id) || suppressed.has(c.id) ? '' : ' no-findings'}" id="check-${esc(c.id)}"><h3><span class="mono">${esc(c.id)}</span> ${esc(c.title)} <span class="badge sev-${c.severity}">${c.severity}</span></h3>${remediationBlock(c)}</div>`)
    .join('\n');
  return `<section id="checks" class="checks major">
<h2>${APPENDIX_TITLE}Checks that ran <span class="muted">(${checks.length})</span></h2>
<table class="plain"><thead><tr><th>check</th><th>severity</th><th>title</th><th class="num">open</th><th class="num">suppressed</th><th class="num">not assessed</th></tr></thead><tbody>${rows}</tbody></table>
${details}
</section>`;
}

function scopeSection(results: Results): string {
  const inputs = results.inputs;
  const parts: string[] = [];
  if (inputs.files.length > 0) {
    parts.push(
      `<h3>Files</h3><table class="plain"><thead><tr><th>file</th><th>read as</th></tr></thead><tbody>${inputs.files
        .map((f) => `<tr><td class="mono">${esc(f.file)}</td><td>${esc(f.kind)}</td></tr>`)
        .join('')}</tbody></table>`,
    );
  }
  if (inputs.skipped.length > 0) parts.push(`<p>Skipped (neither template nor plan): <span class="mono">${esc(inputs.skipped.join(', '))}</span></p>`);
  if (inputs.accounts && inputs.accounts.length > 0) {
    parts.push(
      `<h3>Accounts</h3><table class="plain"><thead><tr><th>account</th><th>name</th><th>status</th><th>regions</th></tr></thead><tbody>${inputs.accounts
        .map(
          (a) =>
            `<tr><td class="mono">${esc(a.accountId)}</td><td>${esc(a.name)}</td><td class="status-${esc(a.status)}">${esc(a.status)}</td><td class="mono">${esc(a.regions.join(', '))}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  if (inputs.apiCalls !== undefined) parts.push(`<p>${esc(plural(inputs.apiCalls, 'read-only API call'))} made.</p>`);
  if (parts.length === 0) return '';
  return `<section id="scope" class="scope"><h2>Scope</h2>${parts.join('\n')}</section>`;
}

/** A trail report opens on the incident (coverage, timeline, actions), not on a posture gauge. */
function isIncident(results: Results): boolean {
  return results.kind === 'trail' && trailOf(results) !== undefined;
}

function nav(results: Results, options: HtmlReportOptions): string {
  const incident = isIncident(results);
  const links: [string, string, boolean][] = [
    ['overview', 'Investigation', incident],
    ['incident', 'Incident', incident],
    ['actions', 'What to do now', incident],
    ['posture', 'Posture', !incident],
    ['trend', 'Trend', options.baselineFixed !== undefined || results.findings.some((f) => f.baselineState !== undefined)],
    ['heatmap', 'Heatmap', !incident],
    ['findings', 'Findings', true],
    ['not-assessed', 'Not assessed', results.notAssessed.length > 0],
    ['errors', 'Errors', results.errors.length > 0],
    ['notices', 'Notices', results.notices.length > 0],
    ['timeline', 'Events', trailOf(results) !== undefined],
    ['checks', 'Checks', results.checks.length > 0],
  ];
  return `<nav class="toc">${links
    .filter(([, , show]) => show)
    .map(([id, label]) => `<a href="#${id}">${label}</a>`)
    .join('')}</nav>`;
}

/** Renders the results as one self-contained HTML page (no external resources, no network fetch). */
export function html(results: Results, options: HtmlReportOptions = {}): string {
  const checks = new Map(results.checks.map((c) => [c.id, c]));
  const incident = isIncident(results);
  const title = `sesguard ${KIND_TITLES[results.kind] ?? results.kind} report — ${results.finishedAt}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(`${results.tool.name} ${results.tool.version}`)}">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>
${STYLESHEET}
${INCIDENT_STYLESHEET}
${PRINT_STYLESHEET}
</style>
</head>
<body>
${header(results)}
${nav(results, options)}
<main>
${incident ? `${overviewSection(results)}\n${incidentTimelineSection(results)}\n${actionsSection(results)}` : postureSection(results)}
${trendSection(results, options)}
${incident ? '' : heatmapSection(results)}
${findingsSection(results, checks)}
${notAssessedSection(results)}
${errorsSection(results)}
${noticesSection(results)}
${timelineSection(results)}
${scopeSection(results)}
${checksSection(results)}
</main>
<footer><p class="muted small">Generated by ${esc(results.tool.name)} ${esc(results.tool.version)} from results of ${esc(results.finishedAt)}. This file is self-contained: it loads nothing from the network and can be archived or printed to PDF as it is.</p></footer>
<script>
${CLIENT_SCRIPT}
</script>
</body>
</html>
`;
}

/** The same reporter under the name the other reporters use. */
export const renderHtml = html;
