// What the HTML report shows, worked out once from the results before any section is rendered: the counts
// every aggregate section needs, in one pass over all findings (by severity, by group × area for the heatmap,
// by check × group), and which findings are shown in full — the most severe first, up to a cap — so that the
// report of a 1,000-account Organization stays a file a browser opens. Rendering only: nothing decided anew.
import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../../engine/types.js';
import type { CheckSummary, Results } from '../../results.js';
import { locationOf, type ReportOptions } from '../common.js';
import type { TrailView } from './timeline.js';

export interface HtmlReportOptions extends ReportOptions {
  /** Findings of the baseline that are gone in this run (the trend's "fixed" count), when the caller knows it. */
  baselineFixed?: number;
  /** Findings shown in full at most (default MAX_FULL_FINDINGS); the others are counted, not listed. */
  maxFindings?: number;
  /** Characters of finding markup at most (default MAX_FINDINGS_CHARS): large evidence cannot grow the file unbounded. */
  maxFindingsChars?: number;
}

/**
 * Findings shown in full (evidence, provenance, remediation), most severe first. An auditor reads a report
 * top-down by severity; 5,000 keeps every finding of all but the largest estates in the page and keeps the
 * file near 10 MB at worst. Beyond it the aggregate sections count every finding, and the JSON results list
 * them all (docs/report.md).
 */
export const MAX_FULL_FINDINGS = 5_000;
/** A second bound on the findings list: about 12 MB of markup, whatever the evidence of each finding weighs. */
export const MAX_FINDINGS_CHARS = 12_000_000;
/** Above this many findings shown, remediation is shown once per check (Checks section) instead of in every finding. */
export const INLINE_REMEDIATION_LIMIT = 1000;
/** Evidence longer than this (pretty JSON characters) is cut in the page; the JSON results hold all of it. */
export const MAX_EVIDENCE_CHARS = 20_000;
/** Events shown per principal in the CloudTrail timeline. */
export const MAX_TIMELINE_EVENTS = 500;
/** Principals whose timeline the page shows (those whose events fed a finding first). */
export const MAX_TIMELINE_PRINCIPALS = 200;
/** Event rows of the whole timeline section (some 4 MB): beyond it a principal shows its facts, not its events. */
export const MAX_TIMELINE_ROWS = 10_000;
/** Rows of the long lists (heatmap groups, accounts, files, errors, notices) and accounts per check. */
export const MAX_LIST_ROWS = 2_000;
/** Resources, accounts or regions listed under one not-assessed reason. */
export const MAX_SCOPES_PER_REASON = 100;
/** Not-assessed reasons listed per check, the most frequent first. */
export const MAX_REASONS_PER_CHECK = 50;
/** Resources, accounts or regions listed in the whole Not assessed section (some 1 MB). */
export const MAX_NOT_ASSESSED_ROWS = 10_000;

/** The areas of the check catalogue (the middle part of a check id), in the order the heatmap shows them. */
export const AREAS = ['IAM', 'SES', 'ACC', 'MON', 'NET', 'ORG', 'DET'] as const;

export const KIND_TITLES: Record<string, string> = {
  iac: 'IaC scan',
  scan: 'AWS scan',
  evaluate: 'snapshot evaluation',
  trail: 'incident investigation',
  demo: 'demo',
};

/** Text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const esc = escapeHtml;

/** The area of a check: `SESG-IAM-001` → `IAM`. */
export function areaOf(checkId: string): string {
  const parts = checkId.split('-');
  return (parts.length >= 3 ? parts[parts.length - 2] : parts[0] ?? '').toUpperCase() || 'OTHER';
}

/** 201500 → `201,500`: counts an auditor reads at a glance. */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${num(n)} ${n === 1 ? word : many}`;
}

/** Areas in heatmap order: the catalogue's first, then any other (custom checks) alphabetically. */
export function byAreaOrder(a: string, b: string): number {
  const rank = (x: string) => AREAS.indexOf(x as (typeof AREAS)[number]) + 1 || 99;
  return rank(a) - rank(b) || a.localeCompare(b);
}

export interface HeatCell {
  open: number;
  suppressed: number;
  worst: Severity | undefined;
}

export interface CheckTally {
  open: number;
  suppressed: number;
  /** Findings of this check shown in full in the page. */
  shown: number;
  /** Findings (open and suppressed) per account or file. */
  groups: Map<string, number>;
}

export interface Digest {
  total: number;
  open: number;
  bySeverity: Record<Severity, { open: number; suppressed: number }>;
  /** Findings marked new / unchanged against a baseline. */
  baseline: { new: number; unchanged: number; any: boolean };
  /** Groups are accounts (live scans) rather than files (IaC). */
  live: boolean;
  /** group → area → open/suppressed counts. */
  heat: Map<string, Map<string, HeatCell>>;
  /** Open findings by severity and area. */
  severityArea: Record<Severity, Map<string, number>>;
  /** Areas of the findings, in heatmap order. */
  areas: string[];
  severities: Severity[];
  byCheck: Map<string, CheckTally>;
}

/** The heatmap and by-check group of a finding: its account in a live scan, its file in an IaC scan. */
export function groupFinder(live: boolean): (f: Finding) => string {
  return (f) => (live ? (f.resource.account ?? f.resource.file) : (f.resource.file ?? f.resource.account)) ?? '(no account or file)';
}

/** Every count the aggregate sections show, in one pass over the findings. */
export function digest(results: Results): Digest {
  const live = Object.keys(results.score.byAccount).length > 0 || results.findings.some((f) => !f.resource.file && f.resource.account);
  const groupOf = groupFinder(live);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, suppressed: 0 }])) as Digest['bySeverity'];
  const baseline = { new: 0, unchanged: 0, any: false };
  const heat = new Map<string, Map<string, HeatCell>>();
  const severityArea = Object.fromEntries(SEVERITIES.map((s) => [s, new Map<string, number>()])) as Digest['severityArea'];
  const byCheck = new Map<string, CheckTally>();
  const areas = new Set<string>();
  let open = 0;
  for (const f of results.findings) {
    const suppressed = Boolean(f.suppressed);
    if (!suppressed) open++;
    bySeverity[f.severity][suppressed ? 'suppressed' : 'open']++;
    if (f.baselineState !== undefined) {
      baseline.any = true;
      if (f.baselineState === 'new') baseline.new++;
      else if (f.baselineState === 'unchanged') baseline.unchanged++;
    }
    const area = areaOf(f.checkId);
    areas.add(area);
    const group = groupOf(f);
    let row = heat.get(group);
    if (!row) heat.set(group, (row = new Map()));
    let cell = row.get(area);
    if (!cell) row.set(area, (cell = { open: 0, suppressed: 0, worst: undefined }));
    if (suppressed) cell.suppressed++;
    else {
      cell.open++;
      severityArea[f.severity].set(area, (severityArea[f.severity].get(area) ?? 0) + 1);
      if (cell.worst === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[cell.worst]) cell.worst = f.severity;
    }
    let tally = byCheck.get(f.checkId);
    if (!tally) byCheck.set(f.checkId, (tally = { open: 0, suppressed: 0, shown: 0, groups: new Map() }));
    tally[suppressed ? 'suppressed' : 'open']++;
    tally.groups.set(group, (tally.groups.get(group) ?? 0) + 1);
  }
  return {
    total: results.findings.length,
    open,
    bySeverity,
    baseline,
    live,
    heat,
    severityArea,
    areas: [...areas].sort(byAreaOrder),
    severities: SEVERITIES.filter((s) => bySeverity[s].open + bySeverity[s].suppressed > 0),
    byCheck,
  };
}

/**
 * The `max` findings shown first, in display order: most severe first, open before suppressed, then by check
 * id and location. Only the findings that can be shown are sorted: a severity that is not reached is skipped.
 */
export function selectShown(findings: readonly Finding[], max: number): Finding[] {
  const buckets: Finding[][] = Array.from({ length: SEVERITIES.length * 2 }, () => []);
  for (const f of findings) buckets[SEVERITY_RANK[f.severity] * 2 + (f.suppressed ? 1 : 0)].push(f);
  const out: Finding[] = [];
  for (const bucket of buckets) {
    if (out.length >= max) break;
    const keyed = bucket.map((f) => ({ f, check: f.checkId, where: locationOf(f) }));
    keyed.sort((a, b) => a.check.localeCompare(b.check) || a.where.localeCompare(b.where));
    for (const { f } of keyed.slice(0, max - out.length)) out.push(f);
  }
  return out;
}

export interface ReportView {
  results: Results;
  options: HtmlReportOptions;
  checks: Map<string, CheckSummary>;
  digest: Digest;
  /** The findings shown in full, in display order, and their rendered rows. */
  shown: Finding[];
  rows: string[];
  /** Remediation inside each finding (few findings) or once per check (many). */
  inline: boolean;
  trail: TrailView | undefined;
}
