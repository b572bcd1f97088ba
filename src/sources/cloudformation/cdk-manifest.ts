// The CDK cloud assembly manifest (`cdk.out/manifest.json`, and `assembly-<Stage>/manifest.json` for
// stages): which template is which stack, and the stack's environment. `aws://111122223333/eu-west-1`
// makes the account and region known; `unknown-account` / `unknown-region` (environment-agnostic stacks)
// leave them unknown.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface CdkStack {
  artifactId: string;
  /** The deployed stack name: `properties.stackName`, or the artifact id when absent. */
  stackName: string;
  account?: string;
  region?: string;
  /** Relative to the manifest's directory. */
  templateFile: string;
}

/** A manifest far larger than any real one is not read (it is side information, never required). */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `aws://ACCOUNT/REGION` → the parts that are known. */
export function parseEnvironment(environment: unknown): { account?: string; region?: string } {
  const match = typeof environment === 'string' ? /^aws:\/\/([^/]+)\/([^/]+)$/.exec(environment) : null;
  if (!match) return {};
  const [, account, region] = match;
  return {
    ...(/^\d{12}$/.test(account) ? { account } : {}),
    ...(region !== 'unknown-region' && /^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(region) ? { region } : {}),
  };
}

/** The CloudFormation stacks a parsed manifest describes. */
export function cdkStacks(manifest: unknown): CdkStack[] {
  const artifacts = record(record(manifest)?.artifacts);
  if (!artifacts) return [];
  const out: CdkStack[] = [];
  for (const [artifactId, raw] of Object.entries(artifacts)) {
    const artifact = record(raw);
    if (artifact?.type !== 'aws:cloudformation:stack') continue;
    const properties = record(artifact.properties);
    const templateFile = properties?.templateFile;
    if (typeof templateFile !== 'string') continue;
    const stackName = typeof properties?.stackName === 'string' ? properties.stackName : artifactId;
    out.push({ artifactId, stackName, templateFile, ...parseEnvironment(artifact.environment) });
  }
  return out;
}

/** The stacks of the manifest in `dir`, if there is a readable one; [] otherwise. */
export function readCdkManifest(dir: string): CdkStack[] {
  const file = path.join(dir, 'manifest.json');
  try {
    if (statSync(file).size > MAX_MANIFEST_BYTES) return [];
    return cdkStacks(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return [];
  }
}

/** The manifest stack whose template is `templatePath` (absolute), reading each directory's manifest once. */
export function cdkStackFinder(): (templatePath: string) => CdkStack | undefined {
  const byDir = new Map<string, CdkStack[]>();
  return (templatePath) => {
    const dir = path.dirname(templatePath);
    let stacks = byDir.get(dir);
    if (!stacks) {
      stacks = readCdkManifest(dir);
      byDir.set(dir, stacks);
    }
    return stacks.find((stack) => path.resolve(dir, stack.templateFile) === path.resolve(templatePath));
  };
}
