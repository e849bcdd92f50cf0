import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute, fileResult } from '../../../platform/http/route.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { enumOf, FileResponse, Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import { getInstitution, getPractitioner } from '../../common/master-data/service.ts';
import { getPeople } from '../../common/resident-index/service.ts';
import { REPORT_TYPE_NAMES } from './naming.ts';
import * as repo from './repository.ts';
import { BatchPage, HaFilePage } from './responses.ts';

/** 上传记录: batches, and every file of them with its result and error. */
const iso = (v: Date | string | null) => (v == null ? null : v instanceof Date ? v.toISOString() : v);
const CHANNEL_NAMES = { ftp: 'FTP 批量上传', web: '页面单份上传' } as const;

async function names(tx: Queryable, ids: (number | null)[], get: (id: number) => Promise<{ name: string } | null>) {
  const m = new Map<number, string>();
  for (const id of new Set(ids.filter((x): x is number => x != null))) {
    const r = await get(id);
    if (r) m.set(id, r.name);
  }
  void tx;
  return m;
}

export const listBatchesRoute = defineRoute({
  method: 'GET',
  url: '/health-assessment/batches',
  summary: '上传批次列表',
  auth: 'staff',
  permission: 'health-assessment.read',
  querystring: Type.Object({ channel: Type.Optional(enumOf(['ftp', 'web'] as const)), ...Paging }, { additionalProperties: false }),
  response: { 200: BatchPage },
  handler: async (ctx, { query }) => {
    const { rows, total } = await repo.listBatches(ctx.tx, { channel: query.channel, ...pageOf(query) });
    const inst = await names(
      ctx.tx,
      rows.map((r) => r.institution_id),
      (id) => getInstitution(ctx, id),
    );
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        channelName: CHANNEL_NAMES[r.channel],
        institutionId: r.institution_id,
        institutionName: inst.get(r.institution_id) ?? null,
        uploadedBy: r.uploaded_by,
        startedAt: iso(r.started_at),
        filesTotal: r.files_total,
        filesArchived: r.files_archived,
        filesRejected: r.files_rejected,
      })),
    };
  },
});

export const listFilesRoute = defineRoute({
  method: 'GET',
  url: '/health-assessment/files',
  summary: '上传文件记录（每个文件的结果和错误原因）',
  auth: 'staff',
  permission: 'health-assessment.read',
  querystring: Type.Object(
    {
      batchId: Type.Optional(Id),
      status: Type.Optional(enumOf(['archived', 'rejected'] as const)),
      reportType: Type.Optional(enumOf(['HA', 'PE'] as const)),
      channel: Type.Optional(enumOf(['ftp', 'web'] as const)),
      personId: Type.Optional(Id),
      ...Paging,
    },
    { additionalProperties: false },
  ),
  response: { 200: HaFilePage },
  handler: async (ctx, { query }) => {
    const { rows, total } = await repo.listFiles(ctx.tx, { ...query, ...pageOf(query) });
    const people = await getPeople(
      ctx,
      rows.map((r) => r.person_id).filter((x): x is number => x != null),
    );
    const doctors = await names(
      ctx.tx,
      rows.map((r) => r.signed_by),
      (id) => getPractitioner(ctx, id),
    );
    const inst = await names(
      ctx.tx,
      rows.map((r) => r.institution_id),
      (id) => getInstitution(ctx, id),
    );
    if (rows.some((r) => r.person_id != null))
      ctx.audit.read({ action: 'health-assessment.files.list', objectType: 'ha_file', note: `查看上传记录 ${rows.length} 条` });
    return {
      total,
      items: rows.map((r) => {
        const p = r.person_id != null ? people.get(r.person_id) : undefined;
        return {
          id: r.id,
          batchId: r.batch_id,
          channel: r.channel,
          channelName: CHANNEL_NAMES[r.channel],
          fileName: r.file_name,
          status: r.status,
          error: r.error,
          personId: r.person_id,
          personName: p?.name ?? null,
          idNumberMasked: p?.idNumberMasked ?? null,
          contractId: r.contract_id,
          reportType: r.report_type,
          reportTypeName: r.report_type ? REPORT_TYPE_NAMES[r.report_type] : null,
          reportDate: r.report_date,
          ageAtReport: r.age_at_report,
          signedBy: r.signed_by,
          signedByName: r.signed_by != null ? (doctors.get(r.signed_by) ?? null) : null,
          signedAt: iso(r.signed_at),
          sizeBytes: r.size_bytes,
          sm3: r.sm3,
          institutionId: r.institution_id,
          institutionName: inst.get(r.institution_id) ?? null,
          uploadedBy: r.uploaded_by,
          uploadedAt: iso(r.uploaded_at),
        };
      }),
    };
  },
});

export const fileContentRoute = defineRoute({
  method: 'GET',
  url: '/health-assessment/files/:id/content',
  summary: '查看已归档报告（PDF）',
  auth: 'staff',
  permission: 'health-assessment.read',
  params: IdParams,
  response: { 200: FileResponse },
  handler: async (ctx, { params }) => {
    const f = await repo.fileById(ctx.tx, params.id);
    const content = f ? await repo.fileContent(ctx.tx, params.id) : null;
    if (!f || !content) throw notFound('报告不存在、未归档或不在您的数据权限范围内');
    ctx.audit.read({
      action: 'health-assessment.report.view',
      objectType: 'ha_file',
      objectId: f.id,
      districtCode: f.district_code,
      note: '查看健康评估/体检报告',
    });
    return fileResult('application/pdf', f.file_name, content);
  },
});
