// Decides whether a failed pair is suppressed: config suppressions (with expiry) and inline ones
// (CloudFormation Metadata, Terraform comments). Pure: "today" is passed in.
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
  /** Set when a matching config suppression has expired: the finding stands, and the user is told. */
  expired?: ConfigSuppression;
}

export function decideSuppression(
  checkId: string,
  resource: Resource,
  suppressions: ConfigSuppression[],
  today: string,
): SuppressionDecision {
  const inline = resource.suppressions?.find((s) => s.check === checkId);
  if (inline) return { suppression: { source: 'inline', reason: inline.reason } };
  let expired: ConfigSuppression | undefined;
  for (const s of suppressions) {
    if (!matches(s.check, checkId)) continue;
    if (!identities(resource).some((name) => matches(s.resource, name))) continue;
    if (s.expires && s.expires < today) {
      expired ??= s;
      continue;
    }
    return { suppression: { source: 'config', reason: s.reason, ...(s.expires ? { expires: s.expires } : {}) } };
  }
  return { suppression: null, ...(expired ? { expired } : {}) };
}
