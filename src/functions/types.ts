// The shape of a CEL domain function as registered with the engine's CEL environment.
// Handlers receive plain JS values (maps as objects, lists as arrays; CEL ints arrive as bigint) and
// throw NotAssessedError (src/errors.ts) when the data they need is not known.

export interface CelFunction {
  /** cel-js signature, e.g. `sendGrants(dyn): list` — use `dyn` for inventory values. */
  signature: string;
  handler: (...args: any[]) => unknown;
  description: string;
}
