// The few named error types. The CLI turns each into one line on stderr and exit code 2;
// anything else is a bug and is reported as such (still without a stack trace unless SESGUARD_DEBUG=1).

/** A usage or configuration problem (bad flag, config file that fails its schema, …). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A check file (built-in or from `policyDirs`) that fails its schema or whose CEL does not compile. */
export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/**
 * An input that cannot be read or parsed. `line`/`column` where known. Sources throw it; a run records it in
 * the results as an InputError (src/inventory/types.ts) and goes on with the other inputs.
 */
export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/**
 * Thrown by a domain function when the data it needs is not known (an Unknown marker, a document
 * defined elsewhere). The engine records the (check, resource) pair as not assessed with this reason.
 */
export class NotAssessedError extends Error {
  override name = 'NotAssessedError';
}
