// The command line (SPEC §4): finds the command in the table, loads only its module, parses its declared
// options strictly and runs it. The only place that talks to the terminal. Known errors become one line and
// exit code 2; anything else is reported as a bug, still in one line.
import path from 'node:path';
import { ConfigError, PolicyError, SourceError } from '../errors.js';
import { VERSION } from '../version.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands.js';
import type { Io } from './io.js';
import { optionsHelp, parseOptions } from './options.js';

export type { Io } from './io.js';

const EXIT_CODES = `Exit codes: 0 ok; 1 findings at or above --fail-on, or score below --min-score; 2 the result cannot be trusted
(usage or config error, an input that cannot be parsed, an output that cannot be written, an incomplete scan).`;

function usage(): string {
  const left = Object.entries(COMMANDS).map(([name, c]) => `${name}${c.args ? ` ${c.args}` : ''}`);
  const width = Math.max(...left.map((l) => l.length));
  const rows = Object.values(COMMANDS).map((c, i) => `  ${left[i].padEnd(width)}  ${c.summary}`);
  return `Usage: sesguard <command> [options]

Commands:
${rows.join('\n')}

sesguard <command> --help shows the options of a command; sesguard --version prints the version.

${EXIT_CODES}`;
}

function commandUsage(name: string, command: Command): string {
  const entry = COMMANDS[name];
  return `Usage: sesguard ${name}${entry.args ? ` ${entry.args}` : ''} [options]

${entry.summary}

Options:
${optionsHelp(command.options)}

${entry.exits ? `Exit codes: ${entry.exits}` : EXIT_CODES}`;
}

function shownPath(file: string | undefined, cwd: string): string | undefined {
  if (!file || !path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel.split(path.sep).join('/') : file;
}

function describeError(error: unknown, cwd: string): string {
  if (error instanceof SourceError || error instanceof PolicyError) {
    const file = shownPath(error.file, cwd);
    const where = [file, error instanceof SourceError ? error.line : undefined].filter((x) => x !== undefined).join(':');
    return where ? `${where}: ${error.message}` : error.message;
  }
  if (error instanceof ConfigError) return error.message;
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0];
  return `internal error: ${message} (this is a bug; rerun with SESGUARD_DEBUG=1 for details)`;
}

export async function run(argv: string[], ioIn: Io): Promise<number> {
  const io: Io = { ...ioIn, argv };
  try {
    const [first, ...rest] = argv;
    if (first === '--version') {
      io.stdout(`sesguard ${VERSION}\n`);
      return 0;
    }
    if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
      io.stdout(`${usage()}\n`);
      return first === undefined ? 2 : 0;
    }
    const name = first === 'help' ? rest[0] : first;
    if (name.startsWith('-')) throw new ConfigError(`the command comes first: sesguard <command> [options] (got ${name}; see sesguard --help)`);
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) throw new ConfigError(`unknown command '${name}' (see sesguard --help)`);
    const command = (await entry.load()).default;
    if (first === 'help') {
      io.stdout(`${commandUsage(name, command)}\n`);
      return 0;
    }
    const { positionals, values } = parseOptions(name, rest, command.options);
    if (values.help) {
      io.stdout(`${commandUsage(name, command)}\n`);
      return 0;
    }
    return await command.run(positionals, values, io);
  } catch (error) {
    io.stderr(`sesguard: ${describeError(error, io.cwd)}\n`);
    if (process.env.SESGUARD_DEBUG === '1' && error instanceof Error) io.stderr(`${error.stack}\n`);
    return 2;
  }
}

/** Process entry (bin/sesguard.js). */
export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nsesguard: interrupted: writing what was collected, marked incomplete (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(argv, {
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      stderrIsTty: Boolean(process.stderr.isTTY),
      env: process.env,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
