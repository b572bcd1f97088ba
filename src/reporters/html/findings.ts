// The findings of the HTML report: the list of findings shown in full (evidence, provenance, remediation),
// with search, filters, sorting and expand/collapse in the page, and — when not every finding fits — the
// statement of how many are not shown and where they are, and every finding counted by check and account.
import { SEVERITIES, SEVERITY_RANK, type Finding } from '../../engine/types.js';
import type { CheckSummary } from '../../results.js';
import { locationOf, resourceLabel } from '../common.js';
import { MAX_SARIF_RESULTS } from '../sarif.js';
import { areaOf, esc, groupFinder, MAX_EVIDENCE_CHARS, MAX_LIST_ROWS, num, plural, type ReportView } from './view.js';
import { appendixPointer, evidenceBlock } from './print.js';

const REMEDIATION_LABELS: [keyof CheckSummary['remediation'], string][] = [
  ['console', 'Console'],
  ['cli', 'AWS CLI'],
  ['cloudformation', 'CloudFormation'],
  ['terraform', 'Terraform'],
];

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

export function remediationBlock(check: CheckSummary): string {
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

export function findingBody(f: Finding, index: number, check: CheckSummary | undefined, inline: boolean, group: string): string {
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
      ? // On screen next to the finding; in print once per check, in the appendix (print.ts).
        `<div class="inline-guidance">${remediationBlock(check)}</div>${appendixPointer(check.id)}`
      : `<p>Rationale and remediation: see <a href="#check-${esc(check.id)}">${esc(check.id)}</a> under Checks.</p>`;
  const baseline = f.baselineState ? `<span class="badge baseline-${f.baselineState}">${f.baselineState}</span>` : '';
  const id = `finding-${index}`;
  return `<tbody class="finding sev-${f.severity} status-${status}" id="${id}" data-severity="${f.severity}" data-area="${esc(area)}" data-status="${status}"${
    f.baselineState ? ` data-baseline="${f.baselineState}"` : ''
  } data-check="${esc(f.checkId)}" data-group="${esc(group)}">
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

/** The findings list shown when not every finding is: how many are not, which severities, and where they all are. */
function notShownBanner(view: ReportView): string {
  const { digest: d, shown } = view;
  const hidden = d.total - shown.length;
  if (hidden === 0) return '';
  const inFull = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const f of shown) inFull[f.severity]++;
  const bySeverity = d.severities
    .map((s) => `${s} ${num(inFull[s])} of ${num(d.bySeverity[s].open + d.bySeverity[s].suppressed)}`)
    .join(' · ');
  return `<div class="banner partial" id="not-shown" role="note" data-testid="not-shown" data-hidden="${hidden}">
<p><strong>${num(hidden)} of ${plural(d.total, 'finding')} are not shown in full in this report.</strong> It lists the ${num(shown.length)} most severe (open before suppressed, then by check and location); the rest are counted in Posture, the heatmap and <a href="#by-check">Findings by check</a>, and every finding is in the JSON results (the file <span class="mono">--json</span> writes). The SARIF output keeps the ${num(MAX_SARIF_RESULTS)} most severe.</p>
<p class="small">Shown in full: ${bySeverity}.</p>
</div>`;
}

/** Each finding's row, rendered in display order until the count or size limit; sets how many are shown. */
export function renderRows(view: Omit<ReportView, 'rows' | 'shown'>, candidates: Finding[], maxChars: number): { shown: Finding[]; rows: string[] } {
  const rows: string[] = [];
  const groupOf = groupFinder(view.digest.live);
  let chars = 0;
  for (const f of candidates) {
    const row = findingBody(f, rows.length, view.checks.get(f.checkId), view.inline, groupOf(f));
    if (rows.length > 0 && chars + row.length > maxChars) break;
    rows.push(row);
    chars += row.length;
  }
  return { shown: candidates.slice(0, rows.length), rows };
}

/** Above this many findings in the page, the list is laid out for speed (assets.ts: `.finding-table.large`). */
const LARGE_LIST_ROWS = 1000;

/** A sortable column header: a button, so the keyboard reaches it; aria-sort says the current order. */
function sortHeader(key: string, label: string, sorted = false): string {
  return `<th aria-sort="${sorted ? 'ascending' : 'none'}"><button type="button" class="sort" data-sort="${key}" title="sort by ${label}">${label}</button></th>`;
}

export function findingsSection(view: ReportView): string {
  const { digest: d, shown, rows } = view;
  if (d.total === 0) {
    return `<section id="findings" class="findings major"><h2>Findings</h2><p class="status pass">No findings.</p></section>`;
  }
  const hidden = d.total - shown.length;
  // Filters offer what the run found, shown in full or not: a heatmap cell's area is always one of them.
  const { areas, severities } = d;
  const hasBaseline = d.baseline.any;
  const option = (value: string, label = value) => `<option value="${esc(value)}">${esc(label)}</option>`;
  const notInReport = hidden > 0 ? ` · ${num(hidden)} more not in this report (JSON results)` : '';
  const controls = `<div class="controls" role="search">
<label>Search <input type="search" id="f-search" placeholder="check, resource, account, file, message, evidence…" autocomplete="off"></label>
<label>Severity <select id="f-severity">${option('', 'all')}${severities.map((s) => option(s)).join('')}</select></label>
<label>Area <select id="f-area">${option('', 'all')}${areas.map((a) => option(a)).join('')}</select></label>
<label>Status <select id="f-status">${option('', 'all')}${option('open')}${option('suppressed')}${hasBaseline ? option('new', 'new since baseline') + option('unchanged', 'unchanged since baseline') : ''}</select></label>
<button type="button" id="f-reset">Reset</button>
<button type="button" id="f-expand">Expand all</button>
<button type="button" id="f-collapse">Collapse all</button>
<span id="f-shown" class="muted" aria-live="polite" data-not-in-report="${esc(notInReport)}">${num(shown.length)} of ${num(shown.length)} shown${esc(notInReport)}</span>
</div>
<p id="f-cell-note" class="note" hidden></p>`;
  return `<section id="findings" class="findings major">
<h2>Findings <span class="muted">(${hidden > 0 ? `${num(shown.length)} of ${num(d.total)} in full` : shown.length})</span></h2>
${notShownBanner(view)}
${controls}
<table class="finding-table${rows.length > LARGE_LIST_ROWS ? ' large' : ''}">
<thead><tr><th><span class="sr">expand</span></th>${sortHeader('severity', 'severity', true)}${sortHeader('check', 'check')}${sortHeader('resource', 'resource')}<th>finding</th></tr></thead>
${rows.join('\n')}
</table>
<p id="f-none" class="muted" hidden>No finding matches the search and filters.</p>
</section>`;
}

/**
 * Every finding counted by check, then by account (live) or file (IaC): what a person reads first when the
 * findings are too many to list. Shown only then: a report that lists every finding needs no such summary.
 */
export function byCheckSection(view: ReportView): string {
  const { digest: d, shown } = view;
  if (shown.length === d.total) return '';
  const inFull = new Map<string, number>();
  for (const f of shown) inFull.set(f.checkId, (inFull.get(f.checkId) ?? 0) + 1);
  const unit = d.live ? 'account' : 'file';
  const severityOf = (id: string) => view.checks.get(id)?.severity ?? view.results.findings.find((f) => f.checkId === id)?.severity ?? 'low';
  const checks = [...d.byCheck].sort(
    (a, b) => SEVERITY_RANK[severityOf(a[0])] - SEVERITY_RANK[severityOf(b[0])] || b[1].open - a[1].open || a[0].localeCompare(b[0]),
  );
  const body = checks
    .map(([id, tally]) => {
      const severity = severityOf(id);
      const groups = [...tally.groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const listed = groups.slice(0, MAX_LIST_ROWS);
      const rest = groups.slice(MAX_LIST_ROWS);
      const more = rest.length
        ? `<p class="muted small more">… and ${num(rest.length)} more ${rest.length === 1 ? unit : `${unit}s`} with ${plural(rest.reduce((s, [, n]) => s + n, 0), 'finding')}: the JSON results list them.</p>`
        : '';
      return `<tr data-check="${esc(id)}"><td class="mono nowrap">${esc(id)}</td><td><span class="badge sev-${severity}">${severity}</span></td><td>${esc(view.checks.get(id)?.title ?? '')}</td><td class="num" data-testid="by-check-open">${num(tally.open)}</td><td class="num">${num(tally.suppressed)}</td><td class="num" data-testid="by-check-shown">${num(inFull.get(id) ?? 0)}</td><td><details><summary>${plural(groups.length, unit)}</summary><ol class="group-counts">${listed
        .map(([group, n]) => `<li><span class="mono">${esc(group)}</span> <span class="count">${num(n)}</span></li>`)
        .join('')}</ol>${more}</details></td></tr>`;
    })
    .join('\n');
  return `<section id="by-check" class="by-check major">
<h2>Findings by check</h2>
<p class="note">Every finding of the run, open and suppressed, counted by check and then by ${unit} (most findings first). “In full” is how many of them the Findings list below shows with their evidence.</p>
<div class="scroll">
<table class="plain by-check-table">
<thead><tr><th>check</th><th>severity</th><th>title</th><th class="num">open</th><th class="num">suppressed</th><th class="num">in full</th><th>${unit}s</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>
</section>`;
}
