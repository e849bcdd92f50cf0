import type { Queryable } from '../../../platform/db/types.ts';

// SQL of rule sets (规则集) and their schedules.

export interface RuleSetRow {
  id: number;
  name: string;
  description: string | null;
  rule_ids: number[];
  cron: string | null;
  strategy: 'full' | 'incremental';
  online: boolean;
  next_run_at: Date | null;
  created_by: string;
  updated_by: string;
  updated_at: Date;
}

const COLUMNS = `id::int as id, name, description, rule_ids::int[] as rule_ids, cron, strategy, online, next_run_at, created_by, updated_by, updated_at`;

export async function insertRuleSet(
  tx: Queryable,
  s: {
    name: string;
    description: string | null;
    ruleIds: number[];
    cron: string | null;
    strategy: string;
    online: boolean;
    nextRunAt: Date | null;
    actor: string;
  },
): Promise<number> {
  const row = (
    await tx.query<{ id: number }>(
      `insert into cm_rule_set (name, description, rule_ids, cron, strategy, online, next_run_at, created_by, updated_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $8) returning id::int as id`,
      [s.name, s.description, s.ruleIds, s.cron, s.strategy, s.online, s.nextRunAt, s.actor],
    )
  )[0]!;
  return row.id;
}

export async function updateRuleSet(
  tx: Queryable,
  id: number,
  s: {
    name: string;
    description: string | null;
    ruleIds: number[];
    cron: string | null;
    strategy: string;
    online: boolean;
    nextRunAt: Date | null;
    actor: string;
  },
): Promise<void> {
  await tx.query(
    `update cm_rule_set set name = $2, description = $3, rule_ids = $4, cron = $5, strategy = $6, online = $7, next_run_at = $8,
       updated_by = $9, updated_at = now() where id = $1`,
    [id, s.name, s.description, s.ruleIds, s.cron, s.strategy, s.online, s.nextRunAt, s.actor],
  );
}

export async function findRuleSet(tx: Queryable, id: number, forUpdate = false): Promise<RuleSetRow | null> {
  const rows = await tx.query<RuleSetRow>(`select ${COLUMNS} from cm_rule_set where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return rows[0] ?? null;
}

export async function ruleSetNameTaken(tx: Queryable, name: string, exceptId: number | null): Promise<boolean> {
  const rows = await tx.query('select 1 from cm_rule_set where name = $1 and id <> coalesce($2::int8, 0)', [name, exceptId]);
  return rows.length > 0;
}

/** Rule sets with the titles of their rules and their latest run (status, progress). */
export async function listRuleSets(tx: Queryable) {
  return tx.query<Record<string, unknown>>(
    `select s.id::int as id, s.name, s.description, s.rule_ids::int[] as "ruleIds", s.cron, s.strategy, s.online, s.next_run_at as "nextRunAt",
            s.updated_by as "updatedBy", s.updated_at as "updatedAt",
            coalesce((select json_agg(json_build_object('id', r.id, 'title', r.title, 'enabled', r.enabled) order by r.id)
                        from cm_rule r where r.id = any(s.rule_ids)), '[]') as rules,
            (select json_build_object('id', x.id, 'status', x.status, 'mode', x.mode, 'trigger', x.trigger, 'hits', x.hits, 'inserted', x.inserted,
                                      'startedAt', x.started_at, 'finishedAt', x.finished_at)
               from cm_run x where x.rule_set_id = s.id order by x.id desc limit 1) as "lastRun"
       from cm_rule_set s order by s.id`,
  );
}

/** Online scheduled sets whose time has come, locked so two ticks never start one twice. */
export async function dueRuleSets(tx: Queryable, now: Date): Promise<RuleSetRow[]> {
  return tx.query<RuleSetRow>(
    `select ${COLUMNS} from cm_rule_set where online and cron is not null and next_run_at <= $1 order by next_run_at, id for update skip locked`,
    [now],
  );
}

export async function setNextRun(tx: Queryable, id: number, at: Date | null): Promise<void> {
  await tx.query('update cm_rule_set set next_run_at = $2 where id = $1', [id, at]);
}

/** Ids among `ids` that are existing rules. */
export async function existingRuleIds(tx: Queryable, ids: number[]): Promise<number[]> {
  const rows = await tx.query<{ id: number }>('select id::int as id from cm_rule where id = any($1::int8[])', [ids]);
  return rows.map((r) => r.id);
}
