// A policy statement whose Effect the source cannot know (`!Ref Mode`, an `Fn::If` between Allow and Deny) may
// allow or deny what it names (issue #8 item 3): the send checks are not assessed on it, naming what is unknown,
// while an answer it cannot change (it names other actions) stays decided.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig, runIac } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sesguard-effect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function template(statements: string[]): string {
  return [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Parameters:',
    '  Mode: { Type: String, AllowedValues: [Allow, Deny] }',
    'Resources:',
    '  Sender:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" }] }',
    '      Policies:',
    '        - PolicyName: send',
    '          PolicyDocument:',
    '            Statement:',
    ...statements.map((s) => `              - ${s}`),
  ].join('\n');
}

async function outcomes(name: string, statements: string[]) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, template(statements));
  const results = await runIac([file], { config: defaultConfig(), cwd: dir });
  expect(results.errors).toEqual([]);
  const of = (id: string) =>
    results.findings.some((f) => f.checkId === id)
      ? 'fail'
      : results.notAssessed.some((n) => n.checkId === id)
        ? 'not assessed'
        : 'pass or not applicable';
  return { of, results };
}

describe('a statement with an Unknown Effect', () => {
  it('on ses:SendEmail for every resource: the send checks are not assessed, naming the parameter', async () => {
    const { of, results } = await outcomes('unknown-send', ['{ Effect: !Ref Mode, Action: "ses:SendEmail", Resource: "*" }']);
    for (const id of ['SESG-IAM-001', 'SESG-IAM-002']) expect(of(id)).toBe('not assessed');
    expect(results.notAssessed.filter((n) => n.checkId === 'SESG-IAM-001').map((n) => n.reason).join('\n')).toMatch(/Mode/);
  });

  it('beside a known Allow of the same sending: still fails (a Deny on an unknown condition cannot be counted on)', async () => {
    const { of } = await outcomes('known-send', ['{ Effect: Allow, Action: "ses:SendEmail", Resource: "*" }', '{ Effect: !Ref Mode, Action: "s3:GetObject", Resource: "*" }']);
    expect(of('SESG-IAM-001')).toBe('fail');
  });

  it('the same statement with Effect: Allow fails, with Effect: Deny does not (the fixture can fail both ways)', async () => {
    expect((await outcomes('allow', ['{ Effect: Allow, Action: "ses:SendEmail", Resource: "*" }'])).of('SESG-IAM-001')).toBe('fail');
    expect((await outcomes('deny', ['{ Effect: Deny, Action: "ses:SendEmail", Resource: "*" }'])).of('SESG-IAM-001')).not.toBe('fail');
  });
});
