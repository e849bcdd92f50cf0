import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, type TestBrowser } from './browser.ts';
import { signIn } from './console-steps.ts';
import { type RunningServer, startServer } from './server.ts';
import { axeSerious, DEMO_USERNAMES, demoAccount, goTo, menuPages, PageWatch, type Problem, visitTabs } from './sweep-steps.ts';

// The console as a newcomer meets it: every demo role signs in, opens every page of its menu and every tab
// on it. Any response ≥ 400, uncaught error or console error fails the test, listed by role › page › tab.
// One product instance and one browser; the roles run in sequence, each in a fresh browser context.
// For the first role (the city administrator sees every page) axe-core checks the sign-in page, the home page
// and every page of the menu against WCAG 2 A/AA: any critical or serious violation fails the test too.
let server: RunningServer;
let browser: TestBrowser;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
  },
  { timeout: 900_000 },
); // a first run builds the world template (minutes on a busy machine)

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function sweepRole(b: Browser, username: string, withAxe: boolean): Promise<{ problems: Problem[]; pages: number; tabs: number }> {
  // bypassCSP: the product's Content-Security-Policy would refuse the injected axe-core script.
  const { context, page } = await newPage({ browser: b, close: async () => undefined }, server.url, { bypassCSP: withAxe });
  const watch = new PageWatch(page);
  const axe = async () => {
    if (!withAxe) return;
    for (const v of await axeSerious(page)) {
      watch.add(
        `无障碍 ${v.impact} ${v.id}（${v.help}）: ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
      );
    }
  };
  let pages = 0;
  let tabs = 0;
  try {
    watch.where = `${username} › 登录`;
    await page.goto('/login');
    await watch.settle();
    await axe();
    await signIn(page, demoAccount(username));
    watch.where = `${username} › 首页`;
    await watch.settle();
    await axe();
    for (const p of await menuPages(page)) {
      const label = `${username} › ${p.title} (${p.path})`;
      watch.where = label;
      await goTo(page, p.path);
      try {
        await page.getByRole('heading', { name: p.title, level: 1 }).waitFor({ timeout: 15_000 });
      } catch {
        watch.add('页面标题（h1）未出现');
      }
      await watch.settle();
      await axe();
      tabs += await visitTabs(page, watch, label);
      pages++;
    }
  } finally {
    await context.close();
  }
  return { problems: watch.problems, pages, tabs };
}

test('every demo role opens every page and tab of its menu without a failed request or an error; no serious accessibility violation', {
  timeout: 1_500_000,
}, async () => {
  const all: Problem[] = [];
  const seen: string[] = [];
  for (const username of DEMO_USERNAMES) {
    const r = await sweepRole(browser.browser, username, username === 'city_admin');
    all.push(...r.problems);
    seen.push(`${username}: ${r.pages} 页 ${r.tabs} 个标签`);
  }
  // The sweep must have looked at something for every role.
  assert.ok(
    seen.every((s) => !/: 0 页/.test(s)),
    seen.join('\n'),
  );
  assert.deepEqual(
    all.map((p) => `${p.where}: ${p.what}`),
    [],
    `${all.length} problems:\n${all.map((p) => `- ${p.where}: ${p.what}`).join('\n')}`,
  );
});

test('at 1366×768 the operation column of a wide table stays on screen (pinned right)', { timeout: 180_000 }, async () => {
  const { context, page } = await newPage(browser, server.url, { viewport: { width: 1366, height: 768 } });
  try {
    await signIn(page, demoAccount('district_admin_huangpu'));
    await goTo(page, '/platform/users');
    await page.getByRole('heading', { name: '用户与角色', level: 1 }).waitFor();
    const header = page
      .locator('.ant-table-thead th')
      .filter({ hasText: /^操作$/ })
      .first();
    await header.waitFor();
    const box = await header.boundingBox();
    assert.ok(box, 'the operation column has a header');
    assert.ok(box.x >= 0 && box.x + box.width <= 1366, `操作 column at x=${box.x}..${box.x + box.width}, viewport 1366 wide`);
    assert.match((await header.getAttribute('class')) ?? '', /ant-table-cell-fix/, 'pinned (fixed right), not just lucky');
  } finally {
    await context.close();
  }
});
