// 国家育儿补贴信息管理系统 (simulated). Our side uploads each approved application once
// (POST /api/v1/applications, Idempotency-Key per application); the national side reviews it and
// publishes its results on the reply feed (GET /replies?after=): accepted or rejected with a reason,
// then paid. GET /api/v1/applications lists what it holds (for reconciliation), GET
// /api/v1/field-requirements the fields an application must carry (for pre-fill).
//
// Its own checks: a valid resident identity number for child and applicant, a 16-19 digit bank
// account, a birth order; a child already granted under another application is rejected (重复申领).
// Tests reach the state through nationalStore(sim): plant records we do not have, drop or change ours.
import { randomUUID } from 'node:crypto';
import { validateResidentId } from '../../../util/resident-id.ts';
import { defineSimulator, type Simulator } from '../simulator.ts';

export type NationalStatus = 'received' | 'accepted' | 'rejected' | 'paid';

export interface NationalRecord {
  applicationId: number;
  nationalId: string;
  childIdNumber: string;
  districtCode: string | null;
  status: NationalStatus;
  reason: string | null;
  /** Accepted upload requests for this application (1 = delivered exactly once). */
  uploads: number;
  updatedAt: string;
}

export interface NationalStore {
  records: Map<number, NationalRecord>;
  /** Child identity number → the application holding it (not rejected). */
  byChild: Map<string, number>;
  /** Publish 'paid' right after 'accepted' (default true). */
  autoPay: boolean;
  /** What GET /api/v1/field-requirements answers (tests change it). */
  fields: { field: string; title: string; required: boolean }[];
}

const stores = new WeakMap<Simulator, NationalStore>();
export function nationalStore(sim: Simulator): NationalStore {
  let s = stores.get(sim);
  if (!s) {
    s = { records: new Map(), byChild: new Map(), autoPay: true, fields: NATIONAL_FIELDS.map((f) => ({ ...f })) };
    stores.set(sim, s);
  }
  return s;
}

export const NATIONAL_FIELDS = [
  { field: 'child_name', title: '儿童姓名', required: true },
  { field: 'child_id_number', title: '儿童身份证件号码', required: true },
  { field: 'child_birth_date', title: '儿童出生日期', required: true },
  { field: 'child_hukou_district', title: '儿童户籍所在区', required: true },
  { field: 'birth_order', title: '孩次', required: true },
  { field: 'applicant_relation', title: '申领人与儿童关系', required: true },
  { field: 'applicant_name', title: '申领人姓名', required: true },
  { field: 'applicant_id_number', title: '申领人身份证件号码', required: true },
  { field: 'applicant_phone', title: '申领人手机号码', required: true },
  { field: 'bank_account', title: '发放银行账户', required: false },
];

interface Upload {
  applicationId?: unknown;
  child?: { name?: unknown; idNumber?: unknown; birthDate?: unknown; hukouDistrict?: unknown };
  birthOrder?: unknown;
  applicant?: { relation?: unknown; name?: unknown; idNumber?: unknown; phone?: unknown };
  bankAccount?: unknown;
  amountYuan?: unknown;
  districtCode?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);

function problems(b: Upload): string[] {
  const out: string[] = [];
  if (!Number.isSafeInteger(b.applicationId) || (b.applicationId as number) < 1) out.push('applicationId 缺失');
  if (!str(b.child?.name)) out.push('儿童姓名缺失');
  if (!str(b.child?.birthDate)) out.push('儿童出生日期缺失');
  if (!str(b.applicant?.name)) out.push('申领人姓名缺失');
  if (!str(b.applicant?.phone)) out.push('申领人手机号码缺失');
  if (!Number.isInteger(b.amountYuan)) out.push('补贴金额缺失');
  return out;
}

export const nationalSubsidySimulator = defineSimulator({
  system: 'national-subsidy',
  reply: null,
  routes: [
    {
      method: 'GET',
      url: '/api/v1/field-requirements',
      handler: (_req, sim) => ({ body: { items: nationalStore(sim).fields } }),
    },
    {
      method: 'GET',
      url: '/api/v1/applications',
      handler: (req, sim) => {
        const all = [...nationalStore(sim).records.values()].sort((a, b) => a.applicationId - b.applicationId);
        const offset = Math.max(0, Number(req.query.offset ?? 0) || 0);
        const limit = Math.min(5000, Math.max(1, Number(req.query.limit ?? 1000) || 1000));
        return { body: { items: all.slice(offset, offset + limit), total: all.length } };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/applications',
      handler: (req, sim) => {
        const b = (req.body ?? {}) as Upload;
        const bad = problems(b);
        if (bad.length) return { status: 400, body: { code: 'INVALID', message: `申领信息不完整：${bad.join('、')}` } };
        const store = nationalStore(sim);
        const id = b.applicationId as number;
        const childId = String(b.child?.idNumber ?? '');
        const had = store.records.get(id);
        if (had) {
          // Another request for an application we already hold (a new key): same record, counted.
          had.uploads++;
          return { body: { nationalId: had.nationalId, status: had.status } };
        }
        let reason: string | null = null;
        if (!validateResidentId(childId).ok) reason = '儿童身份证件号码校验未通过';
        else if (!validateResidentId(String(b.applicant?.idNumber ?? '')).ok) reason = '申领人身份证件号码校验未通过';
        else if (!Number.isInteger(b.birthOrder) || (b.birthOrder as number) < 1) reason = '孩次缺失';
        else if (typeof b.bankAccount !== 'string' || !/^\d{16,19}$/.test(b.bankAccount)) reason = '发放银行账户无效';
        else if (store.byChild.has(childId)) reason = '该儿童已有有效申领（重复申领）';
        const rec: NationalRecord = {
          applicationId: id,
          nationalId: `GJ${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`,
          childIdNumber: childId,
          districtCode: str(b.districtCode),
          status: reason ? 'rejected' : store.autoPay ? 'paid' : 'accepted',
          reason,
          uploads: 1,
          updatedAt: new Date().toISOString(),
        };
        store.records.set(id, rec);
        if (!reason) store.byChild.set(childId, id);
        const base = { type: 'application.status', applicationId: id, nationalId: rec.nationalId };
        if (reason) sim.emitReply({ ...base, status: 'rejected', reason });
        else {
          sim.emitReply({ ...base, status: 'accepted', reason: null });
          if (store.autoPay) sim.emitReply({ ...base, status: 'paid', reason: null });
        }
        return { body: { nationalId: rec.nationalId, status: 'received' } };
      },
    },
  ],
});
