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
import type { Finding } from '../src/engine/types.js';
import { areaOf, CONTENT_SECURITY_POLICY, escapeHtml, html, INLINE_REMEDIATION_LIMIT, trailOf } from '../src/reporters/html.js';
import type { Results } from '../src/results.js';

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

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`reporters-html: browser tests skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH or install chromium)`);

describe.skipIf(!hasChromium)(`HTML report in Chromium (${CHROMIUM})`, { timeout: 30_000 }, () => {
  let context: BrowserContext;
  let dir: string;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sesguard-chromium-'));

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-html-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
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
    await page.goto(url, { waitUntil: 'load' });
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
    const { chromium } = await import('playwright-core');
    const noJsProfile = mkdtempSync(path.join(os.tmpdir(), 'sesguard-chromium-nojs-'));
    const noJs = await chromium.launchPersistentContext(noJsProfile, {
      executablePath: CHROMIUM,
      headless: true,
      javaScriptEnabled: false,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
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
