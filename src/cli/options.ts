// Command-line options as data: each command declares the options it takes (name → Option), the parser
// accepts exactly those, and the help text is generated from the same declarations. An option turns its raw
// argv value into a typed one (or a ConfigError naming the flag) once, before any work starts.
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';

/** What argv gave an option: a string, the strings of a repeated option, `true` for a switch, or nothing. */
export type Raw = string | string[] | boolean | undefined;

export interface Option<T = unknown> {
  /** What follows the flag in the help text (`FILE`, `N`); absent for a switch. */
  value?: string;
  /** The option may be repeated (`--tf-var a=1 --tf-var b=2`); its raw value is then a list. */
  multiple?: boolean;
  short?: string;
  help: string;
  /** Raw → typed; throws a ConfigError naming `flag` on a bad value. Called for absent options too (`undefined`). */
  parse: (raw: Raw, flag: string) => T;
}

export type Options = Record<string, Option>;
export type Values<O extends Options> = { [K in keyof O]: ReturnType<O[K]['parse']> };

/** A switch: `--org`. */
export function flag(help: string): Option<boolean> {
  return { help, parse: (raw) => raw === true };
}

/** A value: `--config FILE`; `parse` checks and converts it (default: the string as given). */
export function text(value: string, help: string): Option<string | undefined>;
export function text<T>(value: string, help: string, parse: (raw: string, flag: string) => T): Option<T | undefined>;
export function text(value: string, help: string, parse?: (raw: string, flag: string) => unknown): Option {
  return { value, help, parse: (raw, name) => (raw === undefined ? undefined : parse ? parse(raw as string, name) : raw) };
}

/** A value with a default, when absent too: `--concurrency N` (default 16). */
export function withDefault<T>(value: string, help: string, fallback: T, parse: (raw: string, flag: string) => T): Option<T> {
  return { value, help: `${help} (default ${String(fallback)})`, parse: (raw, name) => (raw === undefined ? fallback : parse(raw as string, name)) };
}

/** A repeatable value: `--tf-var NAME=VALUE`, given once per item, in order. */
export function list(value: string, help: string, parse: (raw: string, flag: string) => string = (raw) => raw): Option<string[]> {
  return { value, multiple: true, help, parse: (raw, name) => ((raw as string[] | undefined) ?? []).map((item) => parse(item, name)) };
}

/** One of a fixed set: `--fail-on critical|high|…` (default `fallback`). */
export function choice<T extends string>(values: readonly T[], fallback: T | undefined, help: string): Option<T> {
  return {
    value: values.join('|'),
    help: fallback === undefined ? help : `${help} (default ${fallback})`,
    parse: (raw, name) => {
      if (raw === undefined) return fallback as T;
      if (!(values as readonly string[]).includes(raw as string)) throw new ConfigError(`${name} must be one of ${values.join(', ')} (got "${String(raw)}")`);
      return raw as T;
    },
  };
}

/** Every command takes `--help`. */
export const HELP = { help: { short: 'h', ...flag('show this command’s usage and options') } } satisfies Options;

function looksLikeOption(arg: string): boolean {
  return /^--?[A-Za-z]/.test(arg);
}

/**
 * Parses argv strictly against a command's declared options: an option the command does not take, a value
 * missing or given to a switch, or an option given twice is a ConfigError of one line naming it.
 */
export function parseOptions<O extends Options>(command: string, argv: string[], options: O): { positionals: string[]; values: Values<O> } {
  const declared: Options = { ...HELP, ...options };
  const config = Object.fromEntries(
    Object.entries(declared).map(([name, o]) => [name, { type: o.value ? ('string' as const) : ('boolean' as const), multiple: Boolean(o.multiple), ...(o.short ? { short: o.short } : {}) }]),
  );
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const raw: Record<string, Raw> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = declared[token.name];
    const shown = token.rawName.startsWith('--') ? token.rawName : `-${token.name}`;
    if (!option) throw new ConfigError(`${command} does not take ${shown} (see sesguard ${command} --help)`);
    const name = `--${token.name}`;
    if (option.value) {
      if (token.value === undefined || (!token.inlineValue && looksLikeOption(token.value))) {
        throw new ConfigError(`${name} needs a value (${option.value})${token.value !== undefined ? `, got the option ${token.value}; write ${name}=${token.value} if that is the value` : ''}`);
      }
      if (option.multiple) raw[token.name] = [...((raw[token.name] as string[] | undefined) ?? []), token.value];
      else if (raw[token.name] !== undefined) throw new ConfigError(`${name} is given twice`);
      else raw[token.name] = token.value;
    } else {
      if (token.value !== undefined) throw new ConfigError(`${name} takes no value (got "${token.value}")`);
      raw[token.name] = true;
    }
  }
  const values = Object.fromEntries(Object.entries(declared).map(([name, o]) => [name, o.parse(raw[name], `--${name}`)]));
  return { positionals, values: values as Values<O> };
}

/** The options block of a command's help, aligned, in declaration order. */
export function optionsHelp(options: Options): string {
  const rows = Object.entries({ ...options, ...HELP }).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}${o.multiple ? ' (repeatable)' : ''}`,
    o.help,
  ]);
  const width = Math.min(44, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, help]) => (left.length > width ? `  ${left}\n  ${''.padEnd(width)}  ${help}` : `  ${left.padEnd(width)}  ${help}`)).join('\n');
}
