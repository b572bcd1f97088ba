// JSON reporter: the Results document itself, pretty-printed with the key order of the type in
// src/results.ts, so that saved results diff cleanly whatever order the object was built (or read) in.
import type { Results } from '../results.js';

const RESULTS_KEYS = [
  'schemaVersion',
  'tool',
  'kind',
  'startedAt',
  'finishedAt',
  'score',
  'findings',
  'notAssessed',
  'errors',
  'counts',
  'checks',
  'inputs',
  'notices',
  'incomplete',
];
const TOOL_KEYS = ['name', 'version', 'informationUri'];
const SCORE_KEYS = ['overall', 'coverage', 'worst', 'byAccount', 'byFile'];
const FINDING_KEYS = ['checkId', 'severity', 'title', 'message', 'resource', 'evidence', 'suppressed', 'fingerprint', 'baselineState'];
const RESOURCE_KEYS = ['type', 'id', 'name', 'arn', 'account', 'region', 'file', 'line', 'column', 'logicalId', 'cdkPath'];
const NOT_ASSESSED_KEYS = ['checkId', 'resourceId', 'resourceType', 'file', 'line', 'logicalId', 'account', 'region', 'reason'];
const ERROR_KEYS = ['file', 'line', 'column', 'account', 'region', 'call', 'message'];
const COUNTS_KEYS = ['evaluated', 'passed', 'failed', 'suppressed', 'notAssessed', 'notApplicable'];
const CHECK_KEYS = ['id', 'title', 'severity', 'sources', 'rationale', 'remediation', 'references', 'helpUri'];

/** The known keys in the given order, then any other keys as they came (nothing is dropped). */
function ordered(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in source) out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out)) out[key] = source[key];
  return out;
}

function orderedList(value: unknown, keys: readonly string[], inner?: (item: Record<string, unknown>) => void): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item) => {
    const o = ordered(item, keys);
    if (inner && typeof o === 'object' && o !== null) inner(o as Record<string, unknown>);
    return o;
  });
}

export function renderJson(results: Results): string {
  const doc = ordered(results, RESULTS_KEYS) as Record<string, unknown>;
  doc.tool = ordered(doc.tool, TOOL_KEYS);
  doc.score = ordered(doc.score, SCORE_KEYS);
  doc.findings = orderedList(doc.findings, FINDING_KEYS, (f) => {
    f.resource = ordered(f.resource, RESOURCE_KEYS);
  });
  doc.notAssessed = orderedList(doc.notAssessed, NOT_ASSESSED_KEYS);
  doc.errors = orderedList(doc.errors, ERROR_KEYS);
  doc.counts = ordered(doc.counts, COUNTS_KEYS);
  doc.checks = orderedList(doc.checks, CHECK_KEYS);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
