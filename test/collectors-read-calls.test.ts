// READ_CALLS is the truth about what the live scan calls: every SDK command and paginator the collectors use is
// listed (and nothing else), every operation is read-only but the one documented exception
// (GenerateCredentialReport), and a full collection against the fake AWS makes only listed calls.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  READ_CALLS,
  collectCloudTrail,
  collectCloudWatch,
  collectEc2,
  collectEnabledRegions,
  collectIam,
  collectOrganization,
  collectSes,
  collectSnsTopics,
  sesTopicArns,
  staticScope,
} from '../src/sources/aws/collectors/index.js';
import { startFakeAws, type Scenario } from '../src/testing/fake-aws/index.js';

const DIR = new URL('../src/sources/aws/collectors/', import.meta.url);
const sources = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(new URL(f, DIR), 'utf8') }));

/** `<client package suffix>:<Operation>` for every command class and paginator a collector imports from the SDK. */
function usedInSource(): string[] {
  const used = new Set<string>();
  for (const { text } of sources) {
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g)) {
      for (const raw of m[1].split(',')) {
        const name = raw.trim();
        if (name.startsWith('type ') || name === '') continue;
        const command = /^(\w+)Command$/.exec(name);
        const paginator = /^paginate(\w+)$/.exec(name);
        const operation = command?.[1] ?? paginator?.[1];
        if (operation) used.add(`${m[2]}:${operation}`);
      }
    }
  }
  return [...used].sort();
}

describe('READ_CALLS', () => {
  it('lists exactly the SDK operations the collectors import', () => {
    expect(READ_CALLS.map((c) => `${c.service}:${c.operation}`).sort()).toEqual(usedInSource());
  });

  it('holds only read operations, each once, with the matching IAM action', () => {
    const prefix: Record<string, string> = { sesv2: 'ses' };
    for (const c of READ_CALLS) {
      if (c.notReadOnlyBecause === undefined) expect(c.operation).toMatch(/^(Get|List|Describe|Lookup)[A-Z]/);
      else expect(c.operation).not.toMatch(/^(Get|List|Describe|Lookup)[A-Z]/);
      expect(c.iamAction).toBe(`${prefix[c.service] ?? c.service}:${c.operation}`);
    }
    expect(new Set(READ_CALLS.map((c) => `${c.service}:${c.operation}`)).size).toBe(READ_CALLS.length);
  });

  it('no collector sends a command other than through these imports', () => {
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/new (\w+)Command\(/g)) {
        expect(READ_CALLS.some((c) => c.operation === m[1]), `${file}: ${m[0]}`).toBe(true);
      }
    }
  });

  it('covers every call a full collection makes against the fake AWS', async () => {
    const scenario = JSON.parse(readFileSync(new URL('../fixtures/scenarios/org-planted.json', import.meta.url), 'utf8')) as Scenario;
    // GetEmailIdentity answers without its Policies here, so that the call completing them is made too.
    const fake = await startFakeAws(scenario, { pageSize: 1, faults: [{ service: 'ec2', operation: 'DescribeRegions', error: 'AccessDenied' }], omit: { GetEmailIdentity: ['Policies'] } });
    try {
      const mgmt = staticScope({ endpoint: fake.endpoint, accountId: '111111111111', credentials: { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 's' } });
      await collectOrganization(mgmt);
      await collectCloudTrail(mgmt, ['us-east-1', 'eu-west-1']);
      const mail = staticScope({
        endpoint: fake.endpoint,
        accountId: '333333333333',
        credentials: { accessKeyId: 'ASIA333333333333TEST', secretAccessKey: 's', sessionToken: 't' },
      });
      await collectEnabledRegions(mail);
      await collectIam(mail);
      await collectIam(mail, { credentialReport: false });
      const cw = await collectCloudWatch(mail, 'us-east-1');
      const ses = await collectSes(mail, { region: 'us-east-1', alarms: cw.alarms, notificationIntervalMs: 0 });
      await collectSnsTopics(mail, sesTopicArns(ses.resources));
      await collectEc2(mail, 'us-east-1');
      await collectCloudTrail(mail, ['us-east-1']);
      const made = [...new Set(fake.calls.map((c) => `${c.service}:${c.operation}`))].sort();
      const listed = READ_CALLS.map((c) => `${c.service}:${c.operation}`).sort();
      expect(made.filter((c) => !listed.includes(c))).toEqual([]);
      // and the walk exercised every listed call
      expect(listed.filter((c) => !made.includes(c))).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
