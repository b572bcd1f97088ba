// The failed-calls notice of a live scan: grouped by call and error, naming where, from the not-assessed reasons
// the collectors write (an Unknown's `… failed: Name: message`, a failed listing's `call: Name: message`).
import { describe, expect, it } from 'vitest';
import type { NotAssessed } from '../src/engine/types.js';
import { failedCalls, failedCallsNotice } from '../src/failed-calls.js';

const na = (reason: string, account?: string, region?: string): NotAssessed => ({ checkId: 'SESG-X-001', reason, ...(account ? { account } : {}), ...(region ? { region } : {}) });

describe('failedCalls', () => {
  it.each([
    ['an Unknown property', na('enforcementStatus: ses:GetAccount failed: AccessDeniedException: not authorized', '111122223333', 'eu-west-1'), { call: 'ses:GetAccount', error: 'AccessDeniedException', places: ['111122223333/eu-west-1'] }],
    ['a failed listing', na('ses:ListEmailIdentities: TooManyRequestsException: slow down', '111122223333', 'us-east-1'), { call: 'ses:ListEmailIdentities', error: 'TooManyRequestsException', places: ['111122223333/us-east-1'] }],
    ['a global service', na('iam:GetAccountAuthorizationDetails: AccessDenied: no', '111122223333'), { call: 'iam:GetAccountAuthorizationDetails', error: 'AccessDenied', places: ['111122223333'] }],
    ['a role assumption', na('sts:AssumeRole into arn:aws:iam::111122223333:role/Audit failed: AccessDenied: no', '111122223333'), { call: 'sts:AssumeRole', error: 'AccessDenied', places: ['111122223333'] }],
    ['a timeout', na('alarms: cloudwatch:DescribeAlarms failed: TimeoutError: socket hang up', '111122223333', 'us-east-1'), { call: 'cloudwatch:DescribeAlarms', error: 'TimeoutError', places: ['111122223333/us-east-1'] }],
  ])('%s', (_name, entry, expected) => {
    expect(failedCalls([entry])).toEqual({ calls: [expected], pairs: 1 });
  });

  it.each([
    ['an Unknown that is no failed call', na('policies[0].document: customer managed policy arn:aws:iam::111122223333:policy/x is not in the scanned files')],
    ['the Organization not read', na('the Organization was not read: scan with --org from the management account', '111122223333')],
  ])('%s is not one', (_name, entry) => {
    expect(failedCalls([entry])).toEqual({ calls: [], pairs: 0 });
    expect(failedCallsNotice([entry])).toBeNull();
  });

  it('groups by call and error, most widespread first; places distinct and sorted; skipped accounts left out', () => {
    const entries = [
      na('a: ses:GetAccount failed: AccessDeniedException: x', '222222222222', 'us-east-1'),
      na('b: ses:GetAccount failed: AccessDeniedException: x', '222222222222', 'us-east-1'),
      na('alarms: cloudwatch:DescribeAlarms failed: AccessDenied: x', '333333333333', 'us-east-1'),
      na('alarms: cloudwatch:DescribeAlarms failed: AccessDenied: x', '111111111111', 'eu-west-1'),
      na('sts:AssumeRole into arn:aws:iam::444444444444:role/A failed: AccessDenied: x', '444444444444'),
    ];
    expect(failedCalls(entries, new Set(['444444444444']))).toEqual({
      calls: [
        { call: 'cloudwatch:DescribeAlarms', error: 'AccessDenied', places: ['111111111111/eu-west-1', '333333333333/us-east-1'] },
        { call: 'ses:GetAccount', error: 'AccessDeniedException', places: ['222222222222/us-east-1'] },
      ],
      pairs: 4,
    });
  });
});

describe('failedCallsNotice', () => {
  it('names each call, its error and where, in one line', () => {
    expect(failedCallsNotice([na('x: ses:GetAccount failed: AccessDeniedException: m', '222222222222', 'eu-west-1')])).toBe(
      "1 (check, resource) pair(s) not assessed because AWS calls failed: ses:GetAccount (AccessDeniedException) in 222222222222/eu-west-1 (each pair's reason in notAssessed)",
    );
  });
  it('an Organization-sized failure stays one short line: places and calls are cut, with counts', () => {
    const entries = Array.from({ length: 7 }, (_, c) =>
      Array.from({ length: 200 }, (_, a) => na(`p: svc:Call${c} failed: AccessDenied: m`, String(100000000000 + a), 'us-east-1')),
    ).flat();
    const notice = failedCallsNotice(entries)!;
    expect(notice).not.toContain('\n');
    expect(notice.length).toBeLessThan(800);
    expect(notice).toMatch(/^1400 \(check, resource\) pair\(s\) not assessed because AWS calls failed: svc:Call0 \(AccessDenied\) in 200 places \(100000000000\/us-east-1, 100000000001\/us-east-1, 100000000002\/us-east-1, …\); /);
    expect(notice).toMatch(/; and 2 more call\(s\) \(each pair's reason in notAssessed\)$/);
  });
});
