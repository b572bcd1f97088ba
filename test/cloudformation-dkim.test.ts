// SESG-SES-006 on CloudFormation address identities: DKIM comes from the parent domain identity.
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const TEMPLATE = `Resources:
  OrgDomain:
    Type: AWS::SES::EmailIdentity
    Properties:
      EmailIdentity: example.org
      DkimAttributes: { SigningEnabled: false }
  Promo:
    Type: AWS::SES::EmailIdentity
    Properties: { EmailIdentity: promo@example.org }
  ComDomain:
    Type: AWS::SES::EmailIdentity
    Properties: { EmailIdentity: example.com }
  Alerts:
    Type: AWS::SES::EmailIdentity
    Properties: { EmailIdentity: alerts@mail.example.com }
  News:
    Type: AWS::SES::EmailIdentity
    Properties: { EmailIdentity: news@example.net }
`;

describe('DKIM of CloudFormation address identities', () => {
  it.each([
    ['Promo', 'fail'],
    ['Alerts', 'pass'],
    ['News', 'not-assessed'],
  ])('%s: %s', async (logicalId, expected) => {
    const r = await cli(['iac', 't.yaml', '--format', 'json', '--fail-on', 'none'], tempDir({ 't.yaml': TEMPLATE }));
    const results = JSON.parse(r.stdout);
    const failed = results.findings.some((f: { checkId: string; resource: { logicalId: string } }) => f.checkId === 'SESG-SES-006' && f.resource.logicalId === logicalId);
    const notAssessed = results.notAssessed.some((n: { checkId: string; logicalId: string }) => n.checkId === 'SESG-SES-006' && n.logicalId === logicalId);
    expect(failed ? 'fail' : notAssessed ? 'not-assessed' : 'pass').toBe(expected);
  });
});
