import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, openMenu, pickOption, signIn, tableRows, text } from './console-steps.ts';
import type { RunningServer } from './server.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';
import { newPage } from './browser.ts';
import { demoTotpSecret, DEMO_PASSWORD } from '../../server/src/platform/demo/users.ts';

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

/** A call to the API with the page's session (cookie and CSRF token), as the console makes it. */
async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = String(await page.evaluate('sessionStorage.getItem("wj.csrf")'));
  const r = await page.evaluate(
    async ({ method, path, body, token }) => {
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': token }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    { method, path, body, token },
  );
  assert.ok(r.status >= 200 && r.status < 300, `${method} ${path}: ${JSON.stringify(r.json)}`);
  return r.json as T;
}

/** A living resident of 黄浦区 with no contract at all, and their full identity number (调阅, audited). */
async function unsignedResident(): Promise<{ id: number; name: string; idNumber: string }> {
  for (const surname of ['王', '张', '陈', '李', '刘', '周', '徐', '朱', '杨', '黄']) {
    const found = await call<{ items: { id: number; name: string; status: string }[] }>(
      'GET',
      `/residents?district=310101&name=${encodeURIComponent(surname)}&pageSize=50`,
    );
    for (const p of found.items) {
      if (p.status !== 'alive') continue;
      const chances = await call<{ colour: string | null; maySign: boolean }>('GET', `/family-doctor/residents/${p.id}/chances`);
      if (chances.colour !== null || !chances.maySign) continue;
      const full = await call<{ idNumber: string }>('POST', `/residents/${p.id}/reveal`, { reason: '浏览器测试：家庭医生签约' });
      return { id: p.id, name: p.name, idNumber: full.idNumber };
    }
  }
  throw new Error('no unsigned resident found in 黄浦区');
}

/** Picks the first option of an antd Select in a form item (options come from the server): open, then Enter on the active one. */
async function pickFirst(p: Page, item: ReturnType<Page['locator']>): Promise<string> {
  await item.locator('.ant-select').click();
  await p.waitForTimeout(600);
  await p.keyboard.press('Enter');
  await p.waitForTimeout(300);
  return text(item.locator('.ant-select'));
}

const drawer = () => page.getByTestId('fd-contract-drawer');
const modal = () => page.getByTestId('fd-action-modal');

test('签约管理：新签约 → 绿；黄色签约续约（灵活续约选项）；解约（原因 + 居民知情）→ 已解约', { timeout: 240_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '签约管理');
    await page.getByTestId('fd-count-green').waitFor();
    await tableRows(page).first().waitFor();
    await screenshot(page, 'fd-01-contracts');

    // 新签约: a resident without a contract, found by the full ID number in the sign drawer.
    const resident = await unsignedResident();
    await page.getByTestId('fd-sign-button').click();
    const sign = page.getByTestId('fd-sign-drawer');
    await sign.getByTestId('fd-sign-name').fill(resident.name);
    await sign.getByTestId('fd-sign-id').locator('input').fill(resident.idNumber);
    await sign.getByTestId('fd-sign-id').locator('input').press('Enter');
    await sign.getByText('未签约').waitFor();
    assert.ok((await text(sign)).includes(resident.name));
    const form = sign.getByTestId('fd-sign-form');
    // The resident's managing centre is preset; otherwise pick one.
    const item = (label: string) => form.locator('.ant-form-item').filter({ has: page.getByText(label, { exact: true }) });
    await page.waitForTimeout(500); // the preset centre's label arrives with the select's options
    if ((await text(item('签约社区卫生服务中心').locator('.ant-select'))).trim() === '社区卫生服务中心') await pickFirst(page, item('签约社区卫生服务中心'));
    assert.notEqual((await pickFirst(page, item('家庭医生团队'))).trim(), '团队');
    assert.notEqual((await pickFirst(page, item('家庭医生'))).trim(), '团队成员');
    await screenshot(page, 'fd-02-sign-drawer');
    const signed = page.waitForResponse((r) => r.url().endsWith('/api/v1/family-doctor/contracts') && r.request().method() === 'POST');
    await sign.getByTestId('fd-sign-submit').click();
    assert.equal((await signed).status(), 201, await (await signed).text());
    await sign.waitFor({ state: 'hidden' });
    // The new contract opens in its drawer, 绿.
    await drawer().getByText('签约记录').waitFor();
    assert.ok((await text(drawer())).includes('绿·有效'), 'new contract is green');
    await drawer().locator('.ant-drawer-close').click();
    await drawer().waitFor({ state: 'hidden' });
    // … and in the list, found by the ID number.
    await page.getByPlaceholder('居民身份证号').fill(resident.idNumber);
    await page.getByPlaceholder('居民身份证号').press('Enter');
    await tableRows(page).filter({ hasText: resident.name }).first().waitFor();
    assert.equal(await tableRows(page).count(), 1);
    assert.ok((await text(tableRows(page).first())).includes('绿·有效'));
    await screenshot(page, 'fd-03-signed-green');

    // 续约: only while 黄; pick a yellow contract of the demo world.
    // Wait for each list answer: on a busy machine the previous rows stay on screen until it arrives.
    const listed = (pred: (u: URL) => boolean) =>
      page.waitForResponse((r) => r.url().includes('/api/v1/family-doctor/contracts?') && pred(new URL(r.url())), { timeout: 60_000 });
    const unfiltered = listed((u) => !u.searchParams.get('idNumber'));
    await page.getByPlaceholder('居民身份证号').fill('');
    await page.getByPlaceholder('居民身份证号').press('Enter');
    await unfiltered;
    const yellowListed = listed((u) => u.searchParams.get('colour') === 'yellow');
    await page.getByTestId('fd-count-yellow').click();
    await yellowListed;
    await page.waitForTimeout(500);
    await tableRows(page).first().waitFor();
    const rows = tableRows(page);
    for (let i = 0; i < (await rows.count()); i++) assert.ok((await text(rows.nth(i))).includes('黄·待续约'), 'yellow filter lists yellow contracts only');
    const yellowName = (await text(rows.first().locator('td').nth(2))).trim();
    await rows.first().getByRole('button', { name: '详情 / 办理' }).click();
    await drawer().getByTestId('fd-renew').click();
    const options = modal().getByTestId('fd-renew-options');
    await options.waitFor();
    const optionsText = await text(options);
    assert.ok(/[✔✘]/.test(optionsText), `renewal conditions shown: ${optionsText}`);
    assert.ok(await modal().getByText('续约年限').isVisible());
    await screenshot(page, 'fd-04-renew-options');
    const renewed = page.waitForResponse((r) => /\/family-doctor\/contracts\/\d+\/renew$/.test(r.url()));
    await modal().getByRole('button', { name: '确认续约' }).click();
    assert.ok((await renewed).ok(), await (await renewed).text());
    await modal().waitFor({ state: 'detached' });
    await drawer().getByRole('cell', { name: '续约', exact: true }).first().waitFor();
    assert.ok((await text(drawer())).includes(yellowName));
    await screenshot(page, 'fd-05-renewed');
    await drawer().locator('.ant-drawer-close').click();
    await drawer().waitFor({ state: 'hidden' });

    // 解约: the contract signed above, with a reason and the resident's informed consent.
    await page.getByTestId('fd-count-yellow').click(); // clear the colour filter
    await page.getByPlaceholder('居民身份证号').fill(resident.idNumber);
    await page.getByPlaceholder('居民身份证号').press('Enter');
    await tableRows(page).filter({ hasText: resident.name }).first().getByRole('button', { name: '详情 / 办理' }).click();
    await drawer().getByTestId('fd-terminate').click();
    assert.ok((await text(modal())).includes('签约变更规则'));
    await modal().getByLabel('原因').fill('居民迁出本市，申请解约');
    // Without the confirmation the form refuses.
    await modal().getByRole('button', { name: '确认解约' }).click();
    await modal().getByText('请确认已告知居民').waitFor();
    await modal().getByTestId('fd-informed').check();
    await screenshot(page, 'fd-06-terminate');
    const terminated = page.waitForResponse((r) => /\/family-doctor\/contracts\/\d+\/terminate$/.test(r.url()));
    await modal().getByRole('button', { name: '确认解约' }).click();
    assert.ok((await terminated).ok(), await (await terminated).text());
    await modal().waitFor({ state: 'detached' });
    await drawer().getByText('居民迁出本市，申请解约').first().waitFor();
    assert.ok((await text(drawer())).includes('已解约'));
    await drawer().locator('.ant-drawer-close').click();
    await drawer().waitFor({ state: 'hidden' });
    // Gone from 在约, listed under 已解约.
    await page.getByPlaceholder('居民身份证号').press('Enter');
    await page.getByText('没有符合条件的签约').waitFor();
    await pickOption(page, page.locator('.ant-select').filter({ hasText: '在约' }), '已解约');
    const row = tableRows(page).filter({ hasText: resident.name }).first();
    await row.waitFor();
    assert.ok((await text(row)).includes('已解约'));
    await screenshot(page, 'fd-07-terminated');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'fd-fail').catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\n${server.output().slice(-2000)}`);
  }
});

test('家庭医生：签约查找（身份证号 + 姓名）为本中心尚未签约的居民新签约，无需重复建档', { timeout: 240_000 }, async () => {
  if (!session) throw new Error('no console');
  const { context, page: doc } = await newPage(session.browser, server.url);
  doc.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await signIn(doc, { username: 'family_doctor', password: DEMO_PASSWORD, totpSecret: demoTotpSecret('family_doctor') });
    const me = (await doc.evaluate(async () => (await fetch('/api/v1/auth/me', { headers: { accept: 'application/json' } })).json())) as {
      user: { scope: { institutionId: number; practitionerId: number } };
    };
    const { institutionId, practitionerId } = me.user.scope;
    // As the city admin (the other page): an unsigned, living resident managed by the doctor's centre, with the full ID number (调阅).
    const adminIn = await page
      .evaluate(async () => (await fetch('/api/v1/auth/me', { headers: { accept: 'application/json' } })).status === 200)
      .catch(() => false);
    if (!adminIn) await signIn(page, CITY_ADMIN);
    let resident: { id: number; name: string; idNumber: string } | null = null;
    for (const surname of ['王', '张', '陈', '李', '刘', '周', '徐', '朱', '杨', '黄', '吴', '孙']) {
      const found = await call<{ items: { id: number; name: string; status: string; managingInstitutionId: number | null }[] }>(
        'GET',
        `/residents?district=310101&name=${encodeURIComponent(surname)}&pageSize=100`,
      );
      for (const p of found.items) {
        if (p.status !== 'alive' || p.managingInstitutionId !== institutionId) continue;
        const chances = await call<{ colour: string | null }>('GET', `/family-doctor/residents/${p.id}/chances`);
        if (chances.colour !== null) continue;
        resident = {
          id: p.id,
          name: p.name,
          idNumber: (await call<{ idNumber: string }>('POST', `/residents/${p.id}/reveal`, { reason: '浏览器测试：家庭医生签约查找' })).idNumber,
        };
        break;
      }
      if (resident) break;
    }
    if (!resident) throw new Error("no unsigned resident of the family doctor's centre");
    const teams = await call<{ items: { id: number; name: string; members: { practitionerId: number; name: string }[] }[] }>(
      'GET',
      `/teams?institutionId=${institutionId}&pageSize=100`,
    );
    const team = teams.items.find((t) => t.members.some((m) => m.practitionerId === practitionerId));
    if (!team) throw new Error('the doctor has no team');
    const doctorName = (team.members.find((m) => m.practitionerId === practitionerId) as { name: string }).name;

    await openMenu(doc, '签约管理');
    await doc.getByTestId('fd-sign-button').click();
    const sign = doc.getByTestId('fd-sign-drawer');
    // The name must match the ID number: a wrong one finds nobody (and never offers to create a duplicate).
    await sign.getByTestId('fd-sign-name').fill(`${resident.name}甲`);
    await sign.getByTestId('fd-sign-id').locator('input').fill(resident.idNumber);
    await sign.getByTestId('fd-sign-id').locator('input').press('Enter');
    await sign.getByText('未找到证件号码与姓名一致的居民', { exact: false }).waitFor();
    await sign.getByTestId('fd-sign-name').fill(resident.name);
    await sign.getByTestId('fd-sign-id').locator('input').press('Enter');
    await sign.getByText('未签约').waitFor();
    assert.ok((await text(sign)).includes(resident.name));
    const form = sign.getByTestId('fd-sign-form');
    const item = (label: string) => form.locator('.ant-form-item').filter({ has: doc.getByText(label, { exact: true }) });
    // The doctor signs at their own centre, in their team, as themselves: the form fills all three in.
    const shows = (label: string, value: string) => item(label).locator('.ant-select').filter({ hasText: value }).waitFor({ timeout: 15_000 });
    await shows('家庭医生团队', team.name);
    await shows('家庭医生', doctorName);
    await screenshot(doc, 'fd-05-doctor-sign-lookup');
    const signed = doc.waitForResponse((r) => r.url().endsWith('/api/v1/family-doctor/contracts') && r.request().method() === 'POST');
    await sign.getByTestId('fd-sign-submit').click();
    assert.equal((await signed).status(), 201, await (await signed).text());
    await sign.waitFor({ state: 'hidden' });
    await doc.getByTestId('fd-contract-drawer').getByText('签约记录').waitFor();
    assert.ok((await text(doc.getByTestId('fd-contract-drawer'))).includes(resident.name));
  } catch (e) {
    await screenshot(doc, 'fd-05-doctor-sign-lookup-fail').catch(() => undefined);
    throw new Error(`${e instanceof Error ? e.message : e}\n${server.output().slice(-2000)}`);
  } finally {
    await context.close();
  }
});
