// The scanned templates as a set of stacks. Before any template is evaluated, one pass over the whole set
// decides which stack each template is (a CDK manifest's stack name, account and region), which templates
// are nested stacks of which (CDK's `aws:asset:path`, or a local TemplateURL) — a nested stack takes its
// parent's account and region and the parameter values its parent passes — and links them:
// `Fn::ImportValue` by export name, `Fn::GetStackOutput` by stack and output name, `Fn::GetAtt
// Nested.Outputs.X`. Another template's resource links cross over as links naming that template (they read
// as `${Id.Attr}` text and never resolve to a resource of the template holding them).
// A reference that points outside the set stays Unknown, with a notice at the place it is written.
// Pure: loaded templates in, evaluated templates out.
import path from 'node:path';
import { unknown } from '../../inventory/types.js';
import type { CdkStack } from './cdk-manifest.js';
import type { Notice } from './convert.js';
import type { Report, StackLinks, StackOutputRef } from './intrinsics.js';
import type { LoadedTemplate } from './parse.js';
import { type ParsedTemplate, type StackIdentity, TemplateEvaluator, nestedStacksOf } from './template.js';
import { materialize } from './values.js';

export interface StackMember {
  template: LoadedTemplate;
  /** The CDK manifest's entry for this template, when it sits in a cloud assembly. */
  cdk?: CdkStack;
}

export interface StackOutcome {
  file: string;
  identity: StackIdentity;
  parsed?: ParsedTemplate;
  /** Why the template could not be used (a SourceError for what makes it unreadable). */
  error?: unknown;
}

/** Two known values that differ tell different stacks apart; an unknown one tells nothing. */
function compatible(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface Parent {
  file: string;
  logicalId: string;
}

export function evaluateStacks(members: StackMember[]): StackOutcome[] {
  const key = (file: string) => path.posix.normalize(file);
  const byFile = new Map(members.map((m) => [key(m.template.file), m]));

  // Nested stacks: child file → the parent resources naming it; parent file → logical id → child file.
  const parents = new Map<string, Parent[]>();
  const children = new Map<string, Map<string, string>>();
  // Nested stacks whose template file was not scanned: their resources are checked nowhere, so say so.
  const unscanned = new Map<string, Notice[]>();
  for (const member of members) {
    const file = key(member.template.file);
    for (const nested of nestedStacksOf(member.template)) {
      const child = key(path.posix.join(path.posix.dirname(file), nested.path));
      if (child === file) continue;
      if (!byFile.has(child)) {
        const message = `nested stack ${nested.logicalId}: its template ${child} is not among the scanned files, so its resources are not checked (scan the folder it is in)`;
        unscanned.set(file, [...(unscanned.get(file) ?? []), { line: nested.line, column: nested.column, message }]);
        continue;
      }
      parents.set(child, [...(parents.get(child) ?? []), { file, logicalId: nested.logicalId }]);
      const mine = children.get(file) ?? new Map<string, string>();
      mine.set(nested.logicalId, child);
      children.set(file, mine);
    }
  }
  const onlyParent = (file: string): Parent | undefined => {
    const list = parents.get(file) ?? [];
    return list.length === 1 ? list[0] : undefined;
  };

  const identities = new Map<string, StackIdentity>();
  const identityOf = (file: string, seen = new Set<string>()): StackIdentity => {
    const known = identities.get(file);
    if (known) return known;
    const cdk = byFile.get(file)?.cdk;
    let identity: StackIdentity = {};
    if (cdk) {
      identity = { stackName: cdk.stackName, ...(cdk.account ? { account: cdk.account } : {}), ...(cdk.region ? { region: cdk.region } : {}) };
    } else {
      const parent = onlyParent(file);
      if (parent && !seen.has(parent.file)) {
        // A nested stack is deployed in its parent's account and region, under a name CloudFormation generates.
        const { account, region } = identityOf(parent.file, new Set([...seen, file]));
        identity = { ...(account ? { account } : {}), ...(region ? { region } : {}) };
      }
    }
    identities.set(file, identity);
    return identity;
  };

  const evaluators = new Map<string, TemplateEvaluator>();
  const evaluator = (file: string) => evaluators.get(file) as TemplateEvaluator;

  /** Another template's output as a value of this one; never lets that template's own failure escape. */
  const fromOther = (other: TemplateEvaluator, output: string): unknown => {
    try {
      const value = other.output(output);
      return value === undefined ? undefined : materialize(value, other.file);
    } catch {
      return unknown(`output ${output} of ${other.file} could not be read`);
    }
  };

  let exportIndex: Map<string, { file: string; output: string }[]> | undefined;
  let indexing = false;
  const exportsByName = (): Map<string, { file: string; output: string }[]> | undefined => {
    if (exportIndex) return exportIndex;
    if (indexing) return undefined;
    indexing = true;
    const index = new Map<string, { file: string; output: string }[]>();
    for (const [file, other] of evaluators) {
      let names: Map<string, string>;
      try {
        names = other.exportNames();
      } catch {
        continue;
      }
      for (const [name, output] of names) index.set(name, [...(index.get(name) ?? []), { file, output }]);
    }
    indexing = false;
    exportIndex = index;
    return index;
  };

  const linksFor = (file: string): StackLinks => {
    const me = () => identityOf(file);
    return {
      importValue(name: string, report: Report): unknown {
        const index = exportsByName();
        if (!index) return unknown(`imported from another stack (${name}), in an export name`);
        const found = (index.get(name) ?? []).filter(
          (e) => e.file !== file && compatible(identityOf(e.file).account, me().account) && compatible(identityOf(e.file).region, me().region),
        );
        if (found.length === 1) {
          return fromOther(evaluator(found[0].file), found[0].output) ?? unknown(`imported from another stack (${name})`);
        }
        if (found.length > 1) {
          report(`Fn::ImportValue ${name}: exported by more than one scanned template (${found.map((e) => e.file).join(', ')}); the value is Unknown`);
          return unknown(`imported from another stack (${name}), exported by more than one scanned template`);
        }
        report(`Fn::ImportValue ${name}: no scanned template exports it; the value is Unknown`);
        return unknown(`imported from another stack (${name})`);
      },

      stackOutput(ref: StackOutputRef, report: Report): unknown {
        const stackName = text(ref.stackName);
        const outputName = text(ref.outputName);
        if (stackName === undefined || outputName === undefined) {
          report('Fn::GetStackOutput: the stack or output name is known only at deployment; the value is Unknown');
          return unknown('read from another stack whose name is known only at deployment');
        }
        const shown = `${stackName}.${outputName}`;
        const region = ref.region === undefined ? me().region : text(ref.region);
        const account = text(ref.roleArn)?.match(/^arn:[^:]+:iam::(\d{12}):/)?.[1] ?? me().account;
        const found = [...evaluators.keys()].filter((other) => {
          const id = identityOf(other);
          return other !== file && id.stackName === stackName && compatible(id.region, region) && compatible(id.account, account);
        });
        if (found.length === 1) {
          const value = fromOther(evaluator(found[0]), outputName);
          if (value !== undefined) return value;
          report(`Fn::GetStackOutput ${shown}: stack ${stackName} (${found[0]}) has no output ${outputName}; the value is Unknown`);
          return unknown(`read from stack ${stackName}, which has no output ${outputName}`);
        }
        if (found.length > 1) {
          report(`Fn::GetStackOutput ${shown}: more than one scanned template is stack ${stackName} (${found.join(', ')}); the value is Unknown`);
          return unknown(`read from stack ${stackName}, which more than one scanned template could be`);
        }
        report(`Fn::GetStackOutput ${shown}: stack ${stackName} is not among the scanned templates; the value is Unknown`);
        return unknown(`read from stack ${stackName} (output ${outputName}), which is not among the scanned templates`);
      },

      nestedOutput(logicalId: string, output: string, report: Report): unknown {
        const child = children.get(file)?.get(logicalId);
        if (!child) return undefined;
        const value = fromOther(evaluator(child), output);
        if (value !== undefined) return value;
        report(`Fn::GetAtt ${logicalId}.Outputs.${output}: the nested stack's template (${child}) has no output ${output}; the value is Unknown`);
        return unknown(`output ${output} of nested stack ${logicalId}, which its template does not define`);
      },
    };
  };

  const passing = new Set<string>();
  const parentParameters = (file: string) => (): Record<string, unknown> | undefined => {
    const parent = onlyParent(file);
    if (!parent || passing.has(file)) return undefined;
    passing.add(file);
    try {
      const passed = evaluator(parent.file).nestedParameters(parent.logicalId);
      if (!passed) return undefined;
      const from = evaluator(parent.file).file;
      return Object.fromEntries(Object.entries(passed).map(([name, value]) => [name, materialize(value, from)]));
    } catch {
      return undefined;
    } finally {
      passing.delete(file);
    }
  };

  for (const member of members) {
    const file = key(member.template.file);
    if (evaluators.has(file)) continue;
    evaluators.set(file, new TemplateEvaluator(member.template, { identity: identityOf(file), links: linksFor(file), parentParameters: parentParameters(file) }));
  }

  return members.map((member) => {
    const file = key(member.template.file);
    const outcome: StackOutcome = { file: member.template.file, identity: identityOf(file) };
    try {
      const parsed = evaluator(file).read();
      parsed.notices.push(...(unscanned.get(file) ?? []));
      outcome.parsed = parsed;
    } catch (error) {
      outcome.error = error;
    }
    return outcome;
  });
}
