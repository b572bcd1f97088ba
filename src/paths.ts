// Locations of the files shipped with the package (policies, schemas), valid from src/ and dist/ alike.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The package root: two levels above this module (src/paths.ts or dist/paths.js). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILTIN_POLICY_DIR = path.join(PACKAGE_ROOT, 'policies');
export const SCHEMA_DIR = path.join(PACKAGE_ROOT, 'schemas');
