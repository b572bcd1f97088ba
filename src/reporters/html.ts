// HTML reporter for auditors (SPEC §5): one self-contained file — inline CSS and JS, no network fetch of
// any kind (a strict Content-Security-Policy says so to the browser) — with the score gauge, severity
// breakdown, account/file × area heatmap, filterable and sortable findings with evidence and remediation,
// not-assessed scope, errors, notices, the CloudTrail timeline and the trend against a baseline. A trail
// report opens on the incident instead of the posture (html/incident.ts). Prints cleanly, each check's
// guidance once in an appendix (html/print.ts). Useful at any size: the findings shown in full are the most severe up to a cap, and the page says
// how many are not shown and where they are (docs/report.md). Everything taken from the results is escaped:
// file names, messages and evidence come from scanned inputs.
//
// The page is a list of sections (html/sections.ts, html/findings.ts, html/timeline.ts), each a function of
// one view of the results (html/view.ts) computed once; adding a section is adding a function to SECTIONS.
import type { Results } from '../results.js';
import { CLIENT_SCRIPT, STYLESHEET } from './html/assets.js';
import { byCheckSection, findingsSection, renderRows } from './html/findings.js';
import {
  checksSection,
  errorsSection,
  header,
  heatmapSection,
  noticesSection,
  notAssessedSection,
  postureSection,
  scopeSection,
  severityAreaSection,
  trendSection,
} from './html/sections.js';
import { timelineSection, trailOf } from './html/timeline.js';
import { INCIDENT_STYLESHEET, actionsSection, incidentTimelineSection, overviewSection } from './html/incident.js';
import { PRINT_STYLESHEET } from './html/print.js';
import {
  digest,
  esc,
  INLINE_REMEDIATION_LIMIT,
  KIND_TITLES,
  MAX_FINDINGS_CHARS,
  MAX_FULL_FINDINGS,
  selectShown,
  type HtmlReportOptions,
  type ReportView,
} from './html/view.js';

export { trailOf } from './html/timeline.js';
export {
  AREAS,
  areaOf,
  escapeHtml,
  INLINE_REMEDIATION_LIMIT,
  MAX_EVIDENCE_CHARS,
  MAX_FINDINGS_CHARS,
  MAX_FULL_FINDINGS,
  MAX_LIST_ROWS,
  MAX_NOT_ASSESSED_ROWS,
  MAX_REASONS_PER_CHECK,
  MAX_SCOPES_PER_REASON,
  MAX_TIMELINE_EVENTS,
  MAX_TIMELINE_PRINCIPALS,
  MAX_TIMELINE_ROWS,
  type HtmlReportOptions,
} from './html/view.js';

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export interface Section {
  /** The element id, and the table-of-contents label when the section has a link there. */
  id: string;
  label?: string;
  render: (view: ReportView) => string;
}

/** A trail report opens on the incident (coverage, timeline, actions), not on a posture gauge. */
function isIncident(view: ReportView): boolean {
  return view.results.kind === 'trail' && view.trail !== undefined;
}

/** The section for incident reports only, or for the others only. */
const incidentOnly = (render: (results: Results) => string) => (view: ReportView) => (isIncident(view) ? render(view.results) : '');
const postureOnly = (render: (view: ReportView) => string) => (view: ReportView) => (isIncident(view) ? '' : render(view));

/** The sections of <main>, top to bottom: aggregates first, where a person looks first, then the detail. */
export const SECTIONS: Section[] = [
  { id: 'overview', label: 'Investigation', render: incidentOnly(overviewSection) },
  { id: 'incident', label: 'Incident', render: incidentOnly(incidentTimelineSection) },
  { id: 'actions', label: 'What to do now', render: incidentOnly(actionsSection) },
  { id: 'posture', label: 'Posture', render: postureOnly(postureSection) },
  { id: 'severity-area', label: 'Severity × area', render: postureOnly(severityAreaSection) },
  { id: 'trend', label: 'Trend', render: trendSection },
  { id: 'heatmap', label: 'Heatmap', render: postureOnly(heatmapSection) },
  { id: 'by-check', label: 'By check', render: byCheckSection },
  { id: 'findings', label: 'Findings', render: findingsSection },
  { id: 'not-assessed', label: 'Not assessed', render: notAssessedSection },
  { id: 'errors', label: 'Errors', render: errorsSection },
  { id: 'notices', label: 'Notices', render: noticesSection },
  { id: 'timeline', label: 'Events', render: timelineSection },
  { id: 'scope', render: scopeSection },
  { id: 'checks', label: 'Checks', render: checksSection },
];

/** Everything the sections show, worked out once: counts over every finding, and the findings shown in full. */
export function reportView(results: Results, options: HtmlReportOptions = {}): ReportView {
  const candidates = selectShown(results.findings, Math.max(0, options.maxFindings ?? MAX_FULL_FINDINGS));
  const base = {
    results,
    options,
    checks: new Map(results.checks.map((c) => [c.id, c])),
    digest: digest(results),
    inline: candidates.length <= INLINE_REMEDIATION_LIMIT,
    trail: trailOf(results),
  };
  return { ...base, ...renderRows(base, candidates, options.maxFindingsChars ?? MAX_FINDINGS_CHARS) };
}

function nav(rendered: [Section, string][]): string {
  return `<nav class="toc">${rendered
    .filter(([section, markup]) => section.label && markup !== '')
    .map(([section]) => `<a href="#${section.id}">${section.label}</a>`)
    .join('')}</nav>`;
}

/** The page as a sequence of chunks (head with style and script, header, each section): written one after another. */
export function* htmlChunks(results: Results, options: HtmlReportOptions = {}): Generator<string> {
  const view = reportView(results, options);
  const title = `sesguard ${KIND_TITLES[results.kind] ?? results.kind} report — ${results.finishedAt}`;
  const rendered = SECTIONS.map((section): [Section, string] => [section, section.render(view)]);
  yield `<!DOCTYPE html>
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
<script>
${CLIENT_SCRIPT}
</script>
</head>
<body>
${header(view)}
${nav(rendered)}
<main>
`;
  for (const [, markup] of rendered) if (markup !== '') yield `${markup}\n`;
  yield `</main>
<footer><p class="muted small">Generated by ${esc(results.tool.name)} ${esc(results.tool.version)} from results of ${esc(results.finishedAt)}. This file is self-contained: it loads nothing from the network and can be archived or printed to PDF as it is.</p></footer>
</body>
</html>
`;
}

/** Renders the results as one self-contained HTML page (no external resources, no network fetch). */
export function html(results: Results, options: HtmlReportOptions = {}): string {
  return [...htmlChunks(results, options)].join('');
}

/** The same reporter under the name the other reporters use. */
export const renderHtml = html;
