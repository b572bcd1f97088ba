// Differential test of the IAM checks (issue 13): fast-check generates identity policy sets, sending-
// authorization policies and role trust policies; the checks (the real YAML through the real engine) must reach
// the verdict of the brute-force reference (test/iam-reference/checks.ts) on every one. A disagreement is
// shrunk to the smallest policy set and printed with both verdicts. Seeded: the same cases on every run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateCheck } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import { normalizePolicyDocument } from '../src/inventory/policy-document.js';
import { isUnknown, type Resource } from '../src/inventory/types.js';
import { ROLE_ARN, OWN_ACCOUNT, decideOver, identityChecks, maySend, ses001, ses002, trustOpen, type Scope, type Verdict } from './iam-reference/checks.js';
import type { Json } from './iam-reference/evaluate.js';
import { identityCase, sendingCase, trustCase } from './iam-reference/generate.js';

const checks = new Map(loadChecks().map((c) => [c.id, c]));
const SEED = 13;
export const RUNS = { identity: Number(process.env.IAM_RUNS ?? 400), sending: Number(process.env.IAM_RUNS ?? 800), trust: Number(process.env.IAM_RUNS ?? 800) };

function documentOf(raw: unknown): unknown {
  return isUnknown(raw) ? raw : normalizePolicyDocument(raw);
}

function provenance() {
  return { source: 'aws' as const, account: OWN_ACCOUNT, region: 'us-east-1' };
}

function role(documents: readonly unknown[], trust: Json = { Statement: [] }): Resource {
  return {
    type: 'aws.iam.role',
    id: ROLE_ARN,
    name: 'mailer',
    provenance: provenance(),
    props: {
      roleName: 'mailer',
      serviceLinked: false,
      trustPolicy: normalizePolicyDocument(trust),
      policies: documents.map((d, i) => ({ name: `policy-${i + 1}`, kind: 'inline', document: documentOf(d) })),
    },
  } as Resource;
}

function identity(documents: readonly unknown[]): Resource {
  return {
    type: 'aws.ses.identity',
    id: 'identity',
    name: 'example.com',
    provenance: provenance(),
    props: {
      identity: 'example.com',
      kind: 'domain',
      verified: true,
      dkim: { signingEnabled: true },
      mailFrom: {},
      notifications: {},
      policies: documents.map((d, i) => ({ name: `policy-${i + 1}`, document: documentOf(d) })),
    },
  } as Resource;
}

function run(checkId: string, resource: Resource, scope: Scope = { organizationId: null, orgAccounts: [], trusted: [] }): Verdict {
  const config = { ...defaultConfig(), trustedAccounts: scope.trusted, organizationId: scope.organizationId };
  const outcome = evaluateCheck(checks.get(checkId)!, resource, { config: celConfig(config), org: scope.orgAccounts });
  if (outcome.kind === 'pass' || outcome.kind === 'fail') return outcome.kind;
  if (outcome.kind === 'not-assessed') return 'notAssessed';
  throw new Error(`${checkId}: unexpected ${outcome.kind}`);
}

function and(a: Verdict, b: Verdict): Verdict {
  if (a === 'pass' || b === 'pass') return 'pass';
  return a === 'fail' && b === 'fail' ? 'fail' : 'notAssessed';
}

function disagreement(checkId: string, got: Verdict, expected: Verdict): string | null {
  return got === expected ? null : `${checkId}: the check says ${got}, the reference ${expected}`;
}

describe('IAM checks agree with the reference evaluator', () => {
  it(`identity policy sets (${RUNS.identity} generated)`, () => {
    fc.assert(
      fc.property(identityCase, (documents) => {
        const resource = role(documents);
        for (const id of ['SESG-IAM-001', 'SESG-IAM-002', 'SESG-IAM-003', 'SESG-IAM-004']) {
          const problem = disagreement(id, run(id, resource), decideOver(documents, (d) => identityChecks[id](d as Json[])));
          expect(problem).toBeNull();
        }
      }),
      { seed: SEED, numRuns: RUNS.identity },
    );
  }, 600_000);

  it(`sending-authorization policies (${RUNS.sending} generated)`, () => {
    fc.assert(
      fc.property(sendingCase, ({ documents, scope }) => {
        const resource = identity(documents);
        expect(disagreement('SESG-SES-001', run('SESG-SES-001', resource, scope), decideOver(documents, (d) => ses001(d as Json[])))).toBeNull();
        expect(disagreement('SESG-SES-002', run('SESG-SES-002', resource, scope), decideOver(documents, (d) => ses002(d as Json[], scope)))).toBeNull();
      }),
      { seed: SEED, numRuns: RUNS.sending },
    );
  }, 600_000);

  it(`role trust policies (${RUNS.trust} generated)`, () => {
    fc.assert(
      fc.property(trustCase, ({ trust, permissions, scope }) => {
        const expected = and(
          decideOver([permissions], (d) => maySend(d as Json[])),
          decideOver(trust, (t) => trustOpen(t, scope)),
        );
        expect(disagreement('SESG-IAM-006', run('SESG-IAM-006', role([permissions], trust), scope), expected)).toBeNull();
      }),
      { seed: SEED, numRuns: RUNS.trust },
    );
  }, 600_000);
});
