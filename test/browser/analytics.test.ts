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

test('组合分析: drag indicators and a dimension, switch chart, save a shared view; 自定义指标 editor preview', { timeout: 180_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '组合分析');
    const indicatorsSlot = page.locator('[data-slot=indicators]');
    await page.locator('[data-chip^=indicator-]').first().waitFor();
    await page.locator('[data-chip^=indicator-]').filter({ hasText: '药占比' }).dragTo(indicatorsSlot);
    await page.locator('[data-chip^=indicator-]').filter({ hasText: '门急诊人次' }).dragTo(indicatorsSlot);
    await page.locator('[data-chip=dimension-district]').dragTo(page.locator('[data-slot=x]'));
    assert.match(await text(indicatorsSlot), /药占比[\s\S]*门急诊人次/);
    // One row per district once the dimension is applied (a single total row before).
    await tableRows(page, page.getByTestId('analysis-table')).nth(1).waitFor();
    assert.ok((await tableRows(page, page.getByTestId('analysis-table')).count()) > 1, 'rows per district');
    let painted = 0;
    for (let i = 0; i < 20 && painted <= 500; i++) {
      await page.waitForTimeout(500);
      painted = await paintedPixels(page, '[data-testid=analysis-chart] canvas');
    }
    assert.ok(painted > 500, `the chart drew (${painted} pixels)`);
    await screenshot(page, 'ind-01-bar');
    await page.getByText('折线图').click();
    await page.locator('[data-chip=dimension-month]').dragTo(page.locator('[data-slot=x]'));
    await page
      .getByTestId('analysis-table')
      .getByRole('cell', { name: /^\d{4}-\d{2}$/ })
      .first()
      .waitFor();
    const months = await tableRows(page, page.getByTestId('analysis-table')).count();
    assert.ok(months >= 6, `${months} months`);
    await screenshot(page, 'ind-02-line');
    await page.getByTestId('view-save').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '保存视图' });
    await modal.getByLabel('视图名称').fill('药占比与门急诊人次（按月）');
    await modal.getByText('共享给我数据权限范围内的其他用户').click();
    await page.getByTestId('view-save-confirm').click();
    await modal.waitFor({ state: 'hidden' });
    await page.getByText('视图：药占比与门急诊人次（按月）').waitFor();

    await openMenu(page, '自定义指标');
    await tableRows(page).first().waitFor();
    await page.getByTestId('indicator-new').click();
    const editor = page.locator('.ant-modal').filter({ hasText: '新建自定义指标' });
    await editor.getByLabel('指标名称').fill('住院人次占比');
    await editor.getByRole('button', { name: '添加筛选条件' }).click();
    await pickOption(page, editor.locator('.ant-select').filter({ hasText: '字段' }).first(), '就诊类型');
    await pickOption(page, editor.locator('.ant-card').first().locator('.ant-select').last(), '住院');
    await editor.getByText('比率指标').click();
    await page.getByTestId('indicator-preview').click();
    await page.getByTestId('indicator-preview-result').waitFor();
    assert.match(await text(page.getByTestId('indicator-preview-result')), /（就诊类型 等于 「住院」的就诊数）÷（就诊数）/);
    await screenshot(page, 'ind-03-editor');
    await page.getByTestId('indicator-save').click();
    await editor.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: '住院人次占比' }).waitFor();
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'ind-fail').catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\npage errors: ${pageErrors.join(' | ')}\n${server.output().slice(-1500)}`);
  }
});

test('数据质量自检: run a check, open a planted problem, correct it with the suggested value', { timeout: 180_000 }, async () => {
  try {
    await openMenu(page, '数据质量自检');
    await page.getByTestId('dq-check').click();
    await page.getByRole('tab', { name: '问题清单与修正' }).click();
    const list = page.getByTestId('dq-problems');
    const rows = tableRows(page, list);
    // The check runs as a job: refresh until its problems are listed.
    for (let i = 0; i < 30 && (await rows.count()) === 0; i++) {
      await page.waitForTimeout(2000);
      await page.getByRole('button', { name: '刷新' }).click();
    }
    await rows.first().waitFor();
    await screenshot(page, 'dq-01-problems');
    const row = rows.filter({ hasText: '收费明细的开单医师在医师库中不存在' }).first();
    await row.getByRole('button', { name: '修正' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '数据质量问题' });
    await modal.getByRole('button', { name: /采用建议值/ }).click();
    await modal.getByLabel('修正说明').fill('按HIS医师字典更正');
    await screenshot(page, 'dq-02-correct');
    await page.getByTestId('dq-correct-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await pickOption(page, page.getByLabel('状态'), '已修正待复核');
    await rows.filter({ hasText: '已修正待复核' }).first().waitFor();
    assert.match(await text(rows.first()), /已修正待复核/);
    // A city manager adds a completeness rule without writing code.
    await page.getByRole('tab', { name: '校验规则' }).click();
    await page.getByTestId('dq-rule-new').click();
    const ruleModal = page.locator('.ant-modal').filter({ hasText: '新建数据质量规则' });
    await ruleModal.getByLabel('规则名称').fill('手术缺少术者');
    await pickOption(page, ruleModal.getByLabel('数据源'), '手术操作');
    await pickOption(page, ruleModal.getByLabel('检查字段'), '术者');
    await ruleModal.getByLabel('整改建议').fill('请补录术者');
    await page.getByTestId('dq-rule-save').click();
    await ruleModal.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: '术者 为空' }).waitFor();
    await page.getByRole('tab', { name: '质量概览' }).click();
    await page.getByText('问题与整改建议（按规则）').waitFor();
    await screenshot(page, 'dq-03-overview');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'dq-fail').catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\npage errors: ${pageErrors.join(' | ')}\n${server.output().slice(-1500)}`);
  }
});
