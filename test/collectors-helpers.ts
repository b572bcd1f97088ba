// Test helpers for the live-scan collectors: an AccountScope wired to the fake AWS (real SDK clients, endpoint
// override, static credentials that the fake attributes to the account), recording every limited call.
import { readFileSync } from 'node:fs';
import { ClientCache } from '../src/sources/aws/clients.js';
import { Limits, Semaphore } from '../src/sources/aws/limiter.js';
import type { AccountScope } from '../src/sources/aws/types.js';
import type { FakeAws, Scenario } from '../src/testing/fake-aws/index.js';
import { isUnknown, type Resource } from '../src/inventory/types.js';

export const MGMT = '111111111111';
export const SEC = '222222222222';
export const MAIL = '333333333333';
export const DEV = '444444444444';

export function plantedScenario(): Scenario {
  return JSON.parse(readFileSync(new URL('../fixtures/scenarios/org-planted.json', import.meta.url), 'utf8')) as Scenario;
}

export interface TestScope extends AccountScope {
  /** `service` and start time of every call made through `limit`. */
  limited: { service: string; at: number }[];
  destroy(): void;
}

/** The management account signs with a plain key; members with `ASIA<account>…` keys, as after AssumeRole. */
export function scopeFor(fake: FakeAws, account: string, maxAttempts = 6): TestScope {
  const credentials =
    account === MGMT
      ? { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'caller-secret' }
      : { accessKeyId: `ASIA${account}TEST`, secretAccessKey: 'member-secret', sessionToken: 'token' };
  const cache = new ClientCache({ endpoint: fake.endpoint, credentials: async () => credentials, maxAttempts, requestTimeoutMs: 10_000 });
  const limits = new Limits(new Semaphore(16), 4);
  const limited: { service: string; at: number }[] = [];
  return {
    accountId: account,
    partition: 'aws',
    now: '2026-12-01T00:00:00Z',
    client: (ctor, region) => cache.get(ctor, region),
    limit: (service, fn) =>
      limits.run(`${account}:${service}`, service, () => {
        limited.push({ service, at: Date.now() });
        return fn();
      }),
    limited,
    destroy: () => cache.destroy(),
  };
}

/** `name path: reason` for every Unknown marker in the resources' props, in order. */
export function unknownPaths(resources: readonly Resource[]): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: string, name: string) => {
    if (isUnknown(value)) {
      out.push(`${name} ${path}: ${value.$unknown}`);
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, name));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, name);
  };
  for (const r of resources) walk(r.props, '', `${r.type} ${r.name}`);
  return out;
}

export function byName<T extends Resource>(resources: readonly Resource[], type: T['type'], name: string): T {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name} in ${resources.map((r) => `${r.type}:${r.name}`).join(', ')}`);
  return found as T;
}
