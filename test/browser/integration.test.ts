import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CITY_ADMIN } from './accounts.ts';
import { screenshot } from './browser.ts';
import { assert, closeDrawer, openMenu, signIn, tableRows, text } from './console-steps.ts';
import { type ConsoleSession, openConsole } from './console-session.ts';

// 外部系统对接: the menu entry opens a real page (it used to show 建设中): adapter health with circuit state,
// the outbox with a message's detail, and the dead-letter list.
let page: Page;
let session: ConsoleSession | undefined;
const pageErrors: string[] = [];
before(
  async () => {
    session = await openConsole(pageErrors);
    ({ page } = session);
  },
  { timeout: 300_000 },
);
after(() => session?.close());

test('外部系统对接：适配器状态与熔断、发件箱消息详情、死信列表', { timeout: 240_000 }, async () => {
  try {
    await signIn(page, CITY_ADMIN);
    await openMenu(page, '外部系统对接');
    assert.equal(await page.getByText('该功能页面正在建设中').count(), 0);

    const systems = page.getByTestId('integration-systems');
    await tableRows(page, systems).first().waitFor();
    const rows = await tableRows(page, systems).count();
    assert.ok(rows >= 1, 'the registered adapters are listed');
    const circuits = await page.locator('[data-testid^="circuit-"]').allInnerTexts();
    assert.ok(circuits.length >= 1);
    for (const c of circuits) assert.ok(['正常', '熔断（暂停投递）', '半开（试探投递）'].includes(c.trim()), c);
    await screenshot(page, 'integration-01-systems');

    await page.getByRole('tab', { name: '发件箱' }).click();
    const outbox = page.getByTestId('outbox');
    await outbox.waitFor();
    await Promise.race([tableRows(page, outbox).first().waitFor(), outbox.getByText('还没有发往外部系统的消息').waitFor()]);
    if ((await tableRows(page, outbox).count()) > 0) {
      await tableRows(page, outbox).first().getByRole('button', { name: '详情' }).click();
      const drawer = page.getByTestId('message-drawer');
      await drawer.getByText('投递记录').waitFor();
      assert.ok((await text(drawer)).includes('幂等键'));
      await screenshot(page, 'integration-02-message');
      await closeDrawer(page);
    }

    await page.getByRole('tab', { name: /^死信/ }).click();
    const dead = page.getByTestId('dead-letters');
    await dead.waitFor();
    await Promise.race([tableRows(page, dead).first().waitFor(), dead.getByText('没有死信').waitFor()]);
    const deadRows = await tableRows(page, dead).count();
    for (let i = 0; i < deadRows; i++) assert.ok((await text(tableRows(page, dead).nth(i))).includes('死信'));
    await screenshot(page, 'integration-03-dead');
    assert.deepEqual(pageErrors, []);
  } catch (e) {
    await screenshot(page, 'integration-failed').catch(() => undefined);
    throw e;
  }
});
