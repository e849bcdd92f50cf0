// One line per outside system for the console: its adapter settings (never the secret), message
// counts by status in the caller's scope, and its circuit.
import type { Queryable } from '../db/types.ts';
import { DEFAULT_CIRCUIT, resolveSettings } from './adapter.ts';
import { CIRCUIT_TITLES, loadCircuits } from './circuit.ts';
import { MESSAGE_STATUSES, type MessageStatus } from './outbox.ts';
import { systemTitle } from './messages.ts';
import type { AdapterRegistry } from './registry.ts';

export async function listSystems(tx: Queryable, registry: AdapterRegistry, production: boolean) {
  const adapters = new Map(registry.list().map((a) => [a.system, a]));
  const counts = await tx.query<{ system: string; status: MessageStatus; n: number }>(
    'select system, status, count(*)::int as n from outbox_message group by system, status',
  );
  const systems = [...new Set([...adapters.keys(), ...counts.map((c) => c.system)])].sort();
  const circuits = await loadCircuits(tx, new Map(systems.map((s) => [s, adapters.get(s)?.circuit ?? DEFAULT_CIRCUIT])));
  return systems.map((system) => {
    const a = adapters.get(system);
    const byStatus = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<MessageStatus, number>;
    for (const c of counts) if (c.system === system) byStatus[c.status] = Number(c.n);
    const s = a ? resolveSettings(a, production) : null;
    const circuit = circuits.get(system);
    return {
      system,
      title: systemTitle(registry, system),
      registered: Boolean(a),
      baseUrl: s?.baseUrl ?? null,
      auth: s?.auth ?? null,
      clientId: s?.clientId ?? null,
      secretConfigured: s ? s.auth !== 'hmac-sm3' || Boolean(s.secret) : false,
      timeoutMs: s?.timeoutMs ?? null,
      maxAttempts: a?.retry.maxAttempts ?? null,
      counts: byStatus,
      circuit: circuit ? { ...circuit, stateTitle: CIRCUIT_TITLES[circuit.state] } : null,
    };
  });
}
