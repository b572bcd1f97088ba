// The per-service adapters over one Terraform model, in one place: whichever reader produced the model
// (plan JSON or .tf source), the same normalized resources come out.
import type { Resource, SourceNotice } from '../../inventory/types.js';
import { Context } from './context.js';
import { IAM_RESOURCE_TYPES, adaptIam } from './iam.js';
import type { TfModel } from './model.js';
import { MONITORING_RESOURCE_TYPES, adaptMonitoring } from './monitoring.js';
import { NETWORK_RESOURCE_TYPES, adaptNetwork } from './network.js';
import { SES_RESOURCE_TYPES, adaptSes } from './ses.js';

/** Every Terraform resource type the adapters read (the nothing-dropped test has a fixture for each). */
export const TERRAFORM_RESOURCE_TYPES: readonly string[] = [...IAM_RESOURCE_TYPES, ...SES_RESOURCE_TYPES, ...NETWORK_RESOURCE_TYPES, ...MONITORING_RESOURCE_TYPES];

/**
 * The normalized resources of a Terraform model, whichever reader produced it, and a notice for each inline
 * suppression written on a resource that reached none of them (never dropped silently).
 */
export function adaptTerraform(model: TfModel): { resources: Resource[]; notices: SourceNotice[] } {
  const ctx = new Context(model);
  const resources = [...adaptIam(ctx), ...adaptSes(ctx), ...adaptNetwork(ctx), ...adaptMonitoring(ctx)];
  return { resources, notices: ctx.undeliveredSuppressions() };
}
