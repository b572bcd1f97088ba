// A detection as the reporters list it (Results.checks, SARIF rules): same shape as a check's summary.
import { TOOL } from '../engine/results.js';
import type { Severity, SourceCode } from '../engine/types.js';
import type { CheckSummary } from '../results.js';
import type { DetectionDefinition } from './types.js';

/** Where a detection is explained: the runbook's table of what each finding means. */
export function detectionHelpUri(): string {
  return `${TOOL.informationUri}/blob/main/docs/runbook.md#4-what-each-finding-means-and-what-to-do-next`;
}

export function detectionSummary(definition: DetectionDefinition, severity: Severity = definition.severity): CheckSummary {
  return {
    id: definition.id,
    title: definition.title,
    severity,
    sources: definition.sources as SourceCode[],
    rationale: definition.rationale,
    remediation: definition.remediation,
    references: definition.references,
    helpUri: detectionHelpUri(),
  };
}
