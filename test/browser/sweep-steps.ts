import { join } from 'node:path';
import type { Page, Request, Response } from 'playwright-core';
import { DEMO_PASSWORD, demoTotpSecret } from '../../server/src/platform/demo/users.ts';
import type { TestAccount } from './accounts.ts';
import { ROOT } from './server.ts';

/** Every demo account (docs/demo.md), one per role and scope the first start creates. */
export const DEMO_USERNAMES = [
  'city_admin',
  'district_admin_huangpu',
  'district_admin_xuhui',
  'shenkang_admin',
  'hospital_admin',
  'hospital_user',
  'community_admin',
  'family_doctor',
  'doctor_assistant',
  'expert',
  'auditor',
] as const;

export const demoAccount = (username: string): TestAccount => ({ username, password: DEMO_PASSWORD, totpSecret: demoTotpSecret(username) });

export interface MenuPage {
  path: string;
  title: string;
}

/** A problem the sweep saw: a failed response, an uncaught error or a console error, and where. */
export interface Problem {
  where: string;
  what: string;
}

/**
 * Watches one page: counts requests in flight (so a step can wait until the page has settled) and records
 * every response ≥ 400, uncaught error and console error under the current `where` label.
 */
export class PageWatch {
  where = '';
  readonly problems: Problem[] = [];
  private inFlight = new Set<Request>();
  private lastChange = Date.now();

  constructor(readonly page: Page) {
    page.on('request', (r) => {
      this.inFlight.add(r);
      this.lastChange = Date.now();
    });
    const done = (r: Request) => {
      this.inFlight.delete(r);
      this.lastChange = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', (r) => {
      done(r);
      // A request the page itself aborted (it moved on) is not a failure.
      if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? '')) this.add(`请求失败 ${r.method()} ${path(r.url())}: ${r.failure()?.errorText}`);
    });
    page.on('response', (r: Response) => {
      if (r.status() >= 400) this.add(`${r.status()} ${r.request().method()} ${path(r.url())}`);
    });
    page.on('pageerror', (e) => this.add(`未捕获错误: ${e.message}`));
    page.on('console', (m) => {
      // Failed responses are already recorded above with their URL.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) this.add(`控制台错误: ${m.text().slice(0, 300)}`);
    });
  }

  add(what: string): void {
    this.problems.push({ where: this.where, what });
  }

  /** Waits until no request has been in flight for `quietMs` (the page has loaded what it asks for). */
  async settle(quietMs = 400, maxMs = 15_000): Promise<void> {
    const end = Date.now() + maxMs;
    while (Date.now() < end) {
      if (this.inFlight.size === 0 && Date.now() - this.lastChange >= quietMs) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.add(`${maxMs} ms 内未加载完（仍在请求：${[...this.inFlight].map((r) => path(r.url())).join(', ')}）`);
  }
}

function path(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** The pages a signed-in user's menu offers, as the console reads them. */
export async function menuPages(page: Page): Promise<MenuPage[]> {
  const r = await page.request.get('/api/v1/system/menu');
  if (!r.ok()) throw new Error(`GET /api/v1/system/menu: ${r.status()}`);
  const menu = (await r.json()) as { systems: { items: MenuPage[] }[] };
  return menu.systems.flatMap((s) => s.items.map((i) => ({ path: i.path, title: i.title })));
}

/** Client-side navigation (what a menu click does) without relying on titles being unique. */
export async function goTo(page: Page, to: string): Promise<void> {
  await page.evaluate((p) => {
    // Structural: the test project has no DOM lib.
    const w = globalThis as unknown as {
      history: { pushState(s: unknown, t: string, u: string): void };
      dispatchEvent(e: unknown): void;
      PopStateEvent: new (t: string) => unknown;
    };
    w.history.pushState({}, '', p);
    w.dispatchEvent(new w.PopStateEvent('popstate'));
  }, to);
}

/** Opens every tab of the page in turn (antd Tabs, nested ones included), letting each settle. */
export async function visitTabs(page: Page, watch: PageWatch, label: string): Promise<number> {
  const tabs = page.locator('main .ant-tabs-tab:not(.ant-tabs-tab-disabled), .ant-layout-content .ant-tabs-tab:not(.ant-tabs-tab-disabled)');
  const n = await tabs.count();
  for (let i = 0; i < n; i++) {
    const tab = tabs.nth(i);
    if (!(await tab.isVisible())) continue;
    const name = (await tab.textContent({ timeout: 5000 }).catch(() => null))?.trim() || String(i);
    watch.where = `${label} › ${name}`;
    // A tab may be re-rendered under the click (its count arriving, nested tabs swapped by an outer one):
    // try again on the element found afresh.
    for (let attempt = 1; ; attempt++) {
      try {
        await tab.click({ timeout: 5000 });
        break;
      } catch (e) {
        if ((await tabs.count()) <= i) break; // the tabs it belonged to are gone
        if (attempt === 3) throw e;
        await page.waitForTimeout(500);
      }
    }
    await watch.settle();
  }
  return n;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2 A and AA rules) on the page as it is now; returns the critical and serious violations. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  // The console's fallback field naming (components/field-names.ts) runs at most every 400 ms after a DOM
  // change: give it that long, so axe sees the page as a person's screen reader would.
  await page.waitForTimeout(500);
  const loaded = await page.evaluate(() => typeof (globalThis as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  const r = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(
      { exclude: [['.ant-message'], ['.ant-notification']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] },
    );
  });
  return r.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 160), failureSummary: n.failureSummary?.slice(0, 200) })),
    }));
}
