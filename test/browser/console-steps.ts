import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TestAccount } from './accounts.ts';
import { freshTotp } from './totp.ts';

type Locator = ReturnType<Page['locator']>;

/** Rendered text of an element (Playwright's innerText: what a person sees, hidden parts left out). */
export function text(l: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node; rendered text is the point
  return l.innerText();
}

/** Sign-in through the console's own page: password, then the TOTP code (enrolling first if asked). */
export async function signIn(page: Page, account: TestAccount): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码').fill(account.password);
  await page.getByTestId('login-form').locator('button[type=submit]').click();
  const code = page.getByLabel('动态口令');
  await Promise.race([
    code.waitFor(),
    page
      .getByTestId('login-error')
      .waitFor()
      .then(async () => {
        throw new Error(`sign-in refused: ${await text(page.getByTestId('login-error'))}`);
      }),
  ]);
  // First sign-in of an account without TOTP: the page shows the secret once.
  const shown = page.getByTestId('totp-secret');
  const secret = (await shown.isVisible()) ? (await text(shown)).trim() : account.totpSecret;
  await code.fill(await freshTotp(secret));
  await page.getByTestId('totp-form').locator('button[type=submit]').click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByTestId('user-menu').waitFor();
}

/** Opens a page through the side menu (what a user does), under its system group. */
export async function openMenu(page: Page, title: string): Promise<void> {
  await page.getByTestId('side-menu').getByRole('menuitem', { name: title }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

/** Closes the open drawer with its close button and waits until it is gone. */
export async function closeDrawer(page: Page): Promise<void> {
  const open = page.locator('.ant-drawer-open');
  if ((await open.count()) === 0) return;
  await open.locator('.ant-drawer-close').first().click();
  await open.first().waitFor({ state: 'detached' });
}

/**
 * Picks the option showing `text` in an antd Select (`select`: the .ant-select or anything inside it).
 * The option is looked for in this select's own dropdown (the list its combobox controls), not in any open
 * one: the previous select's dropdown is still "open" while it animates away, and its options may contain
 * the same text. A click while the dropdown is still animating may not take, so the pick is checked on the
 * select and retried. `search`: typed into a searchable select first (e.g. the start of a long name).
 */
export async function pickOption(page: Page, select: Locator, text: string, opts: { search?: string } = {}): Promise<void> {
  // Pinned to its element: a locator that found the select by its placeholder ("字段") stops matching once picked.
  const mark = `pick-${++picks}`;
  await select
    .locator('xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]')
    .first()
    .evaluate((el, m) => el.setAttribute('data-pick', m), mark);
  const root = page.locator(`[data-pick="${mark}"]`);
  const took = async () => {
    for (let i = 0; i < 10; i++) {
      if (((await root.textContent()) ?? '').includes(text)) return true;
      await page.waitForTimeout(150);
    }
    return false;
  };
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!((await root.getAttribute('class')) ?? '').includes('ant-select-open')) {
      await root.click();
      if (opts.search) await page.keyboard.type(opts.search);
    }
    const listId = await root
      .locator('[aria-controls]')
      .first()
      .getAttribute('aria-controls', { timeout: 2000 })
      .catch(() => null);
    const dropdown = listId
      ? page.locator(`.ant-select-dropdown:has([id="${listId}"])`)
      : page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await dropdown.locator('.ant-select-item-option').filter({ hasText: text }).first().click();
    if (await took()) return;
  }
  throw new Error(`选择“${text}”未生效（3 次）`);
}
let picks = 0;

/** Rows of the first visible antd table body (ignores the placeholder row). */
export function tableRows(page: Page, scope?: Locator) {
  return (scope ?? page).locator('.ant-table-tbody > tr.ant-table-row');
}

/** How many pixels of a canvas are not background: proves the chart actually drew something. */
export async function paintedPixels(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      // Structural type: the test project has no DOM lib.
      const c = el as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
      };
      const ctx = c.getContext('2d');
      if (!ctx) return 0;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && !(data[i]! > 245 && data[i + 1]! > 245 && data[i + 2]! > 245)) n++;
      return n;
    });
}

export { assert };
