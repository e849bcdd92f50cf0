import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, openMenu, paintedPixels, pickOption, signIn, tableRows, text } from './console-steps.ts';
import type { RunningServer } from './server.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

let server: RunningServer;
let page: Page;
let session: ConsoleSession | undefined;
const pageErrors: string[] = [];
before(
  async () => {
    session = await openConsole(pageErrors);
    ({ server, page } = session);
  },
  { timeout: 300_000 },
);
after(() => session?.close());

test('标签规则, the tag filter of 签约管理, and 签约服务监管 drilled city → district → centre with its donut', { timeout: 240_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '重点人群标签规则');
    await tableRows(page).first().waitFor();
    assert.equal(await tableRows(page).count(), 11);
    assert.match(await text(tableRows(page).first()), /65岁及以上老年人.*周岁年龄 大于等于 65/s);
    await screenshot(page, 'kp-01-rules');

    await openMenu(page, '签约管理');
    await tableRows(page).first().waitFor();
    const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/family-doctor/contracts?') && r.url().includes('tag=elderly'));
    await pickOption(page, page.getByTestId('fd-tag'), '65岁及以上老年人');
    assert.equal((await filtered).status(), 200);
    await page.waitForTimeout(500);
    const rows = tableRows(page);
    await rows.first().waitFor();
    for (let i = 0; i < Math.min(5, await rows.count()); i++) {
      const age = Number((await text(rows.nth(i).locator('td').nth(4))).trim());
      assert.ok(age >= 65, `row ${i}: age ${age}`);
    }
    await screenshot(page, 'kp-02-contracts-elderly');

    await openMenu(page, '签约服务监管');
    await tableRows(page).first().waitFor();
    const districtName = (await text(page.getByTestId('drill-link').first())).trim();
    await page.getByTestId('drill-link').first().click();
    await page.locator('.ant-breadcrumb').getByText(districtName).waitFor();
    await page.waitForTimeout(800);
    assert.ok((await text(page.locator('.ant-table-thead'))).includes('社区卫生服务中心'));
    await tableRows(page).first().waitFor();
    await page.getByTestId('drill-link').first().click();
    await page.waitForTimeout(800);
    assert.ok((await text(page.locator('.ant-table-thead'))).includes('家庭医生'));
    assert.equal((await page.locator('.ant-breadcrumb-item, .ant-breadcrumb li:not(.ant-breadcrumb-separator)').count()) >= 3, true);
    await screenshot(page, 'fs-01-daily-doctors');
    await page.getByRole('tab', { name: '重点人群续约' }).click();
    await page.locator('canvas').first().waitFor();
    await page.waitForTimeout(1200);
    assert.ok((await paintedPixels(page, 'canvas')) > 500, 'the donut is drawn');
    await screenshot(page, 'fs-02-key-population-donut');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'fs-fail').catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\n${server.output().slice(-2000)}`);
  }
});
