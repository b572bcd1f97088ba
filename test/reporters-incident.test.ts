// The trail report as an incident responder opens it, and every report as an auditor prints it. Static checks
// (always): the trail report opens on coverage, the timeline and the actions instead of a score gauge; lanes,
// spans and steps follow the findings; text from the logs stays text inside the SVG. In Chromium (skipped without
// it): the one investigation of CloudTrail and VPC Flow Logs renders with nothing fetched, the SVG draws every
// open finding, the actions carry their commands; printed, each check's guidance appears once, in the appendix,
// and the bundled demo's Organization report prints to fewer pages than findings plus appendix checks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { writeDay } from '../src/detections/generate.js';
import { APPROVED_RELAY, writeFlowDay } from '../src/detections/generate-flows.js';
import { html } from '../src/reporters/html.js';
import { renderMarkdown } from '../src/reporters/markdown.js';
import { incidentPicture, MAX_LANES, timelineSvg } from '../src/reporters/html/incident.js';
import { PRINT_EVIDENCE_LINES } from '../src/reporters/html/print.js';
import type { Results } from '../src/results.js';
import { CHROMIUM, chromiumForTests, launchChromium } from '../src/testing/chromium.js';
import { cli, tempDir } from './helpers.js';

let investigation: Results;
let demoOrg: Results;
let demoDir: string;

beforeAll(async () => {
  const d = tempDir({ 'sesguard.yaml': `approvedMailRelays: [${APPROVED_RELAY}/32]\n` });
  writeDay(path.join(d, 'logs'), {});
  writeFlowDay(path.join(d, 'logs'), {});
  const r = await cli(['trail', 'logs', '--format', 'json', '--fail-on', 'none'], d);
  investigation = JSON.parse(r.stdout) as Results;
  demoDir = tempDir();
  await cli(['demo', '--quiet'], demoDir);
  demoOrg = JSON.parse(readFileSync(path.join(demoDir, 'sesguard-report', 'org-scan-results.json'), 'utf8')) as Results;
}, 120_000);

describe('the trail Markdown summary', () => {
  it('names both sources and lists what to do now, each command in its own code block', () => {
    const md = renderMarkdown(investigation);
    expect(md).toContain('incident detections (CloudTrail, VPC Flow Logs)');
    const actions = investigation.trail?.actions ?? [];
    expect(actions.length).toBeGreaterThan(0);
    expect(md.indexOf('## What to do now')).toBeLessThan(md.indexOf('## Timeline by principal'));
    for (const a of actions.slice(0, 30)) expect(md).toContain(`   ${a.command.split('\n')[0]}`);
    expect(md).toMatch(/1\. \*\*contain\*\*: /);
  });

  it('keeps a command with backticks inside its block, and says when results carry no actions', () => {
    const trail = investigation.trail as NonNullable<Results['trail']>;
    const tricky = { ...investigation, trail: { ...trail, actions: [{ step: 'contain' as const, action: 'x', command: 'aws ses x --name ```a```', because: [] }] } };
    const md = renderMarkdown(tricky);
    expect(md).toContain('   ````sh\n   aws ses x --name ```a```\n   ````');
    const old = { ...investigation, trail: { coverage: trail.coverage, timeline: trail.timeline } };
    expect(renderMarkdown(old)).toContain('These results carry no response actions');
  });
});

describe('the trail report opens on the incident', () => {
  it('coverage, timeline and actions first; no score gauge or heatmap', () => {
    const page = html(investigation);
    const order = ['id="overview"', 'id="incident"', 'id="actions"', 'id="findings"'].map((s) => page.indexOf(s));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(page).not.toContain('class="gauge');
    expect(page).not.toContain('id="heatmap"');
    // A scan report keeps its posture.
    expect(html(demoOrg)).toContain('class="gauge');
  });

  it('one span per open finding, numbered in time order, on the lane of its principal, key or workload', () => {
    const picture = incidentPicture(investigation);
    const open = investigation.findings.filter((f) => !f.suppressed);
    expect(picture?.steps.map((s) => s.finding.fingerprint).sort()).toEqual(open.map((f) => f.fingerprint).sort());
    const starts = picture?.steps.map((s) => s.start) ?? [];
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const lanes = new Map(picture?.lanes.map((l) => [l.key, l]));
    expect(lanes.get('principal arn:aws:iam::111122223333:user/ci-deploy')?.spans.map((s) => s.finding.checkId)).toContain('SESG-DET-006');
    expect(lanes.get('key AKIAI44QH8DHBEXAMPLE')?.spans.map((s) => s.finding.checkId)).toEqual(['SESG-DET-007']);
    expect(picture?.lanes.filter((l) => l.kind === 'workload').map((l) => l.label).sort()).toEqual(['eni-0f10a0000000000a4', 'eni-0f10a0000000000a5', 'i-0a1b2c3d4e5f60789']);
    // The key lane shows the key's own calls as ticks, failed ones marked.
    expect(lanes.get('key AKIAIOSFODNN7EXAMPLE')?.ticks.some((t) => t.failed)).toBe(true);
    const svg = timelineSvg(picture!);
    expect(svg.match(/<g class="span /g)).toHaveLength(open.length);
    expect(svg).toContain('class="span sev-medium attempt"');
    // The relay and the group opened for it are joined.
    expect(svg).toMatch(/<line class="related"[^>]*><title>mail-port flows from a workload in the same account followed/);
  });

  it('text from the logs stays text in the SVG; lanes beyond the cap are counted, not drawn', () => {
    const hostile = structuredClone(investigation);
    hostile.findings[0].evidence.principal = 'arn:aws:iam::111122223333:user/</text><script>alert(1)</script>';
    hostile.findings[0].message = '<img src=x onerror=alert(1)>';
    const svg = timelineSvg(incidentPicture(hostile)!);
    expect(svg).not.toMatch(/<script|<img/);
    expect(svg).toContain('&#60;img src=x onerror=alert(1)&#62;');
    const crowded = structuredClone(investigation);
    crowded.findings = Array.from({ length: MAX_LANES + 5 }, (_, i) => ({ ...investigation.findings[0], fingerprint: `fp${i}`, resource: { ...investigation.findings[0].resource, id: `arn:aws:iam::111122223333:user/u${i}` }, evidence: { ...investigation.findings[0].evidence, principal: `arn:aws:iam::111122223333:user/u${i}` } }));
    const picture = incidentPicture(crowded)!;
    expect([picture.lanes.length, picture.moreLanes, picture.steps.length]).toEqual([MAX_LANES, 5, MAX_LANES + 5]);
    expect(html(crowded)).toContain('5 more lane(s) are not drawn; their findings are numbered in the list.');
  });

  it('results without actions (an older version) say so instead of an empty table; no finding, nothing to draw', () => {
    const old = structuredClone(investigation);
    delete (old.trail as { actions?: unknown }).actions;
    expect(html(old)).toContain('These results carry no response actions');
    const quiet = structuredClone(investigation);
    quiet.findings = [];
    (quiet.trail as { actions?: unknown[] }).actions = [];
    expect(html(quiet)).toContain('No open finding: nothing to draw.');
    expect(html(quiet)).toContain('No open finding calls for an action.');
  });
});

// ---------------------------------------------------------------------------------------------------------

const hasChromium = chromiumForTests('reporters-incident');

describe.skipIf(!hasChromium)(`the incident and the printed report in Chromium (${CHROMIUM})`, { timeout: 60_000 }, () => {
  let context: BrowserContext;
  let dir: string;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sesguard-chromium-incident-'));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-incident-'));
    context = await launchChromium(profile);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (demoDir) rmSync(demoDir, { recursive: true, force: true });
  });

  async function open(name: string, results: Results): Promise<{ page: Page; url: string; requests: string[]; problems: string[] }> {
    const file = path.join(dir, name);
    writeFileSync(file, html(results));
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

  async function printedPages(page: Page): Promise<number> {
    const pdf = await page.pdf({ format: 'A4' });
    return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
  }

  it('the investigation: timeline drawn, actions with their commands, nothing fetched', async () => {
    const { page, url, requests, problems } = await open('incident.html', investigation);
    try {
      const open = investigation.findings.filter((f) => !f.suppressed).length;
      const svg = page.locator('#incident svg.incident-timeline');
      expect(await svg.isVisible()).toBe(true);
      expect((await svg.boundingBox())?.width).toBeGreaterThan(900);
      expect(await page.locator('#incident svg g.span').count()).toBe(open);
      expect(await page.locator('#incident ol.steps li').count()).toBe(open);
      // Each span is inside the drawing's plot, left to right in time.
      const xs = await page.locator('#incident svg g.span rect').evaluateAll((rects) => rects.map((r) => (r as SVGRectElement).getBBox().x));
      expect(Math.min(...xs)).toBeGreaterThan(250);
      expect(await page.locator('[data-testid=span-flows]').textContent()).toMatch(/^2026-11-23 00:00 – 2026-11-23 23:5\d UTC · \d+ records/);
      const commands = await page.locator('#actions pre.command').allTextContents();
      expect(commands).toContain('aws iam update-access-key --user-name ci-deploy --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive');
      expect(commands.some((c) => c.startsWith("aws ec2 revoke-security-group-egress --group-id sg-0a77ac4e1bad25e25 --ip-permissions 'IpProtocol=tcp,FromPort=25,ToPort=25"))).toBe(true);
      expect(commands.some((c) => c.includes('modify-network-interface-attribute --network-interface-id eni-0f10b0000000000b1'))).toBe(true);
      expect(await page.locator('.gauge').count()).toBe(0);
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
      await page.emulateMedia({ media: 'print' });
      expect(await svg.isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('printed: guidance once per check in the appendix, findings point to it; the demo Organization report stays short', async () => {
    const { page } = await open('org.html', demoOrg);
    try {
      const onScreen = await printedPages(page);
      await page.emulateMedia({ media: 'print' });
      const findings = demoOrg.findings.length;
      const checksWithFindings = new Set(demoOrg.findings.map((f) => f.checkId)).size;
      expect(await page.locator('.inline-guidance:visible').count()).toBe(0);
      expect(await page.locator('p.appendix-ref:visible').count()).toBe(findings);
      expect(await page.locator('#checks .check:visible').count()).toBe(checksWithFindings);
      expect(await page.locator('#checks .check:visible pre.remediation-cli').count()).toBe(demoOrg.checks.filter((c) => c.remediation.cli && demoOrg.findings.some((f) => f.checkId === c.id)).length);
      expect(await page.locator('#checks h2').textContent()).toMatch(/^Appendix — Checks that ran/);
      // page.pdf prints with print media whatever was emulated: the count is the printed one.
      const pages = await printedPages(page);
      expect(pages).toBe(onScreen);
      expect(pages).toBeLessThan(findings + checksWithFindings);
      // The same report with the guidance repeated in every finding (the old print) is much longer.
      await page.addStyleTag({ content: '@media print { .inline-guidance { display: block !important; } }' });
      expect(await printedPages(page)).toBeGreaterThan(pages * 1.4);
      await page.emulateMedia({ media: 'screen' });
      const display = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).display);
      expect(await display('.inline-guidance')).toBe('block');
      expect(await display('p.appendix-ref')).toBe('none');
    } finally {
      await page.close();
    }
  });

  it('printed: long evidence is cut with a note saying where all of it is', async () => {
    const { page } = await open('trail-print.html', investigation);
    try {
      await page.emulateMedia({ media: 'print' });
      const cut = page.locator('pre.evidence.print-cut');
      expect(await cut.count()).toBeGreaterThan(0);
      const height = await cut.first().evaluate((el) => el.getBoundingClientRect().height);
      const line = await cut.first().evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
      expect(height).toBeLessThan((PRINT_EVIDENCE_LINES + 4) * line);
      expect(await page.locator('p.evidence-cut:visible').count()).toBe(await cut.count());
      await page.emulateMedia({ media: 'screen' });
      expect(await page.locator('p.evidence-cut').first().isVisible()).toBe(false);
    } finally {
      await page.close();
    }
  });
});
