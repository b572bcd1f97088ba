// The CloudFormation source: a template's text (YAML, JSON, CDK cdk.out output) → normalized resources
// with positions, links between resources resolved, and inline suppressions from `Metadata.sesguard`.
import type { InlineSuppression, Resource, SourceError, SourceResult } from '../../inventory/types.js';
import { TemplateContext } from './context.js';
import { IAM_RESOURCE_TYPES, normalizeIam } from './iam.js';
import { MONITORING_RESOURCE_TYPES, normalizeMonitoring } from './monitoring.js';
import { NETWORK_RESOURCE_TYPES, normalizeNetwork } from './network.js';
import { type RawResource, isCloudFormationTemplate, parseTemplate } from './parse.js';
import { SES_RESOURCE_TYPES, normalizeSes } from './ses.js';
import { isObj, list } from './values.js';

export { isCloudFormationTemplate };

/** Every CloudFormation resource type the source reads (the nothing-dropped conventions test covers each). */
export const CLOUDFORMATION_RESOURCE_TYPES: readonly string[] = [
  ...IAM_RESOURCE_TYPES,
  ...SES_RESOURCE_TYPES,
  ...MONITORING_RESOURCE_TYPES,
  ...NETWORK_RESOURCE_TYPES,
];

/** `Metadata: { sesguard: { suppress: [ { check, reason } ] } }`; one without a reason is an error. */
function suppressions(resource: RawResource, context: TemplateContext, errors: SourceError[]): InlineSuppression[] {
  const sesguard = isObj(resource.metadata) ? resource.metadata.sesguard : undefined;
  if (!isObj(sesguard)) return [];
  const entries = list(sesguard.suppress);
  const out: InlineSuppression[] = [];
  const fail = (entry: unknown, message: string) => {
    const at = context.at(entry, resource);
    errors.push({ file: context.file, line: at.line, column: at.column, message: `${resource.logicalId}: ${message}` });
  };
  if (!Array.isArray(entries)) {
    fail(sesguard, 'Metadata.sesguard.suppress is not a list');
    return out;
  }
  for (const entry of entries) {
    const check = isObj(entry) ? entry.check : undefined;
    const reason = isObj(entry) ? entry.reason : undefined;
    if (typeof check !== 'string' || check.trim() === '') {
      fail(entry, 'an inline suppression has no check id');
    } else if (typeof reason !== 'string' || reason.trim() === '') {
      fail(entry, `the inline suppression of ${check} has no reason`);
    } else {
      out.push({ check, reason, line: context.at(entry, resource).line });
    }
  }
  return out;
}

/**
 * Reads one template. `file` is the display path used in provenance and resource ids. Returns null when
 * the text is YAML/JSON but not a template; throws SourceError when it cannot be used.
 */
export function readCloudFormation(file: string, text: string): SourceResult | null {
  const parsed = parseTemplate(file, text);
  if (!parsed) return null;
  const context = new TemplateContext(file, parsed.resources, parsed.locator);
  const errors: SourceError[] = parsed.problems.map((p) => ({ file, line: p.line, column: p.column, message: p.message }));
  const resources: Resource[] = [
    ...normalizeIam(context),
    ...normalizeSes(context),
    ...normalizeMonitoring(context),
    ...normalizeNetwork(context),
  ];
  for (const resource of resources) {
    const raw = resource.provenance.logicalId ? context.byId.get(resource.provenance.logicalId) : undefined;
    if (!raw) continue;
    const found = suppressions(raw, context, errors);
    if (found.length > 0) resource.suppressions = found;
  }
  // Emitted per type; file order is what a reader of the results expects.
  resources.sort((a, b) => (a.provenance.line ?? 0) - (b.provenance.line ?? 0));
  return { resources, errors, files: [{ file, kind: 'cloudformation' }] };
}
