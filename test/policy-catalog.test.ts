// The build-time policy catalog (dist/policy-catalog.json) stands in for the YAML path only where it gives the
// same value: built-in files unchanged since the build, checked against the same schema.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckFile } from '../src/engine/load.js';
import { CATALOG_FILE, catalogKey, catalogValue, type PolicyCatalog } from '../src/engine/policy-catalog.js';
import { parsePolicyText } from '../src/engine/policy-file.js';
import { BUILTIN_POLICY_DIR } from '../src/paths.js';

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
