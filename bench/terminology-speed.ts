// `npm run bench -- --terminology` (or BENCH_SUITE=terminology): issue 16's speed targets on PostgreSQL —
// $lookup median / p99 under 50 concurrent callers, $expand with a text filter over the 33k ICD-10 codes,
// importing the 33k-row ICD-10 table (CSV → draft → review → published version), and as-of reads against
// current reads. Times are server-side: the service call in its transaction (DB round trips included,
// HTTP and JSON encoding not). Writes bench/results/<date>-terminology-speed.json and .md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { hrtime } from 'node:process';
import { appendAudit } from '../server/src/platform/audit/append.ts';
import { AuditBuffer } from '../server/src/platform/audit/event.ts';
import { type Principal, SYSTEM_PRINCIPAL } from '../server/src/platform/auth/principal.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import type { ServiceContext } from '../server/src/platform/service-context.ts';
import type { Tx } from '../server/src/platform/db/types.ts';
import { startKernel } from '../server/src/platform/kernel.ts';
import { todayInShanghai } from '../server/src/platform/util/dates.ts';
import { allModules } from '../server/src/modules.ts';
import { publishChangeRequest, reviewChangeRequest, submitChangeRequest } from '../server/src/systems/hospital-monitoring/terminology/change-requests.ts';
import { importFile } from '../server/src/systems/hospital-monitoring/terminology/import-routes.ts';
import * as repo from '../server/src/systems/hospital-monitoring/terminology/repository.ts';
import * as svc from '../server/src/systems/hospital-monitoring/terminology/service.ts';
import { ICD10_YB, shippedConcepts } from '../server/src/systems/hospital-monitoring/terminology/shipped.ts';
import { ensureBenchDatabase } from './postgres.ts';

const env = process.env;
const DB_URL = env.BENCH_TERM_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/weijian_term_bench';
const DATA_DIR = env.BENCH_DATA_DIR ?? 'tmp/bench-term';
const CALLERS = Number(env.BENCH_TERM_CALLERS ?? 50);
const SECONDS = Number(env.BENCH_TERM_SECONDS ?? 8);
const log = (m: string) => process.stdout.write(`[bench:terminology] ${m}\n`);
const ms = (t0: bigint) => Number(hrtime.bigint() - t0) / 1e6;
const round = (x: number) => Math.round(x * 1000) / 1000;

function pct(a: number[], p: number): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}
const summary = (a: number[]) => ({ n: a.length, p50: round(pct(a, 50)), p99: round(pct(a, 99)), max: round(Math.max(...a)) });

/** `callers` loops for `seconds`, each timing `op` in its own transaction. */
async function load(
  kernel: { db: { transaction<T>(f: (tx: Tx) => Promise<T>): Promise<T> } },
  callers: number,
  seconds: number,
  op: (tx: Tx, i: number) => Promise<unknown>,
): Promise<number[]> {
  const out: number[] = [];
  const until = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (Date.now() < until) {
        const i = n++;
        await kernel.db.transaction(async (tx) => {
          const t0 = hrtime.bigint();
          await op(tx, i);
          out.push(ms(t0));
        });
      }
    }),
  );
  return out;
}

export async function runTerminologySpeedBench(): Promise<boolean> {
  await ensureBenchDatabase(DB_URL, { log });
  mkdirSync(DATA_DIR, { recursive: true });
  const config = {
    ...loadConfig({ ...env, DATABASE_URL: DB_URL, WEIJIAN_DATA_DIR: DATA_DIR, NODE_ENV: 'development', LOG_LEVEL: 'warn' }),
    demo: false,
    jobs: false,
    dbPoolSize: CALLERS,
  };
  const kernel = await startKernel(config, allModules);
  const icd = shippedConcepts('icd10-yb2.tsv.gz');
  const codes = icd.map((c) => c.code);
  const pick = (i: number) => codes[(i * 7919) % codes.length] as string;
  log(`${codes.length} ICD-10 codes; ${CALLERS} callers, ${SECONDS} s per phase`);

  // Import: the 33k table as a CSV, through the same path as the console (parse → draft → review → publish).
  const url = `urn:weijian:bench:icd10-import-${Date.now()}`;
  const csv = `code,display,parent\n${icd.map((c) => `${c.code},"${c.display.replaceAll('"', '""')}",${c.parents[0] ?? ''}`).join('\n')}\n`;
  const editor = { ...SYSTEM_PRINCIPAL, kind: 'user', username: 'bench_editor' } as Principal;
  const reviewer = { ...SYSTEM_PRINCIPAL, kind: 'user', username: 'bench_reviewer' } as Principal;
  const step = async <T>(principal: Principal, f: (ctx: ServiceContext) => Promise<T>) =>
    kernel.db.transaction(async (tx) => {
      const audit = new AuditBuffer();
      const r = await f({ tx, audit, principal, kernel });
      await appendAudit(tx, principal, audit.events, { ip: null, requestId: null });
      return r;
    });
  let t0 = hrtime.bigint();
  const imported = await step(editor, (ctx) => importFile(ctx, { format: 'csv', content: csv, url, title: '基准：ICD-10 导入', version: '1' }));
  const importDraftMs = ms(t0);
  const t1 = hrtime.bigint();
  await step(editor, (ctx) => submitChangeRequest(ctx, imported.changeRequestId));
  await step(reviewer, (ctx) => reviewChangeRequest(ctx, imported.changeRequestId, { decision: 'approve' }));
  await step(reviewer, (ctx) => publishChangeRequest(ctx, imported.changeRequestId, { version: '1' }));
  const publishMs = ms(t1);
  const importMs = ms(t0);
  log(`import ${imported.concepts} rows: draft ${round(importDraftMs)} ms, review + publish ${round(publishMs)} ms, total ${round(importMs)} ms`);
  // A second version (one rename) so the as-of reads below go back to a version that is not the current one.
  t0 = hrtime.bigint();
  const renamed = pick(1);
  const cr2 = await step(editor, async (ctx) => {
    const [{ id }] = (await ctx.tx.query<{ id: number }>(
      `insert into term_change_request (system_id, title, version, items, created_by) values ($1, '基准：改名', '2', $2::jsonb, 'bench_editor') returning id::int as id`,
      [imported.systemId, JSON.stringify([{ op: 'rename', code: renamed, display: '基准改名' }])],
    )) as [{ id: number }];
    return id;
  });
  await step(editor, (ctx) => submitChangeRequest(ctx, cr2));
  await step(reviewer, (ctx) => reviewChangeRequest(ctx, cr2, { decision: 'approve' }));
  await step(reviewer, (ctx) => publishChangeRequest(ctx, cr2, { version: '2' }));
  const smallPublishMs = ms(t0);

  // Warm the caches (index of each version) once; the figures are for a running server.
  await kernel.db.transaction((tx) => svc.lookup(tx, { system: ICD10_YB, code: pick(0) }));
  await kernel.db.transaction((tx) => svc.lookup(tx, { system: url, code: pick(0) }));
  await kernel.db.transaction((tx) => svc.lookup(tx, { system: url, code: pick(0), version: '1' }));

  const today = todayInShanghai(); // as-of dates are Shanghai calendar days
  const day = new Date().toISOString().slice(0, 10);
  log('$lookup, current version …');
  const lookupCurrent = await load(kernel, CALLERS, SECONDS, (tx, i) => svc.lookup(tx, { system: ICD10_YB, code: pick(i) }));
  log('$lookup, as of a date …');
  const lookupAsOfDate = await load(kernel, CALLERS, SECONDS, (tx, i) => svc.lookup(tx, { system: ICD10_YB, code: pick(i), date: today }));
  log('$lookup of the imported system: current (v2) vs as of v1 …');
  const importedCurrent = await load(kernel, CALLERS, SECONDS, (tx, i) => svc.lookup(tx, { system: url, code: pick(i) }));
  const importedAsOf = await load(kernel, CALLERS, SECONDS, (tx, i) => svc.lookup(tx, { system: url, code: pick(i), version: '1' }));
  // The stored revisions themselves (no index cache): one row by a version-range test, old vs current.
  log('revision reads in SQL: current vs as of v1 …');
  const sys = (await kernel.db.transaction((tx) => repo.systemByUrl(tx, url))) as repo.SystemRow;
  const sqlCurrent = await load(kernel, CALLERS, SECONDS / 2, (tx, i) => repo.conceptAt(tx, sys.id, pick(i), 2));
  const sqlAsOf = await load(kernel, CALLERS, SECONDS / 2, (tx, i) => repo.conceptAt(tx, sys.id, pick(i), 1));

  const filters = ['糖尿病', 'gxy', '肺炎', 'tnb', '骨折', '恶性肿瘤', 'I10', '高血压 肾', 'fy', '胆囊'];
  log('$expand with a text filter: one caller, then 50 …');
  const expandOne = await load(kernel, 1, SECONDS, (tx, i) => svc.expand(tx, { url: ICD10_YB, filter: filters[i % filters.length] as string, count: 20 }));
  const expand50 = await load(kernel, CALLERS, SECONDS, (tx, i) => svc.expand(tx, { url: ICD10_YB, filter: filters[i % filters.length] as string, count: 20 }));
  await kernel.db.close();

  const ratio = (a: number[], b: number[]) => round(pct(a, 50) / pct(b, 50));
  const result = {
    date: day,
    asOfDate: today,
    machine: env.BENCH_MACHINE ?? 'shared 2-core dev machine (other developers running in parallel)',
    database: DB_URL.replace(/\/\/[^@]*@/, '//'),
    callers: CALLERS,
    // The machine's 1-minute load at the end: on a shared 2-core machine it explains more than the code does.
    loadAverage: round(loadavg()[0] ?? 0),
    secondsPerPhase: SECONDS,
    lookup: { current: summary(lookupCurrent), asOfDate: summary(lookupAsOfDate), perSecond: Math.round(lookupCurrent.length / SECONDS) },
    expand: { oneCaller: summary(expandOne), fiftyCallers: summary(expand50), filters },
    import: {
      rows: imported.concepts,
      draftMs: round(importDraftMs),
      reviewAndPublishMs: round(publishMs),
      totalMs: round(importMs),
      oneChangePublishMs: round(smallPublishMs),
    },
    asOf: {
      importedCurrent: summary(importedCurrent),
      importedAsOfV1: summary(importedAsOf),
      ratio: ratio(importedAsOf, importedCurrent),
      dateRatio: ratio(lookupAsOfDate, lookupCurrent),
      sqlCurrent: summary(sqlCurrent),
      sqlAsOfV1: summary(sqlAsOf),
      sqlRatio: ratio(sqlAsOf, sqlCurrent),
    },
  };
  const ok = (v: boolean) => (v ? '达标' : '未达标');
  const checks = {
    lookupP50: result.lookup.current.p50 <= 1,
    lookupP99: result.lookup.current.p99 <= 5,
    expandP50: result.expand.oneCaller.p50 <= 20,
    import: result.import.totalMs <= 10_000,
    asOf: result.asOf.ratio <= 2 && result.asOf.dateRatio <= 2 && result.asOf.sqlRatio <= 2,
  };
  const out = 'bench/results';
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${day}-terminology-speed.json`), `${JSON.stringify({ ...result, checks }, null, 2)}\n`);
  const md = `# 术语服务速度基准（${day}）

机器：${result.machine}，结束时 1 分钟负载 ${result.loadAverage}。数据库：PostgreSQL（${result.database}）。命令：\`npm run bench -- --terminology\`（每阶段 ${SECONDS} 秒，${CALLERS} 个并发调用方）。
计时为服务端：服务函数在其事务中的耗时（含数据库往返，不含 HTTP 与 JSON 编码）。

| 指标 | 结果 | 目标 | |
|---|---|---|---|
| \`$lookup\` 中位数（${CALLERS} 并发，当前版本，${result.lookup.current.n} 次） | ${result.lookup.current.p50} ms | ≤ 1 ms | ${ok(checks.lookupP50)} |
| \`$lookup\` p99 | ${result.lookup.current.p99} ms | ≤ 5 ms | ${ok(checks.lookupP99)} |
| \`$expand\` 文字过滤 p50（33k ICD-10，单调用方） | ${result.expand.oneCaller.p50} ms | ≤ 20 ms | ${ok(checks.expandP50)} |
| \`$expand\` 文字过滤 p50 / p99（${CALLERS} 并发） | ${result.expand.fiftyCallers.p50} / ${result.expand.fiftyCallers.p99} ms | | |
| 导入 ${result.import.rows} 行 ICD-10（CSV → 草稿 → 审核 → 发布） | ${round(result.import.totalMs / 1000)} s（草稿 ${round(result.import.draftMs / 1000)} s，审核 + 发布 ${round(result.import.reviewAndPublishMs / 1000)} s） | ≤ 10 s | ${ok(checks.import)} |
| 按版本读（v1，非当前）/ 当前读，\`$lookup\` p50 之比 | ${result.asOf.ratio}（${result.asOf.importedAsOfV1.p50} / ${result.asOf.importedCurrent.p50} ms） | ≤ 2 | ${ok(result.asOf.ratio <= 2)} |
| 按日期读 / 当前读，\`$lookup\` p50 之比 | ${result.asOf.dateRatio} | ≤ 2 | ${ok(result.asOf.dateRatio <= 2)} |
| 概念修订的 SQL 读（无索引缓存）：v1 / 当前 p50 之比 | ${result.asOf.sqlRatio}（${result.asOf.sqlAsOfV1.p50} / ${result.asOf.sqlCurrent.p50} ms） | ≤ 2 | ${ok(result.asOf.sqlRatio <= 2)} |

- \`$lookup\` 吞吐：约 ${result.lookup.perSecond} 次/秒；p99 / 最大：${result.lookup.current.p99} / ${result.lookup.current.max} ms。
- 只改一个代码的变更发布（含审核）：${result.import.oneChangePublishMs} ms。
- 读请求按版本内容摘要缓存内存索引：按日期或版本读到的若是同一版本，与当前读共用索引；旧版本首次读时构建一次索引。
`;
  writeFileSync(join(out, `${day}-terminology-speed.md`), md);
  process.stdout.write(`\n${md}\n`);
  return Object.values(checks).every(Boolean);
}
