import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { CITY_ADMIN, HUANGPU_ADMIN } from './accounts.ts';
import { launchBrowser, newPage, screenshot, type TestBrowser } from './browser.ts';
import { assert, closeDrawer, openMenu, paintedPixels, pickOption, signIn, tableRows, text } from './console-steps.ts';
import { type RunningServer, startServer } from './server.ts';

// One product instance (fresh PGlite folder, demo world of 2,000 residents) and one browser for the file.
// The city administrator's page is shared by the tests in order: each TOTP code is accepted only once.
let server: RunningServer;
let browser: TestBrowser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, server.url));
    page.on('pageerror', (e) => pageErrors.push(e.message));
  },
  { timeout: 300_000 },
);

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** Runs a step and keeps a screenshot of how the page looked at its end, pass or fail. */
async function shot<T>(name: string, p: Page, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    // The server's last words usually explain a failed step.
    const tail = server.output().slice(-3000);
    throw tail ? new Error(`${e instanceof Error ? e.message : String(e)}\n--- server output (tail) ---\n${tail}`, { cause: e }) : e;
  } finally {
    await screenshot(p, name).catch(() => undefined);
  }
}

test('城市管理员：用户名密码 + 动态口令登录，看到全市数据权限和系统菜单', { timeout: 90_000 }, () =>
  shot('01-sign-in-city-admin', page, async () => {
    // A wrong password is refused with the server's message on the sign-in page.
    await page.goto('/');
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByLabel('用户名').fill(CITY_ADMIN.username);
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByTestId('login-form').locator('button[type=submit]').click();
    assert.ok((await text(page.getByTestId('login-error'))).includes('用户名或密码错误'));
    await signIn(page, CITY_ADMIN);
    assert.equal((await text(page.getByTestId('scope-tag'))).trim(), '全市');
    assert.ok(await page.getByTestId('district-switcher').isVisible(), 'city-level users get the district switcher');
    const menu = await text(page.getByTestId('side-menu'));
    for (const item of ['系统管理', '用户与角色', '居民主索引', '审计日志', '任务调度', '主数据']) assert.ok(menu.includes(item), `menu lacks ${item}`);
    await page.getByText('快捷入口').waitFor();
    assert.deepEqual(pageErrors, []);
  }),
);

test('居民主索引：按姓名+区查询，调阅完整身份证号（填写原因），审计日志中可见“调阅居民完整信息”', { timeout: 120_000 }, async () => {
  const reason = `浏览器测试核实身份 ${Date.now()}`;
  await shot('02-resident-reveal', page, async () => {
    await openMenu(page, '居民主索引');
    await page.getByRole('tab', { name: '姓名 + 区' }).click();
    await pickOption(page, page.getByTestId('resident-district'), '黄浦区');
    // Name search is by prefix: a common surname finds residents in any demo world.
    let found = false;
    for (const surname of ['王', '张', '陈', '李', '刘', '周', '徐', '朱']) {
      await page.getByTestId('resident-name').fill(surname);
      const answered = page.waitForResponse((r) => r.url().includes('/api/v1/residents?') && r.url().includes(encodeURIComponent(surname)));
      await page
        .getByTestId('resident-search')
        .getByRole('button', { name: /查\s*询/ })
        .click();
      assert.equal((await answered).status(), 200);
      await page.waitForTimeout(300); // the table renders the answer
      if ((await tableRows(page).count()) > 0) {
        found = true;
        break;
      }
    }
    assert.ok(found, 'no resident found in 黄浦区 for common surnames');
    const first = tableRows(page).first();
    const masked = await text(first.locator('td').nth(3));
    assert.match(masked.trim(), /^\d{4}\*+\w{4}$/, `list shows a masked ID, got ${masked}`);
    await first.getByRole('button', { name: '详情' }).click();
    const drawer = page.getByTestId('resident-drawer');
    await drawer.getByTestId('reveal-button').click();
    const form = page.getByTestId('reveal-form');
    await form.getByLabel('调阅原因').fill(reason);
    await page.getByRole('button', { name: '确认调阅' }).click();
    const full = (await text(drawer.getByTestId('full-id'))).trim();
    assert.match(full, /^\d{17}[\dX]$/, `full ID revealed, got ${full}`);
    assert.ok((await text(drawer.getByTestId('revealed'))).includes('本次调阅已记入审计日志'));
    await page.locator('.ant-modal-wrap').first().waitFor({ state: 'hidden' });
  });
  await shot('03-audit-reveal-event', page, async () => {
    await closeDrawer(page);
    await openMenu(page, '审计日志');
    await page.getByTestId('audit-chain').getByText('链头').waitFor();
    // The log speaks Chinese: the action and the person by name (codes are in the row's detail panel).
    // A long, virtual list (every module's actions): search it, as a person would.
    await pickOption(page, page.getByTestId('audit-filters').getByRole('combobox', { name: '动作' }), '调阅居民完整信息', { search: '调阅居民' });
    await page
      .getByTestId('audit-filters')
      .getByRole('button', { name: /查\s*询/ })
      .click();
    const row = tableRows(page).filter({ hasText: reason }).first();
    await row.waitFor();
    const rowText = await text(row);
    assert.ok(rowText.includes('调阅居民完整信息'), rowText);
    assert.ok(rowText.includes('市卫健委管理员'), rowText);
    assert.ok(!rowText.includes('resident.reveal'), `no raw code in the row: ${rowText}`);
    // The chain verifies after the reveal was appended.
    await page.getByTestId('verify-chain').click();
    const result = await text(page.getByTestId('verify-result'));
    assert.ok(result.includes('审计链完整'), result);
  });
});

test('任务调度：立即运行 platform.sample-report，进度条走到 100%，状态为成功', { timeout: 120_000 }, () =>
  shot('04-jobs-run', page, async () => {
    await openMenu(page, '任务调度');
    await page.getByTestId('run-now-platform.sample-report').click();
    const drawer = page.getByTestId('run-drawer');
    await drawer.getByTestId('run-progress').waitFor();
    // Watch the polled progress bar until the run ends.
    const seen = new Set<string>();
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await text(drawer.getByTestId('run-status').first())).trim();
      seen.add(`${status}:${await drawer.getByTestId('run-progress').getAttribute('aria-valuenow')}`);
      if (status === '成功' || status === '失败') break;
      await page.waitForTimeout(250);
    }
    assert.equal(status, '成功', `run ended as ${status}; seen ${[...seen].join(' ')}`);
    assert.equal(await drawer.getByTestId('run-progress').getAttribute('aria-valuenow'), '100');
    assert.ok((await text(drawer.getByTestId('run-logs'))).includes('统计完成'));
    assert.ok(
      [...seen].some((s) => s.startsWith('运行中') || s.startsWith('排队中')),
      `the drawer showed the run before it finished: ${[...seen].join(' ')}`,
    );
  }),
);

test('主数据：上海 16 区地图画布绘制完成，点击区县行筛选', { timeout: 90_000 }, () =>
  shot('05-master-data-map', page, async () => {
    await closeDrawer(page);
    await openMenu(page, '主数据');
    const canvas = page.locator('[data-testid=district-map] canvas').first();
    await canvas.waitFor();
    await page.waitForTimeout(800); // the map's entry animation
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 300, `canvas size ${JSON.stringify(box)}`);
    assert.ok((await paintedPixels(page, '[data-testid=district-map] canvas')) > 20_000, 'the map drew its districts');
    await page.getByRole('tab', { name: '区县' }).click();
    // Visible rows only: a hidden table kept in the DOM (an earlier step's) also has a 黄浦区 row.
    await tableRows(page).filter({ hasText: '黄浦区', visible: true }).first().click();
    assert.equal((await text(page.getByTestId('master-data-district'))).trim(), '黄浦区');
    assert.equal((await text(page.getByTestId('map-selection'))).trim(), '黄浦区');
  }),
);

test('用户与角色：新建用户时服务器的字段错误显示在字段旁，改正后创建成功', { timeout: 90_000 }, () =>
  shot('06-users-create', page, async () => {
    await openMenu(page, '用户与角色');
    await page.getByTestId('user-create').click();
    const form = page.getByTestId('user-form');
    const username = `web_${Date.now().toString(36)}`;
    await form.getByLabel('用户名').fill(username);
    await form.getByLabel('姓名').fill('浏览器测试用户');
    await pickOption(page, form.getByLabel('角色'), '区级管理员');
    await pickOption(page, form.getByLabel('数据权限级别'), '本区');
    await pickOption(page, form.getByLabel('所属区'), '黄浦区');
    await form.getByLabel('初始密码').fill('abc');
    await page.getByRole('button', { name: /创\s*建/ }).click();
    // The server refuses the weak password; its message sits under the password field.
    const err = form
      .locator('.ant-form-item')
      .filter({ has: page.getByLabel('初始密码') })
      .locator('.ant-form-item-explain-error');
    await err.first().waitFor();
    assert.ok((await text(err.first())).includes('密码'), await text(err.first()));
    await form.getByLabel('初始密码').fill('Strong#Pass2026x');
    await page.getByRole('button', { name: /创\s*建/ }).click();
    await form.waitFor({ state: 'hidden' });
    await page.getByTestId('user-search').locator('input').fill(username);
    await page.getByTestId('user-search').locator('input').press('Enter');
    const row = tableRows(page).filter({ hasText: username });
    await row.waitFor();
    const rowText = await text(row);
    assert.ok(rowText.includes('区级管理员') && rowText.includes('黄浦区') && rowText.includes('未绑定'), rowText);
  }),
);

test('区级管理员：数据权限标签为黄浦区，无区县切换，用户与角色只见本区账号，无任务管理操作；会话失效后回到登录页', { timeout: 120_000 }, async () => {
  const { context: ctx, page: p } = await newPage(browser, server.url);
  try {
    await shot('07-district-admin', p, async () => {
      await signIn(p, HUANGPU_ADMIN);
      assert.ok((await text(p.getByTestId('scope-tag'))).includes('黄浦区'));
      assert.equal(await p.getByTestId('district-switcher').count(), 0, 'district users have no district switcher');
      await openMenu(p, '用户与角色');
      await tableRows(p).first().waitFor();
      const rows = await tableRows(p).allInnerTexts();
      assert.ok(rows.length > 0);
      assert.ok(!rows.some((r) => r.includes('district_admin_xuhui')), 'another district’s administrator is not listed');
      assert.ok(!rows.some((r) => /^\s*city_admin\b/.test(r)), 'the city administrator is not listed');
      // Own row: listed, but without admin actions.
      const own = tableRows(p).filter({ hasText: 'district_admin_huangpu' });
      assert.equal(await own.getByRole('button', { name: '编辑' }).count(), 0);
      await openMenu(p, '任务调度');
      await p.getByTestId('schedules').locator('.ant-table-row').first().waitFor();
      assert.equal(await p.getByRole('button', { name: '立即运行' }).count(), 0, 'jobs.manage actions are hidden');
      // The session ends behind the page's back (idle timeout, revoked): the next call lands on sign-in.
      const csrf = await p.evaluate('sessionStorage.getItem("wj.csrf")');
      await p.evaluate((token) => fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'x-csrf-token': String(token) } }), csrf);
      await p.getByTestId('side-menu').getByRole('menuitem', { name: '主数据' }).click();
      await p.waitForURL((u) => u.pathname === '/login');
      assert.ok((await text(p.getByTestId('login-notice'))).includes('登录已过期'));
    });
  } finally {
    await ctx.close();
  }
});
