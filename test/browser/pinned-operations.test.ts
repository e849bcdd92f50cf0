import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, type TestBrowser } from './browser.ts';
import { signIn } from './console-steps.ts';
import { type RunningServer, startServer } from './server.ts';
import { demoAccount, goTo } from './sweep-steps.ts';

// The plain (not server-paged) wide tables with an 操作 column keep it on screen at 1366×768: pinned right,
// the rest of the table scrolls under it (the server-paged tables are covered by the sweep's check).
let server: RunningServer;
let browser: TestBrowser;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
  },
  { timeout: 900_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

const PAGES = [
  { path: '/hospital-monitoring/compliance/schedules', heading: '规则集调度' },
  { path: '/hospital-monitoring/indicators', heading: '自定义指标' },
] as const;

test('at 1366×768 the 操作 column of the plain wide tables (规则集, 自定义指标) stays on screen, pinned right', { timeout: 180_000 }, async () => {
  const { context, page } = await newPage(browser, server.url, { viewport: { width: 1366, height: 768 } });
  try {
    await signIn(page, demoAccount('city_admin'));
    for (const p of PAGES) {
      await goTo(page, p.path);
      await page.getByRole('heading', { name: p.heading, level: 1 }).waitFor();
      const header = page
        .locator('.ant-table-thead th')
        .filter({ hasText: /^操作$/ })
        .first();
      await header.waitFor();
      const box = await header.boundingBox();
      assert.ok(box, `${p.heading}: the operation column has a header`);
      assert.ok(box.x >= 0 && box.x + box.width <= 1366, `${p.heading}: 操作 column at x=${box.x}..${box.x + box.width}, viewport 1366 wide`);
      assert.match((await header.getAttribute('class')) ?? '', /ant-table-cell-fix/, `${p.heading}: pinned (fixed right)`);
    }
  } finally {
    await context.close();
  }
});
