import type { Tx } from '../../../platform/db/types.ts';
import type { Concept, ConceptRow, ConceptStatus, Designation } from './model.ts';

export interface SystemRow {
  id: number;
  url: string;
  name: string;
  title: string;
  publisher: string | null;
  kind: string;
  source: string;
  /** The base system an extension (上海扩增码) extends; null for a stand-alone system. */
  extendsId: number | null;
}

export interface VersionRow {
  id: number;
  systemId: number;
  seq: number;
  version: string;
  publishedAt: string;
  publishedBy: string;
  conceptCount: number;
  contentHash: string;
  changeRequestId: number | null;
  note: string | null;
}

const SYSTEM_COLS = 'id::int as id, url, name, title, publisher, kind, source, extends_id::int as "extendsId"';
const VERSION_COLS = `id::int as id, system_id::int as "systemId", seq, version, published_at as "publishedAt", published_by as "publishedBy",
  concept_count as "conceptCount", content_hash as "contentHash", change_request_id::int as "changeRequestId", note`;
const CONCEPT_COLS = `code, display, parents, status, kind, properties, designations, pinyin, initials, from_seq as "fromSeq", to_seq as "toSeq"`;
/** The revision valid in version $2 of system $1. */
const AT = 'system_id = $1 and from_seq <= $2 and (to_seq is null or to_seq > $2)';

const iso = <T extends { publishedAt: unknown }>(v: T): T => ({ ...v, publishedAt: new Date(v.publishedAt as string).toISOString() });

export async function listSystems(tx: Tx): Promise<SystemRow[]> {
  return tx.query<SystemRow>(`select ${SYSTEM_COLS} from term_system order by id`);
}

export async function systemByUrl(tx: Tx, url: string): Promise<SystemRow | undefined> {
  const [s] = await tx.query<SystemRow>(`select ${SYSTEM_COLS} from term_system where url = $1`, [url]);
  return s;
}

export async function systemById(tx: Tx, id: number): Promise<SystemRow | undefined> {
  const [s] = await tx.query<SystemRow>(`select ${SYSTEM_COLS} from term_system where id = $1`, [id]);
  return s;
}

export async function listVersions(tx: Tx, systemId: number): Promise<VersionRow[]> {
  return (await tx.query<VersionRow>(`select ${VERSION_COLS} from term_version where system_id = $1 order by seq desc`, [systemId])).map(iso);
}

/** The version named by label, or the last one published on or before `date`, or the latest. */
export async function findVersion(tx: Tx, systemId: number, by: { version?: string; date?: string; at?: string } = {}): Promise<VersionRow | undefined> {
  const [v] = by.at
    ? await tx.query<VersionRow>(
        `select ${VERSION_COLS} from term_version where system_id = $1 and published_at <= $2::timestamptz order by seq desc limit 1`,
        [systemId, by.at],
      )
    : by.version
      ? await tx.query<VersionRow>(`select ${VERSION_COLS} from term_version where system_id = $1 and version = $2`, [systemId, by.version])
      : by.date
        ? await tx.query<VersionRow>(
            `select ${VERSION_COLS} from term_version where system_id = $1 and published_at < ($2::date + 1) order by seq desc limit 1`,
            [systemId, by.date],
          )
        : await tx.query<VersionRow>(`select ${VERSION_COLS} from term_version where system_id = $1 order by seq desc limit 1`, [systemId]);
  return v ? iso(v) : undefined;
}

export async function conceptAt(tx: Tx, systemId: number, code: string, seq: number): Promise<ConceptRow | undefined> {
  const [c] = await tx.query<ConceptRow>(`select ${CONCEPT_COLS} from term_concept where ${AT} and code = $3`, [systemId, seq, code]);
  return c;
}

export async function conceptsByCodes(tx: Tx, systemId: number, codes: readonly string[], seq: number): Promise<Map<string, ConceptRow>> {
  if (codes.length === 0) return new Map();
  const rows = await tx.query<ConceptRow>(`select ${CONCEPT_COLS} from term_concept where ${AT} and code = any($3::text[])`, [systemId, seq, codes]);
  return new Map(rows.map((r) => [r.code, r]));
}

export async function childrenAt(tx: Tx, systemId: number, code: string, seq: number): Promise<ConceptRow[]> {
  return tx.query<ConceptRow>(`select ${CONCEPT_COLS} from term_concept where ${AT} and parents @> array[$3::text] order by code`, [systemId, seq, code]);
}

export async function rootsAt(tx: Tx, systemId: number, seq: number): Promise<ConceptRow[]> {
  return tx.query<ConceptRow>(`select ${CONCEPT_COLS} from term_concept where ${AT} and parents = '{}' order by code`, [systemId, seq]);
}

export async function conceptsAt(tx: Tx, systemId: number, seq: number): Promise<ConceptRow[]> {
  return tx.query<ConceptRow>(`select ${CONCEPT_COLS} from term_concept where ${AT} order by code`, [systemId, seq]);
}

/** Revisions that start or end inside (fromSeq, toSeq]: the raw material of a diff. */
export async function revisionsBetween(tx: Tx, systemId: number, a: number, b: number): Promise<ConceptRow[]> {
  return tx.query<ConceptRow>(
    `select ${CONCEPT_COLS} from term_concept where system_id = $1 and ((from_seq > $2 and from_seq <= $3) or (to_seq > $2 and to_seq <= $3)) order by code, from_seq`,
    [systemId, a, b],
  );
}

export interface ChangeRow {
  id: number;
  versionSeq: number;
  version: string | null;
  code: string;
  kind: string;
  before: unknown;
  after: unknown;
  author: string;
  changeRequestId: number | null;
  at: string;
}

export async function changesOf(tx: Tx, systemId: number, filter: { code?: string; fromSeq?: number; toSeq?: number; limit?: number }): Promise<ChangeRow[]> {
  const rows = await tx.query<ChangeRow>(
    `select c.id::int as id, c.version_seq as "versionSeq", v.version, c.code, c.kind, c.before, c.after, c.author,
            c.change_request_id::int as "changeRequestId", c.at
       from term_change c left join term_version v on v.system_id = c.system_id and v.seq = c.version_seq
      where c.system_id = $1 and ($2::text is null or c.code = $2) and c.version_seq > coalesce($3, 0) and c.version_seq <= coalesce($4, 2147483647)
      order by c.id desc limit $5`,
    [systemId, filter.code ?? null, filter.fromSeq ?? null, filter.toSeq ?? null, filter.limit ?? 500],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}

export async function insertRevision(tx: Tx, systemId: number, c: Concept, seq: number): Promise<void> {
  await tx.query(
    `insert into term_concept (system_id, code, display, parents, status, kind, properties, designations, pinyin, initials, from_seq)
     values ($1, $2, $3, $4::text[], $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11)`,
    [systemId, c.code, c.display, c.parents, c.status, c.kind, JSON.stringify(c.properties), JSON.stringify(c.designations), c.pinyin, c.initials, seq],
  );
}

/** Rows per statement of the batched writes below (one JSON parameter each). */
const BATCH = 2000;

/** Many revisions in a few statements: a 33k-code import is ~17 round trips, not 33k. */
export async function insertRevisions(tx: Tx, systemId: number, concepts: readonly Concept[], seq: number): Promise<void> {
  for (let i = 0; i < concepts.length; i += BATCH) {
    const rows = concepts.slice(i, i + BATCH).map((c) => ({
      code: c.code,
      display: c.display,
      parents: c.parents,
      status: c.status,
      kind: c.kind,
      properties: c.properties,
      designations: c.designations,
      pinyin: c.pinyin,
      initials: c.initials,
    }));
    await tx.query(
      `insert into term_concept (system_id, code, display, parents, status, kind, properties, designations, pinyin, initials, from_seq)
       select $1, r.code, r.display, r.parents, r.status, r.kind, r.properties, r.designations, r.pinyin, r.initials, $2
         from jsonb_to_recordset($3::jsonb) as r(code text, display text, parents text[], status text, kind text, properties jsonb, designations jsonb, pinyin text, initials text)`,
      [systemId, seq, JSON.stringify(rows)],
    );
  }
}

export async function closeRevisions(tx: Tx, systemId: number, codes: readonly string[], seq: number): Promise<void> {
  for (let i = 0; i < codes.length; i += BATCH) {
    await tx.query('update term_concept set to_seq = $3 where system_id = $1 and code = any($2::text[]) and to_seq is null', [
      systemId,
      codes.slice(i, i + BATCH),
      seq,
    ]);
  }
}

export async function insertChanges(
  tx: Tx,
  systemId: number,
  seq: number,
  author: string,
  changeRequestId: number | null,
  changes: readonly { code: string; kind: string; before: unknown; after: unknown }[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += BATCH) {
    const rows = changes.slice(i, i + BATCH).map((c) => ({ code: c.code, kind: c.kind, before: c.before ?? null, after: c.after ?? null }));
    await tx.query(
      `insert into term_change (system_id, version_seq, code, kind, before, after, author, change_request_id)
       select $1, $2, r.code, r.kind, r.before, r.after, $3, $4 from jsonb_to_recordset($5::jsonb) as r(code text, kind text, before jsonb, after jsonb)`,
      [systemId, seq, author, changeRequestId, JSON.stringify(rows)],
    );
  }
}

export async function closeRevision(tx: Tx, systemId: number, code: string, seq: number): Promise<void> {
  await tx.query('update term_concept set to_seq = $3 where system_id = $1 and code = $2 and to_seq is null', [systemId, code, seq]);
}

export async function insertChange(
  tx: Tx,
  ch: { systemId: number; seq: number; code: string; kind: string; before: unknown; after: unknown; author: string; changeRequestId: number | null },
): Promise<void> {
  await tx.query(
    `insert into term_change (system_id, version_seq, code, kind, before, after, author, change_request_id) values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
    [
      ch.systemId,
      ch.seq,
      ch.code,
      ch.kind,
      ch.before === undefined ? null : JSON.stringify(ch.before),
      ch.after === undefined ? null : JSON.stringify(ch.after),
      ch.author,
      ch.changeRequestId,
    ],
  );
}

export interface MapRow {
  id: number;
  url: string;
  name: string;
  title: string;
  publisher: string | null;
  version: string;
  sourceSystem: string;
  targetSystem: string;
}

const MAP_COLS = 'id::int as id, url, name, title, publisher, version, source_system as "sourceSystem", target_system as "targetSystem"';

export async function listMaps(tx: Tx): Promise<MapRow[]> {
  return tx.query<MapRow>(`select ${MAP_COLS} from term_map order by id`);
}

export async function mapsBetween(tx: Tx, filter: { url?: string; source?: string; target?: string }): Promise<MapRow[]> {
  return tx.query<MapRow>(
    `select ${MAP_COLS} from term_map where ($1::text is null or url = $1) and ($2::text is null or source_system = $2) and ($3::text is null or target_system = $3) order by id`,
    [filter.url ?? null, filter.source ?? null, filter.target ?? null],
  );
}

export async function mapTargets(tx: Tx, mapId: number, code: string, reverse = false): Promise<{ source: string; target: string; equivalence: string }[]> {
  return tx.query(
    `select source_code as source, target_code as target, equivalence from term_map_element where map_id = $1 and ${reverse ? 'target_code' : 'source_code'} = $2 order by 1, 2`,
    [mapId, code],
  );
}

/** Maps that name a concept on either side (for the concept detail view). */
export async function mapsOfConcept(tx: Tx, systemUrl: string, code: string) {
  return tx.query<{ map: string; title: string; direction: 'source' | 'target'; other: string; equivalence: string }>(
    `select m.url as map, m.title, 'target' as direction, e.source_code as other, e.equivalence
       from term_map m join term_map_element e on e.map_id = m.id where m.target_system = $1 and e.target_code = $2
     union all
     select m.url, m.title, 'source', e.target_code, e.equivalence
       from term_map m join term_map_element e on e.map_id = m.id where m.source_system = $1 and e.source_code = $2
     order by 1, 4 limit 200`,
    [systemUrl, code],
  );
}

export type { Concept, ConceptRow, ConceptStatus, Designation };
