// The runner's file protocols: step outputs in `$GITHUB_OUTPUT` (heredoc syntax with a random delimiter, so a
// value holding newlines cannot forge another output), the job summary in `$GITHUB_STEP_SUMMARY` (bounded
// below GitHub's 1 MiB), and workflow-command escaping for the few annotations the action prints itself.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

/** GitHub refuses a step summary over 1 MiB (1,048,576 bytes) per step. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/** `name<<ghadelimiter_…\nvalue\nghadelimiter_…\n`, as @actions/core writes it. */
export function formatOutput(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`bad output name ${JSON.stringify(name)}`);
  if (value.includes(delimiter)) throw new Error(`output ${name}: the value contains the delimiter`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/** Appends outputs to the `$GITHUB_OUTPUT` file; without one (a local run), prints them instead. */
export function writeOutputs(outputs: Record<string, string>, file: string | undefined, print: (text: string) => void): void {
  const text = Object.entries(outputs)
    .map(([name, value]) => formatOutput(name, value))
    .join('');
  if (file) appendFileSync(file, text);
  else for (const [name, value] of Object.entries(outputs)) print(`${name}=${JSON.stringify(value)}\n`);
}

/** Cuts `text` to at most `limit` UTF-8 bytes without splitting a character, saying so at the end. */
export function boundSummary(text: string, limit = STEP_SUMMARY_LIMIT): string {
  if (Buffer.byteLength(text) <= limit) return text;
  const note = '\n\n_Summary cut at the 1 MiB GitHub allows; the full report is in the JSON, SARIF and HTML outputs._\n';
  const room = limit - Buffer.byteLength(note);
  let cut = Buffer.from(text).subarray(0, room).toString('utf8');
  // A multi-byte character cut in half decodes as U+FFFD: drop it.
  cut = cut.replace(/\uFFFD$/, '');
  return `${cut}${note}`;
}

/** Escapes a message for `::error::` and friends: `%`, CR and LF would otherwise end or forge the command. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property value (`title=…`): also `:` and `,`. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotation(level: 'error' | 'warning' | 'notice', title: string, message: string): string {
  return `::${level} title=${escapeCommandProperty(title)}::${escapeCommandData(message)}\n`;
}
