import type { KeyRing } from '../crypto/keyring.ts';
import type { Database } from '../db/types.ts';
import type { WeijianModule } from '../module.ts';
import { createWorldContext, type ProgressFn } from './context.ts';
import { worldDigest } from './digest.ts';
import type { WorldStage, WorldTable } from './types.ts';

/**
 * The world's "today" when the caller gives none (tests). Ages, birth dates and death dates are computed
 * from it, never from the wall clock, so a seed and a "today" give the same world (and digest) whenever it
 * is generated. `npm start` and `world generate` pass the start date instead (today.ts).
 */
export const DEFAULT_AS_OF = '2026-09-30';

export interface GenerateOptions {
  seed: number;
  residents: number;
  /** Usually collectStages(kernel.modules). */
  stages: readonly WorldStage[];
  asOf?: string;
  /** Replace an existing (or half-generated) world: erases every stage table first. */
  force?: boolean;
  /** Compute and store the digest at the end (default true). */
  digest?: boolean;
  onProgress?: ProgressFn;
  /** Called when a stage starts (ms undefined) and ends. */
  onStage?: (stage: WorldStage, ms?: number) => void;
}

export interface WorldMeta {
  seed: number;
  residents: number;
  asOf: string;
  status: 'generating' | 'ready';
  generatedAt: string | null;
  seconds: number | null;
  digest: string | null;
}

export class WorldExistsError extends Error {
  constructor(
    readonly meta: WorldMeta | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A generation that failed part-way. The runner has already erased what it wrote (`cleaned`); when even
 * that failed, world_meta still says 'generating' and the next start erases it before generating again.
 */
export class WorldGenerationError extends Error {
  constructor(
    readonly stage: WorldStage | null,
    override readonly cause: unknown,
    readonly cleaned: boolean,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`${stage ? `演示世界阶段「${stage.title}」（${stage.name}）出错` : '演示世界收尾出错'}：${why}`);
  }
}

/** The registered stages (one per module at most), lowest order first. */
export function collectStages(modules: readonly WeijianModule[]): WorldStage[] {
  const stages = modules.flatMap((m) => (m.world ? [m.world] : []));
  const names = new Set<string>();
  for (const s of stages) {
    if (names.has(s.name)) throw new Error(`world stage registered twice: ${s.name}`);
    names.add(s.name);
  }
  return stages.sort((a, b) => a.order - b.order);
}

export async function readWorldMeta(db: Database): Promise<WorldMeta | null> {
  const rows = await db.query<{
    seed: number | string;
    residents: number;
    as_of: string;
    status: WorldMeta['status'];
    generated_at: string | null;
    seconds: number | null;
    digest: string | null;
  }>('select seed, residents, as_of::text as as_of, status, generated_at::text as generated_at, seconds, digest from world_meta where id = 1');
  const r = rows[0];
  if (!r) return null;
  return { seed: Number(r.seed), residents: r.residents, asOf: r.as_of, status: r.status, generatedAt: r.generated_at, seconds: r.seconds, digest: r.digest };
}

function tablesOf(stages: readonly WorldStage[]): WorldTable[] {
  return [...stages].sort((a, b) => a.order - b.order).flatMap((s) => s.tables ?? []);
}

/** Erases what the stages generated (children first) and the world's own rows. */
export async function resetWorld(db: Database, stages: readonly WorldStage[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const t of [...stages].flatMap((s) => s.derived ?? [])) await tx.exec(`truncate ${t}`);
    for (const t of tablesOf(stages).reverse()) {
      // Truncate restarts the id sequences, so a regenerated world gets the same ids again.
      if (t.where) await tx.exec(`delete from ${t.table} where ${t.where}`);
      else await tx.exec(`truncate ${t.table} restart identity cascade`);
    }
    await tx.exec('truncate world_truth restart identity; delete from world_meta');
  });
}

/** Runs the stages in order into an empty database (or, with force, after erasing the previous world). */
export async function generateWorld(db: Database, keys: KeyRing, opts: GenerateOptions): Promise<WorldMeta> {
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError('世界种子必须是整数');
  if (!Number.isInteger(opts.residents) || opts.residents < 1) throw new RangeError('居民人数必须是正整数');
  const started = Date.now();
  const existing = await readWorldMeta(db);
  if (existing && !opts.force) {
    throw new WorldExistsError(
      existing,
      existing.status === 'ready'
        ? `演示世界已存在（种子 ${existing.seed}，${existing.residents} 名居民）；如需重新生成请加 --force（将清空现有主数据与居民）`
        : '上次生成演示世界未完成（或正在进行）；如需重新生成请加 --force',
    );
  }
  if (!opts.force) {
    // No world recorded but data present: a real installation. Never mix demo rows into it.
    for (const t of tablesOf(opts.stages)) {
      const [r] = await db.query<{ has: boolean }>(`select exists (select 1 from ${t.table}${t.where ? ` where ${t.where}` : ''}) as has`);
      if (r!.has) throw new WorldExistsError(null, `表 ${t.table} 已有数据，拒绝生成演示世界（加 --force 将清空这些表）`);
    }
  }
  await resetWorld(db, opts.stages);

  const asOf = opts.asOf ?? DEFAULT_AS_OF;
  const claimed = await db.query(
    `insert into world_meta (id, seed, residents, as_of, status) values (1, $1, $2, $3, 'generating') on conflict (id) do nothing returning id`,
    [opts.seed, opts.residents, asOf],
  );
  if (claimed.length === 0) throw new WorldExistsError(null, '另一个进程正在生成演示世界');

  const ctx = createWorldContext(db, keys, { seed: opts.seed, residents: opts.residents, asOf, onProgress: opts.onProgress });
  // Stages commit as they go (a 20,000-resident world is too big for one transaction on PGlite), so a
  // failure is made good by erasing everything instead: no half-built world is left behind.
  let current: WorldStage | null = null;
  try {
    for (const stage of [...opts.stages].sort((a, b) => a.order - b.order)) {
      current = stage;
      const t0 = Date.now();
      opts.onStage?.(stage);
      await stage.run(ctx);
      await ctx.flush();
      opts.onStage?.(stage, Date.now() - t0);
    }
    current = null;
    // Fresh statistics: the first queries of the demo should not plan against empty tables.
    for (const t of new Set([...tablesOf(opts.stages).map((t) => t.table), 'world_truth'])) await db.exec(`analyze ${t}`);

    const digest = opts.digest === false ? null : await worldDigest(db, keys, opts.stages, opts.onProgress);
    const seconds = (Date.now() - started) / 1000;
    await db.query(`update world_meta set status = 'ready', generated_at = now(), seconds = $1, digest = $2 where id = 1`, [seconds, digest]);
  } catch (e) {
    let cleaned = true;
    try {
      await resetWorld(db, opts.stages);
    } catch {
      cleaned = false;
    }
    throw new WorldGenerationError(current, e, cleaned);
  }
  return (await readWorldMeta(db)) as WorldMeta;
}
