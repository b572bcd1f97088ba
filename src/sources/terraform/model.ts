// The Terraform model: what both Terraform readers produce and every adapter reads. The plan reader
// (`terraform show -json`) and the source reader (.tf files, evaluated statically) each give resource
// instances with addresses, attribute values (Unknown where Terraform would only know them after apply),
// the resources each attribute refers to, and positions — so a service is adapted once for both inputs.
import type { InlineSuppression, Located, Provenance, Unknown } from '../../inventory/types.js';
import type { Values } from './values.js';

export interface TfResource {
  /** Full instance address: `module.mail.aws_iam_policy.send`, `aws_security_group.relay[0]`. */
  address: string;
  type: string;
  name: string;
  index?: string | number;
  /** Module instance address (`module.a[0].module.b`), '' for the root module. */
  moduleAddress: string;
  /** The same without instance keys (`module.a.module.b`): the configuration's module path. */
  modulePath: string;
  /** `TYPE.NAME` within its module. */
  localKey: string;
  /** Attribute values; nested blocks as lists of objects, as plans print them. */
  values: Values;
}

/** Where a resource is written, and what its block says about itself. */
export interface Placed {
  provenance: Provenance;
  suppressions: InlineSuppression[];
  /** Start lines of nested blocks, by block name, one per block instance (empty when unknown). */
  nested: Map<string, number[]>;
  /** What the `.tf` block writes (attributes, blocks), or undefined when there is no `.tf` source. */
  written?: Set<string>;
}

export interface TfModel {
  /** What resource ids start with: the plan file, or the root module's directory. */
  idPrefix: string;
  /** What the input is called in reasons: "the plan", "the configuration". */
  scope: string;
  resources: TfResource[];
  place(resource: TfResource): Placed;
  /** The resource instances an attribute's expression refers to (through variables, locals, module outputs). */
  references(resource: TfResource, attribute: string): TfResource[];
  /** Whether the configuration sets an attribute; undefined when the reader cannot tell. */
  sets(resource: TfResource, attribute: string): boolean | undefined;
  /** Where a value (a policy statement object) is written, when the reader knows it. */
  locate?(value: unknown): (Located & { file: string }) | undefined;
  /**
   * The resource attribute a hole of a partly known string is exactly, when the reader knows it: the source reader
   * for `${aws_cloudwatch_metric_alarm.bounce.arn}` written as it is in a template (a plan prints no such text).
   */
  standsFor?(hole: Unknown): { resource: TfResource; attribute: string } | undefined;
}
