import type { Queryable } from '../../../platform/db/types.ts';
import { one, sql, where } from '../../../platform/db/index.ts';
import type { CaseSection, SectionDef } from './sections.ts';
import type { CaseStatus, Conclusion, FindingResult } from './state.ts';

export interface DimensionRow {
  code: string;
  title: string;
  description: string | null;
  sortOrder: number;
  active: boolean;
}

export interface SectionDefRow extends SectionDef {
  sortOrder: number;
  active: boolean;
}

export async function listDimensions(tx: Queryable, activeOnly = false): Promise<DimensionRow[]> {
  return tx.query<DimensionRow>(
    `select code, title, description, sort_order as "sortOrder", active from fr_dimension ${activeOnly ? 'where active' : ''} order by active desc, sort_order, code`,
  );
}

export async function upsertDimension(tx: Queryable, d: DimensionRow, by: string): Promise<void> {
  await tx.query(
    `insert into fr_dimension (code, title, description, sort_order, active, updated_by) values ($1, $2, $3, $4, $5, $6)
     on conflict (code) do update set title = excluded.title, description = excluded.description, sort_order = excluded.sort_order,
       active = excluded.active, updated_by = excluded.updated_by, updated_at = now()`,
    [d.code, d.title, d.description, d.sortOrder, d.active, by],
  );
}

export async function deactivateDimensionsExcept(tx: Queryable, codes: string[], by: string): Promise<void> {
  await tx.query(`update fr_dimension set active = false, updated_by = $2, updated_at = now() where active and not (code = any($1::text[]))`, [codes, by]);
}

export async function listSectionDefs(tx: Queryable, activeOnly = false): Promise<SectionDefRow[]> {
  return tx.query<SectionDefRow>(
    `select code, title, aliases, sort_order as "sortOrder", active from fr_section_def ${activeOnly ? 'where active' : ''} order by active desc, sort_order, code`,
  );
}

export async function upsertSectionDef(tx: Queryable, d: SectionDefRow, by: string): Promise<void> {
  await tx.query(
    `insert into fr_section_def (code, title, aliases, sort_order, active, updated_by) values ($1, $2, $3, $4, $5, $6)
     on conflict (code) do update set title = excluded.title, aliases = excluded.aliases, sort_order = excluded.sort_order,
       active = excluded.active, updated_by = excluded.updated_by, updated_at = now()`,
    [d.code, d.title, d.aliases, d.sortOrder, d.active, by],
  );
}

export async function deactivateSectionDefsExcept(tx: Queryable, codes: string[], by: string): Promise<void> {
  await tx.query(`update fr_section_def set active = false, updated_by = $2, updated_at = now() where active and not (code = any($1::text[]))`, [codes, by]);
}

export interface CaseRow {
  id: number;
  institutionId: number;
  institutionName: string;
  districtCode: string;
  caseNo: string;
  patientMask: string | null;
  dischargedOn: string | null;
  totalAmount: number | null;
  deviationKind: 'high' | 'low' | null;
  explanation: string;
  filename: string;
  pdfBytes: number;
  pageCount: number | null;
  sections: CaseSection[];
  status: CaseStatus;
  uploadedBy: string;
  uploadedAt: Date;
  reviewer: string | null;
  reviewStartedAt: Date | null;
  conclusion: Conclusion | null;
  conclusionNote: string | null;
  concludedAt: Date | null;
}

const CASE_COLS = `c.id::int as id, c.institution_id::int as "institutionId", i.name as "institutionName", c.district_code as "districtCode",
  c.case_no as "caseNo", c.patient_mask as "patientMask", c.discharged_on as "dischargedOn", c.total_amount as "totalAmount",
  c.deviation_kind as "deviationKind", c.explanation, c.filename, c.pdf_bytes as "pdfBytes", c.page_count as "pageCount", c.sections,
  c.status, c.uploaded_by as "uploadedBy", c.uploaded_at as "uploadedAt", c.reviewer, c.review_started_at as "reviewStartedAt",
  c.conclusion, c.conclusion_note as "conclusionNote", c.concluded_at as "concludedAt"`;

export interface NewCase {
  institutionId: number;
  districtCode: string;
  caseNo: string;
  patientMask: string | null;
  dischargedOn: string | null;
  totalAmount: number | null;
  deviationKind: 'high' | 'low' | null;
  explanation: string;
  filename: string;
  pdf: Buffer;
  pageCount: number | null;
  text: string;
  sections: CaseSection[];
  uploadedBy: string;
}

export async function openCaseExists(tx: Queryable, institutionId: number, caseNo: string): Promise<boolean> {
  const r = await tx.query(`select 1 from fr_case where institution_id = $1 and case_no = $2 and status <> 'concluded'`, [institutionId, caseNo]);
  return r.length > 0;
}

export async function insertCase(tx: Queryable, c: NewCase): Promise<number> {
  const r = await one<{ id: number }>(
    tx,
    sql`insert into fr_case (institution_id, district_code, case_no, patient_mask, discharged_on, total_amount, deviation_kind, explanation,
       filename, pdf, pdf_bytes, page_count, text, sections, uploaded_by)
     values (${c.institutionId}, ${c.districtCode}, ${c.caseNo}, ${c.patientMask}, ${c.dischargedOn}, ${c.totalAmount}, ${c.deviationKind}, ${c.explanation},
       ${c.filename}, ${c.pdf}, ${c.pdf.length}, ${c.pageCount}, ${c.text}, ${JSON.stringify(c.sections)}, ${c.uploadedBy}) returning id::int as id`,
  );
  return r.id;
}

export async function findCase(tx: Queryable, id: number, forUpdate = false): Promise<CaseRow | null> {
  const [r] = await tx.query<CaseRow>(
    `select ${CASE_COLS} from fr_case c join institution i on i.id = c.institution_id where c.id = $1 ${forUpdate ? 'for update of c' : ''}`,
    [id],
  );
  return r ?? null;
}

export async function caseText(tx: Queryable, id: number): Promise<string> {
  const [r] = await tx.query<{ text: string }>('select text from fr_case where id = $1', [id]);
  return r?.text ?? '';
}

export async function casePdf(tx: Queryable, id: number): Promise<{ filename: string; pdf: Buffer } | null> {
  const [r] = await tx.query<{ filename: string; pdf: Uint8Array }>('select filename, pdf from fr_case where id = $1', [id]);
  return r ? { filename: r.filename, pdf: Buffer.from(r.pdf) } : null;
}

export interface CaseFilter {
  status?: CaseStatus;
  institutionId?: number;
  month?: string;
  caseNo?: string;
}

export async function listCases(tx: Queryable, f: CaseFilter, page: { limit: number; offset: number }) {
  const w = where([
    f.status && sql`c.status = ${f.status}`,
    f.institutionId && sql`c.institution_id = ${f.institutionId}`,
    f.month && sql`to_char(c.uploaded_at at time zone 'Asia/Shanghai', 'YYYY-MM') = ${f.month}`,
    f.caseNo && sql`c.case_no = ${f.caseNo}`,
  ]);
  const { n } = await one<{ n: number }>(tx, sql`select count(*)::int as n from fr_case c ${w}`);
  const rows = await tx.query<CaseRow>(
    sql`select ${sql.raw(CASE_COLS)} from fr_case c join institution i on i.id = c.institution_id ${w} order by c.uploaded_at desc, c.id desc limit ${page.limit} offset ${page.offset}`,
  );
  return { rows, total: n };
}

export async function startReview(tx: Queryable, id: number, reviewer: string): Promise<void> {
  await tx.query(`update fr_case set status = 'under_review', reviewer = $2, review_started_at = now(), updated_at = now() where id = $1`, [id, reviewer]);
}

export async function conclude(tx: Queryable, id: number, conclusion: Conclusion, note: string): Promise<void> {
  await tx.query(`update fr_case set status = 'concluded', conclusion = $2, conclusion_note = $3, concluded_at = now(), updated_at = now() where id = $1`, [
    id,
    conclusion,
    note,
  ]);
}

export interface FindingRow {
  dimensionCode: string;
  dimensionTitle: string;
  result: FindingResult;
  note: string | null;
}

export async function insertFindings(tx: Queryable, c: { id: number; institutionId: number; districtCode: string }, findings: FindingRow[]): Promise<void> {
  for (const f of findings) {
    await tx.query(
      `insert into fr_case_finding (case_id, dimension_code, dimension_title, result, note, institution_id, district_code) values ($1, $2, $3, $4, $5, $6, $7)`,
      [c.id, f.dimensionCode, f.dimensionTitle, f.result, f.note, c.institutionId, c.districtCode],
    );
  }
}

export async function listFindings(tx: Queryable, caseId: number): Promise<FindingRow[]> {
  return tx.query<FindingRow>(
    `select f.dimension_code as "dimensionCode", f.dimension_title as "dimensionTitle", f.result, f.note
     from fr_case_finding f left join fr_dimension d on d.code = f.dimension_code where f.case_id = $1 order by d.sort_order, f.dimension_code`,
    [caseId],
  );
}

export async function institutionDistrict(tx: Queryable, institutionId: number): Promise<string | null> {
  const [r] = await tx.query<{ district_code: string }>('select district_code from institution where id = $1', [institutionId]);
  return r?.district_code ?? null;
}
