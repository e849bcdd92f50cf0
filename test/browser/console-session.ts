import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPage, type TestBrowser } from './browser.ts';
import { type RunningServer, type StartOptions, startServer } from './server.ts';

export interface ConsoleSession {
  server: RunningServer;
  browser: TestBrowser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * The set-up most browser test files share: the product on a fresh copy of the demo world, Chromium,
 * one page whose uncaught errors land in `pageErrors`. `close` stops all of it.
 */
export async function openConsole(pageErrors: string[], opts: StartOptions = {}): Promise<ConsoleSession> {
  const server = await startServer(opts);
  const browser = await launchBrowser();
  const { context, page } = await newPage(browser, server.url);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    server,
    browser,
    context,
    page,
    async close() {
      await context.close();
      await browser.close();
      await server.stop();
    },
  };
}
