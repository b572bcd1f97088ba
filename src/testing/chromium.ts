// Headless Chromium for the HTML report's browser tests and bench B2: where it is, and the one way they launch
// it. playwright-core is a devDependency, loaded on use; this module is not part of the package (dist/testing).
import { existsSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run. Without Chromium they are skipped with a warning on a developer's machine, but
 * fail where `SESGUARD_REQUIRE_CHROMIUM` is set (.ci/run sets it): CI never passes with its browser tests skipped.
 */
export function chromiumForTests(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const why = `${suite}: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH or install chromium)`;
  if (process.env.SESGUARD_REQUIRE_CHROMIUM) throw new Error(`${why}; SESGUARD_REQUIRE_CHROMIUM is set, so the browser tests cannot be skipped`);
  console.warn(`${why}: browser tests skipped`);
  return false;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A headless Chromium with its own profile folder (the caller creates and removes it), no network chatter. */
export async function launchChromium(profile: string, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    ...(options.javaScriptEnabled === false ? { javaScriptEnabled: false } : {}),
  });
}
