import { after, before, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoTotpSecret } from '../../server/src/platform/demo/users.ts';
import { CITY_ADMIN, type TestAccount } from './accounts.ts';
import { newPage, screenshot, type TestBrowser } from './browser.ts';
import { assert, closeDrawer, openMenu, pickOption, signIn, tableRows, text } from './console-steps.ts';
import type { RunningServer } from './server.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

let server: RunningServer;
let browser: TestBrowser;
let page: Page;
let session: ConsoleSession | undefined;
const pageErrors: string[] = [];
before(
  async () => {
    session = await openConsole(pageErrors);
    ({ server, page, browser } = session);
  },
  { timeout: 300_000 },
);
after(() => session?.close());

test('规则管理 → 立即运行 → 监测总览 → 病例列表 → 病例详情; 新建规则预览', { timeout: 300_000 }, async () => {
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
    const pv = await previewRule(modal);
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

/** Clicks 预览 and returns its result; a field or request error fails the test with what the page says. */
async function previewRule(modal: Locator): Promise<string> {
  await page.getByTestId('rule-preview').click();
  const result = page.getByTestId('rule-preview-result');
  const problem = modal.locator('.ant-alert-error, .ant-form-item-explain-error');
  await result.or(problem).first().waitFor({ timeout: 90_000 });
  if (!(await result.isVisible())) throw new Error(`规则预览没有结果：${(await problem.allInnerTexts()).join('；')}`);
  return text(result);
}

const demoAccount = (username: string): TestAccount => ({ username, password: DEMO_PASSWORD, totpSecret: demoTotpSecret(username) });
const HOSPITAL_USER = demoAccount('hospital_user');
/** antd puts a space between the two characters of a two-character Chinese button label ("保 存"). */
const label = (t: string) => new RegExp(`^${[...t].join('\\s*')}$`);
const EXPERT = demoAccount('expert');

/** Opens the order titled `title` on 处置单管理 and waits for its drawer. */
async function openOrder(p: Page, title: string) {
  await openMenu(p, '处置单管理');
  const row = tableRows(p).filter({ hasText: title });
  await row.first().waitFor();
  await row
    .first()
    .getByRole('button', { name: label('详情') })
    .click();
  const drawer = p.locator('.ant-drawer-open');
  await drawer.getByRole('heading', { name: '处置时间线' }).waitFor();
  return drawer;
}

test('新建规则 → 预览 → 规则集调度（上线、立即运行、进度） → 类别病例 → 病例 → 处置单闭环（下发 → 医院说明 → 专家评价 → 归档）', {
  timeout: 420_000,
}, async () => {
  const others: BrowserContext[] = [];
  try {
    // The hospital user's institution (its name is in the header: "<医院>医务处").
    const hosp = await newPage(browser, server.url);
    others.push(hosp.context);
    await signIn(hosp.page, HOSPITAL_USER);
    const who = await text(hosp.page.getByTestId('user-menu'));
    const hospitalName = who.split('医务处')[0]!.trim();
    assert.match(hospitalName, /医院/);

    // 1. The city administrator (signed in by the test above, or now) builds a rule, previews it and saves it enabled.
    await page.goto('/');
    await page.getByTestId('user-menu').or(page.getByLabel('用户名')).first().waitFor();
    if (!(await page.getByTestId('user-menu').isVisible())) await signIn(page, CITY_ADMIN);
    await openMenu(page, '监测规则管理');
    await page.getByRole('button', { name: '新建规则' }).click();
    const modal = page.locator('.ant-modal');
    const ruleTitle = '门诊就诊巡检（浏览器测试）';
    await pickOption(page, modal.getByLabel('监测类别'), '合理诊疗');
    await modal.getByLabel('规则名称').fill(ruleTitle);
    await pickOption(page, modal.getByRole('combobox', { name: '数据源' }), '就诊');
    await pickOption(page, modal.getByRole('combobox', { name: '字段' }), '就诊类型');
    await pickOption(page, modal.getByRole('combobox', { name: '比较' }), '等于');
    await pickOption(page, modal.getByRole('combobox', { name: '阈值' }), '门诊');
    await modal.getByLabel('保存后立即启用').click();
    assert.match(await previewRule(modal), /命中 [1-9]\d* 条/);
    await page.getByTestId('rule-save').click();
    await modal.waitFor({ state: 'detached' });

    // 2. A rule set with that rule: daily at 02:30, full strategy, online; run it now and watch the history.
    await openMenu(page, '规则集调度');
    await page.getByRole('button', { name: '新建规则集' }).click();
    const setModal = page.locator('.ant-modal');
    await setModal.getByLabel('规则集名称').fill('门诊巡检（浏览器测试）');
    await pickOption(page, setModal.getByRole('combobox', { name: '包含规则' }), ruleTitle);
    await page.keyboard.press('Escape');
    await setModal.getByText('全量', { exact: true }).click();
    await setModal.getByRole('button', { name: label('保存') }).click();
    await setModal.waitFor({ state: 'detached' });
    const setRow = tableRows(page).filter({ hasText: '门诊巡检（浏览器测试）' }).first();
    await setRow.waitFor();
    assert.match(await text(setRow), /30 2 \* \* \*/);
    assert.match(await text(setRow), /全量/);
    await setRow.getByRole('button', { name: '运行记录' }).click();
    await setRow.getByRole('button', { name: '立即运行' }).click();
    const history = page.getByTestId('run-history');
    await history.locator('tr.ant-table-row').filter({ hasText: '成功' }).first().waitFor({ timeout: 120_000 });
    const runRow = await text(history.locator('tr.ant-table-row').first());
    assert.match(runRow, /门诊巡检（浏览器测试）/);
    assert.match(runRow, /手动/);
    assert.match(runRow, /1\/1/);
    await screenshot(page, 'cm-05-schedules');

    // 3. Its findings on the category screen, for the hospital; one case; a disposal order for it.
    await openMenu(page, '合规监测总览');
    await page.getByTestId('card-reasonable_treatment').click();
    const inst = page.locator('.ant-card').filter({ hasText: '合理诊疗 · 病例列表' }).locator('.ant-select').filter({ hasText: '全部机构' });
    await pickOption(page, inst, hospitalName, { search: hospitalName.slice(0, 6) });
    // The list reloads for the filter: wait for the rule's row of that hospital (the unfiltered first page has others).
    const finding = tableRows(page).filter({ hasText: ruleTitle }).filter({ hasText: hospitalName }).first();
    await finding.waitFor();
    for (let i = 0; !(await tableRows(page).allInnerTexts()).every((r) => r.includes(hospitalName)); i++) {
      assert.ok(i < 40, 'the case list shows that hospital only');
      await page.waitForTimeout(250);
    }
    await finding.getByRole('button', { name: '病例详情' }).click();
    await page.locator('.ant-drawer-open').getByRole('heading', { name: '收费明细' }).waitFor();
    await closeDrawer(page);
    await finding.getByRole('checkbox').check();
    await page.getByRole('button', { name: /生成处置单/ }).click();
    const orderTitle = `门诊就诊核查（浏览器测试 ${Date.now() % 100000}）`;
    const createModal = page.locator('.ant-modal').filter({ hasText: '生成处置单' });
    await createModal.getByLabel('标题').fill(orderTitle);
    await createModal.getByRole('button', { name: label('生成') }).click();
    await createModal.waitFor({ state: 'detached' });

    // 4. Dispatch (city) → explain (hospital) → evaluate (expert) → close (city).
    let drawer = await openOrder(page, orderTitle);
    await drawer.getByRole('button', { name: label('下发') }).click();
    await page.getByText('已下发').first().waitFor();
    await closeDrawer(page);

    drawer = await openOrder(hosp.page, orderTitle);
    await drawer.getByLabel('说明', { exact: true }).fill('经核查，该门诊就诊记录真实，已补充病历并完成自查整改。');
    await drawer.getByLabel(/附件/).fill('自查报告.pdf');
    await drawer.getByRole('button', { name: label('说明') }).click();
    await hosp.page.getByText('已说明').first().waitFor();
    await screenshot(hosp.page, 'cm-06-explained');

    const exp = await newPage(browser, server.url);
    others.push(exp.context);
    await signIn(exp.page, EXPERT);
    drawer = await openOrder(exp.page, orderTitle);
    assert.match(await text(drawer), /经核查，该门诊就诊记录真实/);
    await drawer.getByText('合理', { exact: true }).click();
    await drawer.getByLabel('评价意见').fill('说明充分，整改到位。');
    await drawer.getByRole('button', { name: label('评价') }).click();
    await exp.page.getByText('已评价').first().waitFor();

    drawer = await openOrder(page, orderTitle);
    assert.match(await text(drawer), /说明充分，整改到位/);
    await drawer.getByRole('button', { name: '审核并归档' }).click();
    await page.getByText('已归档').first().waitFor();
    await closeDrawer(page);
    await page.reload();
    await page.getByRole('heading', { name: '处置单管理', level: 1 }).waitFor();
    const closedRow = tableRows(page).filter({ hasText: orderTitle }).first();
    await closedRow.waitFor();
    assert.match(await text(closedRow), /已归档/);
    await screenshot(page, 'cm-07-closed');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'cm-loop-fail').catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\n${server.output().slice(-2000)}`);
  } finally {
    for (const c of others) await c.close();
  }
});
