// 出生监测核实 in the console: the demo world's recent births arrived through the 市妇幼 channel as street
// tasks; the city sees them with their pre-check and history, the statistics, and pulls a day from the
// 市妇幼 simulator on demand (the job runs in the server; the batch and its refused rows appear).
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Simulator, startSimulator } from '../../server/src/platform/integration/simulators/simulator.ts';
import { maternalChildSimulator, maternalChildStore } from '../../server/src/platform/integration/simulators/systems/maternal-child.ts';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, signIn, tableRows, text } from './console-steps.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

let ui: ConsoleSession;
let page: Page;
let mch: Simulator;
const pageErrors: string[] = [];
before(
  async () => {
    mch = await startSimulator(maternalChildSimulator);
    ui = await openConsole(pageErrors, {
      prepare: (env) => {
        env.WEIJIAN_WORLD_RESIDENTS = '8000'; // a few recent births per month
        env.WEIJIAN_MATERNAL_CHILD_URL = mch.url;
      },
    });
    page = ui.page;
  },
  { timeout: 300_000 },
);
after(async () => {
  await ui?.close();
  await mch?.stop();
});

test('出生监测核实：任务列表 → 预检与处理历史 → 统计 → 市妇幼拉取批次与拒收记录', { timeout: 300_000 }, async () => {
  await signIn(page, CITY_ADMIN);
  // The menu entry is there; with every module's menu the last group sits under the sider's collapse
  // trigger in a 720-pixel window, so the page is opened by its address.
  await page.getByTestId('side-menu').getByRole('menuitem', { name: '出生监测核实' }).waitFor({ state: 'attached' });
  await page.goto('/family-planning/birth-verification');
  await page.getByRole('heading', { name: '出生监测核实', level: 1 }).waitFor();

  // Tasks pushed by the world's 市妇幼 days, pending.
  await tableRows(page).first().waitFor();
  assert.ok((await tableRows(page).count()) >= 1);
  await tableRows(page).first().getByRole('button', { name: '处理' }).click();
  const drawer = page.locator('.ant-drawer-open');
  await drawer.getByText('审核预检').waitFor();
  await drawer.getByText('市妇幼推送，任务派发').waitFor();
  assert.match(await text(drawer), /出生医学证明编号/);
  await screenshot(page, 'birth-verification-task');
  await drawer.locator('.ant-drawer-close').click();

  // Statistics by street.
  await page.getByRole('tab', { name: '统计' }).click();
  await page.getByText('任务总数').waitFor();
  assert.ok((await tableRows(page).count()) >= 1);

  // The channel: the field mapping is shown; a pull on demand lands as a new batch (refused rows with reasons).
  await page.getByRole('tab', { name: '市妇幼数据接入' }).click();
  await page.getByText('MQZJHM').first().waitFor();
  const rowsBefore = await tableRows(page, page.locator('.ant-card').filter({ hasText: '每日拉取批次' })).count();
  await page.getByRole('button', { name: '立即拉取' }).click();
  await page.getByText(/已排入后台任务/).waitFor();
  const end = Date.now() + 90_000;
  for (;;) {
    await page.getByRole('tab', { name: '统计' }).click();
    await page.getByRole('tab', { name: '市妇幼数据接入' }).click();
    // The pull (and the death follow-up it may queue) holds the one embedded connection meanwhile.
    await page.getByText('MQZJHM').first().waitFor({ timeout: 60_000 });
    const rows = await tableRows(page, page.locator('.ant-card').filter({ hasText: '每日拉取批次' })).count();
    if (rows > rowsBefore) break;
    assert.ok(Date.now() < end, `no new batch after the pull\n${ui.server.output().slice(-2000)}`);
    await page.waitForTimeout(1500);
  }
  assert.ok(maternalChildStore(mch).pulls >= 1, 'the server pulled from the 市妇幼 simulator');
  assert.equal(mch.stats.signatureFailures, 0);
  const rejected = page.locator('.ant-card').filter({ hasText: '清洗拒收记录' });
  await tableRows(page, rejected).first().waitFor();
  assert.match(await text(rejected), /母亲身份证号：缺失|无法确定负责街道/);
  await screenshot(page, 'birth-verification-intake');
  assert.deepEqual(pageErrors, []);
});
