import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, openMenu, signIn, tableRows, text } from './console-steps.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

let page: Page;
let session: ConsoleSession | undefined;
const pageErrors: string[] = [];
before(
  async () => {
    session = await openConsole(pageErrors);
    ({ page } = session);
  },
  { timeout: 300_000 },
);
after(() => session?.close());

test('术语与分类代码: pinyin search → concept detail, recommendation, a change request the drafter cannot approve', { timeout: 240_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '术语与分类代码');
    await page.getByTestId('term-search').locator('input').fill('gxy');
    await page.getByTestId('term-search').locator('input').press('Enter');
    await page.getByTestId('term-hit').first().waitFor();
    assert.match(await text(page.getByTestId('term-hit').first()), /高血压/);
    await page.getByTestId('term-hit').first().click();
    await page.getByTestId('concept-panel').getByText('拼音首字母：gxy').waitFor();
    assert.match(await text(page.getByTestId('concept-panel')), /循环系统疾病|I10/);
    await screenshot(page, 'term-01-browse');

    await page.getByRole('tab', { name: '编码推荐' }).click();
    await page.getByTestId('recommend-text').fill('2型糖尿病');
    await page.getByRole('button', { name: '推荐编码' }).click();
    const pane = page.getByTestId('recommend-table');
    await tableRows(page, pane).first().waitFor({ timeout: 60_000 });
    assert.match(await text(tableRows(page, pane).first()), /E11\.900[\s\S]*2型糖尿病/);
    await screenshot(page, 'term-02-recommend');

    await page.getByRole('tab', { name: '变更申请' }).click();
    await page.getByTestId('new-change-request').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '起草代码变更申请' });
    await modal.getByLabel('标题').fill('浏览器测试：新增扩展码');
    await modal.getByPlaceholder('代码', { exact: true }).fill('I10.x00x990');
    await modal.getByPlaceholder('名称（新增/改名）').fill('测试性高血压');
    await modal.getByPlaceholder('上级代码（新增/移动）').fill('I10.x00');
    await modal.getByRole('button', { name: '保存草稿' }).click();
    await modal.waitFor({ state: 'hidden' });
    await tableRows(page, page.getByTestId('cr-table')).filter({ hasText: '浏览器测试：新增扩展码' }).click();
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.locator('.ant-drawer-open').getByText('本申请由您起草或提交，须由他人审核').waitFor();
    await screenshot(page, 'term-03-change-request');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'term-failure');
    throw e;
  }
});
