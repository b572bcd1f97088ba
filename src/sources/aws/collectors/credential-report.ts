// The IAM credential report: every user's access keys with their creation and last-use dates in one download,
// so SESG-IAM-005 costs the same few calls whatever the number of users. GetCredentialReport first; only when no
// fresh report exists (none yet, expired, or older than IAM's four-hour regeneration window)
// GenerateCredentialReport — the scan's one call that is not Get/List/Describe/Lookup: it asks IAM to build the
// report and changes no configuration — then GetCredentialReport again, politely spaced, within a bound.
import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { AccessKey } from '../../../inventory/types.js';
import { unknown } from '../../../inventory/types.js';
import type { AccountScope } from '../types.js';
import { attempt, errorName, failedReason, iso } from './util.js';

/** IAM builds a new report at most every four hours: a younger one is what a new generation would give. */
export const REPORT_FRESH_MS = 4 * 3_600_000;
/** Waits before each poll once a generation has started: about a minute in all, then the keys are not assessed. */
export const REPORT_POLL_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

const SERVICE = 'iam';
const GET = 'iam:GetCredentialReport';
const GENERATE = 'iam:GenerateCredentialReport';

export interface CredentialReport {
  /** ISO time IAM generated the report. */
  generatedAt: string;
  /** User ARN → its access keys, or why its row could not be read. */
  users: Map<string, AccessKey[] | { unreadable: string }>;
}

export type ReportResult = { ok: true; report: CredentialReport } | { ok: false; reason: string };

/** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const KEY_COLUMNS = ['active', 'last_rotated', 'last_used_date', 'last_used_service'] as const;
const REQUIRED = ['arn', ...[1, 2].flatMap((n) => KEY_COLUMNS.map((c) => `access_key_${n}_${c}`))];

/** A date cell: ISO 8601, or `N/A` / `no_information` / `not_supported` for none. */
function dateCell(value: string): string | undefined {
  return /^(N\/A|no_information|not_supported|)$/.test(value) ? undefined : iso(value);
}

/**
 * The keys of one row. A slot that is not active and has no date holds no key (the report does not tell an
 * inactive key without a date from no key, and only active keys are assessed). An active key without a creation
 * date gets an Unknown one, so its age is not assessed rather than guessed.
 */
function rowKeys(cell: (name: string) => string, userName: string): AccessKey[] {
  const keys: AccessKey[] = [];
  for (const n of [1, 2]) {
    const slot = `access_key_${n}`;
    const active = cell(`${slot}_active`).toLowerCase() === 'true';
    const rotated = cell(`${slot}_last_rotated`);
    const createdAt = dateCell(rotated);
    if (!active && createdAt === undefined) continue;
    const key: AccessKey = {
      id: slot,
      status: active ? 'Active' : 'Inactive',
      createdAt: createdAt ?? (unknown(`${GET}: no creation date for ${slot} of ${userName} (${JSON.stringify(rotated)})`) as unknown as string),
    };
    const lastUsedAt = dateCell(cell(`${slot}_last_used_date`));
    if (lastUsedAt) key.lastUsedAt = lastUsedAt;
    const service = cell(`${slot}_last_used_service`);
    if (lastUsedAt && service && service !== 'N/A') key.lastUsedService = service;
    keys.push(key);
  }
  return keys;
}

/** The report's CSV → keys per user ARN. The root account's row is not a user and is left out. */
export function parseCredentialReport(csv: string, generatedAt: string): ReportResult {
  const [header, ...rows] = parseCsv(csv.replace(/^\uFEFF/, '')).filter((r) => r.length > 1 || r[0] !== '');
  const columns = new Map((header ?? []).map((name, i) => [name.trim(), i]));
  const missing = REQUIRED.filter((c) => !columns.has(c));
  if (missing.length) return { ok: false, reason: `${GET} returned a report without the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  const users = new Map<string, AccessKey[] | { unreadable: string }>();
  rows.forEach((row, i) => {
    const arn = row[columns.get('arn') as number] ?? '';
    if (/:root$/.test(arn)) return;
    if (row.length !== columns.size) {
      users.set(arn, { unreadable: `row ${i + 2} of the credential report has ${row.length} fields, not ${columns.size}` });
      return;
    }
    const name = row[columns.get('user') ?? 0];
    users.set(arn, rowKeys((c) => row[columns.get(c) as number], name));
  });
  return { ok: true, report: { generatedAt, users } };
}

function isFresh(generatedAt: string | undefined, now: string): boolean {
  return generatedAt !== undefined && Date.parse(now) - Date.parse(generatedAt) < REPORT_FRESH_MS;
}

/** No report to get (none, or expired): generate one. `ReportInProgress`: one is being generated. */
function reportState(error: unknown): 'absent' | 'in-progress' | 'failed' {
  const name = errorName(error);
  if (/^(CredentialReportNotPresentException|CredentialReportExpiredException|ReportNotPresent|ReportExpired)$/.test(name)) return 'absent';
  if (/^(CredentialReportNotReadyException|ReportInProgress)$/.test(name)) return 'in-progress';
  return 'failed';
}

function decode(out: { Content?: Uint8Array; GeneratedTime?: Date }): ReportResult {
  const generatedAt = iso(out.GeneratedTime);
  if (!out.Content || !generatedAt) return { ok: false, reason: `${GET} returned no report content or no generation time` };
  return parseCredentialReport(Buffer.from(out.Content).toString('utf8'), generatedAt);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The account's credential report: fetched, generated when none is fresh, polled within `pollMs`. */
export async function fetchCredentialReport(scope: AccountScope, client: IAMClient, pollMs: readonly number[] = REPORT_POLL_MS): Promise<ReportResult> {
  const get = () => attempt(scope, SERVICE, GET, () => client.send(new GetCredentialReportCommand({})));
  const first = await get();
  if (first.ok && isFresh(iso(first.value.GeneratedTime), scope.now)) return decode(first.value);
  if (!first.ok && reportState(first.error) === 'failed') return { ok: false, reason: first.reason };

  const generated = await attempt(scope, SERVICE, GENERATE, () => client.send(new GenerateCredentialReportCommand({})));
  if (!generated.ok) return { ok: false, reason: generated.reason };
  let ready = generated.value.State === 'COMPLETE';
  for (const wait of pollMs) {
    if (!ready) await sleep(wait);
    ready = false;
    const got = await get();
    if (got.ok) return decode(got.value);
    if (reportState(got.error) === 'failed') return { ok: false, reason: got.reason };
  }
  const waited = Math.round(pollMs.reduce((a, b) => a + b, 0) / 1000);
  return { ok: false, reason: failedReason(GET, { name: 'ReportInProgress', message: `the credential report was still not ready ${waited} s after ${GENERATE}` }) };
}
