import type { Browser, Page } from 'playwright-core';
import { UnsupportedError } from '../errors.js';
import { PAGE_API, type BrowserDevice, type PageApi, type PageEnvironment } from './protocol.js';
import type { PageServer } from './serve.js';

/**
 * A fresh page on albench's measuring page, and the environment it reports. In a module of their
 * own so that browser-bench's declarations, which the library exports, name no playwright-core type
 * (playwright-core is a devDependency: a user's TypeScript would not find it).
 */

const PAGE_READY_TIMEOUT_MS = 30_000;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** Collects what the page reports as broken, so a failure says why instead of timing out. */
function watchPage(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

export async function openPage(browser: Browser, server: PageServer): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const errors = watchPage(page);
  await page.goto(server.url);
  try {
    await page.waitForFunction((api) => api in globalThis, PAGE_API, { timeout: PAGE_READY_TIMEOUT_MS });
  } catch (e) {
    throw new UnsupportedError(`browser-bench: the measuring page did not start in Chromium: ${errors.join('; ') || messageOf(e)}`, e);
  }
  return page;
}

export async function pageEnvironment(browser: Browser, server: PageServer, device: BrowserDevice, allowSoftwareAdapter: boolean): Promise<PageEnvironment> {
  const page = await openPage(browser, server);
  try {
    const ask = [PAGE_API, device, allowSoftwareAdapter] as const;
    return await page.evaluate(([api, d, allow]) => (globalThis as unknown as Record<string, PageApi>)[api]!.environment(d, allow), ask);
  } finally {
    await page.context().close();
  }
}
