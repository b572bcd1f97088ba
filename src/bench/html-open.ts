// Part of B2: opens an HTML report in headless Chromium and measures what its reader waits for — the first
// content painted and the page loaded (the page's own Paint and Navigation Timing, from navigation start, the
// browser already running) and the first filter and search applied, each until the layout is done. playwright-core is
// a devDependency, which is fine here: the bench is not part of the package. Without Chromium the figures
// say so instead of a number.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, launchChromium } from '../testing/chromium.js';


/** In the page: applies one filter control as a reader would, then forces style and layout; ms and the count shown. */
function applyInPage(id: string, value: string, event: 'change' | 'input'): string {
  return `(() => {
    const control = document.getElementById(${JSON.stringify(id)});
    const t0 = performance.now();
    control.value = ${JSON.stringify(value)};
    control.dispatchEvent(new Event(${JSON.stringify(event)}, { bubbles: true }));
    document.body.getBoundingClientRect();
    return { ms: performance.now() - t0, shown: document.getElementById('f-shown').textContent };
  })()`;
}

export async function openInChromium(file: string, search: string): Promise<Record<string, number | string>> {
  if (!existsSync(CHROMIUM)) return { 'HTML report in Chromium': `not measured: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` };
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sesguard-bench-chromium-'));
  const context = await launchChromium(profile);
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 300_000 });
    const loadMs = (await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")) as number;
    const paintMs = (await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")) as number;
    const rows = await page.locator('tbody.finding').count();
    // Severity high: in B2 every finding in the page is critical, so this hides all 5,000 rows (the most work).
    const filter = (await page.evaluate(applyInPage('f-severity', 'high', 'change'))) as { ms: number; shown: string };
    await page.click('#f-reset');
    const searched = (await page.evaluate(applyInPage('f-search', search, 'input'))) as { ms: number; shown: string };
    return {
      'HTML report in Chromium: findings in the page': rows,
      'HTML report in Chromium: open → first content ms': paintMs < 0 ? 'not reported' : Math.round(paintMs),
      'HTML report in Chromium: open → load event ms': Math.round(loadMs),
      'HTML report in Chromium: severity filter (high) ms': `${Math.round(filter.ms)} (${filter.shown})`,
      'HTML report in Chromium: search ms': `${Math.round(searched.ms)} (${searched.shown})`,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
