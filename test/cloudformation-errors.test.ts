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

describe('unusable templates', () => {
  test.each([
    ['malformed YAML', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n   Properties: [oops\n', 4, /^not valid YAML\/JSON: /],
    ['malformed JSON', '{\n  "Resources": {\n    "A": { "Type": "AWS::SNS::Topic", }\n  ,,\n}\n', 4, /^not valid YAML\/JSON: /],
    ['binary junk', 'AWSTemplateFormatVersion: x\nResources:\x00\x01\x02\n', 2, /^not a text file/],
    ['Resources that is not a map', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  - Type: AWS::SNS::Topic\n', 3, /^Resources is not a map/],
    ['a resource without a Type', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Properties: {}\n', 4, /^resource B has no Type string$/],
    ['a resource whose Type is not a string', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n  B:\n    Type: [x]\n', 4, /^resource B has no Type string$/],
    ['an unknown intrinsic tag', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Foo bar\n', 5, /^unknown intrinsic function tag !Foo$/],
    ['an unknown Fn:: function', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: { "Fn::Foo": [a] }\n', 5, /^unknown intrinsic function Fn::Foo$/],
    ['an unknown intrinsic in Outputs', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\nOutputs:\n  O:\n    Value: !Bar x\n', 6, /^unknown intrinsic function tag !Bar$/],
    ['a multi-document template', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n---\nb: 1\n', 4, /^a template must be a single YAML document$/],
    ['an alias bomb (line of the alias that expands it)', BOMB, 14, /alias bomb/],
  ])('%s', (_name, text, line, message) => {
    const started = performance.now();
    const error = failure(text);
    expect(performance.now() - started).toBeLessThan(1000);
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

  test('Fn::ForEach is reported as not expanded, the rest is scanned', () => {
    const result = readCloudFormation(
      't.yaml',
      'Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics:\n    - T\n    - [a, b]\n    - Topic${T}: { Type: AWS::SNS::Topic }\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties: { IsLogging: true }\n',
    );
    expect(result?.errors).toEqual([
      { file: 't.yaml', line: 3, column: 3, message: 'Fn::ForEach::Topics is not expanded: the resources it generates are not scanned' },
    ]);
    expect(result?.resources.map((r) => r.provenance.logicalId)).toEqual(['Trail']);
  });
});

test('an alias bomb behind `Resources: *alias` is an error, not "not a template"', () => {
  const text = `${BOMB.split('\n').slice(1, 10).join('\n')}\nResources: *i\n`;
  const error = failure(text);
  expect(error.message).toMatch(/alias bomb/);
  expect(error.line).toBe(10);
});
