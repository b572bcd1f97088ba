// Redaction of the command line recorded in an evidence bundle's manifest: an auditor needs to see how the
// run was made, never the secrets it was made with. Pure.

export const REDACTED = '[redacted]';

/**
 * Flags whose value is a secret whatever it looks like. `--external-id` is the shared secret of the
 * confused-deputy protection on the audit role; the rest are names a wrapper script might pass through.
 */
const SECRET_FLAG = /^--?(external-id|[a-z-]*(secret|password|passwd|passphrase|token|credentials?|private-key|access-key|api-key|session))$/i;

/** Values that are secrets wherever they appear (positionals, other flags' values, inside URLs). */
const SECRET_PATTERNS: { pattern: RegExp; replace: (match: string, ...groups: string[]) => string }[] = [
  // Access key ids: long-term (AKIA) and temporary (ASIA) credentials.
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: () => REDACTED },
  // `aws_secret_access_key=…`, `AWS_SESSION_TOKEN: …`, `secretAccessKey=…` and the like.
  {
    pattern: /\b(aws_secret_access_key|aws_secret|aws_session_token|secret_?access_?key|session_?token)(\s*[=:]\s*)("?)[^\s"',;&]+/gi,
    replace: (_match, key, sep, quote) => `${key}${sep}${quote}${REDACTED}`,
  },
  // Passwords in URLs: https://user:secret@host → https://user:[redacted]@host
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, replace: (_match, prefix) => `${prefix}:${REDACTED}@` },
];

/** A secret access key on its own: 40 characters of base64 with upper, lower case and digits (paths have a dot). */
function looksLikeSecretKey(value: string): boolean {
  return /^[A-Za-z0-9/+]{40}$/.test(value) && /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
}

function redactValue(value: string): string {
  if (looksLikeSecretKey(value)) return REDACTED;
  let out = value;
  for (const { pattern, replace } of SECRET_PATTERNS) out = out.replace(pattern, replace as (m: string, ...g: string[]) => string);
  return out;
}

/**
 * The argv with secret values replaced by `[redacted]`: values of secret flags (`--external-id X` and
 * `--external-id=X`), access key ids, `aws_secret…=` assignments, URL passwords and bare secret keys.
 */
export function redactCommand(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (SECRET_FLAG.test(flag)) {
      if (eq > 0) {
        out.push(`${flag}=${REDACTED}`);
      } else {
        out.push(arg);
        // The next word is the value unless it is another flag (a boolean use, or a missing value).
        if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
          out.push(REDACTED);
          i++;
        }
      }
      continue;
    }
    out.push(redactValue(arg));
  }
  return out;
}
