import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import type { Queryable } from '../../../platform/db/types.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { type PdfBlock, pdfFile } from '../../../platform/reports/index.ts';
import { FileResponse, IdParams, Text } from '../../../platform/http/schema.ts';
import { getPerson } from '../../common/resident-index/service.ts';
import { type ContractRow, contractById } from './repository.ts';
import { invalid, Names, NOT_FOUND, operator } from './shapes.ts';
import { type Agreement, AgreementCycles, AgreementMade, AgreementTemplate, AgreementTemplates } from './responses.ts';

/**
 * 协议书: an agreement is a snapshot (the current template filled with the contract's combination and
 * cycle, plus which signature images it carries), made on online or offline signing, on a signature
 * update and on a 转签 acceptance. The PDF is rendered from the snapshot on download, so regenerating is a
 * row, not a file, and an old agreement always looks as it did.
 */

export const PLACEHOLDERS: readonly { key: string; title: string }[] = [
  { key: 'residentName', title: '居民姓名' },
  { key: 'idNumberMasked', title: '身份证号（脱敏）' },
  { key: 'institutionName', title: '签约社区卫生服务中心' },
  { key: 'teamName', title: '家庭医生团队' },
  { key: 'doctorName', title: '家庭医生' },
  { key: 'districtHospitalName', title: '区级医院' },
  { key: 'cityHospitalName', title: '市级医院' },
  { key: 'cycleStart', title: '签约周期开始' },
  { key: 'cycleEnd', title: '签约周期结束' },
  { key: 'cycleYears', title: '签约年限' },
  { key: 'signedOn', title: '签约日期' },
  { key: 'channel', title: '签约渠道' },
  { key: 'contractId', title: '签约编号' },
];
const CHANNEL_NAMES = { online: '线上', offline: '线下' } as const;
const KEYS = new Set(PLACEHOLDERS.map((p) => p.key));
const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export function unknownPlaceholders(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((k) => !KEYS.has(k)))];
}

export function fillTemplate(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (_, k: string) => values[k] ?? '');
}

// ———————————————————————————————————————— templates ————————————————————————————————————————

export interface TemplateRow {
  id: number;
  version: number;
  title: string;
  body: string;
  note: string | null;
  created_by_name: string | null;
  created_at: Date | string;
}

const iso = (v: Date | string | null) => (v instanceof Date ? v.toISOString() : v);
const templateDto = (t: TemplateRow) => ({
  id: t.id,
  version: t.version,
  title: t.title,
  body: t.body,
  note: t.note,
  createdByName: t.created_by_name,
  createdAt: iso(t.created_at),
});

export async function currentTemplate(tx: Queryable): Promise<TemplateRow> {
  const [t] = await tx.query<TemplateRow>('select * from fd_agreement_template order by version desc limit 1');
  return t!; // version 1 is seeded by migration 010 and templates are never deleted
}

export const TemplateBody = Type.Object(
  { title: Type.String({ minLength: 2, maxLength: 100 }), body: Type.String({ minLength: 20, maxLength: 20_000 }), note: Type.Optional(Text(200)) },
  { additionalProperties: false },
);

export const listTemplatesRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/agreement-templates',
  summary: '协议书模板（各版本，最新在前）与可用占位符',
  auth: 'staff',
  permission: 'family-doctor.read',
  response: { 200: AgreementTemplates },
  handler: async (ctx) => {
    const rows = await ctx.tx.query<TemplateRow>('select * from fd_agreement_template order by version desc');
    return { items: rows.map(templateDto), placeholders: PLACEHOLDERS };
  },
});

export const createTemplateRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/agreement-templates',
  summary: '发布新版协议书模板',
  description: '每次保存为一个新版本，此后生成的协议书使用最新版本；已生成的协议书不变。占位符写作 {{residentName}}，未知占位符返回 400。',
  auth: 'staff',
  permission: 'family-doctor.admin',
  body: TemplateBody,
  successStatus: 201,
  response: { 201: AgreementTemplate },
  handler: async (ctx, { body }) => {
    const unknown = unknownPlaceholders(body.body);
    if (unknown.length) throw invalid([{ field: 'body', message: `未知的占位符：${unknown.map((k) => `{{${k}}}`).join('、')}` }]);
    const cur = await currentTemplate(ctx.tx);
    const t = (
      await ctx.tx.query<TemplateRow>(
        'insert into fd_agreement_template (version, title, body, note, created_by, created_by_name) values ($1, $2, $3, $4, $5, $6) returning *',
        [(cur?.version ?? 0) + 1, body.title, body.body, body.note ?? null, operator(ctx).operator_id, operator(ctx).operator_name],
      )
    )[0]!;
    ctx.audit.write({
      action: 'family-doctor.agreement-template',
      objectType: 'fd_agreement_template',
      objectId: t.id,
      before: cur ? { version: cur.version } : null,
      after: { version: t.version, title: t.title },
    });
    return templateDto(t);
  },
});

// ———————————————————————————————————————— agreements ————————————————————————————————————————

export type AgreementReason = 'sign' | 'signature_update' | 'transfer' | 'renew' | 'manual';
export const AGREEMENT_REASON_NAMES: Record<AgreementReason, string> = {
  sign: '签约生成',
  signature_update: '签名更新后重新生成',
  transfer: '转签接收后重新生成',
  renew: '续约生成',
  manual: '手工重新生成',
};

export interface AgreementSnapshot {
  title: string;
  text: string;
  templateVersion: number;
  pairs: [string, string][];
}

interface AgreementRow {
  id: number;
  contract_id: number;
  person_id: number;
  seq: number;
  cycle_start: string;
  cycle_end: string;
  template_id: number;
  reason: AgreementReason;
  snapshot: AgreementSnapshot | string;
  doctor_signature_id: number | null;
  resident_signature_id: number | null;
  created_by_name: string | null;
  created_at: Date | string;
}

/** The latest signature image id of a doctor / of a contract's resident, null when none was uploaded. */
export async function latestSignatureId(tx: Queryable, kind: 'doctor' | 'resident', id: number): Promise<number | null> {
  const col = kind === 'doctor' ? 'practitioner_id' : 'contract_id';
  const [r] = await tx.query<{ id: number }>(`select id from fd_signature where kind = $1 and ${col} = $2 order by id desc limit 1`, [kind, id]);
  return r ? Number(r.id) : null;
}

/** Doctors' signatures are read whatever the caller's scope (an admin of the contract sees its agreement). */
async function doctorSignatureId(tx: Queryable, practitionerId: number): Promise<number | null> {
  const [r] = await tx.query<{ id: number | null }>(
    `select (select id from fd_signature where kind = 'doctor' and practitioner_id = $1 order by id desc limit 1) as id`,
    [practitionerId],
  );
  return r?.id == null ? null : Number(r.id);
}

/** Names an agreement shows (null: unknown / not chosen). */
export interface AgreementNames {
  residentName: string | null;
  idNumberMasked: string | null;
  institutionName: string | null;
  teamName: string | null;
  doctorName: string | null;
  districtHospitalName: string | null;
  cityHospitalName: string | null;
}

/** The snapshot of an agreement: the template filled with the contract and its names (also used by the demo world). */
export function agreementSnapshot(
  t: Pick<TemplateRow, 'title' | 'body' | 'version'>,
  c: Pick<ContractRow, 'id' | 'person_id' | 'cycle_start' | 'cycle_end' | 'cycle_years' | 'signed_on' | 'channel'>,
  n: AgreementNames,
): AgreementSnapshot {
  const values = {
    residentName: n.residentName ?? String(c.person_id),
    idNumberMasked: n.idNumberMasked ?? '',
    institutionName: n.institutionName ?? '',
    teamName: n.teamName ?? '',
    doctorName: n.doctorName ?? '',
    districtHospitalName: n.districtHospitalName ?? '未选择',
    cityHospitalName: n.cityHospitalName ?? '未选择',
    cycleStart: c.cycle_start,
    cycleEnd: c.cycle_end,
    cycleYears: String(c.cycle_years),
    signedOn: c.signed_on,
    channel: CHANNEL_NAMES[c.channel],
    contractId: String(c.id),
  } satisfies Record<string, string>;
  return {
    title: t.title,
    text: fillTemplate(t.body, values),
    templateVersion: t.version,
    pairs: [
      ['签约编号', values.contractId],
      ['居民', values.residentName],
      ['身份证号', values.idNumberMasked],
      ['签约机构', values.institutionName],
      ['家庭医生', `${values.doctorName}（${values.teamName}）`],
      ['区级医院', values.districtHospitalName],
      ['市级医院', values.cityHospitalName],
      ['签约周期', `${values.cycleStart} 至 ${values.cycleEnd}（${values.cycleYears} 年）`],
    ],
  };
}

/** Makes a new agreement (next seq) for the contract from the current template; no audit of its own (the act that causes it is audited). */
export async function generateAgreement(ctx: ServiceContext, c: ContractRow, reason: AgreementReason): Promise<{ id: number; seq: number }> {
  const t = await currentTemplate(ctx.tx);
  const person = await getPerson(ctx, c.person_id);
  const names = await new Names(ctx).prefetch([c]);
  const snapshot = agreementSnapshot(t, c, {
    residentName: person?.name ?? null,
    idNumberMasked: person?.idNumberMasked ?? null,
    institutionName: await names.institution(c.institution_id),
    teamName: await names.teamName(c.team_id),
    doctorName: await names.doctor(c.doctor_id),
    districtHospitalName: await names.institution(c.district_hospital_id),
    cityHospitalName: await names.institution(c.city_hospital_id),
  });
  const doctorSig = await doctorSignatureId(ctx.tx, c.doctor_id);
  const residentSig = await latestSignatureId(ctx.tx, 'resident', c.id);
  const r = (
    await ctx.tx.query<{ id: number; seq: number }>(
      `insert into fd_agreement (contract_id, person_id, seq, cycle_start, cycle_end, template_id, reason, snapshot, doctor_signature_id, resident_signature_id,
       created_by, created_by_name, district_code, street_code, institution_id, team_id, doctor_id)
     values ($1, $2, coalesce((select max(seq) from fd_agreement where contract_id = $1), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     returning id, seq`,
      [
        c.id,
        c.person_id,
        c.cycle_start,
        c.cycle_end,
        t.id,
        reason,
        JSON.stringify(snapshot),
        doctorSig,
        residentSig,
        operator(ctx).operator_id,
        operator(ctx).operator_name,
        c.district_code,
        c.street_code,
        c.institution_id,
        c.team_id,
        c.doctor_id,
      ],
    )
  )[0]!;
  return { id: Number(r.id), seq: r.seq };
}

export type AgreementDto = Agreement;

const snap = (s: AgreementSnapshot | string): AgreementSnapshot => (typeof s === 'string' ? JSON.parse(s) : s);

function agreementDto(a: AgreementRow): AgreementDto {
  return {
    id: Number(a.id),
    contractId: Number(a.contract_id),
    seq: a.seq,
    cycleStart: a.cycle_start,
    cycleEnd: a.cycle_end,
    templateVersion: snap(a.snapshot).templateVersion,
    reason: a.reason,
    reasonName: AGREEMENT_REASON_NAMES[a.reason],
    hasResidentSignature: a.resident_signature_id != null,
    hasDoctorSignature: a.doctor_signature_id != null,
    createdByName: a.created_by_name,
    createdAt: iso(a.created_at) as string,
  };
}

/** The resident's agreements over all management cycles (every contract of the person the caller sees), grouped by cycle, newest first. */
export async function agreementsOfContract(ctx: ServiceContext, contractId: number) {
  const c = await contractById(ctx.tx, contractId);
  if (!c) throw notFound(NOT_FOUND);
  const rows = await ctx.tx.query<AgreementRow>('select * from fd_agreement where person_id = $1 order by cycle_start desc, contract_id desc, seq desc', [
    c.person_id,
  ]);
  const cycles: { cycleStart: string; cycleEnd: string; contractId: number; agreements: AgreementDto[] }[] = [];
  for (const r of rows) {
    const last = cycles[cycles.length - 1];
    if (last && last.contractId === Number(r.contract_id) && last.cycleStart === r.cycle_start) last.agreements.push(agreementDto(r));
    else cycles.push({ cycleStart: r.cycle_start, cycleEnd: r.cycle_end, contractId: Number(r.contract_id), agreements: [agreementDto(r)] });
  }
  ctx.audit.read({ action: 'family-doctor.agreements', objectType: 'fd_contract', objectId: contractId, note: '查看协议书列表' });
  return { cycles };
}

export async function agreementPdf(ctx: ServiceContext, id: number) {
  const [a] = await ctx.tx.query<AgreementRow>('select * from fd_agreement where id = $1', [id]);
  if (!a) throw notFound('协议书不存在或不在您的数据权限范围内');
  const s = snap(a.snapshot);
  const image = async (sigId: number | null) => {
    if (sigId == null) return null;
    const [r] = await ctx.tx.query<{ img: Buffer | Uint8Array | null }>('select fd_signature_image($1) as img', [sigId]);
    return r?.img ? Buffer.from(r.img) : null;
  };
  const resident = await image(a.resident_signature_id);
  const doctor = await image(a.doctor_signature_id);
  const sigBlock = (img: Buffer | null, caption: string): PdfBlock =>
    img ? { kind: 'image', data: img, width: 160, caption } : { kind: 'paragraph', text: `${caption}：（未签名）` };
  const blocks: PdfBlock[] = [
    { kind: 'keyValue', pairs: s.pairs },
    ...s.text.split(/\n{2,}/).map((p): PdfBlock => ({ kind: 'paragraph', text: p.trim() })),
    { kind: 'heading', text: '签名' },
    sigBlock(resident, '甲方（居民）签名'),
    sigBlock(doctor, '乙方（家庭医生）签名'),
  ];
  ctx.audit.read({
    action: 'family-doctor.agreement-download',
    objectType: 'fd_agreement',
    objectId: a.id,
    note: `下载协议书（签约 ${a.contract_id} 第 ${a.seq} 版）`,
  });
  return pdfFile(`家庭医生签约协议书-${a.contract_id}-${a.seq}.pdf`, {
    title: s.title,
    subtitle: `协议编号 ${a.contract_id}-${a.seq} · 模板第 ${s.templateVersion} 版 · ${AGREEMENT_REASON_NAMES[a.reason]}`,
    blocks,
    footer: `签约周期 ${a.cycle_start} 至 ${a.cycle_end}`,
  });
}

export const agreementsRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/contracts/:id/agreements',
  summary: '居民各管理周期的协议书',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: AgreementCycles },
  handler: (ctx, { params }) => agreementsOfContract(ctx, params.id),
});

export const regenerateAgreementRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/:id/agreements',
  summary: '重新生成协议书（使用最新模板和签名）',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  successStatus: 201,
  response: { 201: AgreementMade },
  handler: async (ctx, { params }) => {
    const c = await contractById(ctx.tx, params.id, true);
    if (!c) throw notFound(NOT_FOUND);
    const a = await generateAgreement(ctx, c, 'manual');
    ctx.audit.write({
      action: 'family-doctor.agreement-generate',
      objectType: 'fd_contract',
      objectId: c.id,
      after: { agreementId: a.id, seq: a.seq, reason: 'manual' },
    });
    return a;
  },
});

export const agreementPdfRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/agreements/:id/pdf',
  summary: '下载协议书 PDF（含居民电子签名和医生签名）',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: FileResponse },
  handler: (ctx, { params }) => agreementPdf(ctx, params.id),
});
