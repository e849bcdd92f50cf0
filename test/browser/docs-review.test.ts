// 政策文件规则提取 and 费用偏离病例专家核查 as people use them: a city administrator turns a policy
// document into a draft rule; a hospital uploads a case PDF; an expert reviews it along the check
// dimensions and concludes; the statistics show it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, demoTotpSecret } from '../../server/src/platform/demo/users.ts';
import { buildDocx, buildPdf } from '../../server/src/platform/documents/testing.ts';
import { CITY_ADMIN, type TestAccount } from './accounts.ts';
import { launchBrowser, newPage, screenshot, type TestBrowser } from './browser.ts';
import { assert, closeDrawer, openMenu, signIn, tableRows, text } from './console-steps.ts';
import { type RunningServer, startServer } from './server.ts';

const demo = (username: string): TestAccount => ({ username, password: DEMO_PASSWORD, totpSecret: demoTotpSecret(username) });

let server: RunningServer;
let browser: TestBrowser;
let dir: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'wj-docs-'));
  },
  { timeout: 300_000 },
);
after(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function as(account: TestAccount): Promise<Page> {
  const { context, page } = await newPage(browser, server.url);
  contexts.push(context);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signIn(page, account);
  return page;
}

async function failing<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    await screenshot(page, `${name}-fail`).catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\n${server.output().slice(-2000)}`);
  }
}

test('政策文件规则提取: upload a DOCX, see the highlighted sentence, confirm a candidate into a draft rule', { timeout: 180_000 }, async () => {
  const file = join(dir, '收费规范通知.docx');
  writeFileSync(file, await buildDocx(['关于规范医疗服务收费的通知', '一、B超检查同一患者每日不超过2次。', '二、一级护理与特级护理不得同日收取。']));
  const page = await as(CITY_ADMIN);
  await failing(page, 'rx', async () => {
    await openMenu(page, '政策文件规则提取');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('candidate').first().waitFor();
    assert.equal(await page.getByTestId('candidate').count(), 2);
    assert.equal(await text(page.getByTestId('candidate-sentence').first().locator('mark')), '每日不超过2次');
    await screenshot(page, 'rx-01-candidates');
    await page.getByTestId('candidate').first().getByRole('button', { name: '确认 / 修改' }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('规则名称').fill('B超每日超过3次（政策文件）');
    const threshold = modal.locator('input[data-testid=threshold], [data-testid=threshold] input').first();
    assert.equal(await threshold.inputValue(), '2');
    await threshold.fill('3');
    await threshold.blur();
    assert.match(await modal.locator('textarea').inputValue(), /"value": 3/);
    await modal.getByRole('button', { name: '生成草稿规则' }).click();
    await page.getByText('已生成草稿：').waitFor();
    await openMenu(page, '监测规则管理');
    await page.getByText('B超每日超过3次（政策文件）').first().waitFor();
    assert.deepEqual(pageErrors, []);
  });
});

test('费用偏离病例: hospital uploads a case PDF, the expert reviews along every dimension and concludes, statistics count it', {
  timeout: 240_000,
}, async () => {
  const file = join(dir, 'ZY2026001.pdf');
  writeFileSync(
    file,
    await buildPdf([
      ['住院病案首页', '病案号：ZY2026001'],
      ['入院记录', '主诉：胸痛3小时。', '住院费用清单', '冠脉支架 3枚'],
    ]),
  );
  const hospital = await as(demo('hospital_user'));
  await failing(hospital, 'fr-h', async () => {
    await openMenu(hospital, '费用偏离病例核查');
    await hospital.getByRole('button', { name: '上传病例' }).click();
    const modal = hospital.locator('.ant-modal');
    await modal.getByLabel('病案号').fill('ZY2026001');
    await modal.getByLabel('患者（脱敏姓名）').fill('王*明');
    await modal.getByLabel('情况说明').fill('患者病情危重，植入3枚支架');
    await modal.locator('input[type=file]').setInputFiles(file);
    await modal.getByRole('button', { name: '确认上传' }).click();
    const drawer = hospital.locator('.ant-drawer-open');
    await drawer.getByText('住院费用清单').first().waitFor();
    assert.match(await text(drawer), /病历内容（按章节识别，3 个章节）/);
    await screenshot(hospital, 'fr-01-uploaded');
  });

  const expert = await as(demo('expert'));
  await failing(expert, 'fr-e', async () => {
    await openMenu(expert, '费用偏离病例核查');
    await tableRows(expert).filter({ hasText: 'ZY2026001' }).getByRole('button', { name: '核查' }).click();
    const drawer = expert.locator('.ant-drawer-open');
    await drawer.getByRole('button', { name: '开始核查' }).click();
    await drawer.getByText('专家核查（按核查维度逐项填写）').waitFor();
    const groups = drawer.getByTestId('dimension').locator('.ant-radio-group');
    const n = await groups.count();
    assert.equal(n, 6);
    for (let i = 0; i < n; i++)
      await groups
        .nth(i)
        .getByText(i === 4 ? '存在问题' : '未发现问题')
        .click();
    await drawer.getByPlaceholder('核查意见（存在问题时必填）').nth(4).fill('支架数量与手术记录不符');
    await drawer.getByTestId('conclusion').getByText('部分合理').click();
    await drawer.getByLabel('结论说明').fill('部分支架费用不合理');
    await screenshot(expert, 'fr-02-review');
    await drawer.getByRole('button', { name: '提交核查结论' }).click();
    await drawer.getByText('支架数量与手术记录不符').waitFor();
    assert.match(await text(drawer), /核查结论[\s\S]*部分合理/);
    await screenshot(expert, 'fr-03-concluded');
    await closeDrawer(expert);
    await openMenu(expert, '费用偏离核查统计');
    await expert.getByText('按医疗机构').waitFor();
    const row = tableRows(expert).filter({ hasText: '医院' }).first();
    await row.waitFor();
    await screenshot(expert, 'fr-04-stats');
    assert.deepEqual(pageErrors, []);
  });
});
