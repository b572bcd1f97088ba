// The HTML report for auditors: static checks that always run (escaping of hostile inputs, self-containment,
// CSP, sections present) and browser checks in a real Chromium driven by playwright-core (no request leaves
// the file, score/counts/heatmap/rows render, search and filters work, expanding shows evidence and
// remediation, print media shows every finding expanded). The browser part skips when Chromium is missing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Coverage, PrincipalTimeline } from '../src/detections/types.js';
import type { Finding, Severity } from '../src/engine/types.js';
import {
  areaOf,
  CONTENT_SECURITY_POLICY,
  escapeHtml,
  html,
  INLINE_REMEDIATION_LIMIT,
  MAX_FULL_FINDINGS,
  MAX_LIST_ROWS,
  MAX_NOT_ASSESSED_ROWS,
  MAX_REASONS_PER_CHECK,
  MAX_SCOPES_PER_REASON,
  MAX_TIMELINE_EVENTS,
  MAX_TIMELINE_PRINCIPALS,
  MAX_TIMELINE_ROWS,
  trailOf,
} from '../src/reporters/html.js';
import type { CheckSummary, Results } from '../src/results.js';
import { CHROMIUM, chromiumForTests, launchChromium } from '../src/testing/chromium.js';

const root = path.resolve(import.meta.dirname, '..');
const load = (name: string) => JSON.parse(readFileSync(path.join(root, 'fixtures/results', name), 'utf8')) as Results;
const iac = load('iac-results.json');
const scan = load('scan-results.json');

const HOSTILE_MESSAGE = 'bad <img src=x onerror="window.__pwned=1"> and </script><script>window.__pwned=2</script> & "quotes"';

/** The IaC fixture with a first finding whose file name, message, evidence and reason are attacks. */
function hostile(): Results {
  const r = structuredClone(iac);
  const f = r.findings[0];
  f.message = HOSTILE_MESSAGE;
  f.title = '<b>title</b>';
  f.resource = { ...f.resource, file: 'evil"><svg onload=alert(1)>.yaml', logicalId: '</td></tr></table><h1>x</h1>' };
  f.evidence = { template: '</script><script>window.__pwned=3</script>', nested: { tag: '<iframe src="https://evil.example/">' } };
  r.notAssessed[0].reason = '<img src=x onerror="window.__pwned=4">';
  r.errors[0].message = '<script>window.__pwned=5</script>';
  r.notices.push('<a href="https://evil.example/">click</a>');
  r.checks[0].references.push('javascript:alert(1)');
  r.checks[0].remediation.cli = '</pre><img src=x onerror="window.__pwned=6">';
  r.score.byFile = { ...r.score.byFile, 'evil"><svg onload=alert(1)>.yaml': 10 };
  return r;
}

/** A CloudTrail results document with a timeline in the shape `sesguard trail` produces. */
function trailResults(): Results {
  const finding: Finding = {
    checkId: 'SESG-DET-003',
    severity: 'high',
    title: 'Reconnaissance of SES across regions',
    message: 'AKIAEXAMPLE called GetSendQuota in 3 regions within 10 minutes.',
    resource: { type: 'aws.iam.principal', id: 'arn:aws:iam::111122223333:user/ci', name: 'ci', account: '111122223333', region: 'us-east-1' },
    evidence: { regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] },
    suppressed: null,
    fingerprint: 'det3',
  };
  const coverage: Coverage = {
    timeSpan: { start: '2026-11-23T02:00:00Z', end: '2026-11-23T04:00:00Z' },
    regions: ['us-east-1', 'eu-west-1'],
    accounts: ['111122223333'],
    eventCount: 1234,
    analysedEventCount: 1234,
    relevantEventCount: 3,
    malformedRecords: 0,
    skipped: [],
    dataEventsPresent: false,
    sesSendEventsPresent: false,
    detectionsSupported: [{ id: 'SESG-DET-001', supported: false, why: 'needs SES data events, which the logs do not hold' }],
    notes: ['management events only'],
  };
  const ci: PrincipalTimeline = {
    principal: 'arn:aws:iam::111122223333:user/ci',
    principalType: 'IAMUser',
    byAws: false,
    accounts: ['111122223333'],
    accessKeys: ['AKIAEXAMPLE'],
    sourceIps: ['203.0.113.7'],
    userAgents: ['aws-cli/2'],
    regions: ['us-east-1', 'eu-west-1'],
    firstSeen: '2026-11-23T03:00:01Z',
    lastSeen: '2026-11-23T03:02:00Z',
    eventCount: 2,
    entries: [
      { time: '2026-11-23T03:00:01Z', eventId: 'e1', eventName: 'GetSendQuota', eventSource: 'ses.amazonaws.com', region: 'us-east-1', sourceIp: '203.0.113.7', findings: ['SESG-DET-003'] },
      { time: '2026-11-23T03:02:00Z', eventId: 'e2', eventName: '<script>x</script>', eventSource: 'ses.amazonaws.com', region: 'eu-west-1', sourceIp: '203.0.113.7', errorCode: 'AccessDenied', findings: [] },
    ],
    truncated: false,
    sends: [],
  };
  // The minimal shape (`events` instead of `entries`), as results of other versions may carry it.
  const minimal = { principal: 'brief-shape', events: [{ time: '2026-11-23T03:05:00Z', eventName: 'ListIdentities', region: 'ap-south-1' }] } as unknown as PrincipalTimeline;
  const results: Results = {
    ...scan,
    kind: 'trail',
    findings: [finding],
    notAssessed: [],
    errors: [],
    incomplete: false,
    checks: [],
    score: { overall: null, coverage: 1, worst: null, byAccount: {}, byFile: {} },
    trail: { coverage, timeline: [ci, minimal] },
  };
  return results;
}

const LARGE_CHECKS: [string, Severity, string][] = [
  ['SESG-SES-001', 'critical', 'Sending-authorization policy lets anyone send from the identity'],
  ['SESG-IAM-001', 'high', 'Principal may send email from every SES identity'],
  ['SESG-NET-001', 'medium', 'Security group allows outbound SMTP (TCP 25) to the internet'],
  ['SESG-SES-003', 'low', 'Verified SES domain identity is not an approved domain'],
];

const accountOf = (i: number) => String(400000000000 + i * 7919);

/**
 * A live scan of `accounts` accounts × `regions` regions with one finding per check in each: with the defaults
 * 12,000 findings, 3,000 per severity, every seventh suppressed — more than the report shows in full.
 */
function largeResults(accounts = 300, regions = 10): Results {
  const checks: CheckSummary[] = LARGE_CHECKS.map(([id, severity, title]) => ({
    id,
    severity,
    title,
    sources: ['L'],
    rationale: `Why ${id} matters.`,
    remediation: { cli: `aws fix ${id}` },
    references: [],
    helpUri: `https://example.invalid/${id}`,
  }));
  const findings: Finding[] = [];
  const byAccount: Record<string, number> = {};
  for (let a = 0; a < accounts; a++) {
    const account = accountOf(a);
    byAccount[account] = 40 + (a % 50);
    for (let r = 0; r < regions; r++) {
      const region = `region-${String(r).padStart(2, '0')}`;
      for (const [id, severity, title] of LARGE_CHECKS) {
        const arn = `arn:aws:ses:${region}:${account}:identity/${id.toLowerCase()}.example.net`;
        findings.push({
          checkId: id,
          severity,
          title,
          message: `${title}: ${arn}`,
          resource: { type: 'aws.ses.identity', id: arn, name: `${id.toLowerCase()}.example.net`, arn, account, region },
          evidence: { identity: arn, reason: `evidence of ${id}` },
          suppressed: findings.length % 7 === 6 ? { source: 'config', reason: 'accepted in SEC-1' } : null,
          fingerprint: `fp-${findings.length}`,
        });
      }
    }
  }
  return {
    ...scan,
    findings,
    notAssessed: [],
    errors: [],
    notices: [],
    incomplete: false,
    checks,
    score: { overall: 60, coverage: 1, worst: { group: accountOf(0), score: 40 }, byAccount, byFile: {} },
    inputs: { files: [], skipped: [], accounts: Object.keys(byAccount).map((accountId) => ({ accountId, name: `acct-${accountId}`, status: 'scanned', regions: [] })) },
  };
}

describe('HTML report of an Organization: the most severe findings in full, every finding counted', () => {
  const large = largeResults();
  const page = html(large);
  const rows = [...page.matchAll(/<tbody class="finding sev-(\w+) status-(\w+)"[^>]* data-check="([^"]+)" data-group="([^"]+)"/g)].map((m) => ({
    severity: m[1],
    status: m[2],
    check: m[3],
    group: m[4],
  }));

  it(`shows ${MAX_FULL_FINDINGS} findings in full: every critical, then the most severe highs, open before suppressed`, () => {
    expect(rows).toHaveLength(MAX_FULL_FINDINGS);
    expect(rows.filter((r) => r.severity === 'critical')).toHaveLength(3000);
    expect(rows.filter((r) => r.severity === 'high')).toHaveLength(MAX_FULL_FINDINGS - 3000);
    expect(rows.filter((r) => r.severity === 'medium' || r.severity === 'low')).toHaveLength(0);
    // Display order: critical open, critical suppressed, then high open (those fill the rest).
    const ranks = rows.map((r) => ({ critical: 0, high: 2 })[r.severity as 'critical' | 'high'] + (r.status === 'suppressed' ? 1 : 0));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(rows.filter((r) => r.severity === 'high' && r.status === 'suppressed')).toHaveLength(0);
  });

  it('says how many findings are not shown, per severity, and where they all are', () => {
    const hidden = large.findings.length - MAX_FULL_FINDINGS;
    expect(page).toContain(`data-testid="not-shown" data-hidden="${hidden}"`);
    expect(page).toContain(`<strong>7,000 of 12,000 findings are not shown in full in this report.</strong>`);
    expect(page).toContain('Shown in full: critical 3,000 of 3,000 · high 2,000 of 3,000 · medium 0 of 3,000 · low 0 of 3,000.');
    expect(page).toContain('every finding is in the JSON results');
    expect(page).toContain(`5,000 of 5,000 shown · 7,000 more not in this report (JSON results)`);
    expect(page).toContain('<h2>Findings <span class="muted">(5,000 of 12,000 in full)</span></h2>');
  });

  it('counts every finding by severity, account × area and check × account, shown in full or not', () => {
    const low = large.findings.filter((f) => f.severity === 'low');
    const lowOpen = low.filter((f) => !f.suppressed).length;
    expect(lowOpen).toBeGreaterThan(2000);
    expect(page).toContain(`data-testid="open-low">${lowOpen.toLocaleString('en-US')}<`);
    expect(page).toContain(`data-testid="suppressed-low">${low.length - lowOpen}<`);
    const account = accountOf(5);
    const cell = new RegExp(`<td class="heat sev-low" data-area="SES" data-group="${account}" data-count="(\\d+)"`);
    const ses = large.findings.filter((f) => f.resource.account === account && areaOf(f.checkId) === 'SES' && !f.suppressed);
    expect(ses.some((f) => f.severity === 'critical')).toBe(true);
    expect(page).not.toMatch(cell);
    expect(page).toContain(`data-area="SES" data-group="${account}" data-count="${ses.length}"`);
    // Findings by check: one row per check with every finding, how many are in full, and the accounts.
    const byCheck = page.slice(page.indexOf('<section id="by-check"'), page.indexOf('</section>', page.indexOf('<section id="by-check"')));
    expect(byCheck.match(/<tr data-check=/g)).toHaveLength(LARGE_CHECKS.length);
    const row = byCheck.slice(byCheck.indexOf('<tr data-check="SESG-SES-003">'));
    expect(row).toContain(
      `<td class="num" data-testid="by-check-open">${lowOpen.toLocaleString('en-US')}</td><td class="num">${low.length - lowOpen}</td><td class="num" data-testid="by-check-shown">0</td><td><details><summary>300 accounts</summary>`,
    );
    expect(row).toContain(`<li><span class="mono">${accountOf(0)}</span> <span class="count">10</span></li>`);
    expect(byCheck).toContain('<tr data-check="SESG-SES-001">');
    expect(byCheck.slice(byCheck.indexOf('<tr data-check="SESG-SES-001">'))).toMatch(/data-testid="by-check-shown">3,000</);
  });

  it('counts every open finding by severity × area, with totals, and a cell lists them', () => {
    const section = page.slice(page.indexOf('<section id="severity-area"'), page.indexOf('</section>', page.indexOf('<section id="severity-area"')));
    const open = (severity: Severity, area?: string) =>
      large.findings.filter((f) => !f.suppressed && f.severity === severity && (area === undefined || areaOf(f.checkId) === area)).length;
    // The fixture: critical and low are SES checks, high IAM, medium NET.
    for (const [severity, area] of [['critical', 'SES'], ['high', 'IAM'], ['medium', 'NET'], ['low', 'SES']] as const) {
      const n = open(severity, area);
      expect(n).toBeGreaterThan(2000);
      expect(section).toContain(`<button type="button" class="cell" data-severity="${severity}" data-area="${area}" data-count="${n}">${n.toLocaleString('en-US')}</button>`);
      expect(section).toContain(`data-testid="severity-all-${severity}">${open(severity).toLocaleString('en-US')}<`);
    }
    expect(section).toContain('<td class="heat clean" data-severity="critical" data-area="IAM" data-count="0"><span class="zero">0</span></td>');
    const allOpen = large.findings.filter((f) => !f.suppressed).length;
    expect(section).toContain(`data-testid="severity-all">${allOpen.toLocaleString('en-US')}<`);
    expect(section).toContain(`<td class="area-total" data-area="SES">${(open('critical', 'SES') + open('low', 'SES')).toLocaleString('en-US')}</td>`);
    expect(html({ ...large, findings: large.findings.map((f) => ({ ...f, suppressed: { source: 'config', reason: 'accepted' } })) })).not.toContain('id="severity-area"');
  });

  it('stays within the size bound: large evidence shows fewer findings in full, and says so', () => {
    const heavy = largeResults(20, 10);
    for (const f of heavy.findings) f.evidence = { blob: 'x'.repeat(15_000) };
    const bounded = html(heavy, { maxFindingsChars: 2_000_000 });
    const shown = bounded.match(/<tbody class="finding /g)?.length ?? 0;
    expect(shown).toBeGreaterThan(50);
    expect(shown).toBeLessThan(200);
    expect(bounded.length).toBeLessThan(2_500_000);
    expect(bounded).toContain(`data-hidden="${heavy.findings.length - shown}"`);
  });

  it('keeps a small run as it was: every finding in full, no cap banner, no by-check summary', () => {
    for (const results of [iac, scan]) {
      const small = html(results);
      expect(small.match(/<tbody class="finding /g)).toHaveLength(results.findings.length);
      expect(small).not.toContain('id="not-shown"');
      expect(small).not.toContain('id="by-check"');
      expect(small).toContain(`${results.findings.length} of ${results.findings.length} shown<`);
    }
  });

  it('cuts long lists (heatmap, accounts, not-assessed scopes) and says how many are left out', () => {
    const many = largeResults(MAX_LIST_ROWS + 5, 1);
    many.notAssessed = Array.from({ length: MAX_SCOPES_PER_REASON + 3 }, (_, i) => ({ checkId: 'SESG-ACC-003', account: accountOf(i), reason: 'GetAccount failed: AccessDenied' }));
    const cut = html(many, { maxFindings: 10 });
    const heat = cut.slice(cut.indexOf('<section id="heatmap"'), cut.indexOf('</section>', cut.indexOf('<section id="heatmap"')));
    expect(heat.match(/<tr><th scope="row"/g)).toHaveLength(MAX_LIST_ROWS);
    expect(heat).toContain('… and 5 more accounts, each scoring at least');
    expect(cut).toContain('… and 5 more accounts: the JSON results list them.');
    expect(cut).toContain('… and 3 more scopes: the JSON results list them.');
  });
});

describe('HTML report without a browser', () => {
  it('escapes every character that could open markup', () => {
    expect(escapeHtml('<a href="x">\'&')).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;');
  });

  it('renders hostile file names, messages, evidence and reasons as text', () => {
    const page = html(hostile());
    // The only script element is the report's own, and it is the last thing in the body.
    expect(page.match(/<script\b/gi)).toHaveLength(1);
    expect(page.match(/<\/script>/gi)).toHaveLength(1);
    expect(page).not.toMatch(/<img\b/i);
    expect(page).not.toMatch(/<svg onload/i);
    expect(page).not.toMatch(/<iframe/i);
    expect(page).not.toMatch(/<[^>]*\sonerror=/i);
    expect(page).not.toMatch(/<h1>x<\/h1>/);
    expect(page).not.toContain('<b>title</b>');
    expect(page).toContain('bad &#60;img src=x onerror=&#34;window.__pwned=1&#34;&#62; and &#60;/script&#62;');
    expect(page).toContain('&#60;/script&#62;&#60;script&#62;window.__pwned=3&#60;/script&#62;');
    expect(page).toContain('&#60;img src=x onerror=&#34;window.__pwned=4&#34;&#62;');
    expect(page).not.toContain('href="javascript:');
  });

  it('is self-contained: a strict CSP, and nothing loads from or links to the network', () => {
    for (const results of [iac, scan, hostile(), trailResults()]) {
      const page = html(results);
      expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`);
      expect(page).not.toMatch(/\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\//i);
      expect(page).not.toMatch(/@import|url\(\s*['"]?(?:https?:)?\/\//i);
      expect(page).not.toMatch(/\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/);
      expect(page).not.toMatch(/<(?:link|script|img|iframe)[^>]*\s(?:src|href)=["'](?!data:|#)/i);
    }
    expect(CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:");
  });

  it('shows score, severity counts, heatmap groups, findings, not assessed, errors and notices', () => {
    const page = html(iac);
    expect(page).toContain('data-testid="overall">39.5<');
    expect(page).toContain('data-testid="coverage">90.0 %<');
    expect(page).toMatch(/data-testid="worst"><span class="mono">infra\/main\.tf<\/span> 23\.1</);
    expect(page).toContain('data-testid="open-critical">1<');
    for (const file of Object.keys(iac.score.byFile)) expect(page).toContain(`data-group="${file}"`);
    expect(page.match(/<tbody class="finding /g)).toHaveLength(iac.findings.length);
    expect(page).toContain('id="not-assessed"');
    expect(page).toContain('YAML parse error: bad indentation of a mapping entry');
    expect(page).toContain('templates/broken.yaml:3:7');
    expect(page).toContain('suppression of SESG-NET-002 for templates/mail.yaml#LegacySg expired');
  });

  it('says when a run is incomplete', () => {
    expect(html(scan)).toContain('class="banner incomplete"');
    expect(html({ ...iac, errors: [], incomplete: false })).not.toContain('class="banner incomplete"');
  });

  it('shows suppressed findings with their reason', () => {
    const page = html(iac);
    const suppressed = iac.findings.find((f) => f.suppressed);
    expect(suppressed).toBeDefined();
    expect(page).toContain(`data-status="suppressed"`);
    expect(page).toContain(escapeHtml(suppressed?.suppressed?.reason ?? 'missing'));
  });

  it('shows a trend block only with a baseline, with the fixed count when given', () => {
    expect(html(iac)).not.toContain('id="trend"');
    const page = html(scan, { baselineFixed: 4 });
    expect(page).toContain('data-testid="trend-new">2<');
    expect(page).toContain('data-testid="trend-unchanged">2<');
    expect(page).toContain('data-testid="trend-fixed">4<');
    expect(html(scan)).toContain('data-testid="trend-fixed">—<');
  });

  it('groups by area from the check id and reads the trail timeline in both shapes', () => {
    expect(areaOf('SESG-IAM-001')).toBe('IAM');
    expect(areaOf('SESG-DET-010')).toBe('DET');
    expect(trailOf(iac)).toBeUndefined();
    const trail = trailOf(trailResults());
    expect(trail?.timeline.map((t) => [t.principal, t.events.length])).toEqual([
      ['arn:aws:iam::111122223333:user/ci', 2],
      ['brief-shape', 1],
    ]);
    const page = html(trailResults());
    expect(page).toContain('CloudTrail timeline');
    expect(page).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(page).toContain('203.0.113.7');
  });

  it('bounds Not assessed of an Organization: the most frequent reasons per check, a budget of scope rows, each cut said', () => {
    const many = largeResults(10, 1);
    const accounts = 400;
    const checks = ['SESG-ACC-001', 'SESG-ACC-002', 'SESG-ACC-003', 'SESG-MON-001'];
    // Per check: one reason shared by 150 accounts (an SCP), then one reason per account naming it.
    many.notAssessed = checks.flatMap((checkId) =>
      Array.from({ length: accounts }, (_, i) => ({
        checkId,
        account: accountOf(i),
        region: 'eu-south-2',
        reason: i < 150 ? 'explicit deny in a service control policy' : `AccessDenied: arn:aws:sts::${accountOf(i)}:assumed-role/SesguardReadOnly is not authorized`,
      })),
    );
    const page = html(many, { maxFindings: 10 });
    const section = page.slice(page.indexOf('<section id="not-assessed"'), page.indexOf('</section>', page.indexOf('<section id="not-assessed"')));
    const perCheck = section.split('<div class="na-check"').slice(1);
    expect(perCheck).toHaveLength(checks.length);
    for (const block of perCheck) {
      const reasons = [...block.matchAll(/<div class="reason">([^<]*) <span class="muted">\((\d+)\)<\/span>/g)];
      expect(reasons).toHaveLength(MAX_REASONS_PER_CHECK);
      expect(reasons[0].slice(1)).toEqual(['explicit deny in a service control policy', '150']);
      const left = accounts - 150 - (MAX_REASONS_PER_CHECK - 1);
      expect(block).toContain(`… and ${left} more reasons (${left} scopes): the JSON results list them.`);
    }
    expect(section.match(/<li class="mono">/g)).toHaveLength(checks.length * (MAX_SCOPES_PER_REASON + MAX_REASONS_PER_CHECK - 1));
    expect(section).toContain('… and 50 more scopes: the JSON results list them.');
    // A budget smaller than what the reasons hold: the scope rows stop there, and each reason says what it left out.
    expect(MAX_NOT_ASSESSED_ROWS).toBeGreaterThan(checks.length * (MAX_SCOPES_PER_REASON + MAX_REASONS_PER_CHECK));
    const wide = largeResults(10, 1);
    wide.notAssessed = Array.from({ length: MAX_NOT_ASSESSED_ROWS + 500 }, (_, i) => ({
      checkId: `SESG-ACC-${String(100 + Math.floor(i / MAX_SCOPES_PER_REASON / MAX_REASONS_PER_CHECK)).padStart(3, '0')}`,
      resourceId: `arn:aws:ses:eu-west-1:${accountOf(i % 1000)}:identity/r${i}.example.net`,
      reason: `reason ${Math.floor(i / MAX_SCOPES_PER_REASON)}`,
    }));
    const bounded = html(wide, { maxFindings: 10 });
    const na = bounded.slice(bounded.indexOf('<section id="not-assessed"'), bounded.indexOf('</section>', bounded.indexOf('<section id="not-assessed"')));
    expect(na.match(/<li class="mono">/g)).toHaveLength(MAX_NOT_ASSESSED_ROWS);
    expect(na).toContain(`… and ${MAX_SCOPES_PER_REASON} more scopes: the JSON results list them.`);
  });

  it('bounds the timeline of an Organization: principals that fed a finding first, then a number of principals and of rows, each cut said', () => {
    const base = trailResults();
    const events = 120;
    const principals = MAX_TIMELINE_PRINCIPALS + 50;
    const timeline = Array.from({ length: principals }, (_, p) => ({
      principal: `arn:aws:iam::111122223333:role/app-${String(p).padStart(3, '0')}`,
      firstSeen: `2026-11-23T03:${String(p % 60).padStart(2, '0')}:00Z`,
      eventCount: events,
      // The last ten principals in the results' order fed a finding: the page lists them first.
      entries: Array.from({ length: events }, (_, e) => ({
        time: '2026-11-23T03:00:00Z',
        eventId: `p${p}-e${e}`,
        eventName: 'SendRawEmail',
        findings: p >= principals - 10 && e === 0 ? ['SESG-DET-005'] : [],
      })),
    }));
    const page = html({ ...base, trail: { ...base.trail, timeline } as unknown as Results['trail'] });
    const section = page.slice(page.indexOf('<section id="timeline"'), page.indexOf('</section>', page.indexOf('<section id="timeline"')));
    const listed = [...section.matchAll(/<div class="principal" data-principal="([^"]+)"/g)].map((m) => m[1]);
    expect(listed).toHaveLength(MAX_TIMELINE_PRINCIPALS);
    expect(listed.slice(0, 10)).toEqual(timeline.slice(-10).map((t) => t.principal));
    expect(listed[10]).toBe(timeline[0].principal);
    expect(section.match(/<td class="mono nowrap">/g)).toHaveLength(MAX_TIMELINE_ROWS);
    const full = Math.floor(MAX_TIMELINE_ROWS / events);
    expect(section).toContain(`(${events * (full + 1) - MAX_TIMELINE_ROWS} left out here)`);
    expect(section.split(`(${events} left out here)`).length - 1).toBe(MAX_TIMELINE_PRINCIPALS - full - 1);
    expect(section).toContain(`… and 50 more principals (${(50 * events).toLocaleString('en-US')} events in their timelines): the JSON results hold every timeline.`);
    expect(MAX_TIMELINE_EVENTS).toBeGreaterThan(events);
  });

  it('inlines remediation per finding up to a limit, then points to the Checks section', () => {
    expect(html(iac).match(/class="code remediation-cli"/g)?.length).toBeGreaterThan(1);
    const many = structuredClone(iac);
    many.findings = Array.from({ length: INLINE_REMEDIATION_LIMIT + 1 }, (_, i) => ({ ...iac.findings[1], fingerprint: `fp${i}` }));
    const page = html(many);
    // Once per check in the Checks section, never per finding.
    expect(page.match(/class="code remediation-cli"/g)?.length).toBe(iac.checks.filter((c) => c.remediation.cli).length);
    expect(page).toContain(`href="#check-${iac.findings[1].checkId}"`);
  });
});

// ---------------------------------------------------------------------------------------------------------

const hasChromium = chromiumForTests('reporters-html');

describe.skipIf(!hasChromium)(`HTML report in Chromium (${CHROMIUM})`, { timeout: 30_000 }, () => {
  let context: BrowserContext;
  let dir: string;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sesguard-chromium-'));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-html-'));
    context = await launchChromium(profile);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  interface Opened {
    page: Page;
    url: string;
    requests: string[];
    problems: string[];
  }

  async function open(name: string, results: Results, options = {}): Promise<Opened> {
    const file = path.join(dir, name);
    writeFileSync(file, html(results, options));
    const url = pathToFileURL(file).href;
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    // A large report on a loaded machine may take a while to load; how long is B2's business, not the tests'.
    await page.goto(url, { waitUntil: 'load', timeout: 180_000 });
    return { page, url, requests, problems };
  }

  const visibleRows = (page: Page) => page.locator('tbody.finding:visible').count();

  it('live scan: nothing leaves the page; score, counts, heatmap and rows render', async () => {
    const { page, url, requests, problems } = await open('scan.html', scan, { baselineFixed: 1 });
    try {
      await expect.poll(() => page.locator('#f-shown').textContent()).toBe(`${scan.findings.length} of ${scan.findings.length} shown`);
      expect(await page.locator('[data-testid=score]').textContent()).toBe('52.5');
      expect(await page.locator('[data-testid=overall]').textContent()).toBe('52.5');
      expect(await page.locator('[data-testid=coverage]').textContent()).toBe('94.1 %');
      expect(await page.locator('[data-testid=worst]').textContent()).toBe('444455556666 40.0');
      expect(await page.locator('[data-testid=open-high]').textContent()).toBe('3');
      expect(await page.locator('[data-testid=suppressed-medium]').textContent()).toBe('1');
      expect(await page.locator('[data-testid=trend-new]').textContent()).toBe('2');
      // Heatmap: the ACC cell of account 444455556666 holds its open SES account finding, coloured high.
      const cell = page.locator('td.heat[data-group="444455556666"][data-area="ACC"]');
      expect(await cell.getAttribute('class')).toContain('sev-high');
      expect(await cell.textContent()).toBe(String(scan.findings.filter((f) => !f.suppressed && f.resource.account === '444455556666' && areaOf(f.checkId) === 'ACC').length));
      expect(await page.locator('td.heat[data-group="111122223333"][data-area="NET"]').textContent()).toBe('0');
      expect(await visibleRows(page)).toBe(scan.findings.length);
      expect(await page.locator('.banner.incomplete').isVisible()).toBe(true);
      expect(await page.locator('#not-assessed .na-check').count()).toBe(new Set(scan.notAssessed.map((n) => n.checkId)).size);
      expect(await page.locator('#errors').textContent()).toContain('could not assume role SesguardAudit');
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('IaC: search, filters and heatmap cells narrow the rows; expanding shows evidence and remediation', async () => {
    const { page, url, requests, problems } = await open('iac.html', iac);
    try {
      const total = iac.findings.length;
      expect(await visibleRows(page)).toBe(total);

      await page.fill('#f-search', 'delegate-all');
      expect(await visibleRows(page)).toBe(1);
      expect(await page.locator('tbody.finding:visible').getAttribute('data-check')).toBe('SESG-SES-001');
      expect(await page.locator('#f-shown').textContent()).toBe(`1 of ${total} shown`);
      await page.fill('#f-search', 'no such text anywhere');
      expect(await visibleRows(page)).toBe(0);
      expect(await page.locator('#f-none').isVisible()).toBe(true);
      await page.fill('#f-search', '');

      await page.selectOption('#f-severity', 'high');
      expect(await visibleRows(page)).toBe(iac.findings.filter((f) => f.severity === 'high').length);
      await page.click('#f-reset');
      await page.selectOption('#f-area', 'NET');
      expect(await visibleRows(page)).toBe(iac.findings.filter((f) => areaOf(f.checkId) === 'NET').length);
      await page.click('#f-reset');
      await page.selectOption('#f-status', 'suppressed');
      expect(await visibleRows(page)).toBe(iac.findings.filter((f) => f.suppressed).length);
      await page.click('#f-reset');

      // A heatmap number lists the open findings of that file and area.
      const expected = iac.findings.filter((f) => !f.suppressed && f.resource.file === 'templates/mail.yaml' && areaOf(f.checkId) === 'IAM').length;
      expect(expected).toBe(2);
      expect(await page.locator('td.heat[data-group="templates/mail.yaml"][data-area="IAM"]').textContent()).toBe('2');
      await page.click('td.heat[data-group="templates/mail.yaml"][data-area="IAM"] button.cell');
      expect(await visibleRows(page)).toBe(expected);
      await page.click('#f-reset');

      // Expanding the critical finding shows its evidence and the check's remediation.
      const row = page.locator('tbody.finding[data-check="SESG-SES-001"]');
      expect(await row.locator('tr.detail').isVisible()).toBe(false);
      await row.locator('button.toggle').click();
      expect(await row.locator('button.toggle').getAttribute('aria-expanded')).toBe('true');
      const evidence = row.locator('pre.evidence');
      expect(await evidence.isVisible()).toBe(true);
      expect(JSON.parse((await evidence.textContent()) ?? '')).toEqual(iac.findings.find((f) => f.checkId === 'SESG-SES-001')?.evidence);
      const check = iac.checks.find((c) => c.id === 'SESG-SES-001');
      expect(await row.locator('.rationale').textContent()).toBe(check?.rationale);
      expect(await row.locator('.remediation').isVisible()).toBe(true);
      await row.locator('tr.summary td.mono').click();
      expect(await row.locator('tr.detail').isVisible()).toBe(false);

      const screenshot = path.join(os.tmpdir(), 'sesguard-html-iac.png');
      await row.locator('button.toggle').click();
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(existsSync(screenshot)).toBe(true);

      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('print media shows every finding expanded, filters hidden, no dark background', async () => {
    const { page } = await open('print.html', iac);
    try {
      await page.fill('#f-search', 'delegate-all');
      expect(await visibleRows(page)).toBe(1);
      await page.emulateMedia({ media: 'print' });
      expect(await visibleRows(page)).toBe(iac.findings.length);
      expect(await page.locator('tr.detail:visible').count()).toBe(iac.findings.length);
      expect(await page.locator('.controls').isVisible()).toBe(false);
      expect(await page.locator('header.top').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 255, 255)');
      expect(await page.locator('#findings').evaluate((el) => getComputedStyle(el).breakBefore)).toBe('page');
      await page.screenshot({ path: path.join(os.tmpdir(), 'sesguard-html-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
      expect(await visibleRows(page)).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('a hostile template stays text: no script runs, no element is injected, nothing is fetched', async () => {
    const { page, url, requests, problems } = await open('hostile.html', hostile());
    try {
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img, iframe, svg[onload], h1 + h1').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1);
      expect(await page.locator('tbody.finding .message').first().textContent()).toBe(HOSTILE_MESSAGE);
      const evidence = await page.locator('tbody.finding pre.evidence').first().textContent();
      expect(JSON.parse(evidence ?? '')).toEqual(hostile().findings[0].evidence);
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('without JavaScript every finding is shown expanded', async () => {
    const noJsProfile = mkdtempSync(path.join(os.tmpdir(), 'sesguard-chromium-nojs-'));
    const noJs = await launchChromium(noJsProfile, { javaScriptEnabled: false });
    try {
      const file = path.join(dir, 'nojs.html');
      writeFileSync(file, html(iac));
      const page = await noJs.newPage();
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator('tr.detail:visible').count()).toBe(iac.findings.length);
      expect(await page.locator('pre.evidence:visible').count()).toBe(iac.findings.length);
    } finally {
      await noJs.close();
      rmSync(noJsProfile, { recursive: true, force: true });
    }
  });

  it(`an Organization-sized report (1,000 accounts as in B2, 12,000 findings, ${MAX_FULL_FINDINGS} in full) says how many are not shown; filter, sort, expand, heatmap, severity × area and by-check work`, { timeout: 600_000 }, async () => {
    const large = largeResults(1000, 3);
    const { page, url, requests, problems } = await open('large.html', large);
    try {
      const shownText = (n: number) => `${n.toLocaleString('en-US')} of 5,000 shown · 7,000 more not in this report (JSON results)`;
      expect(await page.locator('#f-shown').textContent()).toBe(shownText(MAX_FULL_FINDINGS));
      expect(await page.locator('#not-shown').isVisible()).toBe(true);
      expect(await page.locator('#not-shown').textContent()).toContain('7,000 of 12,000 findings are not shown in full in this report.');
      expect(await page.locator('tbody.finding').count()).toBe(MAX_FULL_FINDINGS);

      // Filters.
      await page.selectOption('#f-severity', 'high');
      expect(await page.locator('#f-shown').textContent()).toBe(shownText(2000));
      await page.selectOption('#f-severity', 'low');
      expect(await page.locator('#f-shown').textContent()).toBe(shownText(0));
      expect(await page.locator('#f-none').isVisible()).toBe(true);
      await page.click('#f-reset');
      // Search by account: its criticals (one per region) and its highs among the 2,000 shown.
      const account = accountOf(7);
      const ofAccount = await page.locator(`tbody.finding[data-group="${account}"]`).count();
      expect(ofAccount).toBeGreaterThanOrEqual(3);
      await page.fill('#f-search', account);
      expect(await page.locator('#f-shown').textContent()).toBe(shownText(ofAccount));
      expect(await visibleRows(page)).toBe(ofAccount);
      await page.click('#f-reset');

      // Sorting: by check (IAM before SES), reversed on a second click, back to severity.
      const firstCheck = () => page.locator('tbody.finding').first().getAttribute('data-check');
      expect(await firstCheck()).toBe('SESG-SES-001');
      await page.click('button.sort[data-sort="check"]');
      expect(await firstCheck()).toBe('SESG-IAM-001');
      expect(await page.locator('th:has(button.sort[data-sort="check"])').getAttribute('aria-sort')).toBe('ascending');
      await page.click('button.sort[data-sort="check"]');
      expect(await firstCheck()).toBe('SESG-SES-001');
      expect(await page.locator('th:has(button.sort[data-sort="check"])').getAttribute('aria-sort')).toBe('descending');
      await page.click('button.sort[data-sort="resource"]');
      const resources = await page.locator('tbody.finding .res').evaluateAll((els) => els.slice(0, 50).map((e) => e.textContent ?? ''));
      expect(resources).toEqual([...resources].sort());
      await page.click('button.sort[data-sort="severity"]');
      expect(await page.locator('tbody.finding').first().getAttribute('id')).toBe('finding-0');

      // Expanding a finding shows its evidence.
      const row = page.locator('tbody.finding').first();
      expect(await row.locator('tr.detail').isVisible()).toBe(false);
      await row.locator('button.toggle').click();
      expect(await row.locator('pre.evidence').isVisible()).toBe(true);
      expect(JSON.parse((await row.locator('pre.evidence').textContent()) ?? '')).toMatchObject({ reason: 'evidence of SESG-SES-001' });

      // A heatmap cell whose findings are not in the page says so.
      const net = large.findings.filter((f) => f.resource.account === accountOf(0) && areaOf(f.checkId) === 'NET' && !f.suppressed).length;
      await page.click(`td.heat[data-group="${accountOf(0)}"][data-area="NET"] button.cell`);
      expect(await visibleRows(page)).toBe(0);
      expect(await page.locator('#f-cell-note').textContent()).toBe(
        `This heatmap cell holds ${net} open findings; 0 of them are shown in full here and the other ${net} are not in this report: the JSON results list every finding.`,
      );
      await page.click('#f-reset');
      expect(await page.locator('#f-cell-note').isVisible()).toBe(false);

      // A severity × area cell lists its open findings in the page and says how many are not in it.
      const highIam = large.findings.filter((f) => !f.suppressed && f.severity === 'high' && areaOf(f.checkId) === 'IAM').length;
      await page.click('#severity-area button.cell[data-severity="high"][data-area="IAM"]');
      expect(await page.locator('#f-severity').inputValue()).toBe('high');
      expect(await page.locator('#f-area').inputValue()).toBe('IAM');
      expect(await visibleRows(page)).toBe(2000);
      expect(await page.locator('#f-cell-note').textContent()).toBe(
        `This severity × area cell holds ${highIam.toLocaleString('en-US')} open findings; 2,000 of them are shown in full here and the other ${(highIam - 2000).toLocaleString('en-US')} are not in this report: the JSON results list every finding.`,
      );
      await page.click('#f-reset');
      expect(await page.locator('#f-cell-note').isVisible()).toBe(false);

      // Findings by check: every check, its accounts with their counts.
      const low = page.locator('#by-check tr[data-check="SESG-SES-003"]');
      await low.locator('summary').click();
      expect(await low.locator('ol.group-counts li').count()).toBe(1000);
      expect(await page.locator('#heatmap tbody tr').count()).toBe(1000);
      expect(await low.locator('ol.group-counts li').first().isVisible()).toBe(true);

      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('trail results: a per-principal timeline', async () => {
    const { page, url, requests } = await open('trail.html', trailResults());
    try {
      expect(await page.locator('#timeline .principal').count()).toBe(2);
      expect(await page.locator('#timeline .principal').first().locator('tbody tr').count()).toBe(2);
      expect(await page.locator('#timeline').textContent()).toContain('<script>x</script>');
      // A trail report opens on the investigation, not on a posture gauge.
      expect(await page.locator('[data-testid=score]').count()).toBe(0);
      expect(await page.locator('[data-testid=incident-detections]').textContent()).toBe('0 of 1 could work on these logs');
      expect(requests).toEqual([url]);
    } finally {
      await page.close();
    }
  });
});
