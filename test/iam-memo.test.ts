// Answers shared between resources (src/functions/iam-memo.ts) must be the answers each resource would get on
// its own: generated policies are asked about for resources in several regions and accounts (and, for identity
// policies, principals of several accounts, whose own account the policies name), first with answers kept across
// them (and the principal's account renamed), then each computed from the input as given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePolicyDocument } from '../src/inventory/policy-document.js';
import { isUnknown, type Maybe, type PolicyDocument } from '../src/inventory/types.js';
import { analyzeControlGrants, analyzeForeign, analyzePublic, analyzeSendGrants, analyzeTrust, type NamedDocument } from '../src/functions/iam.js';
import { forgetAnswers } from '../src/functions/iam-memo.js';
import { identityCase, sendingCase, trustCase } from './iam-reference/generate.js';

const SEED = 13;
const RUNS = 100;

// Resources the generated policies name (or nearly): the identity of the reference, the same name in another
// region, the same region in another account (named by some principals), another identity.
const IDENTITIES = [
  'arn:aws:ses:us-east-1:111122223333:identity/example.com',
  'arn:aws:ses:eu-west-1:111122223333:identity/example.com',
  'arn:aws:ses:us-east-1:999988887777:identity/example.com',
  'arn:aws:ses:us-east-1:111122223333:identity/other.org',
  'arn:aws:ses:ap-southeast-2:000011112222:identity/zz.example',
];
const ROLES = ['arn:aws:iam::111122223333:role/mailer', 'arn:aws:iam::999988887777:role/mailer', 'arn:aws:iam::444455556666:role/app'];
const ACCOUNTS = ['111122223333', '999988887777', '444455556666', '000011112222'];

function named(raw: readonly unknown[]): NamedDocument[] {
  return raw.map((d, i) => ({ name: `policy-${i + 1}`, line: 0, document: (isUnknown(d) ? d : normalizePolicyDocument(d)) as Maybe<PolicyDocument> }));
}

function own(arn: string) {
  return { arn, account: arn.split(':')[4], partition: 'aws' };
}

/** Answers for every input, kept across inputs, then each computed from the input as given: they must be equal. */
function sameAnswers<T>(inputs: readonly T[], ask: (input: T) => unknown): void {
  forgetAnswers();
  const kept = inputs.map(ask);
  forgetAnswers(false);
  try {
    expect(kept).toEqual(inputs.map(ask));
  } finally {
    forgetAnswers();
  }
}

describe('IAM answers kept across resources are each resource’s own', () => {
  it('sending-authorization policies, for identities in other regions and accounts', () => {
    fc.assert(
      fc.property(sendingCase, ({ documents, scope }) => {
        const docs = named(documents);
        const allowed = new Set([...scope.orgAccounts, ...scope.trusted]);
        sameAnswers(IDENTITIES, (arn) => analyzePublic(docs, own(arn)));
        sameAnswers(IDENTITIES, (arn) => analyzeForeign(docs, { own: own(arn).account, allowed, organizationId: scope.organizationId }, own(arn)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('role trust policies, for roles in other accounts', () => {
    fc.assert(
      fc.property(trustCase, ({ trust, scope }) => {
        const [doc] = named([trust]);
        const allowed = new Set([...scope.orgAccounts, ...scope.trusted]);
        sameAnswers(ROLES, (arn) => analyzeTrust(doc, { own: own(arn).account, allowed, organizationId: scope.organizationId }, own(arn)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('a policy naming the principal\'s account through ${AWS::AccountId} is answered per account', () => {
    const docs = named([
      { Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: 'arn:aws:ses:*:${AWS::AccountId}:identity/*' }] },
      { Statement: [{ Effect: 'Deny', Action: 'ses:*', Resource: 'arn:aws:ses:*:111122223333:identity/*' }] },
    ]);
    forgetAnswers();
    const answers = ACCOUNTS.map((account) => analyzeSendGrants(docs, { account, partition: 'aws' }).send.tri);
    expect(answers).toEqual(['no', 'yes', 'yes', 'yes']);
  });

  it('a pattern whose wildcard touches a digit keeps the principal\'s account as it is', () => {
    // `1111*` covers 111122223333 and would not cover the placeholder the account is otherwise renamed to.
    const docs = named([
      { Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: 'arn:aws:ses:us-east-1:111122223333:identity/x' }] },
      { Statement: [{ Effect: 'Deny', Action: 'ses:*', Resource: 'arn:aws:ses:*:1111*:identity/*' }] },
    ]);
    forgetAnswers();
    expect(analyzeSendGrants(docs, { account: '111122223333', partition: 'aws' }).send.tri).toBe('no');
  });

  it('identity policies, for principals of other accounts (also with ${AWS::AccountId})', () => {
    // The first document names the principal's account through the variable, the others literally.
    const withVariable = identityCase.map(([first, ...rest]) => [
      JSON.parse(JSON.stringify(first).replaceAll('111122223333', '${AWS::AccountId}')) as unknown,
      ...rest,
    ]);
    fc.assert(
      fc.property(fc.oneof(identityCase, withVariable), (documents) => {
        const docs = named(documents);
        sameAnswers(ACCOUNTS, (account) => analyzeSendGrants(docs, { account, partition: 'aws' }));
        sameAnswers(ACCOUNTS, (account) => analyzeControlGrants(docs, { account, partition: 'aws' }));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
  it('the same identity policies under other names and at other lines get their own places back', () => {
    /** The documents renamed and moved down `shift` lines (statements numbered from line 10). */
    const placed = (documents: readonly unknown[], shift: number): NamedDocument[] =>
      named(documents).map((doc, d) => ({
        ...doc,
        name: `${doc.name}-${shift}`,
        line: doc.line + shift,
        document: isUnknown(doc.document)
          ? doc.document
          : doc.document && { statements: doc.document.statements.map((s, i) => ({ ...s, line: 10 + shift + 100 * d + i, column: shift })) },
      }));
    fc.assert(
      fc.property(identityCase, (documents) => {
        const shifts = [0, 7, 31];
        sameAnswers(shifts, (shift) => analyzeSendGrants(placed(documents, shift), { account: ACCOUNTS[0], partition: 'aws' }));
        sameAnswers(shifts, (shift) => analyzeControlGrants(placed(documents, shift), { account: ACCOUNTS[1], partition: 'aws' }));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('identity policies naming other From addresses: one answer where conditions compare exactly, each its own', () => {
    // The generated conditions name noreply@example.com exactly, and patterns (*@example.com) and Null tests on the
    // same key: variants name other addresses in its place (one without @, which is no address a request can use).
    const variants = ['noreply@example.com', 'ops@example.com', 'noreply@other.org', 'no-address', 'noreply@example.com.evil'];
    fc.assert(
      fc.property(identityCase, (documents) => {
        const text = JSON.stringify(documents);
        const docsFor = (address: string) => named(JSON.parse(text.replaceAll('noreply@example.com', address)) as unknown[]);
        sameAnswers(variants, (address) => analyzeSendGrants(docsFor(address), { account: ACCOUNTS[0], partition: 'aws' }));
        sameAnswers(variants, (address) => analyzeControlGrants(docsFor(address), { account: ACCOUNTS[0], partition: 'aws' }));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('two roles differing only in their From address are answered once; a pattern on the key keeps them apart', () => {
    const sender = (address: string, pattern?: string) =>
      named([
        {
          Statement: [
            { Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', Condition: { StringEquals: { 'ses:FromAddress': address } } },
            ...(pattern ? [{ Effect: 'Deny', Action: 'ses:SendEmail', Resource: '*', Condition: { StringLike: { 'ses:FromAddress': pattern } } }] : []),
          ],
        },
      ]);
    forgetAnswers();
    const a = analyzeSendGrants(sender('a@example.com'), { account: ACCOUNTS[0], partition: 'aws' });
    // The same verdict objects: the answer was computed once, for the first role.
    expect(analyzeSendGrants(sender('b@example.com'), { account: ACCOUNTS[0], partition: 'aws' }).from).toBe(a.from);
    expect(a.from.tri).toBe('no');
    // Denied for a@ by the pattern, not for b@: renaming both would lose that.
    expect(analyzeSendGrants(sender('a@example.com', 'a@*'), { account: ACCOUNTS[0], partition: 'aws' }).send.tri).toBe('no');
    expect(analyzeSendGrants(sender('b@example.com', 'a@*'), { account: ACCOUNTS[0], partition: 'aws' }).send.tri).toBe('yes');
  });

  it('role trust policies, for roles whose ARN is not known yet', () => {
    fc.assert(
      fc.property(trustCase, ({ trust, scope }) => {
        const [doc] = named([trust]);
        const allowed = new Set([...scope.orgAccounts, ...scope.trusted]);
        const roles = ['r0', 'r1', 'r2'].map((name) => ({ arn: { $unknown: `aws_iam_role.${name}.arn is known after apply` }, account: ACCOUNTS[0], partition: 'aws' }));
        sameAnswers(roles, (role) => analyzeTrust(doc, { own: role.account, allowed, organizationId: scope.organizationId }, role));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
