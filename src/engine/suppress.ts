// Decides whether a failed pair is suppressed: config suppressions (with expiry) and inline ones
// (CloudFormation Metadata, Terraform comments), and says which suppressions matched no finding (a notice,
// like an expired one: a suppression placed on the wrong resource must not look like it works). Pure:
// "today" is passed in.
import type { ConfigSuppression } from '../config/types.js';
import type { Resource } from '../inventory/types.js';
import type { Suppression } from './types.js';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

const cache = new Map<string, RegExp>();
function matches(glob: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  let re = cache.get(glob);
  if (!re) {
    re = globToRegExp(glob);
    cache.set(glob, re);
  }
  return re.test(value);
}

/** The names a config suppression's `resource` may match: ARN, id, logical id/address, name. */
function identities(resource: Resource): string[] {
  const p = resource.provenance;
  return [p.arn, resource.id, p.logicalId, p.cdkPath, resource.name].filter((v): v is string => Boolean(v));
}

export interface SuppressionDecision {
  suppression: Suppression | null;
  /** The config suppression that applied, when one did. */
  config?: ConfigSuppression;
  /** Set when a matching config suppression has expired: the finding stands, and the user is told. */
  expired?: ConfigSuppression;
}

export function decideSuppression(
  checkId: string,
  resource: Resource,
  suppressions: ConfigSuppression[],
  today: string,
): SuppressionDecision {
  // The resource's own suppressions come first; one folded in from another resource says where it is written.
  const inline = resource.suppressions?.find((s) => s.check === checkId);
  if (inline) {
    const reason = inline.foldedFrom ? `${inline.reason} (written on ${inline.foldedFrom.logicalId})` : inline.reason;
    return { suppression: { source: 'inline', reason } };
  }
  let expired: ConfigSuppression | undefined;
  for (const s of suppressions) {
    if (!matches(s.check, checkId)) continue;
    if (!identities(resource).some((name) => matches(s.resource, name))) continue;
    if (s.expires && s.expires < today) {
      expired ??= s;
      continue;
    }
    return { suppression: { source: 'config', reason: s.reason, ...(s.expires ? { expires: s.expires } : {}) }, config: s };
  }
  return { suppression: null, ...(expired ? { expired } : {}) };
}

/** Which suppressions met a finding during one run; `unmatchedNotices` then names the others. */
export class SuppressionUse {
  private readonly config = new Set<ConfigSuppression>();
  private readonly inline = new Set<string>();

  /** Records what a decision used: the applied suppression, or the expired one (already reported as such). */
  record(checkId: string, resource: Resource, decision: SuppressionDecision): void {
    if (decision.suppression?.source === 'inline') this.inline.add(`${resource.id}\u0000${checkId}`);
    if (decision.config) this.config.add(decision.config);
    if (decision.expired) this.config.add(decision.expired);
  }

  usedInline(resource: Resource, checkId: string): boolean {
    return this.inline.has(`${resource.id}\u0000${checkId}`);
  }

  usedConfig(s: ConfigSuppression): boolean {
    return this.config.has(s);
  }
}

/** Start of the notice of a config suppression that matched nothing (`merge` keeps it only if every part has it). */
export const UNMATCHED_CONFIG = 'suppression of ';
const UNMATCHED_CONFIG_END = ' matches no finding in this run';

export function isUnmatchedConfigNotice(notice: string): boolean {
  return notice.startsWith(UNMATCHED_CONFIG) && notice.includes(UNMATCHED_CONFIG_END);
}

export interface UnmatchedOptions {
  /** Config suppressions of the run. */
  config: ConfigSuppression[];
  /** Ids of the checks (or detections) this run evaluated. */
  checksRun: readonly string[];
  /** What the run reads: an IaC run cannot meet a live ARN, a live run cannot meet a `file#LogicalId`. */
  scope: 'iac' | 'live';
}

/**
 * Config suppressions that suppressed nothing in this run. Those naming only checks this run does not
 * evaluate, or resources of the other kind of run (an ARN in an IaC run, `file#LogicalId` in a live one),
 * are meant for other runs sharing the config, and are left out.
 */
export function unmatchedConfigNotices(use: SuppressionUse, options: UnmatchedOptions): string[] {
  const out: string[] = [];
  for (const s of options.config) {
    if (use.usedConfig(s)) continue;
    if (!options.checksRun.some((id) => matches(s.check, id))) continue;
    if (options.scope === 'iac' ? /^arn:/i.test(s.resource) : s.resource.includes('#')) continue;
    const expiry = s.expires ? `; expiry ${s.expires}` : '';
    out.push(`${UNMATCHED_CONFIG}${s.check} for ${s.resource}${UNMATCHED_CONFIG_END}: no failed ${s.check} pair has a resource matching it (reason was: ${s.reason}${expiry})`);
  }
  return out;
}
