// The fake's view of a scenario: accounts by id, the region catalogue, pagination, ARNs, issued
// credentials (AssumeRole keys encode the target account) and the request each handler receives.
import type { AccountScenario, RegionScenario, Scenario } from './scenario.js';
import { ApiError, type ServiceKey } from './protocol.js';

/** Commercial regions; `optIn` ones must be enabled per account. */
export const REGION_CATALOGUE: readonly { name: string; optIn: boolean }[] = [
  ...['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
    'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1',
    'sa-east-1'].map((name) => ({ name, optIn: false })),
  ...['af-south-1', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
    'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1',
    'mx-central-1'].map((name) => ({ name, optIn: true })),
];

export interface FakeRequest {
  service: ServiceKey;
  operation: string;
  /** Account the credentials belong to. */
  account: string;
  region: string;
  accessKeyId: string;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Query / EC2 protocols: the form body. */
  form: URLSearchParams;
  /** JSON protocols: the parsed body. */
  json: Record<string, unknown>;
  /** restJson: path labels, decoded. */
  labels: Record<string, string>;
}

const EMPTY_REGION: RegionScenario = {};

export class World {
  readonly accounts = new Map<string, AccountScenario>();
  readonly managementAccountId: string;
  /** Keys issued by AssumeRole → who they stand for. */
  readonly issued = new Map<string, { account: string; roleName: string; sessionName: string }>();
  /** Per account: the credential report IAM holds, and a generation in progress (polls left until it is ready). */
  readonly credentialReports = new Map<string, { generatedAt?: Date; pollsLeft?: number }>();

  constructor(
    readonly scenario: Scenario,
    readonly pageSize: number,
    /** Per operation, a page size that replaces `pageSize`. */
    readonly pageSizes: Readonly<Record<string, number>> = {},
  ) {
    for (const account of scenario.accounts) this.accounts.set(account.Id, account);
    this.managementAccountId = scenario.organization.MasterAccountId;
    if (!this.accounts.has(this.managementAccountId)) {
      throw new Error(`scenario: management account ${this.managementAccountId} is not in accounts`);
    }
  }

  /** The largest page `operation` returns. */
  pageSizeFor(operation: string): number {
    return this.pageSizes[operation] ?? this.pageSize;
  }

  /** The account a request's access key belongs to: AssumeRole keys name it; any other key is the caller's own. */
  accountOfKey(accessKeyId: string): string {
    const match = /^ASIA(\d{12})/.exec(accessKeyId);
    if (match && this.accounts.has(match[1])) return match[1];
    return this.managementAccountId;
  }

  /** Temporary credentials for `account`; the key id encodes the account so later calls are attributed to it. */
  issueKey(account: string, roleName: string, sessionName: string): { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } {
    const suffix = hash32(`${account}/${roleName}/${sessionName}`).toString(36).toUpperCase().padStart(4, '0').slice(-4);
    const AccessKeyId = `ASIA${account}${suffix}`;
    this.issued.set(AccessKeyId, { account, roleName, sessionName });
    return {
      AccessKeyId,
      SecretAccessKey: `fakesecret/${account}/${roleName}`,
      SessionToken: `fake-session-token-${account}-${roleName}`,
    };
  }

  account(id: string): AccountScenario {
    const account = this.accounts.get(id);
    if (!account) throw new ApiError('AccessDenied', `unknown account ${id}`, 403);
    return account;
  }

  isRegionEnabled(account: string, region: string): boolean {
    return this.account(account).enabledRegions.includes(region);
  }

  /** Every region name known: the catalogue plus any region a scenario mentions. */
  regionNames(): string[] {
    const names = new Set(REGION_CATALOGUE.map((r) => r.name));
    for (const account of this.accounts.values()) {
      for (const r of account.enabledRegions) names.add(r);
    }
    return [...names];
  }

  isOptInRegion(region: string): boolean {
    return REGION_CATALOGUE.find((r) => r.name === region)?.optIn ?? false;
  }

  region(account: string, region: string): RegionScenario {
    if (!this.isRegionEnabled(account, region)) return EMPTY_REGION;
    return this.account(account).regions?.[region] ?? EMPTY_REGION;
  }
}

export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * One page of `items`: at most the fake's page size (smaller when the client asks for fewer). Tokens
 * are opaque to clients; a token that was not issued here is rejected like AWS rejects it.
 */
export function paginate<T>(items: T[], token: unknown, requested: unknown, pageSize: number, tokenError: () => ApiError): Page<T> {
  let offset = 0;
  if (token !== undefined && token !== null && token !== '') {
    const decoded = /^fake-page:(\d+)$/.exec(Buffer.from(String(token), 'base64url').toString('utf8'));
    if (!decoded) throw tokenError();
    offset = Number(decoded[1]);
  }
  const asked = Number(requested);
  const size = Number.isFinite(asked) && asked > 0 ? Math.min(asked, pageSize) : pageSize;
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    next: end < items.length ? Buffer.from(`fake-page:${end}`, 'utf8').toString('base64url') : undefined,
  };
}

export function hash32(text: string): number {
  // FNV-1a: stable ids and deterministic throttling decisions.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3 finalizer: FNV alone leaves the high bits correlated for inputs that differ at the end.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable AWS-looking unique id (`AIDA…`, `AROA…`, `ANPA…`) from a name. */
export function fakeId(prefix: string, name: string): string {
  const a = hash32(name).toString(36).toUpperCase();
  const b = hash32(`${name}#`).toString(36).toUpperCase();
  return `${prefix}${(a + b).padEnd(17, 'X').slice(0, 17)}`;
}

/** ISO text → Date (serialized per protocol); undefined stays undefined. */
export function date(iso: string | undefined): Date | undefined {
  return iso === undefined ? undefined : new Date(iso);
}

export const DEFAULT_DATE = '2024-01-01T00:00:00Z';
