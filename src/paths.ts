// Locations of the files shipped with the package (policies, schemas), valid from src/, dist/ and the bundled
// command line (dist/bundle/) alike.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest directory above this module holding both package.json and policies/. */
function packageRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'policies'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..');
  }
}

export const PACKAGE_ROOT = packageRoot();
export const BUILTIN_POLICY_DIR = path.join(PACKAGE_ROOT, 'policies');
export const SCHEMA_DIR = path.join(PACKAGE_ROOT, 'schemas');
