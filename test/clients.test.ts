// The scan's shared SDK clients (src/sources/aws/clients.ts): one client per (service, region) serves every
// account, so each call must be signed with its own account's credentials and retried on its own account's
// retry state — under concurrency too — and a call that could be signed for another account is refused.
import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanClients } from '../src/sources/aws/clients.js';
import { Semaphore } from '../src/sources/aws/limiter.js';
import type { ClientConstructor } from '../src/sources/aws/types.js';
import { generateScenario, startFakeAws, type FakeAws } from '../src/testing/fake-aws/index.js';

const SESV2 = SESv2Client as unknown as ClientConstructor<SESv2Client>;
const scenario = generateScenario({ accounts: 6, regions: 1, principalsPerAccount: 2 });
const ids = scenario.accounts.map((a) => a.Id);
/** Keys the fake attributes to each account, as after AssumeRole (`ASIA<account>…`). */
const keyOf = (account: string) => ({ accessKeyId: `ASIA${account}TEST`, secretAccessKey: 's', sessionToken: 't' });

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws(scenario, { throttleRate: 0.1, seed: 7 });
});
afterAll(async () => {
  await fake.close();
});

describe('shared clients', () => {
  it('sign each call with the credentials of the account that makes it, under concurrency and throttling', async () => {
    const clients = new ScanClients({ endpoint: fake.endpoint, maxSockets: 4 });
    const counted = new Map<string, number>();
    try {
      const before = fake.calls.length;
      const accounts = ids.map((id) => ({ id, clients: clients.account(async () => keyOf(id), () => counted.set(id, (counted.get(id) ?? 0) + 1)) }));
      const answers = await Promise.all(
        accounts.flatMap((a) =>
          Array.from({ length: 5 }, async () => {
            const out = await a.clients.client(SESV2, 'us-east-1').send(new GetAccountCommand({}));
            return { account: a.id, production: out.ProductionAccessEnabled };
          }),
        ),
      );
      expect(answers).toHaveLength(30);
      const made = fake.calls.slice(before).filter((c) => c.status === 200);
      expect(made).toHaveLength(30);
      // Every account got exactly its own 5 answers, whatever the interleaving and the retries.
      for (const id of ids) expect(made.filter((c) => c.account === id), id).toHaveLength(5);
      expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(ids.map((id) => [id, 5])));
      expect(fake.calls.slice(before).some((c) => c.error === 'TooManyRequestsException')).toBe(true);
    } finally {
      clients.destroy();
    }
  });

  it('take a slot of the cap on requests in flight per attempt, never while a retry waits, and never for STS', async () => {
    const gate = new Semaphore(2);
    let slots = 0;
    let held = 0;
    let most = 0;
    const counting = {
      run: <T>(fn: () => Promise<T>) =>
        gate.run(async () => {
          slots++;
          most = Math.max(most, ++held);
          try {
            return await fn();
          } finally {
            held--;
          }
        }),
    } as Semaphore;
    const clients = new ScanClients({ endpoint: fake.endpoint, inFlight: counting });
    try {
      const before = fake.calls.length;
      const accounts = ids.map((id) => clients.account(async () => keyOf(id)));
      await Promise.all(accounts.flatMap((a) => Array.from({ length: 4 }, () => a.client(SESV2, 'us-east-1').send(new GetAccountCommand({})))));
      const attempts = fake.calls.slice(before);
      // One slot per HTTP attempt (throttled ones included): a retry gives its slot back while it waits.
      expect(attempts.some((c) => c.error === 'TooManyRequestsException')).toBe(true);
      expect(slots).toBe(attempts.length);
      expect(most).toBeLessThanOrEqual(2);
      const sts = clients.account(async () => keyOf(ids[0]), undefined, { gated: false });
      const stsBefore = slots;
      await sts.client(SESV2, 'us-east-1').send(new GetAccountCommand({}));
      expect(slots).toBe(stsBefore);
    } finally {
      clients.destroy();
    }
  });

  it('are one client per (service, region), reached through per-account views that paginators accept', () => {
    const clients = new ScanClients({ endpoint: fake.endpoint });
    try {
      const a = clients.account(async () => keyOf(ids[0]));
      const b = clients.account(async () => keyOf(ids[1]));
      const viewA = a.client(SESV2, 'us-east-1');
      expect(viewA).toBe(a.client(SESV2, 'us-east-1'));
      expect(viewA).not.toBe(b.client(SESV2, 'us-east-1'));
      expect(viewA).toBeInstanceOf(SESv2Client);
      expect(Object.getPrototypeOf(viewA)).toBe(Object.getPrototypeOf(b.client(SESV2, 'us-east-1')));
      expect(Object.getPrototypeOf(viewA)).not.toBe(Object.getPrototypeOf(a.client(SESV2, 'eu-west-1')));
    } finally {
      clients.destroy();
    }
  });

  it('refuse a request signed with a key its account never gave out', async () => {
    const clients = new ScanClients({ endpoint: fake.endpoint, maxAttempts: 1 });
    try {
      // Stands in for an SDK that would sign with another call's identity: the key is swapped after signing.
      const shared = clients.sharedClient(SESV2, 'us-east-1');
      shared.middlewareStack.addRelativeTo(
        (next: (args: { request: { headers: Record<string, string> } }) => Promise<unknown>) => (args: { request: { headers: Record<string, string> } }) => {
          args.request.headers.authorization = args.request.headers.authorization.replace(/Credential=[^/]+/, `Credential=ASIA${ids[1]}TEST`);
          return next(args);
        },
        { relation: 'before', toMiddleware: 'sesguardAccountGuard', name: 'testSwapKey' },
      );
      const before = fake.calls.length;
      const a = clients.account(async () => keyOf(ids[0]));
      await expect(a.client(SESV2, 'us-east-1').send(new GetAccountCommand({}))).rejects.toThrow('signed with credentials of another account');
      expect(fake.calls.length).toBe(before);
    } finally {
      clients.destroy();
    }
  });

  it('once destroyed, send nothing more: a call still waiting for a socket is dropped, not sent on a new one', async () => {
    const laggy = await startFakeAws(scenario, { latencyMs: 300 });
    const clients = new ScanClients({ endpoint: laggy.endpoint, maxSockets: 1, maxAttempts: 1 });
    try {
      const a = clients.account(async () => keyOf(ids[2]));
      const send = () => a.client(SESV2, 'us-east-1').send(new GetAccountCommand({}));
      // The first call holds the only socket (as an AssumeRole does when a scan is interrupted); the second waits.
      const calls = [send(), send()].map((p) => p.then(() => 'answered', () => 'failed'));
      while (laggy.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      clients.destroy();
      expect(await Promise.all(calls)).toEqual(['failed', 'failed']);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(laggy.calls.length).toBe(1);
    } finally {
      clients.destroy();
      await laggy.close();
    }
  });

  it('refuse a call made outside any account', async () => {
    const clients = new ScanClients({ endpoint: fake.endpoint, maxAttempts: 1 });
    try {
      const shared = clients.sharedClient(SESV2, 'us-east-1') as unknown as SESv2Client;
      await expect(shared.send(new GetAccountCommand({}))).rejects.toThrow('outside of an account context');
    } finally {
      clients.destroy();
    }
  });
});
