// Inputs the CloudFormation source cannot use (SPEC §11): each fails fast with a one-line SourceError
// naming the file and line, without a stack trace or the values it read.
import { describe, expect, test } from 'vitest';
import { SourceError } from '../src/errors.js';
import { readCloudFormation } from '../src/sources/cloudformation/index.js';

function failure(text: string): SourceError {
  try {
    readCloudFormation('stacks/broken.yaml', text);
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

const BOMB = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'Resources:',
  '  T:',
  '    Type: AWS::SNS::Topic',
  '    Properties: { TopicName: *i }',
].join('\n');

const LOOP_HEAD = 'Transform: AWS::LanguageExtensions\nResources:\n';
/** Four nested loops of 100 items each: 10^8 resources if expanded. */
const RUNAWAY = (() => {
  const items = `[${Array.from({ length: 100 }, (_, i) => `i${i}`).join(', ')}]`;
  const lines = [LOOP_HEAD.trimEnd()];
  ['A', 'B', 'C', 'D'].forEach((id, depth) => {
    const pad = '  '.repeat(depth * 2 + 1);
    lines.push(`${pad}Fn::ForEach::Loop${id}:`, `${pad}  - ${id}`, `${pad}  - ${items}`, `${pad}  -`);
  });
  lines.push(`${'  '.repeat(9)}"T\${A}\${B}\${C}\${D}": { Type: AWS::SNS::Topic }`);
  return `${lines.join('\n')}\n`;
})();

describe('unusable templates', () => {
  test.each([
    ['malformed YAML', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n   Properties: [oops\n', 4, /^not valid YAML\/JSON: /],
    ['malformed JSON', '{\n  "Resources": {\n    "A": { "Type": "AWS::SNS::Topic", }\n  ,,\n}\n', 4, /^not valid YAML\/JSON: /],
    ['binary junk', 'AWSTemplateFormatVersion: x\nResources:\x00\x01\x02\n', 2, /^not a text file/],
    ['Resources that is not a map', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  - Type: AWS::SNS::Topic\n', 3, /^Resources is not a map/],
    ['a resource without a Type', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Properties: {}\n', 4, /^resource B has no Type string$/],
    ['a resource whose Type is null', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Type:\n', 4, /^resource B has no Type string$/],
    ['a multi-document template', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n---\nb: 1\n', 4, /^a template must be a single YAML document$/],
    ['an alias bomb (line of the alias that expands it)', BOMB, 14, /alias bomb/],
    ['a Fn::ForEach that is not [identifier, collection, fragment]', `${LOOP_HEAD}  Fn::ForEach::Topics: [T, [a]]\n`, 3, /^Fn::ForEach::Topics needs a list of \[identifier, collection, fragment\]$/],
    ['a Fn::ForEach identifier that is not alphanumeric', `${LOOP_HEAD}  Fn::ForEach::Topics: [my-id, [a], { "T\${my-id}": { Type: AWS::SNS::Topic } }]\n`, 3, /identifier must be alphanumeric/],
    ['a Fn::ForEach fragment that is not a map', `${LOOP_HEAD}  Fn::ForEach::Topics: [T, [a], [x]]\n`, 3, /fragment must be a map/],
    ['a Fn::ForEach that generates a logical id twice', `${LOOP_HEAD}  Fn::ForEach::Topics: [T, [a, a], { "Topic\${T}": { Type: AWS::SNS::Topic } }]\n`, 3, /^resource Topica is defined more than once$/],
    ['nested Fn::ForEach loops of 10^8 resources (the loop where the count runs over)', RUNAWAY, 15, /generates more than 10000 entries/],
  ])('%s', (_name, text, line, message) => {
    // The guards (alias count, loop size) refuse before expanding: the message says which one did, so no timing is
    // needed here (speed is measured by npm run bench, never by timed assertions).
    const error = failure(text);
    expect(error.file).toBe('stacks/broken.yaml');
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toMatch(/\bat .*:\d+:\d+/);
  });

  test('an error message never repeats the source text it failed on', () => {
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const error = failure(`Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: { Key: "${secret}", [ }\n`);
    expect(error.message).not.toContain(secret);
  });

  test('a few aliases within the budget are expanded like YAML does', () => {
    const result = readCloudFormation(
      't.yaml',
      'Resources:\n  A:\n    Type: AWS::CloudWatch::Alarm\n    Properties: &p { Threshold: 2, AlarmActions: [x] }\n  B:\n    Type: AWS::CloudWatch::Alarm\n    Properties: *p\n',
    );
    expect(result?.resources.map((r) => (r.props as { threshold: number }).threshold)).toEqual([2, 2]);
  });
});

test('an alias bomb behind `Resources: *alias` is an error, not "not a template"', () => {
  const text = `${BOMB.split('\n').slice(1, 10).join('\n')}\nResources: *i\n`;
  const error = failure(text);
  expect(error.message).toMatch(/alias bomb/);
  expect(error.line).toBe(10);
});
