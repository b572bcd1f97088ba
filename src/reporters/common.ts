// Helpers shared by the reporters: finding order, where a finding points, and how a not-assessed
// record names its scope. Rendering only: nothing here decides what is a finding.
import { SEVERITIES, SEVERITY_RANK, type Finding, type NotAssessed, type Severity } from '../engine/types.js';
import type { InputError } from '../inventory/types.js';

export interface ReportOptions {
  /** ANSI colour in the text reporter (the CLI sets it only for a TTY). */
  color?: boolean;
  /** SARIF location (repo-relative uri) for findings without a file, e.g. live ones. Default `sesguard.yaml`. */
  sarifAnchor?: string;
  /** Upper bound of the Markdown summary in bytes (GitHub step summaries accept 1 MiB). Default 1,000,000. */
  maxMarkdownBytes?: number;
  /** With --baseline: how many baseline findings are gone in this run (the trend's "fixed"). */
  baselineFixed?: number;
}

/** Most severe first; open before suppressed; otherwise the input order (Array.prototype.sort is stable). */
export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Number(a.suppressed !== null) - Number(b.suppressed !== null);
}

/** The group a finding is shown under: its file (IaC), else its account (live), else a placeholder. */
export function groupOf(finding: Finding): string {
  return finding.resource.file ?? finding.resource.account ?? '(no account or file)';
}

/** `file:line:column` for IaC findings; `account/region` plus the ARN (or name) for live ones. */
export function locationOf(finding: Finding): string {
  const r = finding.resource;
  if (r.file) return `${r.file}${r.line ? `:${r.line}${r.column ? `:${r.column}` : ''}` : ''}`;
  const scope = [r.account, r.region].filter(Boolean).join('/');
  const what = r.arn ?? r.name ?? r.id;
  return scope ? `${scope} ${what}` : what;
}

/** The resource as a person would name it: logical id / address in IaC, else its name or id. */
export function resourceLabel(finding: Finding): string {
  const r = finding.resource;
  return r.logicalId ?? (r.name || r.arn || r.id);
}

/** What a not-assessed record is about: the resource, its file position, account and region. */
export function notAssessedScope(entry: NotAssessed): string {
  const parts: string[] = [];
  const where = entry.file ? `${entry.file}${entry.line ? `:${entry.line}` : ''}` : undefined;
  if (entry.logicalId) parts.push(entry.logicalId);
  else if (entry.resourceId) parts.push(entry.resourceId);
  if (where && !(entry.resourceId ?? '').startsWith(where)) parts.push(`in ${where}`);
  if (entry.account) parts.push(`account ${entry.account}`);
  if (entry.region) parts.push(`region ${entry.region}`);
  return parts.length > 0 ? parts.join(', ') : 'the whole run';
}

/** `file:line` or `account/region call` of a source error, for one-line display. */
export function errorWhere(error: InputError): string {
  if (error.file) return `${error.file}${error.line ? `:${error.line}${error.column ? `:${error.column}` : ''}` : ''}`;
  return [error.account, error.region, error.call].filter(Boolean).join(' ');
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, { open: number; suppressed: number }> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, suppressed: 0 }])) as Record<
    Severity,
    { open: number; suppressed: number }
  >;
  for (const f of findings) counts[f.severity][f.suppressed ? 'suppressed' : 'open']++;
  return counts;
}

/** A score for display: one decimal, or an em dash when there is none. */
export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(1);
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}
