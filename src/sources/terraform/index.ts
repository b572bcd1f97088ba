// The Terraform plan source: `terraform show -json` output → normalized resources. Positions and
// `# sesguard:ignore` suppressions come from the `.tf` files beside the plan (and local child modules)
// when the caller lets us read them; otherwise resources point at their address in the plan text.
import type { Provenance, InputError, SourceNotice, SourceResult } from '../../inventory/types.js';

export { TERRAFORM_RESOURCE_TYPES } from './adapt.js';
import { adaptTerraform } from './adapt.js';
import { STRAY_SUPPRESSION, planAddressLines, scanTfFile, type TfBlock } from './block-positions.js';
import type { Placed, TfModel } from './model.js';
import { References, configKey, joinPath, moduleDirs, parsePlan, type ParsedPlan } from './plan.js';
import { isObject } from './values.js';

export interface TerraformReadOptions {
  /** Reads a file by path relative to the plan's directory; undefined when it cannot be read. */
  readTextFile?: (path: string) => string | undefined;
  /** Lists a directory by path relative to the plan's directory; [] when it cannot be listed. */
  listDir?: (dir: string) => string[];
}


/** Recognition by content: a `format_version` and one of the plan's top-level sections. */
export function isTerraformPlan(value: unknown): boolean {
  return (
    isObject(value) &&
    'format_version' in value &&
    ('planned_values' in value || 'resource_changes' in value || 'terraform_version' in value)
  );
}

function dirname(file: string): string {
  const at = file.lastIndexOf('/');
  return at < 0 ? '.' : at === 0 ? '/' : file.slice(0, at);
}

/** Resource blocks of the `.tf` files of every local module directory, by configuration key. */
function scanSources(file: string, parsed: ParsedPlan, options: TerraformReadOptions, errors: InputError[], notices: SourceNotice[]): Map<string, TfBlock> {
  const blocks = new Map<string, TfBlock>();
  const { readTextFile, listDir } = options;
  if (!readTextFile || !listDir) return blocks;
  const planDir = dirname(file);
  const scanned = new Map<string, Map<string, TfBlock>>();
  for (const [modulePath, dir] of moduleDirs(parsed.modules)) {
    let inDir = scanned.get(dir);
    if (!inDir) {
      inDir = new Map();
      scanned.set(dir, inDir);
      const names = listDir(dir)
        .filter((n) => n.endsWith('.tf'))
        .sort();
      for (const name of names) {
        const relative = joinPath(dir, name);
        const text = readTextFile(relative);
        if (text === undefined) continue;
        const shown = planDir === '.' ? relative : joinPath(planDir, relative);
        const strays: number[] = [];
        for (const [key, block] of scanTfFile(shown, text, errors, strays)) if (!inDir.has(key)) inDir.set(key, block);
        for (const line of strays) notices.push({ file: shown, line, message: STRAY_SUPPRESSION });
      }
    }
    for (const [key, block] of inDir) blocks.set(configKey(modulePath, key), block);
  }
  return blocks;
}

/**
 * Reads one plan. `file` is the display path (relative, `/`-separated): it is used in provenance and
 * resource ids (`${file}#${address}`). Throws SourceError for an unsupported format version or a plan
 * whose structure is broken; a suppression comment without a reason becomes an entry in `errors`.
 */
export function readTerraformPlan(file: string, text: string, plan: unknown, options: TerraformReadOptions = {}): SourceResult {
  const parsed = parsePlan(file, text, plan);
  const errors: InputError[] = [];
  const notices: SourceNotice[] = [];
  const blocks = scanSources(file, parsed, options, errors, notices);
  let planLines: Map<string, number> | undefined;

  const placed = new Map<string, Placed>();
  for (const resource of parsed.resources) {
    const block = blocks.get(configKey(resource.modulePath, resource.localKey));
    const provenance: Provenance = { source: 'terraform', file, logicalId: resource.address };
    if (block) {
      provenance.file = block.file;
      provenance.line = block.line;
      provenance.column = block.column;
    } else {
      // Computed once, only when some resource has no `.tf` block to point at.
      planLines ??= planAddressLines(text);
      provenance.line = planLines.get(resource.address) ?? 1;
    }
    if (parsed.account) provenance.account = parsed.account;
    placed.set(resource.address, {
      provenance,
      suppressions: block?.suppressions ?? [],
      nested: block?.nested ?? new Map(),
      ...(block ? { written: block.written } : {}),
    });
  }

  const refs = new References(parsed.modules, parsed.resources);
  const model: TfModel = {
    idPrefix: file,
    scope: 'the plan',
    resources: parsed.resources,
    place: (resource) => {
      const found = placed.get(resource.address);
      if (!found) throw new Error(`no position for ${resource.address}`);
      return found;
    },
    references: (resource, attribute) => refs.of(resource, attribute),
    sets: (resource, attribute) => refs.sets(resource, attribute),
  };
  const adapted = adaptTerraform(model);
  notices.push(...adapted.notices);
  return { resources: adapted.resources, errors, files: [{ file, kind: 'terraform-plan' }], ...(notices.length > 0 ? { notices } : {}) };
}


