// The Terraform source reader: .tf files (root modules and the local modules they call), evaluated
// statically into the Terraform model, then adapted like a plan. A directory is a root module unless
// another scanned directory calls it as a local module, or a plan beside it says what will be applied.
// IO happens through the callbacks it is given; the parser is tree-sitter (loaded on first use).
import type { InlineSuppression, Resource, InputError } from '../../inventory/types.js';
import { unknown } from '../../inventory/types.js';
import { STRAY_SUPPRESSION, parseIgnore } from './block-positions.js';
import { Evaluator, origins, type Scope } from './hcl/evaluate.js';
import { terraformFunctions, type FileAccess } from './hcl/functions.js';
import { ModuleInstance, declarations, type Instance, type ModuleDecl } from './hcl/module.js';
import { parseAll, parseWorkers } from './hcl/parse-pool.js';
import { HclSyntaxError, loadHclParser, parseHcl, syntaxOf, type ParsedFile, type Pos } from './hcl/syntax.js';
import { nodeTypes } from './hcl/table.js';
import { JsonText, exactHoles, isLazy, isPlainObject } from './hcl/values.js';
import { adaptTerraform } from './adapt.js';
import type { Placed, TfModel, TfResource } from './model.js';
import { joinPath } from './plan.js';

export interface TerraformSourceInput {
  /** Directories holding .tf files (display paths: relative to the working directory, `/`-separated). */
  dirs: string[];
  /** Directories whose configuration a plan beside it already judges (their .tf files give the plan positions). */
  judgedByPlan: ReadonlySet<string>;
  /** A file's text by display path, undefined when it cannot be read or lies outside the scanned repository. */
  readText(path: string): string | undefined;
  /** File names in a directory (display path). */
  listDir(dir: string): string[];
  /** `--tf-var-file` files (display paths) and `--tf-var NAME=VALUE` values, in command-line order. */
  varFiles?: string[];
  vars?: string[];
  /** Worker threads parsing the scanned directories' .tf files; by default as many as their size pays for (./hcl/parse-pool.ts). */
  parseWorkers?: number;
}

export interface TerraformSourceResult {
  resources: Resource[];
  errors: InputError[];
  notices: string[];
  files: string[];
}

/** The parsed files of a run, and the comment lines (`file:line`) read as some resource block's suppressions. */
interface SourceFiles {
  parsed(file: string): ParsedFile | undefined;
  readComments: Set<string>;
}

const isTf = (name: string): boolean => name.endsWith('.tf') && !/(^|_)override\.tf$/.test(name);

/** Reads every root module among `input.dirs`, with the local modules they call. */
export async function readTerraformSources(given: TerraformSourceInput): Promise<TerraformSourceResult> {
  // Each directory is listed once (its files are parsed up front, then declared, then searched for tfvars).
  const listings = new Map<string, string[]>();
  const listDir = (dir: string): string[] => {
    let names = listings.get(dir);
    if (!names) listings.set(dir, (names = given.listDir(dir)));
    return [...names];
  };
  const input: TerraformSourceInput = { ...given, listDir };
  const parser = await loadHclParser();
  const out: TerraformSourceResult = { resources: [], errors: [], notices: [], files: [] };
  const noticed = new Set<string>();
  const notice = (file: string, at: Pos | undefined, message: string): void => {
    const line = `${file}${at ? `:${at.line}` : ''}: ${message}`;
    if (!noticed.has(line)) {
      noticed.add(line);
      out.notices.push(line);
    }
  };

  const parsed = new Map<string, ParsedFile>();
  const early = await parseEarly(input, parser);
  const parseFile = (file: string): ParsedFile | undefined => {
    if (parsed.has(file)) return parsed.get(file);
    const text = early.has(file) ? early.get(file)!.text : input.readText(file);
    if (text === undefined) {
      out.errors.push({ file, message: 'cannot read file' });
      return undefined;
    }
    const result = early.get(file)?.result ?? parseOne(parser, file, text);
    if (result instanceof HclSyntaxError) {
      out.errors.push({ file, line: result.line, column: result.column, message: result.message });
      return undefined;
    }
    parsed.set(file, result);
    return result;
  };
  const decls = new Map<string, ModuleDecl | undefined>();
  const moduleDecl = (dir: string): ModuleDecl | undefined => {
    if (decls.has(dir)) return decls.get(dir);
    const names = input.listDir(dir).sort();
    for (const name of names) {
      if (name.endsWith('.tf.json')) notice(joinPath(dir, name), undefined, 'Terraform JSON configuration syntax is not read');
      else if (name.endsWith('.tf') && !isTf(name)) notice(joinPath(dir, name), undefined, 'override files are not merged: its blocks are not read');
    }
    const files = names.filter(isTf).map((n) => parseFile(joinPath(dir, n))).filter((f): f is ParsedFile => f !== undefined);
    const decl = names.some(isTf) ? declarations(dir, files) : undefined;
    decls.set(dir, decl);
    return decl;
  };

  // Roots: directories no other scanned directory calls as a local module.
  const called = new Set<string>();
  for (const dir of input.dirs) {
    const decl = moduleDecl(dir);
    if (!decl) continue;
    for (const call of decl.calls.values()) {
      const source = call.value.body.attributes.get('source')?.expr;
      if (source?.k === 'lit' && typeof source.v === 'string' && /^\.\.?\//.test(source.v)) called.add(joinPath(dir, source.v));
    }
  }
  const roots = input.dirs.filter((d) => !called.has(d) && !input.judgedByPlan.has(d) && decls.get(d));
  // The directories a root reads (itself and the local modules it reaches): their files are what was scanned.
  const used = new Set<string>();
  const reached = (dir: string): ModuleDecl | undefined => {
    const decl = moduleDecl(dir);
    if (decl) used.add(dir);
    return decl;
  };
  const sources: SourceFiles = { parsed: (file) => parsed.get(file), readComments: new Set() };
  for (const root of roots) {
    const result = readRoot(root, reached, input, parser, notice, out.errors, sources);
    out.resources.push(...result.resources);
  }
  for (const dir of used) for (const file of decls.get(dir)?.files ?? []) out.files.push(file.file);
  out.files.sort();
  // A suppression comment that no resource block read (above a data source, a module call, after a blank
  // line) suppresses nothing: say so rather than let it look like it works.
  for (const file of out.files) {
    for (const comment of parsed.get(file)?.comments ?? []) {
      if (!/sesguard:ignore\b/.test(comment.text) || sources.readComments.has(`${file}:${comment.line}`)) continue;
      notice(file, { line: comment.line, column: 1 }, STRAY_SUPPRESSION);
    }
  }
  return out;
}

/** A file's syntax tree, or the syntax error that rejects it. */
function parseOne(parser: Awaited<ReturnType<typeof loadHclParser>>, file: string, text: string): ParsedFile | HclSyntaxError {
  try {
    return parseHcl(parser, file, text);
  } catch (error) {
    if (!(error instanceof HclSyntaxError)) throw error;
    return error;
  }
}

interface EarlyFile {
  /** Undefined: the file cannot be read. */
  text: string | undefined;
  /** Set when the file was parsed up front. */
  result?: ParsedFile | HclSyntaxError;
}

/**
 * The .tf files of the scanned directories (every one of them is read: each directory is a root or a module),
 * read up front; when there is enough text for worker threads to pay for themselves, parsed up front as well, on
 * them and on this thread (./hcl/parse-pool.ts). Otherwise each file is parsed when it is reached, here.
 */
async function parseEarly(
  input: TerraformSourceInput,
  parser: Awaited<ReturnType<typeof loadHclParser>>,
): Promise<Map<string, EarlyFile>> {
  const files = input.dirs.flatMap((dir) => input.listDir(dir).filter(isTf).sort().map((name) => joinPath(dir, name)));
  const early = new Map<string, EarlyFile>(files.map((file) => [file, { text: input.readText(file) }]));
  const readable = [...early].filter((entry): entry is [string, EarlyFile & { text: string }] => entry[1].text !== undefined);
  const workers = input.parseWorkers ?? parseWorkers(readable.reduce((n, [, { text }]) => n + text.length, 0));
  if (workers === 0 || readable.length < 2) return early;
  const types = nodeTypes(parser.language!);
  const results = await parseAll(
    readable.map(([, { text }]) => text),
    workers,
    (i) => parseOne(parser, readable[i]![0], readable[i]![1].text),
    (i, table) => {
      const [file, { text }] = readable[i]!;
      try {
        return syntaxOf(file, text, table, types);
      } catch (error) {
        if (!(error instanceof HclSyntaxError)) throw error;
        return error;
      }
    },
  );
  readable.forEach(([, entry], i) => (entry.result = results[i]!));
  return early;
}

function readRoot(
  root: string,
  moduleDecl: (dir: string) => ModuleDecl | undefined,
  input: TerraformSourceInput,
  parser: Awaited<ReturnType<typeof loadHclParser>>,
  notice: (file: string, at: Pos | undefined, message: string) => void,
  errors: InputError[],
  sources: SourceFiles,
): { resources: Resource[] } {
  const templates = new Map<string, ParsedFile | null>();
  const files: FileAccess = {
    read: (p) => input.readText(joinPath(root, p)),
    template: (text, vars, at) => {
      let parsedTemplate = templates.get(text);
      if (parsedTemplate === undefined) {
        const marker = 'SESGUARD_TEMPLATE_END';
        try {
          parsedTemplate = parseHcl(parser, 'template', `t = <<${marker}\n${text}${text.endsWith('\n') ? '' : '\n'}${marker}\n`);
        } catch {
          parsedTemplate = null;
        }
        templates.set(text, parsedTemplate);
      }
      const expr = parsedTemplate?.body.attributes.get('t')?.expr;
      if (!expr) return unknown(`a template used at line ${at.line} is not a valid template`);
      const scope: Scope = { lookup: (name) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined) };
      return evaluator.evaluate(expr, scope);
    },
  };
  const evaluator = new Evaluator(terraformFunctions(() => files));
  const decl = moduleDecl(root)!;
  const rootVariables = variablesFor(root, input, parser, evaluator, notice, errors);
  const rootInstance = new ModuleInstance({ evaluator, module: moduleDecl, notice, rootVariables }, decl, '', '', undefined, 0, [root], root);
  const instances: Instance[] = [];
  rootInstance.collect(instances);
  const adapted = adaptTerraform(modelOf(root, instances, sources, errors));
  for (const n of adapted.notices) notice(n.file ?? root, n.line !== undefined ? { line: n.line, column: 1 } : undefined, n.message);
  return { resources: adapted.resources };
}

/** The root's variable values: terraform.tfvars, *.auto.tfvars (sorted), then --tf-var-file and --tf-var in order. */
function variablesFor(
  root: string,
  input: TerraformSourceInput,
  parser: Awaited<ReturnType<typeof loadHclParser>>,
  evaluator: Evaluator,
  notice: (file: string, at: Pos | undefined, message: string) => void,
  errors: InputError[],
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  const empty: Scope = { lookup: () => undefined };
  const fromFile = (file: string, required: boolean): void => {
    const text = input.readText(file);
    if (text === undefined) {
      if (required) errors.push({ file, message: 'cannot read the variables file' });
      return;
    }
    if (file.endsWith('.json')) {
      try {
        const json = JSON.parse(text) as unknown;
        if (isPlainObject(json)) for (const [k, v] of Object.entries(json)) values.set(k, v);
        else errors.push({ file, message: 'a JSON variables file must hold an object' });
      } catch {
        errors.push({ file, message: 'not valid JSON' });
      }
      return;
    }
    try {
      const parsedVars = parseHcl(parser, file, text);
      for (const [name, attr] of parsedVars.body.attributes) {
        try {
          values.set(name, evaluator.evaluate(attr.expr, empty));
        } catch (error) {
          notice(file, attr.at, `${(error as Error).message}`);
          values.set(name, unknown(`variable ${name} in ${file} cannot be evaluated`));
        }
      }
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      errors.push({ file, line: error.line, column: error.column, message: error.message });
    }
  };
  const names = input.listDir(root);
  for (const auto of ['terraform.tfvars', 'terraform.tfvars.json']) if (names.includes(auto)) fromFile(joinPath(root, auto), false);
  for (const name of names.filter((n) => /\.auto\.tfvars(\.json)?$/.test(n)).sort()) fromFile(joinPath(root, name), false);
  for (const file of input.varFiles ?? []) fromFile(file, true);
  for (const assignment of input.vars ?? []) {
    const at = assignment.indexOf('=');
    const name = assignment.slice(0, at);
    const raw = assignment.slice(at + 1);
    if (/^\s*[[{]/.test(raw)) {
      try {
        const parsedValue = parseHcl(parser, '--tf-var', `v = ${raw}\n`);
        values.set(name, evaluator.evaluate(parsedValue.body.attributes.get('v')!.expr, empty));
      } catch {
        errors.push({ message: `--tf-var ${name}: the value is not a valid HCL list or object` });
      }
    } else {
      values.set(name, raw);
    }
  }
  return values;
}

/** Turns evaluator values into model values: jsonencode results become their structured value. */
function modelValue(value: unknown, depth = 0): unknown {
  if (depth > 64) return unknown('value nested too deeply');
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof JsonText) return modelValue(value.value, depth + 1);
  if (isLazy(value)) return unknown(`${value.label} is known only after apply`);
  if (Array.isArray(value)) return value.map((v) => modelValue(v, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = modelValue(v, depth + 1);
    const at = origins.get(value);
    if (at) origins.set(out, at);
    return out;
  }
  return value;
}

/** Suppression comments on a block's first line or directly above it (no blank line between). */
function suppressionsOf(file: ParsedFile, line: number, errors: InputError[], readComments: Set<string>): InlineSuppression[] {
  const byLine = new Map(file.comments.map((c) => [c.line, c.text]));
  const out: InlineSuppression[] = [];
  const above: number[] = [];
  for (let l = line - 1; byLine.has(l); l--) above.unshift(l);
  for (const l of [...above, line]) {
    const text = byLine.get(l);
    if (text === undefined) continue;
    readComments.add(`${file.file}:${l}`);
    parseIgnore(text.replace(/^(#|\/\/|\/\*)/, ''), l, file.file, out, errors);
  }
  return out;
}

function modelOf(root: string, instances: Instance[], sources: SourceFiles, errors: InputError[]): TfModel {
  const byAddress = new Map<string, TfResource>();
  const placed = new Map<TfResource, Placed>();
  const refsOf = new Map<TfResource, Map<string, Set<string>>>();
  // Once per block (count / for_each instances share it), so a bad comment is reported once.
  const suppressions = new Map<string, InlineSuppression[]>();
  const suppressionsAt = (file: string, line: number): InlineSuppression[] => {
    const key = `${file}:${line}`;
    let found = suppressions.get(key);
    if (!found) {
      const parsedHere = sources.parsed(file);
      found = parsedHere ? suppressionsOf(parsedHere, line, errors, sources.readComments) : [];
      suppressions.set(key, found);
    }
    return found;
  };
  for (const instance of instances) {
    const resource: TfResource = {
      address: instance.address,
      type: instance.type,
      name: instance.name,
      ...(instance.index !== undefined ? { index: instance.index } : {}),
      moduleAddress: instance.moduleAddress,
      modulePath: instance.modulePath,
      localKey: `${instance.type}.${instance.name}`,
      values: modelValue(instance.values) as Record<string, unknown>,
    };
    byAddress.set(resource.address, resource);
    refsOf.set(resource, instance.refs);
    placed.set(resource, {
      provenance: { source: 'terraform', file: instance.file, line: instance.block.at.line, column: instance.block.at.column, logicalId: instance.address },
      suppressions: suppressionsAt(instance.file, instance.block.at.line),
      nested: instance.nested,
      written: instance.written,
    });
  }
  return {
    idPrefix: root,
    scope: 'the scanned configuration',
    resources: [...byAddress.values()],
    place: (resource) => placed.get(resource)!,
    references: (resource, attribute) =>
      [...(refsOf.get(resource)?.get(attribute) ?? [])].map((a) => byAddress.get(a)).filter((r): r is TfResource => r !== undefined && r !== resource),
    sets: (resource, attribute) => placed.get(resource)?.written?.has(attribute),
    locate: (value) => {
      if (typeof value !== 'object' || value === null) return undefined;
      const at = origins.get(value);
      return at?.file ? { file: at.file, line: at.line, column: at.column } : undefined;
    },
    standsFor: (hole) => {
      const exact = exactHoles.get(hole);
      const resource = exact && byAddress.get(exact.address);
      return resource ? { resource, attribute: exact.attribute } : undefined;
    },
  };
}
