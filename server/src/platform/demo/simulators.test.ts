import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { allModules } from '../../modules.ts';
import { KeyRing } from '../crypto/keyring.ts';
import { resolveSettings, signerFor } from '../integration/adapter.ts';
import { sendRequest } from '../integration/http-client.ts';
import { AdapterRegistry } from '../integration/registry.ts';
import { envPrefix, OUTSIDE_SYSTEMS } from '../integration/systems.ts';
import { startDemoSimulators } from './simulators.ts';

const keys = KeyRing.generate();
// The adapters the kernel would build from the module list at boot.
const declared = new AdapterRegistry(allModules).list();
const urlKeys = [...new Set([...OUTSIDE_SYSTEMS.map((s) => s.system), ...declared.map((a) => a.system)])].map((s) => `${envPrefix(s)}URL`);
const saved = Object.fromEntries(urlKeys.map((k) => [k, process.env[k]]));
after(() => {
  for (const k of urlKeys) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

test('demo mode: every adapter reaches a live in-process simulator (no refused connection)', async () => {
  for (const k of urlKeys) delete process.env[k];
  const sims = await startDemoSimulators({ adapters: declared, keys, production: false });
  try {
    // One per outside system, and the generic one (for adapters such as fd-combination that speak its inbox protocol).
    assert.equal(sims.started.length, OUTSIDE_SYSTEMS.length + 1);
    const adapters = declared;
    assert.ok(adapters.some((a) => a.system === 'fd-combination') && adapters.length >= 5, adapters.map((a) => a.system).join());
    for (const [i, a] of adapters.entries()) {
      const url = resolveSettings(a, false).baseUrl;
      assert.equal(url, sims.started.find((s) => s.system === (OUTSIDE_SYSTEMS.some((o) => o.system === a.system) ? a.system : 'generic'))?.url, a.system);
      // A request signed as the adapter signs: the simulator answers it (whatever it thinks of the made-up body).
      const settings = resolveSettings(a, false);
      const r = await sendRequest({
        baseUrl: url as string,
        method: 'POST',
        path: '/inbox/demo.ping',
        body: { n: i },
        timeoutMs: settings.timeoutMs,
        signer: signerFor(settings, keys),
      });
      assert.equal(r.kind, 'response', `${a.system}: ${r.kind === 'response' ? '' : r.message}`);
      assert.notEqual(r.kind === 'response' && r.status, 401, `${a.system}: signature refused`);
    }
  } finally {
    await sims.stop();
  }
});

test('a configured address is kept; production and WEIJIAN_DEMO_SIMULATORS=false start nothing', async () => {
  const env: NodeJS.ProcessEnv = { WEIJIAN_SMS_GATEWAY_URL: 'https://sms.example.gov.cn' };
  const sims = await startDemoSimulators({ adapters: declared, env, keys, production: false });
  try {
    assert.deepEqual(sims.configured, ['sms-gateway']);
    assert.equal(env.WEIJIAN_SMS_GATEWAY_URL, 'https://sms.example.gov.cn');
    assert.equal(sims.started.length, OUTSIDE_SYSTEMS.length);
  } finally {
    await sims.stop();
  }
  const prod: NodeJS.ProcessEnv = {};
  assert.equal((await startDemoSimulators({ adapters: declared, env: prod, keys, production: true })).started.length, 0);
  const off: NodeJS.ProcessEnv = { WEIJIAN_DEMO_SIMULATORS: 'false' };
  assert.equal((await startDemoSimulators({ adapters: declared, env: off, keys, production: false })).started.length, 0);
  assert.deepEqual(Object.keys(prod), []);
});
