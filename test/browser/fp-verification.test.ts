// 婚姻核对、报出生户口核对、基础编码 in the console: the city pulls 民政 marriages and a month of 公安 birth
// registrations from the data-platform simulator (the jobs run in the server), sees the audited cases and
// marks one invalid, maps an unmapped 派出所 code to a street, and downloads the 基础编码 workbook.
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Simulator, startSimulator } from '../../server/src/platform/integration/simulators/simulator.ts';
import { dataPlatformSimulator, dataPlatformStore } from '../../server/src/platform/integration/simulators/systems/data-platform.ts';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, signIn, tableRows, text } from './console-steps.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

let ui: ConsoleSession;
let page: Page;
let platform: Simulator;
const pageErrors: string[] = [];
before(
  async () => {
    // HMAC-SM3 here: the server's SM2 key is generated inside the server process.
    platform = await startSimulator({ ...dataPlatformSimulator, auth: 'hmac-sm3' });
    ui = await openConsole(pageErrors, {
      prepare: (env) => {
        env.WEIJIAN_WORLD_RESIDENTS = '3000';
        env.WEIJIAN_DATA_PLATFORM_URL = platform.url;
        env.WEIJIAN_DATA_PLATFORM_AUTH = 'hmac-sm3';
      },
    });
    page = ui.page;
  },
  { timeout: 300_000 },
);
after(async () => {
  await ui?.close();
  await platform?.stop();
});

async function waitForRows(scope: ReturnType<Page['locator']>, refresh: () => Promise<void>, what: string) {
  const end = Date.now() + 90_000;
  for (;;) {
    if ((await tableRows(page, scope).count()) > 0) return;
    assert.ok(Date.now() < end, `${what}\n${ui.server.output().slice(-2000)}`);
    await page.waitForTimeout(1500);
    await refresh();
  }
}

test('婚姻核对：拉取 → 个案与自动审核 → 标记无效 → 日志与统计', { timeout: 300_000 }, async () => {
  await signIn(page, CITY_ADMIN);
  await page.getByTestId('side-menu').getByRole('menuitem', { name: '婚姻信息核对' }).waitFor({ state: 'attached' });
  await page.goto('/family-planning/marriage-verification?tab=pull');
  await page.getByRole('button', { name: '拉取民政婚姻数据' }).click();
  await page.getByText(/已排入后台任务/).waitFor();
  await page.goto('/family-planning/marriage-verification');
  await waitForRows(page.locator('.ant-table'), () => page.reload().then(() => page.locator('.ant-table').first().waitFor()), 'no cases after the pull');
  assert.ok(dataPlatformStore(platform).marriages.pulls >= 1, 'the server pulled from the simulator');
  assert.equal(platform.stats.signatureFailures, 0);
  // The synthetic registrants are not in the world: the audit asks for a person.
  assert.match(await text(page.locator('.ant-table').first()), /待人工匹配/);
  await tableRows(page).first().getByRole('button').first().click();
  const drawer = page.locator('.ant-drawer-open');
  await drawer.getByText('自动审核', { exact: true }).waitFor();
  assert.match(await text(drawer), /未能在人口库中匹配/);
  await drawer.getByLabel('处理说明').fill('民政重复推送，无需核对');
  await drawer.getByRole('button', { name: '标记无效' }).click();
  await page.getByText('已标记无效').first().waitFor();
  await drawer.getByText('人工干预：已标记无效').waitFor();
  await screenshot(page, 'marriage-verification-case');
  await drawer.locator('.ant-drawer-close').click();
  await page.getByRole('tab', { name: '核对日志' }).click();
  await tableRows(page).first().waitFor();
  await page.getByRole('tab', { name: '统计' }).click();
  await page.getByText('匹配成功率').first().waitFor();
  assert.match(await text(page.locator('.ant-statistic').nth(3)), /人工干预占比\s*[1-9]/);
  assert.deepEqual(pageErrors, []);
});

test('报出生户口核对：按月拉取 → 未映射代码人工映射 → 分发 → 预填', { timeout: 300_000 }, async () => {
  await page.goto('/family-planning/household-verification?tab=stats');
  await page.getByRole('button', { name: /^拉\s?取$/ }).click();
  await page.getByText(/已排入后台任务/).waitFor();
  await page.goto('/family-planning/household-verification');
  await waitForRows(
    page.locator('.ant-table'),
    () => page.reload().then(() => page.locator('.ant-table').first().waitFor()),
    'no registrations after the pull',
  );
  const regNo = (await text(tableRows(page).first().locator('td').first())).trim();
  await page.getByRole('tab', { name: '代码映射' }).click();
  const unmapped = page.locator('.ant-card').filter({ hasText: '待映射的公安机关代码' });
  await tableRows(page, unmapped).first().waitFor();
  assert.match(await text(unmapped), /310199999000/);
  await tableRows(page, unmapped)
    .first()
    .getByRole('button', { name: /^映\s?射$/ })
    .click();
  await page.getByLabel('街道代码').fill('310101001');
  await page.getByRole('button', { name: '保存映射' }).click();
  await page.getByText(/映射已保存，已分发待映射登记 [1-9]/).waitFor();
  await page.locator('.ant-card').filter({ hasText: '映射表' }).getByText('310199999000').waitFor();
  await screenshot(page, 'household-verification-mapping');
  await page.getByRole('tab', { name: '新建个案预填' }).click();
  await page.getByPlaceholder('出生登记号').fill(regNo);
  await page.getByRole('button', { name: /^预\s?填$/ }).click();
  await page.getByText('公安登记与新生儿人口库差异').waitFor();
  assert.match(await text(page.locator('.ant-descriptions')), new RegExp(regNo));
  assert.deepEqual(pageErrors, []);
});

test('基础编码：概览与 Excel 下载', { timeout: 120_000 }, async () => {
  await page.goto('/family-planning/base-codes');
  await page.getByText('医疗卫生机构').first().waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /导出全部/ }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /基础编码.*\.xlsx$/);
  await screenshot(page, 'base-codes');
  assert.deepEqual(pageErrors, []);
});
