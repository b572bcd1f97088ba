// The sections of the HTML report other than the findings list and the CloudTrail timeline: header, posture,
// trend, heatmap, not assessed, errors, notices, scope and checks. Each is a function of the report view
// (html/view.ts) returning its markup, or '' when it has nothing to show. Long lists are cut at a documented
// length, and every cut says how many entries are left out and where they are.
import { SEVERITIES, SEVERITY_RANK, type NotAssessed } from '../../engine/types.js';
import { errorWhere, formatPercent, formatScore, notAssessedScope } from '../common.js';
import { remediationBlock } from './findings.js';
import {
  AREAS,
  esc,
  KIND_TITLES,
  MAX_LIST_ROWS,
  MAX_NOT_ASSESSED_ROWS,
  MAX_REASONS_PER_CHECK,
  MAX_SCOPES_PER_REASON,
  num,
  plural,
  type HeatCell,
  type ReportView,
} from './view.js';
import { APPENDIX_TITLE } from './print.js';

/** `… and 12 more accounts: the JSON results list them.` when a list was cut, else ''. */
function more(left: number, what: string, tag = 'p'): string {
  return left > 0 ? `<${tag} class="muted small more">… and ${num(left)} more ${left === 1 ? what : `${what}s`}: the JSON results list ${left === 1 ? 'it' : 'them'}.</${tag}>` : '';
}

export function header(view: ReportView): string {
  const { results, digest } = view;
  const title = KIND_TITLES[results.kind] ?? results.kind;
  const banner =
    results.incomplete || results.errors.length > 0
      ? `<div class="banner incomplete" role="alert"><strong>Incomplete.</strong> ${
          results.incomplete ? 'The run was interrupted or could not cover its whole scope. ' : ''
        }${results.errors.length > 0 ? `${esc(plural(results.errors.length, 'error'))} — see <a href="#errors">Errors</a>. ` : ''}` +
        'Findings and score describe only what could be read.</div>'
      : '';
  const status =
    digest.open > 0 ? `<p class="status fail">${esc(plural(digest.open, 'open finding'))}</p>` : '<p class="status pass">No open findings</p>';
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

export function postureSection(view: ReportView): string {
  const s = view.results.score;
  const c = view.results.counts;
  const bySev = view.digest.bySeverity;
  const max = Math.max(1, ...SEVERITIES.map((sev) => bySev[sev].open + bySev[sev].suppressed));
  const bars = SEVERITIES.map((sev) => {
    const { open, suppressed } = bySev[sev];
    return `<tr class="sev-row" data-severity="${sev}">
<th scope="row"><span class="badge sev-${sev}">${sev}</span></th>
<td class="num" data-testid="open-${sev}">${num(open)}</td>
<td class="num muted" data-testid="suppressed-${sev}">${num(suppressed)}</td>
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
<p class="counts" data-testid="counts">${num(c.evaluated)} (check, resource) pairs evaluated: ${num(c.passed)} passed, ${num(c.failed)} failed, ${num(c.suppressed)} suppressed; ${num(c.notAssessed)} not assessed, ${num(c.notApplicable)} not applicable.</p>
</div>
</div>
</section>`;
}

/**
 * Open findings by severity and check area: where an Organization's problems are, counted over every finding
 * whether the list shows it in full or not. A number lists those findings (and says how many are not in the page).
 */
export function severityAreaSection(view: ReportView): string {
  const { digest } = view;
  if (digest.open === 0) return '';
  const areas = digest.areas;
  const totals = new Map<string, number>();
  const rows = SEVERITIES.map((sev) => {
    const counts = digest.severityArea[sev];
    let all = 0;
    const cells = areas
      .map((area) => {
        const n = counts.get(area) ?? 0;
        all += n;
        totals.set(area, (totals.get(area) ?? 0) + n);
        const attrs = `data-severity="${sev}" data-area="${esc(area)}" data-count="${n}"`;
        return n > 0
          ? `<td class="heat sev-${sev}" ${attrs} title="${esc(`${sev} · ${area}: ${plural(n, 'open finding')}`)}"><button type="button" class="cell" ${attrs}>${num(n)}</button></td>`
          : `<td class="heat clean" ${attrs}><span class="zero">0</span></td>`;
      })
      .join('');
    return `<tr data-severity="${sev}"><th scope="row"><span class="badge sev-${sev}">${sev}</span></th>${cells}<td class="num" data-testid="severity-all-${sev}">${num(all)}</td></tr>`;
  }).join('\n');
  return `<section id="severity-area" class="heatmap">
<h2>Severity × area</h2>
<p class="note">Open findings of each severity in each check area, every finding counted. Select a number to list those findings.</p>
<div class="scroll">
<table class="heat-table">
<thead><tr><th>severity</th>${areas.map((a) => `<th class="area">${esc(a)}</th>`).join('')}<th class="num">all areas</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row">all severities</th>${areas.map((a) => `<td class="area-total" data-area="${esc(a)}">${num(totals.get(a) ?? 0)}</td>`).join('')}<td class="num" data-testid="severity-all">${num(digest.open)}</td></tr></tfoot>
</table>
</div>
</section>`;
}

export function trendSection(view: ReportView): string {
  const { baseline } = view.digest;
  const fixed = view.options.baselineFixed;
  if (!baseline.any && fixed === undefined) return '';
  return `<section id="trend" class="trend">
<h2>Trend against the baseline</h2>
<div class="trend-grid">
<div class="card trend-new"><div class="big" data-testid="trend-new">${num(baseline.new)}</div><div>new</div></div>
<div class="card trend-unchanged"><div class="big" data-testid="trend-unchanged">${num(baseline.unchanged)}</div><div>unchanged</div></div>
<div class="card trend-fixed"><div class="big" data-testid="trend-fixed">${fixed === undefined ? '—' : num(fixed)}</div><div>fixed${fixed === undefined ? ' (not known: the results do not say)' : ''}</div></div>
</div>
<p class="note">New findings are not in the baseline; unchanged ones are (matched by fingerprint: check id and resource, not the line).</p>
</section>`;
}

export function heatmapSection(view: ReportView): string {
  const { results, digest } = view;
  const live = digest.live;
  const scores = live ? results.score.byAccount : results.score.byFile;
  const groups = new Set<string>([...Object.keys(scores), ...digest.heat.keys()]);
  if (live) for (const a of results.inputs.accounts ?? []) if (a.status === 'scanned') groups.add(a.accountId);
  if (groups.size === 0) return '';
  const areas = [...AREAS, ...digest.areas.filter((a) => !(AREAS as readonly string[]).includes(a))];
  const sorted = [...groups].sort((a, b) => (scores[a] ?? 101) - (scores[b] ?? 101) || a.localeCompare(b));
  const listed = sorted.slice(0, MAX_LIST_ROWS);
  const names = new Map((results.inputs.accounts ?? []).map((a) => [a.accountId, a.name]));
  const empty = new Map<string, HeatCell>();
  const body = listed
    .map((group) => {
      const row = digest.heat.get(group) ?? empty;
      const name = live && names.get(group) ? ` <span class="muted">${esc(names.get(group))}</span>` : '';
      const cells = areas
        .map((area) => {
          const cell = row.get(area);
          const open = cell?.open ?? 0;
          const cls = cell?.worst ? `heat sev-${cell.worst}` : 'heat clean';
          const title = `${group} · ${area}: ${plural(open, 'open finding')}${cell?.worst ? `, worst ${cell.worst}` : ''}${cell?.suppressed ? `, ${num(cell.suppressed)} suppressed` : ''}`;
          return `<td class="${cls}" data-area="${esc(area)}" data-group="${esc(group)}" data-count="${open}" title="${esc(title)}">${
            open > 0 ? `<button type="button" class="cell" data-area="${esc(area)}" data-group="${esc(group)}" data-count="${open}">${num(open)}</button>` : '<span class="zero">0</span>'
          }</td>`;
        })
        .join('');
      const score = scores[group] ?? null;
      return `<tr><th scope="row" class="mono">${esc(group)}${name}</th><td class="num score band-${scoreBand(score)}">${esc(formatScore(score))}</td>${cells}</tr>`;
    })
    .join('\n');
  const left = sorted.length - listed.length;
  const unit = live ? 'account' : 'file';
  const cut =
    left > 0
      ? `<p class="muted small more">… and ${num(left)} more ${left === 1 ? unit : `${unit}s`}, each scoring at least ${esc(formatScore(scores[sorted[listed.length]] ?? null))}: the JSON results hold their scores and findings.</p>`
      : '';
  return `<section id="heatmap" class="heatmap">
<h2>${live ? 'Accounts' : 'Files'} × areas</h2>
<p class="note">Open findings per ${unit} and check area, coloured by the most severe; lowest score first. Select a number to list those findings.</p>
<div class="scroll">
<table class="heat-table">
<thead><tr><th>${unit}</th><th class="num">score</th>${areas.map((a) => `<th class="area">${esc(a)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>
${cut}
<p class="legend">${SEVERITIES.map((s) => `<span class="heat sev-${s} key">${s}</span>`).join(' ')} <span class="heat clean key">none open</span></p>
</section>`;
}

export function notAssessedSection(view: ReportView): string {
  const { results } = view;
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
  // A reason often names its account or region (an SCP, a disabled region): an Organization's scan can give a
  // check thousands of them. The most frequent are listed, and the whole section has a budget of scope rows.
  let room = MAX_NOT_ASSESSED_ROWS;
  const body = groups
    .map(([checkId, reasons]) => {
      const sorted = [...reasons].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
      const listed = sorted.slice(0, MAX_REASONS_PER_CHECK);
      const items = listed
        .map(([reason, entries]) => {
          const scopes = entries.slice(0, Math.min(MAX_SCOPES_PER_REASON, room));
          room -= scopes.length;
          return `<li><div class="reason">${esc(reason)} <span class="muted">(${num(entries.length)})</span></div><ul class="scopes">${scopes
            .map((e) => `<li class="mono">${esc(notAssessedScope(e))}</li>`)
            .join('')}${more(entries.length - scopes.length, 'scope', 'li')}</ul></li>`;
        })
        .join('');
      const rest = sorted.slice(listed.length);
      const restNote =
        rest.length > 0
          ? `<p class="muted small more">… and ${plural(rest.length, 'more reason')} (${plural(
              rest.reduce((n, [, entries]) => n + entries.length, 0),
              'scope',
            )}): the JSON results list them.</p>`
          : '';
      return `<div class="na-check" data-check="${esc(checkId)}"><h3><span class="mono">${esc(checkId)}</span> ${esc(titles.get(checkId) ?? '')} <span class="muted">(${num(total(reasons))})</span></h3><ul class="reasons">${items}</ul>${restNote}</div>`;
    })
    .join('\n');
  return `<section id="not-assessed" class="not-assessed major">
<h2>Not assessed <span class="muted">(${num(results.notAssessed.length)})</span></h2>
<p class="note">These (check, resource) pairs neither passed nor failed: the data needed was not available. They are left out of the score and lower the coverage.</p>
${body}
</section>`;
}

export function errorsSection(view: ReportView): string {
  const { errors } = view.results;
  if (errors.length === 0) return '';
  return `<section id="errors" class="errors">
<h2>Errors <span class="muted">(${num(errors.length)})</span></h2>
<ul class="error-list">${errors
    .slice(0, MAX_LIST_ROWS)
    .map((e) => {
      const where = errorWhere(e);
      return `<li>${where ? `<span class="mono">${esc(where)}</span>: ` : ''}${esc(e.message)}</li>`;
    })
    .join('')}</ul>
${more(errors.length - MAX_LIST_ROWS, 'error')}
</section>`;
}

export function noticesSection(view: ReportView): string {
  const { notices } = view.results;
  if (notices.length === 0) return '';
  return `<section id="notices" class="notices">
<h2>Notices</h2>
<ul>${notices
    .slice(0, MAX_LIST_ROWS)
    .map((n) => `<li>${esc(n)}</li>`)
    .join('')}</ul>
${more(notices.length - MAX_LIST_ROWS, 'notice')}
</section>`;
}

export function scopeSection(view: ReportView): string {
  const inputs = view.results.inputs;
  const parts: string[] = [];
  if (inputs.files.length > 0) {
    parts.push(
      `<h3>Files</h3><table class="plain"><thead><tr><th>file</th><th>read as</th></tr></thead><tbody>${inputs.files
        .slice(0, MAX_LIST_ROWS)
        .map((f) => `<tr><td class="mono">${esc(f.file)}</td><td>${esc(f.kind)}</td></tr>`)
        .join('')}</tbody></table>${more(inputs.files.length - MAX_LIST_ROWS, 'file')}`,
    );
  }
  if (inputs.skipped.length > 0) parts.push(`<p>Skipped (neither template nor plan): <span class="mono">${esc(inputs.skipped.join(', '))}</span></p>`);
  if (inputs.accounts && inputs.accounts.length > 0) {
    parts.push(
      `<h3>Accounts</h3><table class="plain"><thead><tr><th>account</th><th>name</th><th>status</th><th>regions</th></tr></thead><tbody>${inputs.accounts
        .slice(0, MAX_LIST_ROWS)
        .map(
          (a) =>
            `<tr><td class="mono">${esc(a.accountId)}</td><td>${esc(a.name)}</td><td class="status-${esc(a.status)}">${esc(a.status)}</td><td class="mono">${esc(a.regions.join(', '))}</td></tr>`,
        )
        .join('')}</tbody></table>${more(inputs.accounts.length - MAX_LIST_ROWS, 'account')}`,
    );
  }
  if (inputs.apiCalls !== undefined) parts.push(`<p>${esc(plural(inputs.apiCalls, 'read-only API call'))} made.</p>`);
  if (parts.length === 0) return '';
  return `<section id="scope" class="scope"><h2>Scope</h2>${parts.join('\n')}</section>`;
}

export function checksSection(view: ReportView): string {
  const { results, digest } = view;
  if (results.checks.length === 0) return '';
  const notAssessed = new Map<string, number>();
  for (const n of results.notAssessed) notAssessed.set(n.checkId, (notAssessed.get(n.checkId) ?? 0) + 1);
  const checks = [...results.checks].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.id.localeCompare(b.id));
  const rows = checks
    .map((c) => {
      const tally = digest.byCheck.get(c.id);
      return `<tr><td class="mono nowrap"><a href="#check-${esc(c.id)}">${esc(c.id)}</a></td><td><span class="badge sev-${c.severity}">${c.severity}</span></td><td>${esc(c.title)}</td><td class="num">${num(tally?.open ?? 0)}</td><td class="num">${num(tally?.suppressed ?? 0)}</td><td class="num">${num(notAssessed.get(c.id) ?? 0)}</td></tr>`;
    })
    .join('');
  // In print the appendix holds the checks the findings point to; the table above still lists every check.
  const details = checks
    .map((c) => `<div class="check${digest.byCheck.get(c.id) ? '' : ' no-findings'}" id="check-${esc(c.id)}"><h3><span class="mono">${esc(c.id)}</span> ${esc(c.title)} <span class="badge sev-${c.severity}">${c.severity}</span></h3>${remediationBlock(c)}</div>`)
    .join('\n');
  return `<section id="checks" class="checks major">
<h2>${APPENDIX_TITLE}Checks that ran <span class="muted">(${checks.length})</span></h2>
<table class="plain"><thead><tr><th>check</th><th>severity</th><th>title</th><th class="num">open</th><th class="num">suppressed</th><th class="num">not assessed</th></tr></thead><tbody>${rows}</tbody></table>
${details}
</section>`;
}
