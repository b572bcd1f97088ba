// Part of `npm run build`: bundles the command line (dist/cli/main.js and everything it imports, plus the two
// pure-JavaScript libraries every IaC run loads: yaml and cel-js) into dist/bundle/, one chunk per command and per
// shared part, so that `sesguard` starts from a handful of files instead of some 150 modules (SPEC §10 B6). Every
// other package stays in node_modules, imported as it is: the AWS SDK, ajv and the IAM action data load lazily,
// and packages that find files beside their own code (web-tree-sitter's WebAssembly) must stay where they are.
// Third-party code copied into the bundle keeps its licence, collected in dist/bundle/THIRD-PARTY-LICENSES.txt.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rolldown } from 'rolldown';
import { PACKAGE_ROOT } from '../paths.js';

export const BUNDLE_DIR = path.join(PACKAGE_ROOT, 'dist', 'bundle');
/** The packages copied into the bundle; any other bare import stays a node_modules import. */
const BUNDLED = /^(yaml|@marcbachmann\/cel-js)(\/|$)/;
const isPackage = (id: string) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('node:');

/** The package directory (…/node_modules/name or …/node_modules/@scope/name) a bundled module comes from. */
function packageDir(moduleId: string): string | undefined {
  const m = /^(.*[/\\]node_modules[/\\](?:@[^/\\]+[/\\])?[^/\\]+)/.exec(moduleId);
  return m?.[1];
}

function licenceText(dir: string): string {
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
  const header = `${pkg.name} ${pkg.version} (${pkg.license ?? 'see licence'})`;
  return `${header}\n${'-'.repeat(header.length)}\n${file ? readFileSync(path.join(dir, file), 'utf8').trim() : `licence: ${pkg.license ?? 'unknown'}`}\n`;
}

rmSync(BUNDLE_DIR, { recursive: true, force: true });
const bundle = await rolldown({
  input: { main: path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js') },
  platform: 'node',
  external: (id) => isPackage(id) && !BUNDLED.test(id),
  logLevel: 'warn',
});
const { output } = await bundle.write({ dir: BUNDLE_DIR, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();

const packages = new Set<string>();
for (const item of output) {
  if (item.type !== 'chunk') continue;
  for (const id of item.moduleIds) {
    const dir = packageDir(id);
    if (dir) packages.add(dir);
  }
}
const notices = [...packages].sort().map(licenceText);
writeFileSync(
  path.join(BUNDLE_DIR, 'THIRD-PARTY-LICENSES.txt'),
  `Third-party code bundled into this directory by sesguard's build (src/tools/bundle-cli.ts):\n\n${notices.join('\n')}`,
);
