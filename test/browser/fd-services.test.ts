// 家庭医生签约服务 pages in the console (住院提醒 from the demo world's hospital events, 老年人健康服务,
// 健康评估服务, 人员与团队) and the resident's phone: ID number + name → SMS code (read from the SMS gateway
// simulator) → my family doctor and the three institutions.
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Simulator, startSimulator } from '../../server/src/platform/integration/simulators/simulator.ts';
import { smsGatewaySimulator } from '../../server/src/platform/integration/simulators/systems/sms-gateway.ts';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, openMenu, signIn, tableRows, text } from './console-steps.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

let ui: ConsoleSession;
let page: Page;
let sms: Simulator;
const pageErrors: string[] = [];
before(
  async () => {
    sms = await startSimulator(smsGatewaySimulator);
    ui = await openConsole(pageErrors, {
      prepare: (env) => {
        env.WEIJIAN_SMS_GATEWAY_URL = sms.url;
        env.WEIJIAN_INTEGRATION_LOOP_MS = '300';
      },
    });
    page = ui.page;
  },
  { timeout: 300_000 },
);
after(async () => {
  await ui?.close();
  await sms?.stop();
});

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

test('家庭医生签约服务：住院提醒、老年人健康服务、健康评估服务、人员与团队；居民端短信登录查看我的家庭医生', { timeout: 300_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '住院提醒');
    await page.getByText('医院推送签约居民入院').waitFor();
    // Most of the world's events are older than a week and already handled: show those.
    await page.locator('.ant-card .ant-select').first().click();
    await page.locator('.ant-select-item-option').filter({ hasText: '已处理' }).click();
    await tableRows(page).first().waitFor({ timeout: 30_000 });
    assert.ok((await text(tableRows(page).first())).match(/入院|出院/), 'a reminder row');
    await screenshot(page, 'fds-01-reminders');

    await openMenu(page, '老年人健康服务');
    await page.getByRole('tab', { name: '上门访视' }).waitFor();
    await openMenu(page, '健康评估服务');
    await page.getByRole('tab', { name: '上传记录' }).waitFor();
    await page.getByRole('tab', { name: '统计' }).click();
    await page.getByText('65 岁及以上 已归档').waitFor();
    await screenshot(page, 'fds-02-health-assessment');
    await openMenu(page, '人员与团队');
    await page.getByRole('tab', { name: '家庭医生同步' }).waitFor();

    // A resident with a valid contract, and their full ID number (调阅, audited).
    const list = await call<{ items: { personId: number; personName: string; doctorName: string; institutionName: string }[] }>(
      'GET',
      '/family-doctor/contracts?colour=green&pageSize=5',
    );
    const c = list.items[0];
    assert.ok(c, 'a green contract in the demo world');
    const full = await call<{ idNumber: string; name: string }>('POST', `/residents/${c.personId}/reveal`, { reason: '浏览器测试：居民端' });

    const phone = await ui.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${ui.server.url}/m/family-doctor`);
    await phone.getByTestId('portal-id').fill(full.idNumber);
    await phone.getByTestId('portal-name').fill(full.name);
    await phone.getByTestId('portal-send').click();
    await phone.getByTestId('portal-code').waitFor();
    const end = Date.now() + 60_000;
    while (sms.received.length === 0 && Date.now() < end) await phone.waitForTimeout(500);
    const message = sms.received.find((m) => String((m.body as { text?: string }).text ?? '').includes('家庭医生签约信息的验证码'));
    assert.ok(message, `the SMS reached the gateway\n${ui.server.output().slice(-2000)}`);
    const code = /验证码为 (\d{6})/.exec((message.body as { text: string }).text)?.[1] as string;
    await phone.getByTestId('portal-code').fill(code);
    await phone.getByRole('button', { name: '登录查看' }).click();
    await phone.getByText('签约社区卫生服务中心').waitFor();
    const shown = await text(phone.locator('body'));
    assert.ok(shown.includes(c.doctorName), `doctor ${c.doctorName} shown`);
    assert.ok(shown.includes(c.institutionName), 'community shown');
    assert.ok(shown.includes('区级医院') && shown.includes('市级医院'), 'the three institutions');
    await screenshot(phone, 'fds-03-portal');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'fds-failure').catch(() => {});
    throw e;
  }
});
