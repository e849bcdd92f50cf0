import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { CITY_ADMIN } from './accounts.ts';
import { launchBrowser, newPage, screenshot, type TestBrowser } from './browser.ts';
import { assert, openMenu, pickOption, signIn, tableRows, text } from './console-steps.ts';
import { type RunningServer, startServer } from './server.ts';

let server: RunningServer;
let browser: TestBrowser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, server.url));
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, { timeout: 300_000 });
after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

test('规则管理 → 立即运行 → 监测总览 → 病例列表 → 病例详情; 新建规则预览', { timeout: 180_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '监测规则管理');
    await tableRows(page).first().waitFor();
    assert.ok((await tableRows(page).count()) >= 5);
    await page.getByTestId('run-all').click();
    await page.waitForTimeout(4000);
    await screenshot(page, 'cm-01-rules');
    // Builder: daily count shape, preview.
    await page.getByRole('button', { name: '新建规则' }).click();
    const modal = page.locator('.ant-modal');
    await pickOption(page, modal.getByLabel('监测类别'), '合理收费');
    await modal.getByLabel('规则名称').fill('同日 B超 超过 1 次');
    await modal.getByText('同一患者同一天某收费项目次数超过 N').click();
    await pickOption(page, modal.getByLabel('收费项目', { exact: true }), 'B超检查');
    await modal.getByLabel('每日次数超过').fill('1');
    await page.getByTestId('rule-preview').click();
    await page.getByTestId('rule-preview-result').waitFor();
    const pv = await text(page.getByTestId('rule-preview-result'));
    assert.match(pv, /命中 \d+ 条/);
    await screenshot(page, 'cm-02-builder');
    await page.getByTestId('rule-save').click();
    await modal.waitFor({ state: 'detached' });
    await openMenu(page, '合规监测总览');
    await page.getByTestId('card-reasonable_fee').waitFor();
    assert.equal(await page.locator('[data-testid^=card-]').count(), 11);
    await page.getByTestId('card-reasonable_fee').click();
    await tableRows(page).first().waitFor();
    await screenshot(page, 'cm-03-overview');
    await tableRows(page).first().getByRole('button', { name: '病例详情' }).click();
    await page.locator('.ant-drawer-open').getByRole('heading', { name: '收费明细' }).waitFor();
    await screenshot(page, 'cm-04-case');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'cm-fail').catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\n${server.output().slice(-2000)}`);
  }
});
