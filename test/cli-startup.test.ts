// Start-up (issue 11): commands that do not call AWS never load the AWS SDK. Runs the command line in a child
// process that records every module it loads (ES modules through a resolve hook, CommonJS modules from
// require.cache at exit), both as shipped (bin/sesguard.js → the bundle in dist/bundle/) and as tsc compiled
// it (dist/cli/main.js, one module per source file), so `npm run build` first.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { tempDir } from './helpers.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'sesguard.js');
const MODULES = pathToFileURL(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js')).href;
const ENTRIES: [string, string[]][] = [
  ['bin/sesguard.js', [BIN]],
  ['dist/cli/main.js', ['--input-type=module', '-e', `const { main } = await import('${MODULES}'); process.exitCode = await main(process.argv.slice(1));`, '--']],
];

function tracer(): string {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'hooks.mjs'),
    `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  writeSync(2, 'LOADED ' + resolved.url + '\\n');
  return resolved;
}
`,
  );
  writeFileSync(
    path.join(dir, 'trace.mjs'),
    `import { register, createRequire } from 'node:module';
register('./hooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
process.on('exit', () => { for (const file of Object.keys(require.cache)) process.stderr.write('LOADED ' + file + '\\n'); });
`,
  );
  return path.join(dir, 'trace.mjs');
}

/** Every module the process loaded, and its exit code. */
function modulesLoaded(args: string[], cwd: string): { code: number | null; modules: string[] } {
  const r = spawnSync(process.execPath, ['--import', tracer(), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_REGION: 'us-east-1' },
  });
  const modules = r.stderr
    .split('\n')
    .filter((line) => line.startsWith('LOADED '))
    .map((line) => line.slice('LOADED '.length));
  return { code: r.status, modules };
}

const aws = (modules: string[]) => modules.filter((m) => /[/\\]@aws-sdk[/\\]|^@aws-sdk\//.test(m));

describe('commands that do not call AWS do not load the AWS SDK', () => {
  it('the tracer sees the SDK when something loads it (control)', () => {
    const { modules } = modulesLoaded(['--input-type=module', '-e', "await import('@aws-sdk/client-s3')"], PACKAGE_ROOT);
    expect(aws(modules).length).toBeGreaterThan(0);
  });
  const template = path.join(PACKAGE_ROOT, 'fixtures', 'iac', 'cloudformation', 'bad-mail-stack.yaml');
  const cases: [string, string[]][] = [
    ['--version', ['--version']],
    ['iac on a template', ['iac', template, '--fail-on', 'none', '--sarif', 'out.sarif', '--html', 'out.html']],
    ['checks', ['checks']],
    ['evaluate a snapshot', ['evaluate', path.join(PACKAGE_ROOT, 'fixtures', 'demo', 'org-snapshot.json'), '--fail-on', 'none']],
    ['trail on local log files', ['trail', path.join(PACKAGE_ROOT, 'fixtures', 'cloudtrail'), '--fail-on', 'none']],
  ];
  for (const [entry, run] of ENTRIES) {
    for (const [name, argv] of cases) {
      it(`${name} (${entry})`, () => {
        const { code, modules } = modulesLoaded([...run, ...argv], tempDir());
        expect(modules.some((m) => m.includes('/dist/'))).toBe(true);
        expect(code).not.toBeNull();
        expect(aws(modules)).toEqual([]);
      });
    }
  }
  it('importing the library (dist/index.js) loads neither the SDK nor the detections', () => {
    const library = pathToFileURL(path.join(PACKAGE_ROOT, 'dist', 'index.js')).href;
    const { code, modules } = modulesLoaded(['--input-type=module', '-e', `await import('${library}');`], tempDir());
    expect(code).toBe(0);
    expect(modules.some((m) => m.endsWith('/dist/index.js'))).toBe(true);
    expect(aws(modules)).toEqual([]);
    expect(modules.filter((m) => /\/dist\/detections\/(run|analyzer|rules)/.test(m))).toEqual([]);
  });
  it('iac does not load the CloudTrail detections either', () => {
    const { modules } = modulesLoaded([...ENTRIES[1][1], 'iac', template, '--fail-on', 'none'], tempDir());
    expect(modules.filter((m) => /\/dist\/detections\/(run|analyzer|rules)/.test(m))).toEqual([]);
  });
});
