// Reads sesguard.yaml (or the file named by --config), validates it against its JSON Schema and fills defaults.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../errors.js';
import { addressSet } from '../functions/addresses.js';
import { validateAgainst } from '../schemas.js';
import { defaultConfig, type Config, type ConfigFile } from './types.js';

export const DEFAULT_CONFIG_NAMES = ['sesguard.yaml', '.sesguard.yaml'];

/** Finds the config: the explicit path (must exist), else a default name in `cwd`, else none. */
export function locateConfig(explicit: string | undefined, cwd: string): string | null {
  if (explicit) {
    const full = path.resolve(cwd, explicit);
    if (!existsSync(full)) throw new ConfigError(`${explicit}: config file not found`);
    return full;
  }
  for (const name of DEFAULT_CONFIG_NAMES) {
    const full = path.join(cwd, name);
    if (existsSync(full)) return full;
  }
  return null;
}

export function parseConfig(text: string, file: string, displayName = file): Config {
  let raw: unknown;
  try {
    const doc = YAML.parseDocument(text);
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const line = e.linePos?.[0]?.line;
      // yaml appends "at line L, column C:" and a code excerpt: the position is already in front, the excerpt
      // could show a secret.
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ConfigError(`${displayName}${line ? `:${line}` : ''}: not valid YAML: ${message}`);
    }
    raw = doc.toJS({ maxAliasCount: 50 }) ?? {};
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${displayName}: not valid YAML: ${((error as Error).message ?? '').split('\n')[0]}`);
  }
  // YAML turns an unquoted date into a Date; the schema wants the written form.
  if (raw && typeof raw === 'object' && Array.isArray((raw as ConfigFile).suppressions)) {
    for (const s of (raw as ConfigFile).suppressions as unknown as Record<string, unknown>[]) {
      if (s && s.expires instanceof Date) s.expires = s.expires.toISOString().slice(0, 10);
    }
  }
  const problem = validateAgainst('config.schema.json', raw);
  if (problem) throw new ConfigError(`${displayName}: ${problem}`);
  const file_ = raw as ConfigFile;
  const config = defaultConfig();
  config.file = file;
  config.approvedRegions = file_.approvedRegions ?? [];
  config.approvedRegionsSet = file_.approvedRegions !== undefined;
  config.trustedAccounts = file_.trustedAccounts ?? [];
  config.organizationId = file_.organizationId ?? null;
  config.approvedDomainIdentities = file_.approvedDomainIdentities ?? [];
  config.approvedMailRelays = file_.approvedMailRelays ?? [];
  try {
    addressSet(config.approvedMailRelays);
  } catch (error) {
    throw new ConfigError(`${displayName}: approvedMailRelays: ${(error as Error).message}`);
  }
  Object.assign(config.thresholds, file_.thresholds ?? {});
  config.checks = file_.checks ?? {};
  config.suppressions = file_.suppressions ?? [];
  config.policyDirs = (file_.policyDirs ?? []).map((dir) => path.resolve(path.dirname(file), dir));
  return config;
}

/** Loads the config for a run; defaults when there is no file. */
export function loadConfig(explicit: string | undefined, cwd: string): Config {
  const file = locateConfig(explicit, cwd);
  if (!file) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : code;
    throw new ConfigError(`${path.relative(cwd, file) || file}: cannot read config (${why})`);
  }
  return parseConfig(text, file, path.relative(cwd, file) || file);
}
