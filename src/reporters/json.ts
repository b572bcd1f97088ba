// JSON reporter: the Results document itself, pretty-printed with the key order of the type in
// src/results.ts, so that saved results diff cleanly whatever order the object was built (or read) in.
// Rendered as a stream of chunks (one per finding or not-assessed record), so that writing the results of an
// Organization (hundreds of MB) never holds the whole text, or a reordered copy of every finding, at once.
// The chunks joined are byte for byte `JSON.stringify(document, null, 2)`.
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

/** `text` (pretty-printed JSON) re-indented to sit `pad` deep in the document. */
function indent(text: string, pad: string): string {
  // JSON.stringify escapes newlines inside strings, so every raw newline is a line break of the layout.
  return text.replaceAll('\n', `\n${pad}`);
}

/** Per-item key order of the top-level lists; the lists not named here are rendered whole. */
const LIST_ORDER: Record<string, (item: unknown) => unknown> = {
  findings: (item) => {
    const f = ordered(item, FINDING_KEYS);
    if (typeof f === 'object' && f !== null && !Array.isArray(f)) {
      const o = f as Record<string, unknown>;
      o.resource = ordered(o.resource, RESOURCE_KEYS);
    }
    return f;
  },
  notAssessed: (item) => ordered(item, NOT_ASSESSED_KEYS),
  errors: (item) => ordered(item, ERROR_KEYS),
  checks: (item) => ordered(item, CHECK_KEYS),
};

/** Items of a list, one chunk each, as JSON.stringify(…, null, 2) lays them out one level below the top. */
function* listChunks(items: unknown[], order: (item: unknown) => unknown): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  yield '[\n';
  for (let i = 0; i < items.length; i++) {
    // An item JSON cannot represent (undefined, a function) is `null` in an array, as JSON.stringify has it.
    const text = JSON.stringify(order(items[i]), null, 2) ?? 'null';
    yield `    ${indent(text, '    ')}${i < items.length - 1 ? ',\n' : '\n'}`;
  }
  yield '  ]';
}

/** The results JSON as a sequence of chunks: join them (or write them one after another) for the document. */
export function* jsonChunks(results: Results): Generator<string> {
  const doc = ordered(results, RESULTS_KEYS) as Record<string, unknown>;
  doc.tool = ordered(doc.tool, TOOL_KEYS);
  doc.score = ordered(doc.score, SCORE_KEYS);
  doc.counts = ordered(doc.counts, COUNTS_KEYS);
  // Keys JSON.stringify leaves out of an object: undefined values, functions, symbols.
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    yield `  ${JSON.stringify(key)}: `;
    const order = Object.hasOwn(LIST_ORDER, key) ? LIST_ORDER[key] : undefined;
    if (order && Array.isArray(value)) yield* listChunks(value, order);
    else yield indent(JSON.stringify(value, null, 2), '  ');
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield '}\n';
}

export function renderJson(results: Results): string {
  return [...jsonChunks(results)].join('');
}
