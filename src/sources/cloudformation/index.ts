// The CloudFormation source: templates' text (YAML, JSON, CDK cdk.out output) → normalized resources with
// positions, links between resources resolved, inline suppressions from `Metadata.sesguard`, and what could
// not be evaluated as notices. Templates are read as a set: every one is loaded first, then the set is
// evaluated together, so one stack's `Fn::ImportValue` / `Fn::GetStackOutput` finds another's output.
import type { InlineSuppression, Resource, ResourceType, InputError, SourceNotice, SourceResult, UnreadFragment } from '../../inventory/types.js';
import { type CdkStack, cdkStackFinder } from './cdk-manifest.js';
import { TemplateContext, type WrittenElsewhere } from './context.js';
import { IAM_RESOURCE_TYPES, adaptIam } from './iam.js';
import { MONITORING_RESOURCE_TYPES, adaptMonitoring } from './monitoring.js';
import { NETWORK_RESOURCE_TYPES, adaptNetwork, egressRulesForOtherTemplates } from './network.js';
import { type LoadedTemplate, type RawResource, isCloudFormationTemplate, loadTemplate } from './parse.js';
import { SES_RESOURCE_TYPES, adaptSes } from './ses.js';
import { evaluateStacks } from './stacks.js';
import type { ParsedTemplate, StackIdentity } from './template.js';
import { isObj, list } from './values.js';

export { isCloudFormationTemplate };
export type { LoadedTemplate };

/** Every CloudFormation resource type the source reads (the nothing-dropped conventions test covers each). */
export const CLOUDFORMATION_RESOURCE_TYPES: readonly string[] = [
  ...IAM_RESOURCE_TYPES,
  ...SES_RESOURCE_TYPES,
  ...MONITORING_RESOURCE_TYPES,
  ...NETWORK_RESOURCE_TYPES,
];

/** `Metadata: { sesguard: { suppress: [ { check, reason } ] } }`; one without a reason is an error. */
function suppressions(resource: RawResource, context: TemplateContext, errors: InputError[]): InlineSuppression[] {
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

function adaptAll(context: TemplateContext): Resource[] {
  return [...adaptIam(context), ...adaptSes(context), ...adaptMonitoring(context), ...adaptNetwork(context)];
}

/** The model types a loop's resources would produce, read the way the template's own resources are. */
function resourceTypesOf(file: string, parsed: ParsedTemplate, resources: RawResource[], identity: StackIdentity): ResourceType[] {
  const types = adaptAll(new TemplateContext(file, resources, parsed.locator, identity)).map((r) => r.type);
  return [...new Set(types)].sort();
}

function normalize(file: string, parsed: ParsedTemplate, identity: StackIdentity, elsewhere?: WrittenElsewhere): SourceResult {
  const context = new TemplateContext(file, parsed.resources, parsed.locator, identity, elsewhere);
  const errors: InputError[] = [];
  const resources = adaptAll(context);
  const emitted = new Set<string>();
  for (const resource of resources) {
    const raw = resource.provenance.logicalId ? context.byId.get(resource.provenance.logicalId) : undefined;
    if (!raw) continue;
    emitted.add(raw.logicalId);
    const found = suppressions(raw, context, errors);
    if (found.length > 0) resource.suppressions = found;
  }
  // Emitted per type; file order is what a reader of the results expects.
  resources.sort((a, b) => (a.provenance.line ?? 0) - (b.provenance.line ?? 0));
  const result: SourceResult = { resources, errors, files: [{ file, kind: 'cloudformation' }] };
  const notices: SourceNotice[] = parsed.notices.map((n) => ({ file, line: n.line, column: n.column, message: n.message }));
  // A suppression on a resource that is not judged on its own (CDK's generated `…DefaultPolicy`, folded
  // into its role) can never match a finding: say so, and where the findings are.
  for (const raw of parsed.resources) {
    if (emitted.has(raw.logicalId)) continue;
    for (const s of suppressions(raw, context, errors)) {
      const policy = raw.type === 'AWS::IAM::Policy' || raw.type === 'AWS::IAM::ManagedPolicy';
      const hint = policy ? ': its statements are judged on the roles, users and groups it attaches to; suppress there' : '';
      const message = `inline suppression of ${s.check} on ${raw.logicalId} (${raw.type}) matches no finding: sesguard does not judge this resource on its own${hint}`;
      notices.push({ file, line: s.line ?? raw.line, message });
    }
  }
  if (notices.length > 0) result.notices = notices;
  const fragments: UnreadFragment[] = parsed.unexpanded.map((loop) => ({
    file,
    line: loop.line,
    column: loop.column,
    name: loop.name,
    reason: loop.reason,
    resourceTypes: resourceTypesOf(file, parsed, loop.resources, identity),
  }));
  if (fragments.length > 0) result.fragments = fragments;
  return result;
}

/** Reads a template's text (phase one of a set). Null when it is not a template; throws SourceError when unreadable. */
export function loadCloudFormation(file: string, text: string): LoadedTemplate | null {
  return loadTemplate(file, text);
}

export interface TemplateInput {
  template: LoadedTemplate;
  /** Absolute path of the file: a CDK `manifest.json` beside it names its stack and environment. */
  path?: string;
}

export interface TemplateOutcome {
  file: string;
  result?: SourceResult;
  /** Why the template could not be used; a SourceError for input problems. */
  error?: unknown;
}

/** Evaluates loaded templates together (cross-stack references resolve inside the set), in input order. */
export function readCloudFormationSet(inputs: TemplateInput[], findCdkStack: (path: string) => CdkStack | undefined = cdkStackFinder()): TemplateOutcome[] {
  const members = inputs.map((input) => {
    const cdk = input.path ? findCdkStack(input.path) : undefined;
    return { template: input.template, ...(cdk ? { cdk } : {}) };
  });
  const outcomes = evaluateStacks(members);
  // What each template writes for another's resources, gathered before any template is normalized.
  const egressRules = new Map<string, Map<string, string[]>>();
  for (const outcome of outcomes) {
    if (!outcome.parsed) continue;
    const context = new TemplateContext(outcome.file, outcome.parsed.resources, outcome.parsed.locator, outcome.identity);
    for (const [file, groups] of egressRulesForOtherTemplates(context)) {
      const mine = egressRules.get(file) ?? new Map<string, string[]>();
      for (const [group, rules] of groups) mine.set(group, [...(mine.get(group) ?? []), ...rules]);
      egressRules.set(file, mine);
    }
  }
  return outcomes.map((outcome) => {
    if (!outcome.parsed) return { file: outcome.file, error: outcome.error };
    try {
      const elsewhere = { egressRules: egressRules.get(outcome.file) ?? new Map<string, string[]>() };
      return { file: outcome.file, result: normalize(outcome.file, outcome.parsed, outcome.identity, elsewhere) };
    } catch (error) {
      return { file: outcome.file, error };
    }
  });
}

/**
 * Reads one template on its own. `file` is the display path used in provenance and resource ids. Returns
 * null when the text is YAML/JSON but not a template; throws SourceError when it cannot be used.
 */
export function readCloudFormation(file: string, text: string): SourceResult | null {
  const template = loadTemplate(file, text);
  if (!template) return null;
  const [outcome] = readCloudFormationSet([{ template }], () => undefined);
  if (outcome.error !== undefined) throw outcome.error;
  return outcome.result as SourceResult;
}
