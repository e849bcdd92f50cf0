// A small framework for fake outside systems: a real HTTP server (Fastify) that checks our request
// signatures, stores what it receives exactly once per Idempotency-Key, and misbehaves on demand.
// The named systems (systems/*.ts) are thin definitions on top; their domain endpoints are added as
// `routes` by the issues that need them, and get signature checks, deduplication and faults for free.
//
// Faults, set in code (sim.setFaults / sim.down) or over HTTP (PUT /__sim/faults):
//   down            'refuse': the port is closed (connection refused); '503': every request gets 503
//   slowMs          the reply comes this late (the request is processed first, so a client timeout
//                   means "done but unacknowledged"); slowRate = share of requests slowed (default all)
//   errorRate       share of requests answered with a random 5xx before processing
//   loseAck         the next N new messages are stored and then answered with 503 (the ack is lost)
//   reject          the next N writes are refused with a 4xx (not stored)
//   onDuplicate     a repeated Idempotency-Key gets 409 or the first reply again ('replay')
//   duplicateReplies   share of replies (feedback) published twice
//   outOfOrderReplies  replies are held and published shuffled in groups of this size
// Admin endpoints under /__sim/ are unauthenticated: simulators listen on 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { canonicalJson } from '../../util/canonical-json.ts';
import { sm3Hex } from '../../crypto/sm3.ts';
import { SeededRng } from '../../world/rng.ts';
import { sendRequest } from '../http-client.ts';
import { hmacSigner, verifySignedRequest } from '../signing.ts';
import { type AuthMode, DEFAULT_CLIENT_ID, devSecret, outsideSystem } from '../systems.ts';

export type SimMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SimRequest {
  method: SimMethod;
  url: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  clientId: string | null;
  key: string | null;
  headers: Record<string, string | string[] | undefined>;
}

export interface SimResponse {
  status?: number;
  body?: unknown;
}

export interface SimRoute {
  method: SimMethod;
  /** Fastify path, e.g. '/api/applications/:id'. */
  url: string;
  /** Deduplicate by Idempotency-Key (default: true for everything but GET). */
  idempotent?: boolean;
  handler(req: SimRequest, sim: Simulator): SimResponse | Promise<SimResponse>;
}

export interface SimulatorDef {
  system: string;
  title: string;
  /** What the simulator expects: 'none' accepts unsigned requests. */
  auth: AuthMode;
  routes: SimRoute[];
  /** Feedback published for each newly accepted message (null: none). Default: an acceptance receipt. */
  reply: ((m: ReceivedMessage) => Record<string, unknown> | null) | null;
}

export function defineSimulator(d: Partial<SimulatorDef> & { system: string }): SimulatorDef {
  const known = outsideSystem(d.system);
  return {
    system: d.system,
    title: d.title ?? known?.title ?? d.system,
    auth: d.auth ?? known?.auth ?? 'hmac-sm3',
    routes: d.routes ?? [],
    reply: d.reply === undefined ? receipt : d.reply,
  };
}

const receipt = (m: ReceivedMessage) => ({ type: 'receipt', idempotencyKey: m.key, topic: m.topic, receiptId: m.receiptId, status: 'accepted' });

export interface ReceivedMessage {
  receiptId: string;
  key: string;
  clientId: string | null;
  method: SimMethod;
  path: string;
  topic: string | null;
  body: unknown;
  bodyDigest: string;
  receivedAt: string;
  /** Requests that carried this key (1 = delivered once; more = redeliveries, deduplicated). */
  deliveries: number;
  response: { status: number; body: unknown } | null;
}

export interface Reply {
  seq: number;
  replyId: string;
  at: string;
  [k: string]: unknown;
}

export interface Faults {
  down: { mode: 'refuse' | '503'; until: number | null } | null;
  slowMs: number;
  slowRate: number;
  errorRate: number;
  loseAck: number;
  reject: { status: number; count: number } | null;
  onDuplicate: '409' | 'replay';
  duplicateReplies: number;
  outOfOrderReplies: number;
}

export type FaultPatch = Partial<Omit<Faults, 'down'>> & { down?: { mode: 'refuse' | '503'; forMs?: number } | null };

const NO_FAULTS: Faults = {
  down: null,
  slowMs: 0,
  slowRate: 1,
  errorRate: 0,
  loseAck: 0,
  reject: null,
  onDuplicate: 'replay',
  duplicateReplies: 0,
  outOfOrderReplies: 0,
};

export interface SimulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  host?: string;
  /** Callers and their keys; default: DEFAULT_CLIENT_ID with the development secret and sm2PublicKey. */
  clients?: Record<string, { secret?: string; sm2PublicKey?: string }>;
  /** Our platform's SM2 public key (KeyRing.sm2PublicKey), for the default client. */
  sm2PublicKey?: string;
  faults?: FaultPatch;
  /** Seed for the random faults (default: Math.random). */
  seed?: number;
  /** Replies are also POSTed here, signed with HMAC-SM3 like a partner system (our partner API). */
  callback?: { url: string; clientId: string; secret: string };
  /** Out-of-order replies still waiting are published after this long (default 200 ms). */
  replyFlushMs?: number;
}

export interface Simulator {
  readonly def: SimulatorDef;
  readonly url: string;
  readonly port: number;
  /** Unique messages, in arrival order. */
  readonly received: ReceivedMessage[];
  /** The published reply feed (GET /replies), in publishing order. */
  readonly replies: Reply[];
  readonly stats: { requests: number; writes: number; duplicates: number; signatureFailures: number; callbackErrors: number };
  readonly faults: Faults;
  setFaults(patch: FaultPatch): Faults;
  /** Goes down now; back up after forMs (or on up()). */
  down(mode?: 'refuse' | '503', forMs?: number): Promise<void>;
  up(): Promise<void>;
  /** Forgets everything received and clears every fault (back up if down). */
  reset(): Promise<void>;
  /** Queues feedback (through the reply faults) for the feed and the callback. */
  emitReply(reply: Record<string, unknown>): void;
  /** Publishes held (out-of-order) replies now. */
  flushReplies(): void;
  stop(): Promise<void>;
}

type RawRequest = FastifyRequest & { rawBody?: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const oneHeader = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

export async function startSimulator(def: SimulatorDef, opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const rng = opts.seed === undefined ? null : new SeededRng(opts.seed, `sim:${def.system}`);
  const random = () => (rng ? rng.next() : Math.random());
  const clients = opts.clients ?? { [DEFAULT_CLIENT_ID]: { secret: devSecret(def.system), sm2PublicKey: opts.sm2PublicKey } };
  const nonces = new Set<string>();
  const byKey = new Map<string, ReceivedMessage>();
  const received: ReceivedMessage[] = [];
  const replies: Reply[] = [];
  const held: Omit<Reply, 'seq'>[] = [];
  const stats = { requests: 0, writes: 0, duplicates: 0, signatureFailures: 0, callbackErrors: 0 };
  let faults: Faults = { ...NO_FAULTS };
  let upTimer: NodeJS.Timeout | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let listening = false;
  let stopped = false;
  const callbacks = new Set<Promise<void>>();

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    (req as RawRequest).rawBody = body as string;
    try {
      done(null, body === '' ? null : JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('请求体不是有效的 JSON'), { statusCode: 400 }), undefined);
    }
  });

  // ---- replies (feedback) -------------------------------------------------------------------
  const publish = (batch: Omit<Reply, 'seq'>[]) => {
    for (const r of batch) {
      const copies = random() < faults.duplicateReplies ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const reply = { ...r, seq: replies.length + 1 } as Reply;
        replies.push(reply);
        if (opts.callback) pushCallback(reply);
      }
    }
  };
  const shuffle = <T>(a: T[]) => {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  const flushReplies = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    publish(shuffle(held.splice(0)));
  };
  const emitReply = (body: Record<string, unknown>) => {
    const r = { ...body, replyId: String(body.replyId ?? randomUUID()), at: new Date().toISOString() };
    if (faults.outOfOrderReplies <= 1) return publish([r]);
    held.push(r);
    if (held.length >= faults.outOfOrderReplies) return flushReplies();
    if (!flushTimer) {
      flushTimer = setTimeout(flushReplies, opts.replyFlushMs ?? 200);
      flushTimer.unref();
    }
  };
  function pushCallback(reply: Reply) {
    const cb = opts.callback as NonNullable<SimulatorOptions['callback']>;
    const p = (async () => {
      for (let attempt = 1; attempt <= 5 && !stopped; attempt++) {
        const r = await sendRequest({
          baseUrl: cb.url,
          method: 'POST',
          path: '',
          body: reply,
          idempotencyKey: `${def.system}:${reply.replyId}`,
          timeoutMs: 5000,
          signer: hmacSigner(cb.clientId, cb.secret),
        });
        if (r.kind === 'response' && ((r.status >= 200 && r.status < 300) || r.status === 409)) return;
        if (r.kind === 'response' && r.status >= 400 && r.status < 500 && r.status !== 429) break;
        await sleep(200 * 2 ** (attempt - 1));
      }
      stats.callbackErrors++;
    })();
    callbacks.add(p);
    void p.finally(() => callbacks.delete(p));
  }

  // ---- the request pipeline ---------------------------------------------------------------------
  const fail = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ code, message });

  async function pipeline(req: RawRequest, reply: FastifyReply, route: SimRoute | null) {
    stats.requests++;
    if (faults.down?.mode === '503') return fail(reply, 503, 'UNAVAILABLE', `${def.title}暂不可用（模拟停机）`);
    const rawBody = req.rawBody ?? '';
    if (def.auth !== 'none') {
      const v = verifySignedRequest(
        { method: req.method, url: req.url, headers: req.headers, rawBody },
        { hmacSecret: (c) => clients[c]?.secret, sm2PublicKey: (c) => clients[c]?.sm2PublicKey },
        {
          freshNonce: (c, n) => {
            const k = `${c}\u0000${n}`;
            if (nonces.has(k)) return false;
            nonces.add(k);
            return true;
          },
        },
      );
      if (!v.ok) {
        stats.signatureFailures++;
        return fail(reply, 401, 'BAD_SIGNATURE', v.message);
      }
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      const status = [500, 502, 503][Math.floor(random() * 3)]!;
      return fail(reply, status, 'INTERNAL', `${def.title}内部错误（模拟 ${status}）`);
    }
    const method = req.method as SimMethod;
    const idempotent = route ? (route.idempotent ?? method !== 'GET') : method !== 'GET';
    const key = oneHeader(req.headers['idempotency-key']) ?? null;
    const simReq: SimRequest = {
      method,
      url: req.url,
      params: (req.params as Record<string, string>) ?? {},
      query: (req.query as Record<string, string>) ?? {},
      body: req.body ?? null,
      clientId: oneHeader(req.headers['x-wj-client']) ?? null,
      key,
      headers: req.headers,
    };
    if (!idempotent) {
      if (!route) return fail(reply, 404, 'NOT_FOUND', '接口不存在');
      const out = await route.handler(simReq, sim);
      return slowThenSend(reply, out.status ?? 200, out.body ?? null);
    }
    stats.writes++;
    if (!key) return fail(reply, 400, 'IDEMPOTENCY_KEY_REQUIRED', '缺少 Idempotency-Key 请求头');
    if (faults.reject && faults.reject.count > 0) {
      faults.reject.count--;
      const status = faults.reject.status;
      if (faults.reject.count === 0) faults.reject = null;
      return fail(reply, status, 'REJECTED', `${def.title}拒绝了该请求（模拟业务校验失败）`);
    }
    const digest = sm3Hex(canonicalJson(simReq.body));
    const scopedKey = `${simReq.clientId ?? ''}\u0000${key}`;
    const seen = byKey.get(scopedKey);
    if (seen) {
      seen.deliveries++;
      stats.duplicates++;
      if (seen.bodyDigest !== digest) return fail(reply, 422, 'IDEMPOTENCY_KEY_REUSED', '幂等键已用于内容不同的请求');
      if (!seen.response) return fail(reply, 409, 'IN_PROGRESS', '该请求正在处理中（幂等键重复）');
      if (faults.onDuplicate === '409') return reply.code(409).send({ code: 'DUPLICATE', message: '该请求已处理（幂等键重复）', receiptId: seen.receiptId });
      reply.header('idempotent-replayed', 'true');
      return slowThenSend(reply, seen.response.status, seen.response.body);
    }
    const path = req.url.split('?')[0]!;
    const m: ReceivedMessage = {
      receiptId: randomUUID(),
      key,
      clientId: simReq.clientId,
      method,
      path,
      topic: oneHeader(req.headers['x-wj-topic']) ?? (path.startsWith('/inbox/') ? decodeURIComponent(path.slice(7)) : null),
      body: simReq.body,
      bodyDigest: digest,
      receivedAt: new Date().toISOString(),
      deliveries: 1,
      response: null,
    };
    // Placeholder first: a redelivery racing a slow handler is told "in progress", never processed twice.
    byKey.set(scopedKey, m);
    let out: SimResponse;
    try {
      out = route ? await route.handler(simReq, sim) : { status: 200, body: { ok: true, receiptId: m.receiptId, system: def.system } };
    } catch (e) {
      byKey.delete(scopedKey);
      throw e;
    }
    const status = out.status ?? 200;
    if (status >= 300) {
      // Not accepted: the same key may come again with a fixed request.
      byKey.delete(scopedKey);
      return slowThenSend(reply, status, out.body ?? null);
    }
    m.response = { status, body: out.body ?? null };
    received.push(m);
    if (def.reply) {
      const r = def.reply(m);
      if (r) emitReply(r);
    }
    if (faults.loseAck > 0) {
      faults.loseAck--;
      return fail(reply, 503, 'UNAVAILABLE', `${def.title}处理后未能回执（模拟回执丢失）`);
    }
    return slowThenSend(reply, status, m.response.body);
  }

  async function slowThenSend(reply: FastifyReply, status: number, body: unknown) {
    if (faults.slowMs > 0 && random() < faults.slowRate) await sleep(faults.slowMs);
    return reply.code(status).send(body);
  }

  // ---- routes ---------------------------------------------------------------------------------
  for (const r of def.routes) app.route({ method: r.method, url: r.url, handler: (req, reply) => pipeline(req as RawRequest, reply, r) });
  app.get('/replies', (req, reply) =>
    pipeline(req as RawRequest, reply, {
      method: 'GET',
      url: '/replies',
      handler: (q) => {
        const after = Math.max(0, Number(q.query.after ?? 0) || 0);
        const limit = Math.min(1000, Math.max(1, Number(q.query.limit ?? 100) || 100));
        const items = replies.filter((x) => x.seq > after).slice(0, limit);
        return { body: { items, last: items.at(-1)?.seq ?? after } };
      },
    }),
  );
  app.all('/*', (req, reply) => pipeline(req as RawRequest, reply, null));

  app.get('/__sim/state', async () => state());
  app.get('/__sim/received', async () => ({ items: received }));
  app.put('/__sim/faults', async (req, reply) => {
    const patch = (req.body ?? {}) as FaultPatch;
    if (patch.down?.mode === 'refuse' && !(Number(patch.down.forMs) > 0)) {
      return fail(reply, 400, 'BAD_REQUEST', '通过接口设置拒绝连接时必须给出 forMs（停机期间管理接口也无法访问）');
    }
    if (patch.down !== undefined) {
      if (patch.down) await goDown(patch.down.mode, patch.down.forMs);
      else await goUp();
    }
    return setFaults({ ...patch, down: undefined });
  });
  app.post('/__sim/reset', async () => {
    await reset();
    return state();
  });
  app.post('/__sim/replies', async (req) => {
    emitReply((req.body ?? {}) as Record<string, unknown>);
    return { ok: true };
  });
  app.post('/__sim/replies/flush', async () => {
    flushReplies();
    return { ok: true, replies: replies.length };
  });

  const state = () => ({
    system: def.system,
    title: def.title,
    url: sim.url,
    received: received.length,
    replies: replies.length,
    stats,
    faults,
  });

  function setFaults(patch: FaultPatch): Faults {
    const { down, ...rest } = patch;
    const clean = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Faults>;
    faults = { ...faults, ...clean };
    if (down !== undefined) void (down ? goDown(down.mode, down.forMs) : goUp());
    return faults;
  }

  async function listen(port: number) {
    await new Promise<void>((resolve, reject) => {
      app.server.once('error', reject);
      app.server.listen(port, host, () => {
        app.server.off('error', reject);
        resolve();
      });
    });
    listening = true;
  }

  async function goDown(mode: 'refuse' | '503', forMs?: number) {
    if (upTimer) clearTimeout(upTimer);
    upTimer = null;
    faults = { ...faults, down: { mode, until: forMs ? Date.now() + forMs : null } };
    if (mode === 'refuse' && listening) {
      listening = false;
      await new Promise<void>((resolve) => {
        app.server.close(() => resolve());
        app.server.closeAllConnections();
      });
    }
    if (forMs) {
      upTimer = setTimeout(() => void goUp(), forMs);
      upTimer.unref();
    }
  }

  async function goUp() {
    if (upTimer) clearTimeout(upTimer);
    upTimer = null;
    faults = { ...faults, down: null };
    if (!listening && !stopped) await listen(sim.port);
  }

  async function reset() {
    await goUp();
    received.length = 0;
    replies.length = 0;
    held.length = 0;
    byKey.clear();
    Object.assign(stats, { requests: 0, writes: 0, duplicates: 0, signatureFailures: 0, callbackErrors: 0 });
    faults = { ...NO_FAULTS };
  }

  await app.ready();
  await listen(opts.port ?? 0);
  const port = (app.server.address() as AddressInfo).port;
  const sim: Simulator = {
    def,
    url: `http://${host}:${port}`,
    port,
    received,
    replies,
    stats,
    get faults() {
      return faults;
    },
    setFaults,
    down: (mode = 'refuse', forMs) => goDown(mode, forMs),
    up: goUp,
    reset,
    emitReply,
    flushReplies,
    async stop() {
      stopped = true;
      if (upTimer) clearTimeout(upTimer);
      if (flushTimer) clearTimeout(flushTimer);
      await Promise.allSettled([...callbacks]);
      if (listening) {
        app.server.closeAllConnections();
        await app.close();
      } else {
        // Already closed by a 'refuse' outage: only Fastify's own hooks remain.
        await app.close().catch(() => {});
      }
    },
  };
  if (opts.faults) setFaults(opts.faults);
  return sim;
}
