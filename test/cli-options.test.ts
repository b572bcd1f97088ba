// Options are declared per command and parsed strictly (issue 11): a flag a command does not take is a
// usage error naming it; the help text is generated from the same declarations.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands.js';
import { choice, flag, list, optionsHelp, parseOptions, text } from '../src/cli/options.js';
import { ConfigError } from '../src/errors.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { renderCliDoc } from '../src/tools/cli-doc.js';
import { VERSION } from '../src/version.js';
import { cli, tempDir } from './helpers.js';

const GOOD = `Resources:
  Topic:
    Type: AWS::SNS::Topic
`;

describe('strict options: one line naming the flag, exit 2, nothing run', () => {
  const cases: [string[], RegExp][] = [
    [['iac', 'ok.yaml', '--org'], /^sesguard: iac does not take --org \(see sesguard iac --help\)$/],
    [['iac', 'ok.yaml', '--lookup'], /^sesguard: iac does not take --lookup /],
    [['iac', 'ok.yaml', '--since', '7d'], /^sesguard: iac does not take --since /],
    [['iac', 'ok.yaml', '-x'], /^sesguard: iac does not take -x /],
    [['iac', 'ok.yaml', '--nope'], /^sesguard: iac does not take --nope /],
    [['merge', 'a.json', '--config', 'c.yaml'], /^sesguard: merge does not take --config /],
    [['trail', 'logs', '--min-score', '50'], /^sesguard: trail does not take --min-score /],
    [['checks', '--fail-on', 'high'], /^sesguard: checks does not take --fail-on /],
    [['policies', 'test', '--json', 'x'], /^sesguard: policies does not take --json /],
    [['checks', '--format', 'sarif'], /^sesguard: --format must be one of text, json \(got "sarif"\)$/],
    [['iac', 'ok.yaml', '--json'], /^sesguard: --json needs a value \(FILE\)$/],
    [['iac', 'ok.yaml', '--json', '--quiet'], /^sesguard: --json needs a value \(FILE\), got the option --quiet; write --json=--quiet if that is the value$/],
    [['iac', 'ok.yaml', '--quiet=yes'], /^sesguard: --quiet takes no value \(got "yes"\)$/],
    [['iac', 'ok.yaml', '--json', 'a.json', '--json', 'b.json'], /^sesguard: --json is given twice$/],
    [['iac', 'ok.yaml', '--min-score', '101'], /^sesguard: --min-score must be a number from 0 to 100 \(got "101"\)$/],
    [['--config', 'c.yaml', 'iac', 'ok.yaml'], /^sesguard: the command comes first: sesguard <command> \[options\] \(got --config; see sesguard --help\)$/],
    [['scan', 'template.yaml'], /^sesguard: scan reads AWS, not files \(got "template\.yaml"\)$/],
    [['scan', '--shard', '3/2'], /^sesguard: --shard takes K\/N with 1 ≤ K ≤ N \(got "3\/2"\)$/],
    [['scan', '--concurrency', '0'], /^sesguard: --concurrency must be a whole number from 1 to 256 \(got "0"\)$/],
    [['scan', '--accounts', '12345'], /^sesguard: --accounts takes 12-digit account ids separated by commas \(got "12345"\)$/],
    [['trail', 'logs', '--regions', 'eu-west-1'], /^sesguard: --regions applies to --lookup: log files carry their own regions$/],
    [['frobnicate'], /^sesguard: unknown command 'frobnicate' \(see sesguard --help\)$/],
    [['toString'], /^sesguard: unknown command 'toString' /],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const dir = tempDir({ 'ok.yaml': GOOD });
      const r = await cli(argv, dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }
});

describe('help and version', () => {
  it('--version prints the version only', async () => {
    expect(await cli(['--version'], tempDir())).toEqual({ code: 0, stdout: `sesguard ${VERSION}\n`, stderr: '' });
  });
  it('--help lists every command of the table; no command is a usage error', async () => {
    const help = await cli(['--help'], tempDir());
    expect(help.code).toBe(0);
    for (const [name, entry] of Object.entries(COMMANDS)) expect(help.stdout).toContain(`  ${name}${entry.args ? ` ${entry.args}` : ''}  `);
    const none = await cli([], tempDir());
    expect(none.code).toBe(2);
    expect(none.stdout).toBe(help.stdout);
  });
  for (const name of Object.keys(COMMANDS)) {
    it(`${name} --help shows exactly the options ${name} declares`, async () => {
      const { options } = (await COMMANDS[name].load()).default;
      const r = await cli([name, '--help'], tempDir());
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: sesguard ${name}`);
      expect(r.stdout).toContain(optionsHelp(options));
      const shown = [...r.stdout.matchAll(/^ {2}(?:-h, )?--([a-z0-9-]+)/gm)].map((m) => m[1]);
      expect(shown.sort()).toEqual([...Object.keys(options), 'help'].sort());
      expect((await cli(['help', name], tempDir())).stdout).toBe(r.stdout);
    });
  }
  it('iac, scan, trail, evaluate, report and merge share the output and gate options', async () => {
    const load = async (name: string) => Object.keys((await COMMANDS[name].load()).default.options);
    for (const name of ['iac', 'scan', 'trail', 'evaluate', 'report', 'merge']) {
      expect(await load(name)).toEqual(expect.arrayContaining(['format', 'sarif', 'json', 'markdown', 'html', 'evidence', 'quiet', 'fail-on', 'baseline']));
    }
    expect(await load('iac')).not.toContain('org');
    expect(await load('trail')).not.toContain('min-score');
  });
  it('docs/cli.md is fresh (run `npm run docs`)', async () => {
    expect(readFileSync(path.join(PACKAGE_ROOT, 'docs', 'cli.md'), 'utf8')).toBe(await renderCliDoc());
  });
});

describe('parseOptions', () => {
  const options = {
    var: list('NAME=VALUE', 'a variable', (raw, name) => {
      if (!raw.includes('=')) throw new ConfigError(`${name} takes NAME=VALUE (got "${raw}")`);
      return raw;
    }),
    file: text('FILE', 'a file'),
    level: choice(['a', 'b'] as const, 'a', 'a level'),
    on: flag('a switch'),
  };
  it('a repeatable option keeps every value in order; defaults fill what is absent', () => {
    const { positionals, values } = parseOptions('x', ['p1', '--var', 'a=1', '--on', 'p2', '--var=b=2', '--', '--file'], options);
    expect(positionals).toEqual(['p1', 'p2', '--file']);
    expect(values).toEqual({ var: ['a=1', 'b=2'], file: undefined, level: 'a', on: true, help: false });
  });
  it('a bad value names the flag', () => {
    expect(() => parseOptions('x', ['--var', 'oops'], options)).toThrow('--var takes NAME=VALUE (got "oops")');
    expect(() => parseOptions('x', ['--level', 'c'], options)).toThrow('--level must be one of a, b (got "c")');
  });
  it('an absent repeatable option is an empty list', () => {
    expect(parseOptions('x', [], options).values.var).toEqual([]);
  });
});
