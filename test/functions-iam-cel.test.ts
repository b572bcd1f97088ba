// The IAM CEL bindings (src/functions/iam-cel.ts) through the real CEL engine, and the IAM / sending-
// authorization checks (policies/iam, SESG-SES-001/002) through the real check loader and evaluator.
import path from 'node:path';
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { iamFunctions } from '../src/functions/iam-cel.js';
import { NotAssessedError } from '../src/errors.js';
import { loadCheckFile } from '../src/engine/load.js';
import { runFixtures } from '../src/engine/fixtures.js';
import { evaluateCheck } from '../src/engine/evaluate.js';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { normalizePolicyDocument } from '../src/inventory/policy-document.js';
import type { Resource } from '../src/inventory/types.js';

const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
for (const fn of iamFunctions) env.registerFunction(fn.signature, fn.handler, { description: fn.description });
const evaluate = (expression: string, vars: Record<string, unknown>) => env.parse(expression)(vars);

const policy = (name: string, statements: unknown[], line?: number) => ({
  name,
  kind: 'inline',
  ...(line ? { line } : {}),
  document: normalizePolicyDocument({ Version: '2012-10-17', Statement: statements }),
});
const role = (policies: unknown[], trust: unknown[] = []): Resource =>
  ({
    type: 'aws.iam.role',
    id: 'arn:aws:iam::111122223333:role/mailer',
    name: 'mailer',
    provenance: { source: 'aws', account: '111122223333' },
    props: { roleName: 'mailer', serviceLinked: false, trustPolicy: normalizePolicyDocument({ Statement: trust }), policies },
  }) as Resource;
const identity = (policies: unknown[]): Resource =>
  ({
    type: 'aws.ses.identity',
    id: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
    name: 'example.com',
    provenance: { source: 'aws', account: '111122223333' },
    props: { identity: 'example.com', kind: 'domain', policies },
  }) as Resource;
const sendAll = { Sid: 'Send', Effect: 'Allow', Action: 'ses:Send*', Resource: '*' };
const unknownManaged = { name: 'arn:aws:iam::aws:policy/X', kind: 'managed', document: { $unknown: 'managed policy not in the input' } };

describe('iamFunctions through CEL', () => {
  it('registers every function and type-checks in the engine', () => {
    expect(env.parse('size(sendGrants(resource)) + size(controlGrants(resource))').check()).toMatchObject({ valid: true });
  });

  it('sendGrants returns maps CEL can filter', () => {
    const r = role([policy('send', [sendAll], 7)]);
    expect(evaluate('sendGrants(resource).filter(g, g.allIdentities).map(g, g.policy)', { resource: r })).toEqual(['send']);
    expect(evaluate('sendGrants(resource)[0].line', { resource: r })).toBe(7);
    expect(evaluate('sendGrants(resource)[0].sid', { resource: r })).toBe('Send');
    expect(evaluate('sendGrants(resource)[0].networkCondition', { resource: r })).toBe(false);
    expect(evaluate('size(sendGrants(resource)[0].actions)', { resource: r })).toBe(5n);
  });

  it('reads the document of a standalone policy', () => {
    const r = { type: 'aws.iam.policy', name: 'p', provenance: {}, props: { policyName: 'p', document: normalizePolicyDocument({ Statement: [sendAll] }) } };
    expect(evaluate('sendGrants(resource).map(g, g.policy)', { resource: r })).toEqual(['p']);
  });

  it.each([
    ['visible violation fails even beside an Unknown document', [policy('send', [sendAll]), unknownManaged], false],
    ['clean known principal passes', [policy('send', [{ ...sendAll, Resource: 'arn:aws:ses:us-east-1:1:identity/a.com' }])], true],
  ])("`!iamViolation(resource, 'identities')`: %s", (_name, policies, expected) => {
    expect(evaluate("!iamViolation(resource, 'identities')", { resource: role(policies) })).toBe(expected);
  });

  it('iamVerdict never throws', () => {
    expect(evaluate("iamVerdict(resource, 'send')", { resource: role([unknownManaged]) })).toBe('maybe');
    expect(evaluate("iamVerdict(resource, 'send')", { resource: role([policy('send', [sendAll])]) })).toBe('yes');
  });

  it('iamViolation and requireKnownPolicies throw NotAssessedError naming the Unknown policy', () => {
    expect(() => evaluate("iamViolation(resource, 'network')", { resource: role([unknownManaged]) })).toThrow(/arn:aws:iam::aws:policy\/X: managed policy not in the input/);
    const run = () => evaluate("!sendGrants(resource).exists(g, g.allIdentities) && requireKnownPolicies(resource, 'identities')", { resource: role([unknownManaged]) });
    expect(run).toThrow(/arn:aws:iam::aws:policy\/X: managed policy not in the input/);
    try {
      run();
    } catch (error) {
      let e: unknown = error;
      while (e && !(e instanceof NotAssessedError)) e = (e as { cause?: unknown }).cause;
      expect(e).toBeInstanceOf(NotAssessedError);
    }
  });

  it('requireKnownPolicies with a scope, and knownPolicies never throws', () => {
    const r = role([policy('ok', [sendAll]), policy('bad', [{ Effect: 'Allow', Action: { $unknown: 'p' }, Resource: '*' }])]);
    expect(() => evaluate("requireKnownPolicies(resource, 'control')", { resource: r })).toThrow(/bad/);
    expect(evaluate("knownPolicies(resource, 'control')", { resource: r })).toBe(false);
    // A certain answer is known even beside the Unknown: 'ok' certainly lets the role send.
    expect(evaluate("knownPolicies(resource, 'send')", { resource: r })).toBe(true);
    expect(() => evaluate("requireKnownPolicies(resource, 'nonsense')", { resource: r })).toThrow(/unknown policy scope/);
  });

  it('controlGrants', () => {
    const r = role([policy('admin', [{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }])]);
    expect(evaluate('controlGrants(resource).map(g, [g.viaWildcard, g.onAllResources])', { resource: r })).toEqual([[true, true]]);
  });

  it('trustRisks uses org, trusted and the own account', () => {
    const trust = [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ['111122223333', '222233334444', '333344445555', '444455556666'] } }];
    const r = role([], trust);
    expect(evaluate('trustRisks(resource, org, trusted).map(x, x.account)', { resource: r, org: ['222233334444'], trusted: ['333344445555'] })).toEqual(['444455556666']);
  });

  it('publicGrants and foreignGrants over every identity policy', () => {
    const r = identity([
      policy('private', [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', Principal: { AWS: '111122223333' } }]),
      policy('open', [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', Principal: '*' }], 30),
      policy('partner', [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', Principal: { AWS: 'arn:aws:iam::999988887777:root', Service: 'sns.amazonaws.com' } }]),
    ]);
    expect(evaluate('publicGrants(resource).map(g, [g.policy, g.line, g.reason])', { resource: r })).toEqual([
      ['open', 30, 'any principal, of any account'],
      ['open', 30, 'any AWS service, acting for any account'],
    ]);
    // The named outsiders (999988887777, the sns service) get in through their own statement and through `*`.
    expect(evaluate('foreignGrants(resource, org, trusted).map(g, [g.policy, g.principal])', { resource: r, org: [], trusted: [] })).toEqual([
      ['open', '*'],
      ['partner', 'arn:aws:iam::999988887777:root'],
      ['open', '*'],
      ['partner', 'sns.amazonaws.com'],
    ]);
    expect(evaluate('foreignGrants(resource, org, trusted).map(g, g.principal)', { resource: r, org: [], trusted: ['999988887777'] })).toEqual(['*', 'sns.amazonaws.com']);
  });
});

const CHECKS = ['iam/SESG-IAM-001', 'iam/SESG-IAM-002', 'iam/SESG-IAM-003', 'iam/SESG-IAM-004', 'iam/SESG-IAM-006', 'ses/SESG-SES-001', 'ses/SESG-SES-002'];
const checks = CHECKS.map((id) => loadCheckFile(path.join(import.meta.dirname, '..', 'policies', `${id}.yaml`)));

describe('IAM and sending-authorization check fixtures', () => {
  for (const r of runFixtures(checks)) {
    it(`${r.checkId} ${r.expected}: ${r.caseName}`, () => {
      const detail = 'reason' in r.actual ? ` (${r.actual.reason})` : r.actual.kind === 'fail' ? ` (${r.actual.message})` : '';
      expect(`${r.actual.kind}${r.ok ? '' : detail}`).toBe(r.expected);
    });
  }
});

describe('findings of the IAM checks', () => {
  const ctx = { config: celConfig(defaultConfig()), org: [] as string[] };
  const byId = (id: string) => checks.find((c) => c.id === id)!;

  it.each([
    ['SESG-IAM-001', role([policy('send', [sendAll], 12)]), 'mailer may use SES send actions on every identity through send; scope Resource to the identity ARNs it sends from', 12],
    ['SESG-IAM-002', role([policy('send', [sendAll], 12)]), 'mailer may send email from any network through send; add an aws:SourceIp, aws:SourceVpce or aws:SourceVpc condition to the statement', 12],
    ['SESG-IAM-004', role([policy('admin', [{ Effect: 'Allow', Action: 'ses:PutAccount*', Resource: '*' }], 3)]), 'mailer may change SES account or identity control (ses:PutAccountDetails, ses:PutAccountSendingAttributes) through admin; grant control actions explicitly, on named resources, to an administrator role only', 3],
    ['SESG-IAM-006', role([policy('send', [sendAll])], [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '999988887777' } }]), 'Role mailer can send email and may be assumed by 999988887777; restrict its trust policy to known accounts or add an sts:ExternalId / aws:PrincipalOrgID condition', undefined],
    ['SESG-SES-001', identity([policy('open', [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', Principal: '*' }], 9)]), undefined, 9],
  ])('%s message and line', (id, resource, message, line) => {
    const outcome = evaluateCheck(byId(id), resource, ctx);
    expect(outcome.kind).toBe('fail');
    if (outcome.kind !== 'fail') return;
    if (message) expect(outcome.message).toBe(message);
    expect(outcome.line).toBe(line);
  });
});
