// The dispatcher: claims due outbox messages (FOR UPDATE SKIP LOCKED, so several processes never take
// the same one), delivers them outside any transaction and records each outcome.
//
// Delivery is at least once. A message is redelivered after a timeout, a lost acknowledgement, or a
// worker that died mid-delivery (its lease, next_attempt_at of a 'delivering' row, runs out), so every
// receiver must be idempotent by the Idempotency-Key header. Order is not guaranteed, not even per
// (system, topic): messages are delivered in parallel and a failed one is retried after later ones.
// A receiver that needs an order must carry it in the payload (e.g. a version number) and check it.
import type { JobDef } from '../jobs/types.ts';
import type { Kernel } from '../kernel.ts';
import type { Adapter, CircuitPolicy } from './adapter.ts';
import { loadCircuits, recordFailure, recordSuccess } from './circuit.ts';
import { backoffDelayMs, type Outcome } from './classify.ts';
import { deliverMessage } from './deliver.ts';
import { type OutboxMessage, toMessage } from './outbox.ts';

export interface DispatchSummary {
  /** Messages claimed and attempted. */
  claimed: number;
  delivered: number;
  /** Failed, retried later. */
  retried: number;
  /** Dead: refused by the other side, or out of attempts. */
  dead: number;
  /** Systems skipped because their circuit is open. */
  paused: string[];
  rounds: number;
}

export interface DispatchOptions {
  /** Only these systems (default: every adapter of kernel.adapters). */
  systems?: readonly string[];
  /** Adapters to use instead of kernel.adapters (tests). */
  adapters?: readonly Adapter[];
  /** Stop starting new rounds after this long (default 25 s). */
  budgetMs?: number;
  /** Round limit (default unlimited within the budget). */
  maxRounds?: number;
}

const LEASE_MARGIN_MS = 60_000;
const MAX_ERROR = 2000;

const MAX_RESPONSE = 64_000;

/** The accepting reply as stored with the message; a very large one is cut (the adapter saw it whole). */
function storedResponse(r: { status: number; body: unknown }): string {
  const text = JSON.stringify(r);
  if (text.length <= MAX_RESPONSE) return text;
  return JSON.stringify({ status: r.status, truncated: true, text: JSON.stringify(r.body).slice(0, 8000) });
}

const empty = (): DispatchSummary => ({ claimed: 0, delivered: 0, retried: 0, dead: 0, paused: [], rounds: 0 });

function adaptersFor(kernel: Kernel, opts: DispatchOptions): Map<string, Adapter> {
  const list = opts.adapters ?? kernel.adapters.list();
  return new Map(list.filter((a) => !opts.systems || opts.systems.includes(a.system)).map((a) => [a.system, a]));
}

async function claim(kernel: Kernel, adapter: Adapter, limit: number): Promise<OutboxMessage[]> {
  // The claim's lease: long enough for the attempt (timeout) and its recording.
  const leaseMs = adapter.timeoutMs * 2 + LEASE_MARGIN_MS;
  const rows = await kernel.db.query(
    `update outbox_message m set status = 'delivering', attempts = m.attempts + 1, next_attempt_at = now() + $3 * interval '1 millisecond'
      where m.id in (
        select id from outbox_message
         where system = $1 and status in ('pending', 'failed', 'delivering') and next_attempt_at <= now()
         order by next_attempt_at, id
         limit $2
         for update skip locked)
      returning m.*`,
    [adapter.system, limit, leaseMs],
  );
  return rows.map(toMessage);
}

/** Writes an attempt's outcome; `attempts` (the claim's count) fences out a worker whose lease was taken over. */
export async function recordAttempt(
  kernel: Kernel,
  adapter: Adapter,
  m: OutboxMessage,
  outcome: Outcome,
  startedAt: Date,
  durationMs: number,
): Promise<'delivered' | 'retry' | 'dead'> {
  let final: 'delivered' | 'retry' | 'dead' = outcome.result;
  let error = outcome.result === 'delivered' ? null : outcome.error.slice(0, MAX_ERROR);
  if (outcome.result === 'retry' && m.attempts >= adapter.retry.maxAttempts) {
    final = 'dead';
    error = `${error}（已尝试 ${m.attempts} 次，达到上限，转入死信）`;
  }
  await kernel.db.transaction(async (tx) => {
    const fence = [m.id, m.attempts];
    if (final === 'delivered' && outcome.result === 'delivered') {
      await tx.query(
        `update outbox_message set status = 'delivered', delivered_at = now(), response = $3, last_error = null
          where id = $1 and attempts = $2 and status = 'delivering'`,
        [...fence, storedResponse(outcome.response)],
      );
    } else if (final === 'retry') {
      const delay = backoffDelayMs(m.attempts, adapter.retry);
      await tx.query(
        `update outbox_message set status = 'failed', last_error = $3, next_attempt_at = now() + $4 * interval '1 millisecond'
          where id = $1 and attempts = $2 and status = 'delivering'`,
        [...fence, error, delay],
      );
    } else {
      await tx.query(`update outbox_message set status = 'dead', last_error = $3 where id = $1 and attempts = $2 and status = 'delivering'`, [...fence, error]);
    }
    await tx.query(
      `insert into outbox_attempt (message_id, attempt, started_at, duration_ms, outcome, http_status, error) values ($1, $2, $3, $4, $5, $6, $7)`,
      [m.id, m.attempts, startedAt, durationMs, final, outcome.httpStatus, error],
    );
    // A transient failure counts against the system; any answer (even a refusal) shows it is up.
    if (outcome.result === 'retry') {
      if (await recordFailure(tx, adapter.system, adapter.circuit, outcome.error)) {
        kernel.log.warn({ system: adapter.system, error: outcome.error }, 'integration circuit opened');
      }
    } else {
      await recordSuccess(tx, adapter.system);
    }
  });
  return final;
}

async function attempt(kernel: Kernel, adapter: Adapter, m: OutboxMessage): Promise<'delivered' | 'retry' | 'dead'> {
  const startedAt = new Date();
  const outcome = await deliverMessage(kernel, adapter, m);
  const final = await recordAttempt(kernel, adapter, m, outcome, startedAt, Date.now() - startedAt.getTime());
  if (final !== 'delivered') kernel.log.info({ system: m.system, messageId: m.id, attempt: m.attempts, outcome: final }, 'integration delivery failed');
  return final;
}

/**
 * One round: for every system with due messages whose circuit is not open, claims up to its
 * concurrency (one probe when half-open) and delivers them all in parallel.
 */
export async function dispatchRound(kernel: Kernel, opts: DispatchOptions = {}): Promise<DispatchSummary> {
  const sum = empty();
  const adapters = adaptersFor(kernel, opts);
  if (adapters.size === 0) return sum;
  // One index probe per system (outbox_message_due), however long a backlog is.
  const due = await kernel.db.query<{ system: string }>(
    `select s.system from unnest($1::text[]) as s(system)
      where exists (select 1 from outbox_message m
                     where m.system = s.system and m.status in ('pending', 'failed', 'delivering') and m.next_attempt_at <= now())`,
    [[...adapters.keys()]],
  );
  if (due.length === 0) return sum;
  const policies = new Map<string, CircuitPolicy>(due.map((d) => [d.system, (adapters.get(d.system) as Adapter).circuit]));
  const circuits = await loadCircuits(kernel.db, policies);
  const claimed: [Adapter, OutboxMessage][] = [];
  for (const { system } of due) {
    const adapter = adapters.get(system) as Adapter;
    const state = circuits.get(system)?.state ?? 'closed';
    if (state === 'open') {
      sum.paused.push(system);
      continue;
    }
    for (const m of await claim(kernel, adapter, state === 'half-open' ? 1 : adapter.concurrency)) claimed.push([adapter, m]);
  }
  sum.rounds = 1;
  sum.claimed = claimed.length;
  const results = await Promise.all(claimed.map(([a, m]) => attempt(kernel, a, m)));
  for (const r of results) {
    if (r === 'delivered') sum.delivered++;
    else if (r === 'retry') sum.retried++;
    else sum.dead++;
  }
  return sum;
}

/** Rounds until nothing is due (or the budget is spent). */
export async function dispatchPending(kernel: Kernel, opts: DispatchOptions = {}): Promise<DispatchSummary> {
  const budgetMs = opts.budgetMs ?? 25_000;
  const maxRounds = opts.maxRounds ?? Number.POSITIVE_INFINITY;
  const started = Date.now();
  const sum = empty();
  while (sum.rounds < maxRounds && Date.now() - started < budgetMs) {
    const r = await dispatchRound(kernel, opts);
    for (const s of r.paused) if (!sum.paused.includes(s)) sum.paused.push(s);
    if (r.claimed === 0) break;
    sum.rounds++;
    sum.claimed += r.claimed;
    sum.delivered += r.delivered;
    sum.retried += r.retried;
    sum.dead += r.dead;
  }
  return sum;
}

export interface Dispatcher {
  /** Look for work now (e.g. right after a transaction that queued messages has committed). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * The faster in-process loop (optional; the every-minute job delivers anyway): a round every
 * intervalMs, at once again while there is work. kernel.services.integration holds it.
 */
export function startDispatcher(kernel: Kernel, opts: { intervalMs?: number } & DispatchOptions = {}): Dispatcher {
  const intervalMs = opts.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  const loop = () => {
    timer = null;
    if (stopped) return;
    running = dispatchPending(kernel, { ...opts, budgetMs: opts.budgetMs ?? 10_000 })
      .then((s) => {
        if (s.claimed > 0) again = true;
      })
      .catch((err) => kernel.log.error({ err }, 'integration dispatcher round failed'))
      .finally(() => {
        running = null;
        if (stopped) return;
        timer = setTimeout(loop, again ? 0 : intervalMs);
        timer.unref();
        again = false;
      });
  };
  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(loop, 0);
    timer.unref();
  };
  timer = setTimeout(loop, 0);
  timer.unref();
  const d: Dispatcher = {
    wake,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (kernel.services.integration === d) delete kernel.services.integration;
    },
  };
  kernel.services.integration = d;
  return d;
}

/** After the transaction that queued messages has committed: deliver now if the loop runs here. */
export function wakeDispatcher(kernel: Pick<Kernel, 'services'>): void {
  (kernel.services.integration as Dispatcher | undefined)?.wake();
}

export const dispatchJob: JobDef = {
  name: 'integration.dispatch',
  title: '外部系统消息投递',
  defaultCron: '* * * * *',
  defaultEnabled: true,
  // A bounded share of each minute: the job queue runs one job at a time by default, and a long
  // backlog should not hold other jobs back (WEIJIAN_INTEGRATION_LOOP_MS adds a loop for throughput).
  handler: async (ctx) => {
    const s = await dispatchPending(ctx.kernel, { budgetMs: 25_000 });
    if (s.claimed > 0) await ctx.log(`投递 ${s.claimed} 次：送达 ${s.delivered}，待重试 ${s.retried}，死信 ${s.dead}`);
    if (s.paused.length) await ctx.log(`熔断暂停：${s.paused.join('、')}`);
    return s;
  },
};
