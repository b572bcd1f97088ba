// SARIF 2.1.0 reporter (SPEC §5), shaped for GitHub code scanning: one run, a rule per check with
// `security-severity`, exactly one physical location per result, fingerprints that ignore the line,
// not-assessed scope and errors as tool execution notifications, and GitHub's upload limits respected.
// Rendered as a stream of chunks, one result at a time (25,000 results make some 50 MB of pretty JSON): the
// log is first streamed through a gzip size count, then — in the form that fits — to the output.
import { randomUUID } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type * as Sarif from 'sarif';
import type { Finding, NotAssessed, Severity } from '../engine/types.js';
import type { InputError } from '../inventory/types.js';
import type { CheckSummary, Results } from '../results.js';
import { bySeverity, errorWhere, notAssessedScope, type ReportOptions } from './common.js';
import { SEVERITY_RANK } from '../engine/types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning rejects runs with more results than this. */
export const MAX_SARIF_RESULTS = 25_000;
/** GitHub code scanning rejects uploads larger than this once gzipped. */
export const MAX_SARIF_GZIP_BYTES = 10 * 1024 * 1024;
const SRCROOT = '%SRCROOT%';

export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** `"Send permission on every identity"` → `"SendPermissionOnEveryIdentity"`; the id when nothing is left. */
export function pascalCase(title: string, fallback: string): string {
  const words = title.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return name === '' ? fallback : /^[0-9]/.test(name) ? `Check${name}` : name;
}

/** A fence longer than any backtick run inside the snippet, so snippets with fences still render. */
function fenced(code: string, lang: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${code.trimEnd()}\n${fence}`;
}

function helpText(check: CheckSummary): string {
  const r = check.remediation;
  const parts = [check.rationale.trim(), '', 'Remediation:'];
  if (r.console) parts.push(`Console: ${r.console.trim()}`);
  if (r.cli) parts.push(`AWS CLI:\n${r.cli.trimEnd()}`);
  if (r.cloudformation) parts.push(`CloudFormation:\n${r.cloudformation.trimEnd()}`);
  if (r.terraform) parts.push(`Terraform:\n${r.terraform.trimEnd()}`);
  if (check.references.length > 0) parts.push('', `References: ${check.references.join(' ')}`);
  return parts.join('\n');
}

function helpMarkdown(check: CheckSummary): string {
  const r = check.remediation;
  const parts = [check.rationale.trim(), '', '## Remediation'];
  if (r.console) parts.push('', '**Console**', '', r.console.trim());
  if (r.cli) parts.push('', '**AWS CLI**', '', fenced(r.cli, 'sh'));
  if (r.cloudformation) parts.push('', '**CloudFormation**', '', fenced(r.cloudformation, 'yaml'));
  if (r.terraform) parts.push('', '**Terraform**', '', fenced(r.terraform, 'hcl'));
  if (check.references.length > 0) parts.push('', '## References', '', ...check.references.map((u) => `- <${u}>`));
  return parts.join('\n');
}

/** `SESG-NET-001` → `net`: the area, used as a tag so code scanning can filter by it. */
function areaOf(checkId: string): string | undefined {
  const m = /^[A-Z]+-([A-Z]+)-\d+$/.exec(checkId);
  return m ? m[1].toLowerCase() : undefined;
}

function rule(check: CheckSummary): Sarif.ReportingDescriptor {
  const area = areaOf(check.id);
  return {
    id: check.id,
    name: pascalCase(check.title, check.id),
    shortDescription: { text: check.title || check.id },
    fullDescription: { text: check.rationale.trim() || check.title || check.id },
    help: { text: helpText(check), markdown: helpMarkdown(check) },
    ...(check.helpUri ? { helpUri: check.helpUri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[check.severity] },
    properties: {
      tags: [...new Set(['security', 'aws', 'ses', ...(area ? [area] : [])])],
      'security-severity': SECURITY_SEVERITY[check.severity],
      severity: check.severity,
    },
  };
}

/** A finding whose check is not in `results.checks` (merged or hand-edited results) still gets a rule. */
function ruleFromFinding(finding: Finding): CheckSummary {
  return {
    id: finding.checkId,
    title: finding.title,
    severity: finding.severity,
    sources: [],
    rationale: finding.title,
    remediation: {},
    references: [],
    helpUri: '',
  };
}

/** Repo-relative, `/`-separated, percent-encoded; absolute paths become `file:` URIs (no base id). */
function artifactLocation(file: string): Sarif.ArtifactLocation {
  const slashed = file.replace(/\\/g, '/');
  const isAbsolute = slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed);
  const encode = (p: string) =>
    p
      .split('/')
      .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
      .join('/');
  if (isAbsolute) return { uri: `file://${slashed.startsWith('/') ? '' : '/'}${encode(slashed)}` };
  return { uri: encode(slashed.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

function region(line: number | undefined, column: number | undefined): Sarif.Region {
  const startLine = line !== undefined && Number.isInteger(line) && line >= 1 ? line : 1;
  const known = line !== undefined && line >= 1 && column !== undefined && Number.isInteger(column) && column >= 1;
  return known ? { startLine, startColumn: column } : { startLine };
}

function resultFor(finding: Finding, ruleIndex: number, anchor: string, withEvidence: boolean): Sarif.Result {
  const r = finding.resource;
  const live = r.file === undefined;
  const logicalLocations: Sarif.LogicalLocation[] = [];
  if (r.arn) logicalLocations.push({ name: r.name || r.arn, fullyQualifiedName: r.arn, kind: 'resource' });
  else if (r.logicalId) logicalLocations.push({ name: r.logicalId, ...(r.cdkPath ? { fullyQualifiedName: r.cdkPath } : {}), kind: 'resource' });
  else if (live) logicalLocations.push({ name: r.name || r.id, fullyQualifiedName: r.id, kind: 'resource' });

  // Live findings all sit on line 1 of the anchor: the message must say which resource it is about.
  const identity = r.arn ?? r.id;
  const scope = [r.account, r.region].filter(Boolean).join('/');
  const message =
    live && !finding.message.includes(identity) ? `${finding.message} [${identity}${scope ? ` in ${scope}` : ''}]` : finding.message;

  const properties: Record<string, unknown> = {
    severity: finding.severity,
    resourceType: r.type,
    resourceId: r.id,
    resourceName: r.name,
    ...(r.arn ? { arn: r.arn } : {}),
    ...(r.account ? { account: r.account } : {}),
    ...(r.region ? { region: r.region } : {}),
    ...(r.logicalId ? { logicalId: r.logicalId } : {}),
    ...(r.cdkPath ? { cdkPath: r.cdkPath } : {}),
    ...(withEvidence ? { evidence: finding.evidence } : {}),
  };

  return {
    ruleId: finding.checkId,
    ruleIndex,
    level: SARIF_LEVEL[finding.severity],
    message: { text: message || finding.title || finding.checkId },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(live ? anchor : (r.file as string)),
          region: live ? { startLine: 1 } : region(r.line, r.column),
        },
        ...(logicalLocations.length > 0 ? { logicalLocations } : {}),
      },
    ],
    partialFingerprints: { primaryLocationLineHash: finding.fingerprint },
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: finding.suppressed.source === 'inline' ? 'inSource' : 'external',
              status: 'accepted',
              justification: finding.suppressed.reason,
              ...(finding.suppressed.expires ? { properties: { expires: finding.suppressed.expires } } : {}),
            },
          ],
        }
      : {}),
    ...(finding.baselineState ? { baselineState: finding.baselineState } : {}),
    properties,
  };
}

/** Live scope problems (API errors) are warnings; IaC data defined elsewhere is a note. */
function notAssessedNotification(entry: NotAssessed, ruleIndex: number | undefined): Sarif.Notification {
  const scope = notAssessedScope(entry);
  return {
    level: entry.file ? 'note' : 'warning',
    message: { text: `${entry.checkId} not assessed for ${scope}: ${entry.reason}` },
    descriptor: { id: entry.checkId },
    ...(ruleIndex !== undefined ? { associatedRule: { id: entry.checkId, index: ruleIndex } } : {}),
    ...(entry.file ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(entry.file), region: region(entry.line, undefined) } }] } : {}),
    properties: {
      ...(entry.resourceId ? { resourceId: entry.resourceId } : {}),
      ...(entry.resourceType ? { resourceType: entry.resourceType } : {}),
      ...(entry.logicalId ? { logicalId: entry.logicalId } : {}),
      ...(entry.account ? { account: entry.account } : {}),
      ...(entry.region ? { region: entry.region } : {}),
      reason: entry.reason,
    },
  };
}

function errorNotification(error: InputError): Sarif.Notification {
  const where = errorWhere(error);
  return {
    level: 'error',
    message: { text: where ? `${where}: ${error.message}` : error.message },
    ...(error.file ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(error.file), region: region(error.line, error.column) } }] } : {}),
    properties: {
      ...(error.account ? { account: error.account } : {}),
      ...(error.region ? { region: error.region } : {}),
      ...(error.call ? { call: error.call } : {}),
    },
  };
}

function notice(text: string, level: 'warning' | 'note' = 'warning'): Sarif.Notification {
  return { level, message: { text } };
}

interface Built {
  log: Sarif.Log;
  run: Sarif.Run;
  notifications: Sarif.Notification[];
  ruleIndex: Map<string, number>;
  anchor: string;
}

/** The log without its results (streamed one by one from a plan), and the notifications of the full form. */
function build(results: Results, options: ReportOptions, dropped: number): Built {
  const anchor = options.sarifAnchor ?? 'sesguard.yaml';
  const checks = [...results.checks];
  const seen = new Set(checks.map((c) => c.id));
  for (const f of results.findings) {
    if (!seen.has(f.checkId)) {
      seen.add(f.checkId);
      checks.push(ruleFromFinding(f));
    }
  }
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));

  const notifications: Sarif.Notification[] = [
    ...results.errors.map(errorNotification),
    ...results.notAssessed.map((n) => notAssessedNotification(n, ruleIndex.get(n.checkId))),
    ...results.notices.map((text) => notice(text)),
  ];
  if (dropped > 0) {
    notifications.push(
      notice(
        `${dropped} of ${results.findings.length} results were dropped: GitHub code scanning accepts at most ${MAX_SARIF_RESULTS} per run, so the most severe were kept. The JSON results hold every finding.`,
      ),
    );
  }
  if (results.incomplete) notifications.push(notice('The run was interrupted or could not cover its whole scope: these results are incomplete.'));

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: results.tool.name,
        version: results.tool.version,
        semanticVersion: results.tool.version,
        informationUri: results.tool.informationUri,
        rules: checks.map(rule),
      },
    },
    automationDetails: { id: `sesguard/${results.kind}/` },
    originalUriBaseIds: {
      [SRCROOT]: { description: { text: 'The directory sesguard ran in: the repository root in CI.' } },
    },
    invocations: [
      {
        executionSuccessful: results.errors.length === 0 && !results.incomplete,
        startTimeUtc: results.startedAt,
        endTimeUtc: results.finishedAt,
        toolExecutionNotifications: [],
      },
    ],
    results: [],
    columnKind: 'unicodeCodePoints',
    properties: {
      score: results.score,
      counts: results.counts,
    },
  };
  const log: Sarif.Log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return { log, run, notifications, ruleIndex, anchor };
}

/** One form of the log: which findings become results, pretty or compact, with evidence or not, which notifications. */
interface Plan {
  findings: readonly Finding[];
  pretty: boolean;
  evidence: boolean;
  notifications: Sarif.Notification[];
}

/** `text` (JSON) re-indented to sit after `pad` in a pretty-printed document. */
function indent(text: string, pad: string): string {
  // JSON.stringify escapes newlines inside strings: every raw newline is a line break of the layout.
  return text.replaceAll('\n', `\n${pad}`);
}

/**
 * JSON.stringify(log, null, 2 or nothing) of the planned form, as chunks: the two long lists (results and
 * notifications) stand as markers in the skeleton, which is cut at them, and their items are rendered one
 * by one. The markers carry a random nonce, so no text from the scanned inputs can be taken for one.
 */
function* logChunks(built: Built, plan: Plan): Generator<string> {
  const invocation = (built.run.invocations as Sarif.Invocation[])[0];
  const nonce = randomUUID();
  const lists: { marker: string; count: number; items: () => Iterable<unknown> }[] = [
    {
      marker: JSON.stringify(`sesguard-notifications-${nonce}`),
      count: plan.notifications.length,
      items: () => plan.notifications,
    },
    {
      marker: JSON.stringify(`sesguard-results-${nonce}`),
      count: plan.findings.length,
      items: function* () {
        for (const f of plan.findings) yield resultFor(f, built.ruleIndex.get(f.checkId) as number, built.anchor, plan.evidence);
      },
    },
  ];
  invocation.toolExecutionNotifications = lists[0].count > 0 ? [JSON.parse(lists[0].marker)] : [];
  built.run.results = lists[1].count > 0 ? [JSON.parse(lists[1].marker)] : [];
  const skeleton = JSON.stringify(built.log, null, plan.pretty ? 2 : undefined);
  const cuts = lists
    .filter((l) => l.count > 0)
    .map((l) => ({ ...l, at: skeleton.indexOf(l.marker) }))
    .sort((a, b) => a.at - b.at);
  let from = 0;
  for (const cut of cuts) {
    yield skeleton.slice(from, cut.at);
    const pad = plan.pretty ? skeleton.slice(skeleton.lastIndexOf('\n', cut.at) + 1, cut.at) : '';
    let first = true;
    for (const item of cut.items()) {
      const text = JSON.stringify(item, null, plan.pretty ? 2 : undefined) ?? 'null';
      yield `${first ? '' : plan.pretty ? `,\n${pad}` : ','}${plan.pretty ? indent(text, pad) : text}`;
      first = false;
    }
    from = cut.at + cut.marker.length;
  }
  yield skeleton.slice(from);
  yield '\n';
}

/**
 * The gzipped size of the planned log, streamed in 1 MiB pieces each deflated on its own: never less than
 * gzip of the whole text (pieces share no dictionary), so a log counted as fitting does fit.
 */
function gzippedSize(built: Built, plan: Plan): number {
  let size = 18; // gzip header and trailer
  // Bytes gathered as buffers, outside the JavaScript heap: a 1 MiB string would be garbage only a full
  // collection frees (see output-file.ts).
  let batch: Buffer[] = [];
  let bytes = 0;
  const flush = () => {
    size += deflateRawSync(Buffer.concat(batch, bytes)).length;
    batch = [];
    bytes = 0;
  };
  for (const chunk of logChunks(built, plan)) {
    const buffer = Buffer.from(chunk, 'utf8');
    batch.push(buffer);
    bytes += buffer.length;
    if (bytes >= 1 << 20) flush();
  }
  if (bytes > 0) flush();
  return size;
}

/** The form of the log that fits GitHub's limits: the full log when it does, else less and less, each step said. */
function plan(results: Results, built: Built, kept: readonly Finding[]): Plan {
  const fits = (p: Plan) => gzippedSize(built, p) <= MAX_SARIF_GZIP_BYTES;
  let current: Plan = { findings: kept, pretty: true, evidence: true, notifications: built.notifications };
  if (fits(current)) return current;

  // Over GitHub's size limit: evidence is the bulk and the JSON results keep it, so it goes first.
  const notifications = [...built.notifications, notice('Evidence was left out of this SARIF file to stay under the 10 MB upload limit; the JSON results hold it.')];
  current = { findings: kept, pretty: false, evidence: false, notifications };
  if (fits(current)) return current;

  // Still too big: one notification per check instead of one per not-assessed pair.
  const perCheck = new Map<string, number>();
  for (const n of results.notAssessed) perCheck.set(n.checkId, (perCheck.get(n.checkId) ?? 0) + 1);
  current = {
    ...current,
    notifications: [
      ...results.errors.map(errorNotification),
      ...[...perCheck].map(([checkId, count]) => ({
        level: 'warning' as const,
        message: { text: `${checkId} not assessed for ${count} resources (details in the JSON results)` },
        descriptor: { id: checkId },
      })),
      ...notifications.filter((n) => n.level !== 'error' && n.descriptor === undefined),
    ],
  };
  // Last resort: keep halving the results, most severe first, until the upload fits.
  const partial = notice('');
  const bySeverityOnly = [...kept].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  while (!fits(current) && current.findings.length > 0) {
    const findings = bySeverityOnly.slice(0, Math.floor(current.findings.length / 2));
    partial.message.text = `Only ${findings.length} of ${results.findings.length} results fit in the 10 MB upload limit; the JSON results hold every finding.`;
    current = { ...current, findings, notifications: current.notifications.includes(partial) ? current.notifications : [...current.notifications, partial] };
  }
  return current;
}

/** The SARIF log as chunks: joined, or written one after another, they are the file. */
export function* sarifChunks(results: Results, options: ReportOptions = {}): Generator<string> {
  let kept: readonly Finding[] = results.findings;
  let dropped = 0;
  if (results.findings.length > MAX_SARIF_RESULTS) {
    kept = [...results.findings].sort(bySeverity).slice(0, MAX_SARIF_RESULTS);
    dropped = results.findings.length - MAX_SARIF_RESULTS;
  }
  const built = build(results, options, dropped);
  yield* logChunks(built, plan(results, built, kept));
}

export function renderSarif(results: Results, options: ReportOptions = {}): string {
  return [...sarifChunks(results, options)].join('');
}
