// Headless Chromium for the HTML report's browser tests and bench B2: where it is, and the one way they launch
// it. playwright-core is a devDependency, loaded on use; this module is not part of the package (dist/testing).
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
