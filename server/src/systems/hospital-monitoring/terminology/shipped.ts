import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Database } from '../../../platform/db/types.ts';
import { type Concept, contentHash, pgTextArray } from './model.ts';

const DATA = join(import.meta.dirname, 'data');

export const ICD10_YB = 'http://www.nhsa.gov.cn/fhir/CodeSystem/icd10-yb';
export const ICD9CM3_YB = 'http://www.nhsa.gov.cn/fhir/CodeSystem/icd9cm3-yb';
export const ICD10_GL = 'http://www.nhc.gov.cn/fhir/CodeSystem/icd10-gl';
export const ICD9CM3_GL = 'http://www.nhc.gov.cn/fhir/CodeSystem/icd9cm3-gl';

/** The public national tables shipped with the product (data/*.tsv.gz, built by data/build.ts; see NOTICE). */
export const SHIPPED_SYSTEMS = [
  {
    url: ICD10_YB,
    name: 'ICD10_YB',
    title: '医疗保障疾病诊断分类与代码（ICD-10 医保版）',
    publisher: '国家医疗保障局',
    kind: 'diagnosis',
    version: '2.0',
    file: 'icd10-yb2.tsv.gz',
  },
  {
    url: ICD9CM3_YB,
    name: 'ICD9CM3_YB',
    title: '医疗保障手术操作分类与代码（ICD-9-CM-3 医保版）',
    publisher: '国家医疗保障局',
    kind: 'procedure',
    version: '2.0',
    file: 'icd9cm3-yb2.tsv.gz',
  },
] as const;

export const SHIPPED_MAPS = [
  {
    url: 'http://www.nhsa.gov.cn/fhir/ConceptMap/icd10-gl2-to-yb2',
    name: 'ICD10_GL2_YB2',
    title: 'ICD-10 国家临床版2.0 → 医保版2.0',
    publisher: '国家医疗保障局',
    version: '2.0',
    source: ICD10_GL,
    target: ICD10_YB,
    file: 'icd10-gl2-yb2.tsv.gz',
  },
  {
    url: 'http://www.nhsa.gov.cn/fhir/ConceptMap/icd9cm3-gl-to-yb2',
    name: 'ICD9CM3_GL_YB2',
    title: 'ICD-9-CM-3 国家临床版 → 医保版2.0',
    publisher: '国家医疗保障局',
    version: '2.0',
    source: ICD9CM3_GL,
    target: ICD9CM3_YB,
    file: 'icd9cm3-gl-yb2.tsv.gz',
  },
] as const;

function lines(file: string): string[][] {
  return gunzipSync(readFileSync(join(DATA, file)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

export function shippedConcepts(file: string): Concept[] {
  return (lines(file) as [string, string, string, string, string, string][]).map(([code, display, parent, kind, pinyin, initials]) => ({
    // six columns (data/build.ts)
    code,
    display,
    parents: parent ? [parent] : [],
    status: 'active',
    kind,
    properties: {},
    designations: [],
    pinyin,
    initials,
  }));
}

/**
 * Loads the shipped tables once (idempotent: a system or map already present is left alone, so later
 * published versions are never overwritten). COPY in one transaction per table: ~0.5 s for ICD-10.
 */
export async function loadShipped(db: Database): Promise<string[]> {
  const loaded: string[] = [];
  for (const s of SHIPPED_SYSTEMS) {
    const [have] = await db.query('select 1 from term_system where url = $1', [s.url]);
    if (have) continue;
    const concepts = shippedConcepts(s.file);
    const { hash, count } = contentHash(concepts);
    await db.transaction(async (tx) => {
      const { id } = (
        await tx.query<{ id: number }>(
          `insert into term_system (url, name, title, publisher, kind, source, created_by) values ($1, $2, $3, $4, $5, 'shipped', 'system') returning id`,
          [s.url, s.name, s.title, s.publisher, s.kind],
        )
      )[0]!;
      await tx.copyRows(
        'term_concept',
        ['system_id', 'code', 'display', 'parents', 'status', 'kind', 'pinyin', 'initials', 'from_seq'],
        concepts.map((c) => [id, c.code, c.display, pgTextArray(c.parents), c.status, c.kind, c.pinyin, c.initials, 1]),
      );
      await tx.query(
        `insert into term_version (system_id, seq, version, published_by, concept_count, content_hash, note) values ($1, 1, $2, 'system', $3, $4, '随产品发布的国家标准代码表')`,
        [id, s.version, count, hash],
      );
      // Not an audit event: shipping public reference tables is part of installing the product, like a
      // migration (the version row carries the SM3 content hash; every later change goes through audited requests).
    });
    loaded.push(s.url);
  }
  for (const m of SHIPPED_MAPS) {
    const [have] = await db.query('select 1 from term_map where url = $1', [m.url]);
    if (have) continue;
    const rows = lines(m.file);
    await db.transaction(async (tx) => {
      const { id } = (
        await tx.query<{ id: number }>(
          `insert into term_map (url, name, title, publisher, version, source_system, target_system, source) values ($1, $2, $3, $4, $5, $6, $7, 'shipped') returning id`,
          [m.url, m.name, m.title, m.publisher, m.version, m.source, m.target],
        )
      )[0]!;
      await tx.copyRows(
        'term_map_element',
        ['map_id', 'source_code', 'target_code', 'equivalence'],
        rows.map(([s, t]) => [id, s, t, s === t ? 'equal' : 'equivalent']),
      );
    });
    loaded.push(m.url);
  }
  return loaded;
}
