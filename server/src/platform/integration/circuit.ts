// Per-system circuit breaker, kept in the database so every dispatcher process (and the console)
// sees the same state. closed: deliver normally. open: after failureThreshold consecutive transient
// failures nothing is sent to the system until open_until, so a system that is down does not use up
// the messages' attempts. half-open: open_until has passed; one probe message is sent, and its result
// closes the circuit (success, or a 4xx: the system answers) or opens it again.
import type { Queryable } from '../db/types.ts';
import type { CircuitPolicy } from './adapter.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';
export const CIRCUIT_TITLES: Record<CircuitState, string> = { closed: '正常', open: '熔断（暂停投递）', 'half-open': '半开（试探投递）' };

export interface CircuitInfo {
  system: string;
  state: CircuitState;
  consecutiveFailures: number;
  openedAt: Date | null;
  openUntil: Date | null;
  lastError: string | null;
}

interface Row {
  system: string;
  consecutive_failures: number;
  opened_at: Date | null;
  open_until: Date | null;
  is_open: boolean;
  last_error: string | null;
}

function info(system: string, r: Row | undefined, policy: CircuitPolicy): CircuitInfo {
  if (!r) return { system, state: 'closed', consecutiveFailures: 0, openedAt: null, openUntil: null, lastError: null };
  const failures = Number(r.consecutive_failures);
  const state: CircuitState = r.is_open ? 'open' : failures >= policy.failureThreshold ? 'half-open' : 'closed';
  return { system, state, consecutiveFailures: failures, openedAt: r.opened_at, openUntil: r.open_until, lastError: r.last_error };
}

/** State of each given system (absent rows are closed). */
export async function loadCircuits(db: Queryable, policies: Map<string, CircuitPolicy>): Promise<Map<string, CircuitInfo>> {
  const systems = [...policies.keys()];
  const rows = systems.length
    ? await db.query<Row>(
        `select system, consecutive_failures, opened_at, open_until, coalesce(open_until > now(), false) as is_open, last_error
           from integration_circuit where system = any($1::text[])`,
        [systems],
      )
    : [];
  const by = new Map(rows.map((r) => [r.system, r]));
  return new Map(systems.map((s) => [s, info(s, by.get(s), policies.get(s) as CircuitPolicy)]));
}

/** The system answered: close the circuit. */
export async function recordSuccess(db: Queryable, system: string): Promise<void> {
  await db.query(
    `update integration_circuit set consecutive_failures = 0, open_until = null, opened_at = null, updated_at = now()
      where system = $1 and (consecutive_failures > 0 or open_until is not null)`,
    [system],
  );
}

/**
 * A transient failure. Opens the circuit when the count reaches the threshold and it is not already
 * open (a failed half-open probe opens it again). Returns true when this call opened it.
 */
export async function recordFailure(db: Queryable, system: string, policy: CircuitPolicy, error: string): Promise<boolean> {
  const [r] = await db.query<{ opened: boolean }>(
    `insert into integration_circuit as c (system, consecutive_failures, last_error, opened_at, open_until)
     values ($1, 1, $2, case when 1 >= $3 then now() end, case when 1 >= $3 then now() + $4 * interval '1 millisecond' end)
     on conflict (system) do update set
       consecutive_failures = c.consecutive_failures + 1,
       last_error = excluded.last_error,
       opened_at = case when c.consecutive_failures + 1 >= $3 and (c.open_until is null or c.open_until <= now()) then now() else c.opened_at end,
       open_until = case when c.consecutive_failures + 1 >= $3 and (c.open_until is null or c.open_until <= now())
                         then now() + $4 * interval '1 millisecond' else c.open_until end,
       updated_at = now()
     returning opened_at is not null and opened_at = now() as opened`,
    [system, error.slice(0, 2000), policy.failureThreshold, policy.openMs],
  );
  return r?.opened ?? false;
}
