// The built-in policy files, already parsed and schema-checked at build time (dist/policy-catalog.json,
// written by src/tools/gen-policy-catalog.ts), so that a run starts without parsing ~400 kB of YAML or
// loading ajv. An entry is used only for the very text it was made from, checked against the very schema
// it was validated with (SHA-256 of both): an edited policy or schema, or a missing catalog, simply takes
// the ordinary path (YAML → schema), with its ordinary errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { schemaHash, sha256 } from '../schemas.js';

export const CATALOG_FILE = path.join(PACKAGE_ROOT, 'dist', 'policy-catalog.json');

export interface PolicyCatalog {
  /** Schema file name → SHA-256 of the schema the entries were validated against. */
  schemas: Record<string, string>;
  /**
   * Path relative to the package root (`policies/net/SESG-NET-001.yaml`) → its text's SHA-256, the schema it
   * passed, and its parsed value as JSON text (parsed on use, so every caller gets its own copy).
   */
  files: Record<string, { sha256: string; schema: string; json: string }>;
}

let catalog: PolicyCatalog | null = null;

/** The catalog's key for a file: its path from the package root, with `/`. */
export function catalogKey(file: string): string {
  return path.relative(PACKAGE_ROOT, path.resolve(file)).split(path.sep).join('/');
}

function load(): PolicyCatalog {
  if (!catalog) {
    try {
      const parsed = JSON.parse(readFileSync(CATALOG_FILE, 'utf8')) as PolicyCatalog;
      catalog = parsed && typeof parsed.files === 'object' && typeof parsed.schemas === 'object' ? parsed : { schemas: {}, files: {} };
    } catch {
      catalog = { schemas: {}, files: {} };
    }
  }
  return catalog;
}

/** The build-time value of this policy text, when the catalog holds exactly this text checked against this schema. */
export function catalogValue(file: string, text: string, schemaFile: string): unknown {
  const entry = load().files[catalogKey(file)];
  if (!entry || entry.schema !== schemaFile || entry.sha256 !== sha256(text)) return undefined;
  if (load().schemas[schemaFile] !== schemaHash(schemaFile)) return undefined;
  return JSON.parse(entry.json);
}
