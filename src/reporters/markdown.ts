// Markdown reporter for `$GITHUB_STEP_SUMMARY` (SPEC §5): score, counts by severity, top findings,
// not-assessed scope, errors and notices — never more than `maxMarkdownBytes` (GitHub rejects step
// summaries over 1 MiB), cutting the long sections and saying so rather than failing the job.
// A CloudTrail run shows what the logs could show right after the header (docs/runbook.md §3).
import { coverageStatement } from '../detections/coverage.js';
import { SEVERITIES, type Finding, type NotAssessed } from '../engine/types.js';
import type { ResponseAction } from '../detections/respond.js';
import type { Results } from '../results.js';
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

export const DEFAULT_MAX_MARKDOWN_BYTES = 1_000_000;
/** Rows of the top-findings table; the rest is counted, not listed. */
export const MAX_FINDING_ROWS = 50;
/** Rows of the per-account/file score table: an org scan has hundreds of accounts; the lowest matter. */
export const MAX_GROUP_ROWS = 50;
const MAX_CELL_CHARS = 300;
const MAX_REASONS_PER_CHECK = 3;

const TITLES: Record<string, string> = {
  iac: 'IaC scan',
  scan: 'AWS scan',
  evaluate: 'snapshot evaluation',
  trail: 'incident detections (CloudTrail, VPC Flow Logs)',
  demo: 'demo',
};

/** Plain text in a table cell: one line, no table breaks, no code spans, no HTML, bounded length. */
export function escapeCell(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const oneLine = text.replace(/\r?\n|\r/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  const short = oneLine.length > MAX_CELL_CHARS ? `${oneLine.slice(0, MAX_CELL_CHARS - 1)}…` : oneLine;
  return short.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** Inline text outside tables: same escaping, no length bound beyond what the caller chose. */
function escapeInline(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Accumulates lines under a byte budget. Each section keeps room for its own truncation note, so the
 * total never exceeds the budget and the reader is always told what was left out.
 */
class Budget {
  private readonly lines: string[] = [];
  private used = 0;
  truncated = false;

  constructor(private readonly max: number) {}

  private fits(line: string, reserve: number): boolean {
    return this.used + bytes(line) + 1 + reserve <= this.max;
  }

  private push(line: string): void {
    this.lines.push(line);
    this.used += bytes(line) + 1;
  }

  /** Adds a section: its lines in order while they fit, then one note saying how many were left out. */
  section(lines: readonly string[]): void {
    const note = (n: number) =>
      `\n_…${n} more line${n === 1 ? '' : 's'} of this section left out: the summary is limited to ${this.max} bytes. The JSON results hold everything._`;
    const reserve = bytes(note(lines.length)) + 1;
    for (let i = 0; i < lines.length; i++) {
      if (!this.fits(lines[i], reserve)) {
        this.truncated = true;
        const text = note(lines.length - i);
        if (this.fits(text, 0)) this.push(text);
        return;
      }
      this.push(lines[i]);
    }
  }

  text(): string {
    const out = `${this.lines.join('\n')}\n`;
    if (bytes(out) <= this.max) return out;
    // Only reachable with a budget smaller than the header: cut on a character boundary.
    let cut = out.slice(0, this.max);
    while (bytes(cut) > this.max) cut = cut.slice(0, -1);
    return cut;
  }
}

function header(results: Results): string[] {
  const open = results.findings.filter((f) => !f.suppressed).length;
  const status =
    results.errors.length > 0 || results.incomplete
      ? '⚠️ **Incomplete**: some inputs could not be read or the scope could not be covered; see Errors.'
      : open > 0
        ? `❌ **${open} open finding${open === 1 ? '' : 's'}**`
        : '✅ **No open findings**';
  const s = results.score;
  const worst = s.worst ? ` · worst: \`${s.worst.group.replace(/`/g, "'")}\` ${formatScore(s.worst.score)}` : '';
  const c = results.counts;
  const bySev = countBySeverity(results.findings);
  return [
    `# sesguard — ${TITLES[results.kind] ?? escapeInline(results.kind)}`,
    '',
    status,
    '',
    `**Score ${formatScore(s.overall)}** / 100${worst} · coverage ${formatPercent(s.coverage)}`,
    '',
    `${c.evaluated} (check, resource) pairs evaluated: ${c.passed} passed, ${c.failed} failed, ${c.suppressed} suppressed; ` +
      `${c.notAssessed} not assessed, ${c.notApplicable} not applicable. sesguard ${escapeInline(results.tool.version)}, ${results.finishedAt}.`,
    '',
    '## Findings by severity',
    '',
    '| severity | open | suppressed |',
    '| --- | ---: | ---: |',
    ...SEVERITIES.map((sev) => `| ${sev} | ${bySev[sev].open} | ${bySev[sev].suppressed} |`),
  ];
}

/** What the logs of a CloudTrail run could show: facts, then every detection that could not work and why. */
function trailCoverageSection(results: Results): string[] {
  if (!results.trail) return [];
  const statement = coverageStatement(results.trail.coverage);
  return [
    '',
    '## What these logs could show',
    '',
    ...statement.facts.map(([label, value]) => `- **${label}:** ${escapeInline(value)}`),
    `- **Detections:** ${escapeInline(statement.summary)}`,
    ...(statement.unsupported.length > 0
      ? ['', '| not supported | why |', '| --- | --- |', ...statement.unsupported.map((d) => `| ${escapeCell(d.id)} | ${escapeCell(d.why)} |`)]
      : []),
    '',
    'A detection without findings means "nothing happened" only when these logs support it.',
  ];
}

function scoreGroups(results: Results): string[] {
  const groups = [
    ...Object.entries(results.score.byAccount).map(([g, v]) => ({ g, v, kind: 'account' })),
    ...Object.entries(results.score.byFile).map(([g, v]) => ({ g, v, kind: 'file' })),
  ].sort((a, b) => a.v - b.v || a.g.localeCompare(b.g));
  if (groups.length <= 1) return [];
  return [
    '',
    '## Score by account or file (lowest first)',
    '',
    '| account / file | score |',
    '| --- | ---: |',
    ...groups.slice(0, MAX_GROUP_ROWS).map(({ g, v }) => `| ${escapeCell(g)} | ${formatScore(v)} |`),
    ...(groups.length > MAX_GROUP_ROWS ? ['', `…and ${groups.length - MAX_GROUP_ROWS} more, all scoring at least ${formatScore(groups[MAX_GROUP_ROWS].v)}.`] : []),
  ];
}

function findingRow(f: Finding): string {
  const sev = f.suppressed ? `${f.severity} (suppressed)` : f.severity;
  return `| ${sev} | ${escapeCell(f.checkId)} | ${escapeCell(resourceLabel(f))} | ${escapeCell(locationOf(f))} | ${escapeCell(f.message)} |`;
}

function topFindings(results: Results): string[] {
  const open = results.findings.filter((f) => !f.suppressed).sort(bySeverity);
  if (results.findings.length === 0) return ['', '## Top findings', '', 'None.'];
  const rows = open.slice(0, MAX_FINDING_ROWS);
  const lines = ['', '## Top findings', ''];
  if (rows.length === 0) lines.push('No open findings.');
  else lines.push('| severity | check | resource | location | message |', '| --- | --- | --- | --- | --- |', ...rows.map(findingRow));
  if (open.length > rows.length) lines.push('', `…and ${open.length - rows.length} more open findings.`);
  const suppressed = results.findings.filter((f) => f.suppressed);
  if (suppressed.length > 0) lines.push('', `${suppressed.length} suppressed finding${suppressed.length === 1 ? '' : 's'} (listed in the JSON and SARIF outputs).`);
  return lines;
}

function notAssessedSection(results: Results): string[] {
  if (results.notAssessed.length === 0) return [];
  const byCheck = new Map<string, NotAssessed[]>();
  for (const n of results.notAssessed) {
    const list = byCheck.get(n.checkId) ?? [];
    list.push(n);
    byCheck.set(n.checkId, list);
  }
  const rows = [...byCheck].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  return [
    '',
    '## Not assessed',
    '',
    `${results.notAssessed.length} (check, resource) pair${results.notAssessed.length === 1 ? ' was' : 's were'} not assessed: ` +
      'neither passed nor failed, because the data was not available. Coverage above counts them.',
    '',
    '| check | pairs | first reasons |',
    '| --- | ---: | --- |',
    ...rows.map(([checkId, entries]) => {
      const reasons: string[] = [];
      for (const e of entries) {
        const text = `${notAssessedScope(e)}: ${e.reason}`;
        if (!reasons.some((r) => r.endsWith(e.reason))) reasons.push(text);
        if (reasons.length >= MAX_REASONS_PER_CHECK) break;
      }
      return `| ${escapeCell(checkId)} | ${entries.length} | ${reasons.map(escapeCell).join('<br>')} |`;
    }),
  ];
}

function errorsSection(results: Results): string[] {
  if (results.errors.length === 0) return [];
  return [
    '',
    '## Errors',
    '',
    ...results.errors.map((e) => {
      const where = errorWhere(e);
      return `- ${where ? `${escapeInline(where)}: ` : ''}${escapeInline(e.message)}`;
    }),
  ];
}

function noticesSection(results: Results): string[] {
  if (results.notices.length === 0) return [];
  return ['', '## Notices', '', ...results.notices.map((n) => `- ${escapeInline(n)}`)];
}

/** The trend against a baseline, when the findings carry baselineState. */
function trendSection(results: Results, fixed: number | undefined): string[] {
  const open = results.findings.filter((f) => !f.suppressed);
  if (!open.some((f) => f.baselineState)) return [];
  const fresh = open.filter((f) => f.baselineState === 'new').length;
  return [
    '',
    '## Trend against the baseline',
    '',
    '| new | unchanged | fixed |',
    '| ---: | ---: | ---: |',
    `| ${fresh} | ${open.length - fresh} | ${fixed ?? '—'} |`,
    '',
    fresh > 0 ? `Only the ${fresh} new finding${fresh === 1 ? '' : 's'} can fail the run.` : 'No new findings since the baseline.',
  ];
}

/** Actions listed in full; the rest are counted (the JSON and HTML reports hold them all). */
const MAX_ACTIONS = 30;

/** A fence longer than any run of backticks in `text`, so a command from the logs cannot close it. */
function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * Trail runs: what to do now (results.trail.actions), in the order to do it, each with its exact AWS CLI command.
 * Results written before actions existed have none, and say so.
 */
function actionsSection(results: Results): string[] {
  if (!results.trail) return [];
  const actions = (results.trail.actions as unknown[] | undefined)?.filter(
    (a): a is ResponseAction => typeof a === 'object' && a !== null && typeof (a as ResponseAction).action === 'string' && typeof (a as ResponseAction).command === 'string',
  );
  const lines = ['', '## What to do now', ''];
  if (actions === undefined) return [...lines, 'These results carry no response actions (written by an older version of sesguard): docs/runbook.md lists the usual ones.'];
  if (actions.length === 0) return [...lines, 'No open finding calls for an action.'];
  lines.push('Derived from the open findings: contain first (credentials keep working until stopped), then repair what was weakened, then review what was created. Run each command in the account and region named; words in <angle brackets> are for you to fill in.', '');
  actions.slice(0, MAX_ACTIONS).forEach((a, i) => {
    const where = [a.account, a.region].filter((v): v is string => typeof v === 'string').join(' · ');
    const because = [...new Set((Array.isArray(a.because) ? a.because : []).map((b) => b.checkId))].join(', ');
    const f = fence(a.command);
    lines.push(`${i + 1}. **${escapeInline(a.step)}**: ${escapeInline(a.action)}${where ? ` (${escapeInline(where)})` : ''}${because ? `; because of ${escapeInline(because)}` : ''}`);
    lines.push('', `   ${f}sh`, ...a.command.split('\n').map((l) => `   ${l}`), `   ${f}`);
    if (a.note) lines.push('', `   ${escapeInline(a.note)}`);
    lines.push('');
  });
  if (actions.length > MAX_ACTIONS) lines.push(`…and ${actions.length - MAX_ACTIONS} more actions in the JSON and HTML reports.`);
  return lines;
}

const TIMELINE_PRINCIPALS = 10;
const TIMELINE_ROWS = 25;

/**
 * CloudTrail runs: what each principal involved in a finding did, in time order. One row per kind of call
 * (a sweep of eight regions is one row, not thirty-two), so the summary stays readable; JSON and HTML hold
 * every event.
 */
function timelineSection(results: Results): string[] {
  const timeline = results.trail?.timeline ?? [];
  const involved = timeline.filter((t) => t.entries.some((e) => e.findings.length > 0));
  if (involved.length === 0) return [];
  const lines = ['', '## Timeline by principal'];
  for (const t of involved.slice(0, TIMELINE_PRINCIPALS)) {
    lines.push(
      '',
      `### \`${t.principal.replace(/`/g, "'")}\``,
      '',
      `${t.eventCount} events ${t.firstSeen} – ${t.lastSeen}; keys ${escapeInline(t.accessKeys.join(', ') || '—')}; ` +
        `source IPs ${escapeInline(t.sourceIps.join(', ') || '—')}; regions ${escapeInline(t.regions.join(', ') || '—')}`,
      '',
      '| first | last | event | calls | regions | source IPs | findings |',
      '| --- | --- | --- | ---: | --- | --- | --- |',
    );
    const rows = new Map<string, { first: string; last: string; event: string; calls: number; regions: Set<string>; ips: Set<string>; findings: Set<string> }>();
    for (const e of t.entries) {
      const event = `${e.eventName}${e.errorCode ? ` (${e.errorCode})` : ''}`;
      const row = rows.get(event) ?? { first: e.time, last: e.time, event, calls: 0, regions: new Set(), ips: new Set(), findings: new Set() };
      row.last = e.time;
      row.calls++;
      row.regions.add(e.region);
      if (e.sourceIp) row.ips.add(e.sourceIp);
      for (const f of e.findings) row.findings.add(f);
      rows.set(event, row);
    }
    const list = [...rows.values()];
    for (const r of list.slice(0, TIMELINE_ROWS)) {
      const cell = (set: Set<string>) => escapeCell([...set].join(', '));
      lines.push(`| ${escapeCell(r.first)} | ${escapeCell(r.last)} | ${escapeCell(r.event)} | ${r.calls} | ${cell(r.regions)} | ${cell(r.ips)} | ${cell(r.findings)} |`);
    }
    if (list.length > TIMELINE_ROWS || t.truncated) lines.push('', '…more events of this principal are in the JSON and HTML reports.');
  }
  if (involved.length > TIMELINE_PRINCIPALS) lines.push('', `…and ${involved.length - TIMELINE_PRINCIPALS} more principals in the JSON and HTML reports.`);
  return lines;
}

export function renderMarkdown(results: Results, options: ReportOptions = {}): string {
  const budget = new Budget(options.maxMarkdownBytes ?? DEFAULT_MAX_MARKDOWN_BYTES);
  budget.section(header(results));
  budget.section(trailCoverageSection(results));
  budget.section(actionsSection(results));
  budget.section(trendSection(results, options.baselineFixed));
  // Errors come before the long tables so that a cut never hides why the run cannot be trusted.
  budget.section(errorsSection(results));
  budget.section(topFindings(results));
  budget.section(notAssessedSection(results));
  budget.section(timelineSection(results));
  budget.section(scoreGroups(results));
  budget.section(noticesSection(results));
  return budget.text();
}
