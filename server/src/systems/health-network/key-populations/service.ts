import { type Sql, sql } from '../../../platform/db/sql.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { enqueueMessage } from '../../../platform/integration/outbox.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { applyTag, loadChangePolicy, type TagDelta, tagsOf } from './repository.ts';
import { TAG_TITLE, TAGS, type TagCode } from './rules.ts';

/**
 * What other modules use: the tag codes and titles, an SQL filter fragment for lists joined on a
 * resident id column, the tags of given residents, and the refresh (whole city or one resident).
 */
export { KEY_POPULATIONS, TAG_TITLE, TAGS, type TagCode } from './rules.ts';

/**
 * "The resident of this row carries the tag": an EXISTS over kp_tag, a fragment the caller composes into its
 * own query (platform/db/sql.ts). Give table-qualified columns of the outer row: the resident id and the
 * residence district (tags carry the resident's district, so a list of one district joins only that
 * district's tags — index-only, see migrations/002). Runs under the caller's row-level security on kp_tag,
 * whose scope follows the resident.
 */
export function tagFilter(personIdColumn: string, districtColumn: string, tag: string, drive: TagDrive = 'tags'): Sql {
  for (const c of [personIdColumn, districtColumn]) if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`bad column ${c}`);
  const test = sql`exists (select 1 from kp_tag kp where kp.person_id = ${sql.raw(personIdColumn)} and kp.district_code = ${sql.raw(districtColumn)} and kp.tag = ${tag})`;
  return drive === 'tags' ? test : sql`(select ${test})`;
}

/**
 * How the planner should meet the tag filter. 'tags': a semi-join it may start from the tag index (right
 * when few rows carry the tag). 'rows': a check per outer row (a scalar subquery is never turned into a
 * join), so a page in the outer table's index order stops after its last row — right for a common tag,
 * where the planner, misjudging how the resident's district and the tag's correlate, would otherwise fetch
 * and sort every tagged contract of the district for one page of 20.
 */
export type TagDrive = 'tags' | 'rows';

export function tagsOfPeople(tx: Queryable, personIds: readonly number[]) {
  return tagsOf(tx, personIds);
}

export const HEALTH_CLOUD = 'health-cloud';
export const CHANGE_RIGHTS_TOPIC = 'family-doctor.change-rights';
const CHUNK = 500;

/**
 * 健康云 is told who gained and who lost the change-rights tag, in messages of at most 500 residents
 * (resident master-index ids). The key makes a re-run of the same refresh add nothing.
 */
export async function syncChangeRights(tx: Queryable, delta: TagDelta, asOf: string, runKey: string): Promise<number> {
  let n = 0;
  const send = async (kind: 'granted' | 'revoked', ids: number[]) => {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      await enqueueMessage(tx, {
        system: HEALTH_CLOUD,
        topic: CHANGE_RIGHTS_TOPIC,
        key: `change-rights:${runKey}:${kind}:${i / CHUNK}`,
        payload: { asOf, kind, tag: 'change_rights', title: TAG_TITLE.change_rights, personIds: part },
      });
      n++;
    }
  };
  await send('granted', delta.added);
  await send('revoked', delta.removed);
  return n;
}

export interface RefreshResult {
  onDate: string;
  added: number;
  removed: number;
  byTag: Record<string, { added: number; removed: number }>;
  messages: number;
}

/** Recomputes every tag (the whole city, or one resident) and syncs change-rights changes to 健康云. */
export async function refreshTags(tx: Queryable, opts: { today?: string; personId?: number; runKey?: string; sync?: boolean } = {}): Promise<RefreshResult> {
  const today = opts.today ?? todayInShanghai();
  const policy = await loadChangePolicy(tx);
  const byTag: RefreshResult['byTag'] = {};
  let added = 0;
  let removed = 0;
  let messages = 0;
  for (const tag of TAGS as readonly TagCode[]) {
    const d = await applyTag(tx, tag, today, policy, opts.personId);
    byTag[tag] = { added: d.added.length, removed: d.removed.length };
    added += d.added.length;
    removed += d.removed.length;
    if (tag === 'change_rights' && opts.sync !== false && (d.added.length || d.removed.length)) {
      messages += await syncChangeRights(
        tx,
        d,
        today,
        opts.runKey ?? (opts.personId !== undefined ? `p${opts.personId}:${Date.now()}` : `all:${today}:${Date.now()}`),
      );
    }
  }
  return { onDate: today, added, removed, byTag, messages };
}

/** The condition "the person carries any of these tags", to compose into a query of another module. */
export function anyTagFilter(personIdColumn: string, tags: readonly string[]): Sql {
  if (!/^[a-z_][a-z0-9_.]*$/.test(personIdColumn)) throw new Error(`bad column ${personIdColumn}`);
  return sql`${sql.raw(personIdColumn)} in (select kp.person_id from kp_tag kp where kp.tag = any(${tags}::text[]))`;
}
