// 免申即享 end to end in the console and on the parent's phone, with the outside systems simulated in
// this process: screening → confirmation SMS (read from the SMS gateway simulator) → the parent confirms
// on the mobile page → auto-approved → uploaded to the national system simulator and its feedback read
// (synced) → the monitoring funnel shows every stage.
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Simulator, startSimulator } from '../../server/src/platform/integration/simulators/simulator.ts';
import { nationalStore, nationalSubsidySimulator } from '../../server/src/platform/integration/simulators/systems/national-subsidy.ts';
import { smsGatewaySimulator } from '../../server/src/platform/integration/simulators/systems/sms-gateway.ts';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, openMenu, paintedPixels, signIn, tableRows, text } from './console-steps.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

let ui: ConsoleSession;
let page: Page;
let sms: Simulator;
let national: Simulator;
const pageErrors: string[] = [];
before(
  async () => {
    sms = await startSimulator(smsGatewaySimulator);
    national = await startSimulator(nationalSubsidySimulator);
    ui = await openConsole(pageErrors, {
      prepare: (env) => {
        env.WEIJIAN_WORLD_RESIDENTS = '8000'; // enough births for a handful of eligible children
        env.WEIJIAN_SMS_GATEWAY_URL = sms.url;
        env.WEIJIAN_NATIONAL_SUBSIDY_URL = national.url;
        // The simulator checks HMAC-SM3 with the development secret (the server's SM2 key is made at first start).
        env.WEIJIAN_NATIONAL_SUBSIDY_AUTH = 'hmac-sm3';
        env.WEIJIAN_INTEGRATION_LOOP_MS = '300';
        env.WEIJIAN_PUBLIC_BASE_URL = `http://127.0.0.1:${env.PORT}`;
      },
      // The first start builds every module's demo-world stage with 8,000 residents.
      readyTimeoutMs: 600_000,
    });
    page = ui.page;
  },
  { timeout: 660_000 },
);
after(async () => {
  await ui?.close();
  await sms?.stop();
  await national?.stop();
});

async function until(what: string, check: () => Promise<boolean> | boolean, seconds = 90, step?: () => Promise<void>): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (await check()) return;
    await step?.();
    await page.waitForTimeout(1000);
  }
  throw new Error(`timed out waiting for ${what}\n${ui.server.output().slice(-3000)}`);
}

const statistic = (title: string) =>
  page
    .locator('.ant-statistic')
    .filter({ has: page.getByText(title, { exact: true }) })
    .locator('.ant-statistic-content');

test('免申即享：筛选 → 短信 → 家长手机确认 → 自动审批 → 国家系统同步 → 监控漏斗', { timeout: 420_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '育儿补贴免申即享');

    // 筛选: the job runs in the server's scheduler; the page shows the new version when it is done.
    await page.getByRole('button', { name: '立即筛选' }).click();
    await page.getByText(/已提交筛选批次/).waitFor();
    await until(
      'the screening result',
      () => page.getByText(/最新筛选结果：第 \d+ 版/).isVisible(),
      120,
      async () => {
        await page.reload();
        await page.getByText('政策参数与筛选规则').waitFor();
      },
    );
    const prefilled = Number((await text(statistic('预填完整'))).replace(/,/g, ''));
    assert.ok(prefilled >= 1, `pre-filled complete: ${prefilled}`);
    await screenshot(page, 'cs-01-screened');

    // 短信: applications and SMS in one step; the gateway simulator receives the texts with their links.
    await page.getByRole('button', { name: '发送确认短信' }).click();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /^发\s*送$/ })
      .click();
    await page.getByText(/已生成 \d+ 条确认短信/).waitFor();
    await until('the SMS at the gateway', () => sms.received.length >= prefilled, 60);
    const first = sms.received[0]!.body as { phone: string; text: string };
    assert.match(first.phone, /^1[3-9]\d{9}$/);
    assert.match(first.text, /^【上海市卫生健康委员会】您的孩子.*\*.*符合育儿补贴/);
    const link = /(https?:\/\/\S+\/m\/subsidy\/confirm\/\S+)/.exec(first.text)?.[1] as string;
    assert.ok(link?.startsWith(ui.server.url), first.text);

    // 家长确认 on a phone-sized page: fill in the bank account, confirm once.
    const phone = await ui.browser.browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const mobile = await phone.newPage();
    await mobile.goto(link);
    await mobile.getByRole('heading', { name: '育儿补贴申领确认' }).waitFor();
    await mobile.getByRole('button', { name: /填写银行账户|更正银行账户/ }).click();
    await mobile.locator('#bank').fill('6222 0212 3456 7890 123');
    await mobile.getByRole('button', { name: '确认申领' }).click();
    await mobile.getByRole('status').waitFor();
    assert.ok((await text(mobile.getByRole('status'))).includes('已审核通过'), await text(mobile.getByRole('status')));
    await mobile.screenshot({ path: 'test-results/cs-02-mobile-confirmed.png', fullPage: true });
    await phone.close();

    // 同步: the sync job uploads the approved application; its feedback (accepted, paid) is read on the next run.
    await page.goto('/family-planning/childcare-subsidy?tab=sync');
    await page.getByText('与国家育儿补贴信息管理系统同步').waitFor();
    await page.getByRole('button', { name: '立即同步' }).click();
    await until('the upload at the national system', () => nationalStore(national).records.size >= 1, 60);
    assert.equal(nationalStore(national).records.size, 1);
    assert.equal([...nationalStore(national).records.values()]![0]!.uploads, 1);
    await until(
      'the feedback in the console',
      async () => (await text(statistic('已发放'))).trim() === '1',
      90,
      async () => {
        await page.getByRole('button', { name: '立即同步' }).click();
        await page.waitForTimeout(2000);
        await page.reload();
        await page.getByText('与国家育儿补贴信息管理系统同步').waitFor();
      },
    );
    await tableRows(page).filter({ hasText: '已发放' }).first().waitFor();
    await screenshot(page, 'cs-03-synced');

    // 对账: nothing differs.
    await page.getByRole('button', { name: '发起对账' }).click();
    await until(
      'the reconciliation',
      async () => (await tableRows(page).filter({ hasText: '已完成' }).count()) > 0,
      60,
      async () => {
        await page.reload();
        await page.getByText('对账（本地与国家系统）').waitFor();
      },
    );
    assert.ok((await text(page.getByText('本次对账无差异'))).length > 0);

    // 监控: every stage of the funnel has its figure; the ECharts funnel is drawn.
    await page.goto('/family-planning/childcare-subsidy?tab=monitor');
    await page.getByText('全过程监控漏斗').waitFor();
    const stageRow = (title: string) =>
      page
        .locator('.ant-table-tbody > tr')
        .filter({ has: page.getByRole('cell', { name: title, exact: true }) })
        .first();
    await stageRow('国家系统受理').waitFor();
    const cells = async (title: string) => (await stageRow(title).locator('td').allInnerTexts()).map((s) => s.trim());
    assert.equal((await cells('家长确认'))[1], '1');
    assert.equal((await cells('审批通过'))[1], '1');
    assert.equal((await cells('国家系统受理'))[1], '1');
    assert.equal((await cells('短信送达'))[1], String(prefilled));
    await page.waitForTimeout(800);
    assert.ok((await paintedPixels(page, 'canvas')) > 2000, 'the funnel chart is drawn');
    await page.getByText('按日、按区明细').waitFor();
    await screenshot(page, 'cs-04-funnel');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'cs-failure').catch(() => {});
    throw e;
  }
});
