// Test helpers for the sync, fault-injection and monitoring tests: the two simulators with adapters
// pointed at them (the module's own adapters are put back afterwards), and the flow up to approval.
import assert from 'node:assert/strict';
import type { AdapterSpec } from '../../../platform/integration/adapter.ts';
import { smsGatewayAdapter } from '../../../platform/integration/adapters/sms-gateway.ts';
import { dispatchPending } from '../../../platform/integration/dispatcher.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { nationalSubsidySimulator } from '../../../platform/integration/simulators/systems/national-subsidy.ts';
import { smsGatewaySimulator } from '../../../platform/integration/simulators/systems/sms-gateway.ts';
import { DEFAULT_CLIENT_ID } from '../../../platform/integration/systems.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import type { TestApp, TestSession } from '../../../test/harness.ts';
import { parseLink } from './confirm-link.ts';
import { nationalAdapter } from './national.ts';
import { SMS_SYSTEM } from './send-sms.ts';
import { WORLD_AS_OF, worldWithBirths } from './test-world.ts';

export interface Sims {
  sms: Simulator;
  national: Simulator;
  stop(): Promise<void>;
}

export async function startSims(t: TestApp, nationalOpts: SimulatorOptions = {}, nationalSpec: Partial<AdapterSpec> = {}): Promise<Sims> {
  const secret = 'subsidy-test-secret';
  const clients = { [DEFAULT_CLIENT_ID]: { secret, sm2PublicKey: t.kernel.keys.sm2PublicKey } };
  const sms = await startSimulator(smsGatewaySimulator, { clients });
  const national = await startSimulator(nationalSubsidySimulator, { clients, ...nationalOpts });
  const restore = [
    t.kernel.adapters.use(smsGatewayAdapter({ baseUrl: sms.url, secret, timeoutMs: 10_000 })),
    // SM2-signed, as the national system expects in production.
    t.kernel.adapters.use(nationalAdapter({ baseUrl: national.url, secret, timeoutMs: 10_000, ...nationalSpec })),
  ];
  return {
    sms,
    national,
    async stop() {
      for (const undo of restore) undo();
      await sms.stop();
      await national.stop();
    },
  };
}

/** World, full screening as of the world's date. */
export async function screenedWorld(t: TestApp, admin: TestSession, residents = 12_000): Promise<void> {
  await worldWithBirths(t, residents);
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/childcare-subsidy/screenings', payload: { mode: 'full', asOf: WORLD_AS_OF } });
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
}

/** Sends the confirmation SMS (limit), delivers them and returns the links by application id, read from the gateway. */
export async function sendAndCollect(t: TestApp, admin: TestSession, sims: Sims, limit?: number): Promise<Map<number, string>> {
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/childcare-subsidy/applications/send-sms', payload: limit ? { limit } : {} });
  assert.equal(r.statusCode, 201, r.body);
  await dispatchPending(t.kernel, { systems: [SMS_SYSTEM] });
  const mac = (m: string, d: string) => t.kernel.keys.blindIndex(m, d);
  const out = new Map<number, string>();
  for (const m of sims.sms.received) {
    const token = /\/m\/subsidy\/confirm\/(\S+)/.exec((m.body as { text: string }).text)?.[1] as string;
    const p = parseLink(mac, token);
    if (p.ok) out.set(p.applicationId, token);
  }
  return out;
}

export const BANK = '6222021234567890123';

/** The parent confirms on the public page (with a bank account: auto-approved when the rules pass). */
export async function confirm(t: TestApp, token: string, bankAccount: string | null = BANK): Promise<string> {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/public/subsidy/confirm/${token}`,
    payload: bankAccount ? { confirm: true, bankAccount } : { confirm: true },
  });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().status as string;
}
