// Text reporter: the default stdout of every command. One line per finding, grouped by file (IaC) or
// account (live), then counts, score, coverage, not-assessed and errors. ANSI colour only when asked.
// A CloudTrail run starts with what the logs could show (docs/runbook.md §3), before any finding.
import { coverageStatement } from '../detections/coverage.js';
import type { Finding, Severity } from '../engine/types.js';
import type { Results } from '../results.js';
import { countBySeverity, errorWhere, formatPercent, formatScore, groupOf, locationOf, type ReportOptions } from './common.js';
import { SEVERITIES, SEVERITY_RANK } from '../engine/types.js';

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  magenta: '\u001b[35m',
  green: '\u001b[32m',
};
const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: `${ANSI.bold}${ANSI.magenta}`,
  high: ANSI.red,
  medium: ANSI.yellow,
  low: ANSI.blue,
};

/**
 * Resource names, messages and file names come from scanned inputs: control characters are removed so
 * a crafted template cannot move the cursor or recolour the terminal.
 */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').replace(/\n/g, ' ');
}

/** The coverage statement of a CloudTrail run: "nothing found" only means something for supported detections. */
function trailCoverage(results: Results, paint: (style: string, text: string) => string): string[] {
  if (!results.trail) return [];
  const statement = coverageStatement(results.trail.coverage);
  const width = Math.max(...[...statement.facts.map(([label]) => label), 'Detections', 'Not supported'].map((label) => label.length + 1)) + 2;
  const lines = [paint(ANSI.bold, 'What these logs could show')];
  for (const [label, value] of statement.facts) lines.push(`  ${`${label}:`.padEnd(width)}${clean(value)}`);
  lines.push(`  ${'Detections:'.padEnd(width)}${clean(statement.summary)}`);
  for (const d of statement.unsupported) {
    lines.push(paint(ANSI.yellow, `  ${'Not supported:'.padEnd(width)}${clean(d.id)}: ${clean(d.why)}`));
  }
  lines.push('');
  return lines;
}

/** The summary as chunks, one per group of findings: an Organization's 200,000 lines are never one text. */
export function* textChunks(results: Results, options: ReportOptions = {}): Generator<string> {
  const paint = (style: string, text: string) => (options.color ? `${style}${text}${ANSI.reset}` : text);
  let lines: string[] = [...trailCoverage(results, paint)];

  const groups = new Map<string, Finding[]>();
  for (const f of results.findings) {
    const key = groupOf(f);
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  // A loop, not Math.max(...list): spreading 200,000 findings into arguments overflows the stack.
  let idWidth = 0;
  for (const f of results.findings) idWidth = Math.max(idWidth, f.checkId.length);
  for (const group of [...groups.keys()].sort()) {
    lines.push(paint(ANSI.bold, clean(group)));
    const findings = (groups.get(group) as Finding[]).sort(
      (a, b) =>
        Number(a.suppressed !== null) - Number(b.suppressed !== null) ||
        (a.resource.line ?? 0) - (b.resource.line ?? 0) ||
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
    );
    for (const f of findings) {
      const sev = f.severity.toUpperCase().padEnd(8);
      const line = `  ${paint(SEVERITY_COLOUR[f.severity], sev)}  ${f.checkId.padEnd(idWidth)}  ${clean(locationOf(f))}  ${clean(f.message)}`;
      lines.push(f.suppressed ? paint(ANSI.dim, `${line}  (suppressed: ${clean(f.suppressed.reason)})`) : line);
    }
    lines.push('');
    yield `${lines.join('\n')}\n`;
    lines = [];
  }

  const bySev = countBySeverity(results.findings);
  const open = results.findings.filter((f) => !f.suppressed).length;
  const suppressed = results.findings.length - open;
  const breakdown = SEVERITIES.filter((s) => bySev[s].open > 0)
    .map((s) => paint(SEVERITY_COLOUR[s], `${bySev[s].open} ${s}`))
    .join(', ');
  const untrusted = results.errors.length > 0 || results.incomplete;
  lines.push(
    open === 0
      ? untrusted
        ? paint(ANSI.yellow, `No open findings in what could be read${suppressed ? ` (${suppressed} suppressed)` : ''}: the run is incomplete (see below).`)
        : paint(ANSI.green, `No open findings${suppressed ? ` (${suppressed} suppressed)` : ''}.`)
      : `${open} open finding${open === 1 ? '' : 's'} (${breakdown})${suppressed ? `, ${suppressed} suppressed` : ''}.`,
  );

  const c = results.counts;
  lines.push(
    `Evaluated ${c.evaluated} (check, resource) pairs: ${c.passed} passed, ${c.failed} failed, ${c.suppressed} suppressed; ${c.notAssessed} not assessed, ${c.notApplicable} not applicable.`,
  );
  const s = results.score;
  const worst = s.worst ? ` (worst: ${clean(s.worst.group)} ${formatScore(s.worst.score)})` : '';
  lines.push(`Score: ${paint(ANSI.bold, formatScore(s.overall))}${worst}, coverage ${formatPercent(s.coverage)}.`);

  if (results.notAssessed.length > 0) {
    const checks = new Set(results.notAssessed.map((n) => n.checkId)).size;
    lines.push(
      paint(
        ANSI.yellow,
        `Not assessed: ${results.notAssessed.length} pair${results.notAssessed.length === 1 ? '' : 's'} across ${checks} check${checks === 1 ? '' : 's'} (the JSON, SARIF and Markdown outputs list them with reasons).`,
      ),
    );
  }
  if (results.errors.length > 0) {
    lines.push(paint(ANSI.red, `Errors: ${results.errors.length}`));
    for (const e of results.errors) {
      const where = errorWhere(e);
      lines.push(`  ${where ? `${clean(where)}: ` : ''}${clean(e.message)}`);
    }
  }
  for (const n of results.notices) lines.push(paint(ANSI.yellow, `Notice: ${clean(n)}`));
  if (results.incomplete) lines.push(paint(ANSI.red, 'The run is incomplete: results do not cover the whole scope.'));
  yield `${lines.join('\n')}\n`;
}

export function renderText(results: Results, options: ReportOptions = {}): string {
  return [...textChunks(results, options)].join('');
}
