// A call answered with a body that is not AWS's (an emulator's or a proxy's HTML 404) is reported as
// "HTTP 404 from <endpoint>/<path>", not as the JSON or XML parse error the SDK raises (issue #8 item 4), for
// every wire protocol the scan speaks; AWS's own errors keep their names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotAnAwsResponse, nonAwsResponseMiddleware, requestUrl } from '../src/sources/aws/non-aws-response.js';
import { collectCloudWatch, collectEc2, collectIam, collectSes, staticScope } from '../src/sources/aws/collectors/index.js';
import { describeAwsError } from '../src/sources/aws/types.js';
import { startFakeAws, type FakeAws, type Scenario } from '../src/testing/fake-aws/index.js';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const scenario: Scenario = {
  organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: ACCOUNT, roots: [{ Id: 'r-ab12' }] },
  accounts: [{ Id: ACCOUNT, Name: 'emulated', parentId: 'r-ab12', enabledRegions: [REGION] }],
};

let fake: FakeAws;
let scope: ReturnType<typeof staticScope>;
beforeAll(async () => {
  fake = await startFakeAws(scenario, {
    faults: [
      { service: 'sesv2', operation: 'GetAccount', error: 'HtmlNotFound' },
      { service: 'iam', operation: 'GetAccountAuthorizationDetails', error: 'HtmlNotFound' },
      { service: 'cloudwatch', operation: 'DescribeAlarms', error: 'HtmlNotFound' },
      { service: 'ec2', operation: 'DescribeSecurityGroups', error: 'AccessDenied' },
      { service: 'ec2', operation: 'DescribeNetworkAcls', error: 'HtmlNotFound' },
    ],
  });
  scope = staticScope({ endpoint: fake.endpoint, accountId: ACCOUNT, credentials: { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 's' } });
});
afterAll(async () => {
  scope.destroy();
  await fake.close();
});

describe('an HTML 404 in place of an AWS answer', () => {
  it('restJson (SESv2 GetAccount): the Unknown names the status, endpoint and path', async () => {
    const ses = await collectSes(scope, { region: REGION, alarms: [], notificationIntervalMs: 0 });
    const account = ses.resources.find((r) => r.type === 'aws.ses.account');
    expect((account?.props as { productionAccessEnabled: unknown }).productionAccessEnabled).toEqual({
      $unknown: `ses:GetAccount failed: HTTP 404 from ${fake.endpoint}/v2/email/account`,
    });
  });

  it.each([
    ['awsQuery (IAM)', () => collectIam(scope), 'iam:GetAccountAuthorizationDetails'],
    ['awsJson1_0 (CloudWatch)', () => collectCloudWatch(scope, REGION), 'cloudwatch:DescribeAlarms'],
    ['ec2Query (EC2)', () => collectEc2(scope, REGION), 'ec2:DescribeNetworkAcls'],
  ])('%s: the call error says HTTP 404 from the endpoint, not a parse error', async (_name, collect, call) => {
    const { errors } = await collect();
    const error = errors.find((e) => e.call === call);
    expect(error?.error).toBe(`HTTP 404 from ${fake.endpoint}/`);
  });

  it("AWS's own errors keep their names", async () => {
    const { errors } = await collectEc2(scope, REGION);
    expect(errors.find((e) => e.call === 'ec2:DescribeSecurityGroups')?.error).toMatch(/^UnauthorizedOperation/);
  });
});

describe('nonAwsResponseMiddleware on its own', () => {
  const request = { protocol: 'http:', hostname: 'localhost', port: 4566, path: '/v2/email/account' };
  const failing = (error: unknown) => nonAwsResponseMiddleware(async () => Promise.reject(error));

  it('rewrites a parse failure of a non-AWS page', async () => {
    const parse = Object.assign(new SyntaxError('Unexpected token \'<\', "<!DOCTYPE "... is not valid JSON'), {
      $metadata: { httpStatusCode: 404 },
      $response: { statusCode: 404, headers: { 'content-type': 'text/html' } },
    });
    const error = await failing(parse)({ request }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAnAwsResponse);
    expect(describeAwsError(error)).toBe('HTTP 404 from http://localhost:4566/v2/email/account');
  });

  it('leaves an AWS error alone, even a 404', async () => {
    const aws = Object.assign(new Error('Topic does not exist'), {
      name: 'NotFoundException',
      $metadata: { httpStatusCode: 404 },
      $response: { statusCode: 404, headers: { 'content-type': 'application/json' } },
    });
    expect(await failing(aws)({ request }).catch((e: unknown) => e)).toBe(aws);
  });

  it('leaves errors without an HTTP answer alone (timeouts, connection refused)', async () => {
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    expect(await failing(timeout)({ request }).catch((e: unknown) => e)).toBe(timeout);
  });

  it('names the endpoint as the request had it', () => {
    expect(requestUrl({ protocol: 'https:', hostname: 'email.eu-west-1.amazonaws.com', path: '/v2/email/account' })).toBe(
      'https://email.eu-west-1.amazonaws.com/v2/email/account',
    );
    expect(requestUrl(undefined)).toBe('(unknown endpoint)');
  });
});
