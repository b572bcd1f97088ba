// The report on paper, for an auditor: each check's rationale and remediation (console, CLI, CloudFormation,
// Terraform) are printed once, in the Checks section as an appendix, and each finding points to it instead of
// repeating them, so the findings stay one row each (with their evidence) and the page count follows the number of
// findings, not findings × remediation. The appendix holds the checks findings point to (the table of checks still
// lists every one). Evidence longer than PRINT_EVIDENCE_LINES is cut on paper with a note saying so: the JSON
// results and the evidence bundle hold all of it. On screen nothing changes.

/** Lines of a finding's evidence printed; beyond, the paper says where the rest is. */
export const PRINT_EVIDENCE_LINES = 60;

/** Printed before the Checks section's title. */
export const APPENDIX_TITLE = '<span class="print-only">Appendix — </span>';

/** A finding's pointer to its check in the appendix, shown in print only. */
export function appendixPointer(checkId: string): string {
  const id = String(checkId).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<p class="print-only appendix-ref">Rationale and remediation: <a href="#check-${id}">${id}</a> in the appendix (Checks that ran).</p>`;
}

/** A finding's evidence (already escaped HTML text), marked to be cut in print when it is long. */
export function evidenceBlock(escaped: string): string {
  const lines = escaped.split('\n').length;
  if (lines <= PRINT_EVIDENCE_LINES) return `<pre class="code evidence">${escaped}</pre>`;
  return `<pre class="code evidence print-cut">${escaped}</pre><p class="print-only evidence-cut">Evidence cut in print after ${PRINT_EVIDENCE_LINES} of ${lines} lines: the JSON results (and the evidence bundle) hold all of it.</p>`;
}

export const PRINT_STYLESHEET = `
.print-only { display: none; }
@media print {
  .print-only { display: inline; }
  p.print-only { display: block; margin: 6px 0 0; font-style: italic; }
  .inline-guidance { display: none !important; }
  #checks .check.no-findings { display: none; }
  tbody.finding dl.where { display: flex; flex-wrap: wrap; gap: 0 14px; font-size: 9.5pt; }
  tbody.finding dl.where div { display: flex; gap: 4px; }
  tbody.finding dl.where dt::after { content: ':'; }
  pre.code.evidence.print-cut { max-height: calc(${PRINT_EVIDENCE_LINES} * 1.45em); overflow: hidden; }
}
`;
