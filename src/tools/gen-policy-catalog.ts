// Part of `npm run build`: writes dist/policy-catalog.json, the built-in checks and detections parsed and
// schema-checked once (every check's CEL compiled to prove it compiles), so runs skip YAML and ajv for them.
// See src/engine/policy-catalog.ts for when an entry is used.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { loadDetections } from '../detections/load.js';
import { loadChecks } from '../engine/load.js';
import { CATALOG_FILE, catalogKey, type PolicyCatalog } from '../engine/policy-catalog.js';
import { parsePolicyText } from '../engine/policy-file.js';
import { schemaHash, sha256 } from '../schemas.js';

// Built from the YAML alone: an earlier catalog is never its own source.
rmSync(CATALOG_FILE, { force: true });

const schemas = ['check.schema.json', 'detection.schema.json'];
const catalog: PolicyCatalog = { schemas: Object.fromEntries(schemas.map((s) => [s, schemaHash(s)])), files: {} };
const entries: [string, string, string][] = [
  ...loadChecks().map((c) => {
    if (!c.compiled.assert) throw new Error(`${c.file}: no compiled assertion`);
    return [c.file, 'check.schema.json', 'check'] as [string, string, string];
  }),
  ...loadDetections().map((d) => [d.file, 'detection.schema.json', 'detection'] as [string, string, string]),
];
let skipped = 0;
for (const [file, schema, what] of entries) {
  const text = readFileSync(file, 'utf8');
  const value = parsePolicyText(text, file, schema, what);
  const json = JSON.stringify(value);
  // A value JSON cannot carry exactly (.inf, .nan) keeps its file on the YAML path.
  if (!isDeepStrictEqual(JSON.parse(json), value)) {
    skipped++;
    continue;
  }
  catalog.files[catalogKey(file)] = { sha256: sha256(text), schema, json };
}
writeFileSync(CATALOG_FILE, `${JSON.stringify(catalog)}\n`);
if (skipped) process.stdout.write(`policy catalog: ${skipped} file(s) left to the YAML path (values JSON cannot carry)\n`);
