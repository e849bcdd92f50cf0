import type { AuditBuffer, AuditInput } from '../../../platform/audit/event.ts';
import { sm3Hex } from '../../../platform/crypto/sm3.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Scope } from '../../../platform/scope/scope.ts';
import { getInstitution, getPractitioner } from '../../common/master-data/service.ts';
import { findPersonByIdNumber } from '../../common/resident-index/service.ts';
import { ageOn, todayInShanghai as shanghaiToday } from '../../../platform/util/dates.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { looksLikePdf, MAX_FILE_BYTES, parseReportName } from './naming.ts';
import * as repo from './repository.ts';

/** What ingesting needs: the transaction, the key ring (ID-number lookup), the audit buffer and who uploads. */
export interface IngestCtx {
  tx: Queryable;
  kernel: { keys: KeyRing };
  audit: AuditBuffer;
  /** The uploader's scope: a file for a resident outside it is rejected, not written. */
  scope: Scope;
  /** For audit events of uploads without a signed-in user (FTP). */
  actor?: AuditInput['actor'];
}

export interface IngestInput {
  fileName: string;
  content: Buffer;
  /** Console upload: the doctor chosen as reviewer/signer must be the one named in the file. */
  signedBy?: number;
  signedAt?: Date;
}

export interface IngestResult {
  fileId: number;
  fileName: string;
  status: 'archived' | 'rejected';
  error: string | null;
  personId: number | null;
  reportType: 'HA' | 'PE' | null;
}

/** Opens a batch for the uploading centre (scope keys of the centre, plus the console uploader's team/doctor). */
export async function openBatch(
  ctx: Pick<IngestCtx, 'tx'>,
  b: { channel: 'ftp' | 'web'; institutionId: number; accountId: number | null; uploadedBy: string; teamId?: number | null; doctorId?: number | null },
): Promise<repo.BatchRow> {
  const inst = await getInstitution(ctx, b.institutionId);
  if (!inst) throw new Error(`institution ${b.institutionId} not found`);
  return repo.insertBatch(ctx.tx, {
    channel: b.channel,
    institution_id: b.institutionId,
    account_id: b.accountId,
    uploaded_by: b.uploadedBy,
    district_code: inst.districtCode,
    street_code: inst.streetCode,
    team_id: b.teamId ?? null,
    doctor_id: b.doctorId ?? null,
  });
}

/**
 * Checks one uploaded report and records it: archived (content kept, linked to the resident and to the
 * resident's active contract) or rejected with the first reason found. Never throws for a bad file.
 */
export async function ingestFile(ctx: IngestCtx, batch: repo.BatchRow, f: IngestInput): Promise<IngestResult> {
  const today = shanghaiToday();
  const base = {
    batch_id: batch.id,
    channel: batch.channel,
    file_name: f.fileName.slice(0, 200),
    size_bytes: f.content.length,
    sm3: sm3Hex(f.content),
    institution_id: batch.institution_id,
    uploaded_by: batch.uploaded_by,
  };
  const reject = async (error: string, extra: Partial<repo.NewFile> = {}): Promise<IngestResult> => {
    const row = await repo.insertFile(ctx.tx, {
      ...base,
      status: 'rejected',
      error,
      person_id: null,
      contract_id: null,
      report_type: null,
      report_date: null,
      age_at_report: null,
      signed_by: null,
      signed_at: null,
      district_code: batch.district_code,
      street_code: batch.street_code,
      team_id: batch.team_id,
      doctor_id: batch.doctor_id,
      content: null,
      ...extra,
    });
    await repo.countFile(ctx.tx, batch.id, false);
    ctx.audit.write({
      action: 'health-assessment.reject',
      objectType: 'ha_file',
      objectId: row.id,
      after: { fileName: base.file_name, error },
      actor: ctx.actor,
    });
    return { fileId: row.id, fileName: row.file_name, status: 'rejected', error, personId: null, reportType: row.report_type };
  };

  if (f.content.length === 0) return reject('文件为空');
  if (f.content.length > MAX_FILE_BYTES) return reject(`文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB`);
  const name = parseReportName(f.fileName, today);
  if (!name.ok) return reject(name.reason);
  const n = name.value;
  // Once the name is read, a rejection still counts under its report type (statistics by type).
  const known = { report_type: n.reportType, report_date: n.reportDate };
  const refuse = (error: string) => reject(error, known);
  if (!looksLikePdf(f.content)) return refuse('文件内容不是 PDF');
  if (f.signedBy !== undefined && f.signedBy !== n.doctorId) return refuse(`文件名中的签名医生编号 ${n.doctorId} 与审核签名医生不一致`);
  const doctor = await getPractitioner(ctx, n.doctorId);
  if (!doctor?.active) return refuse(`签名医生编号 ${n.doctorId} 不存在或已停用`);
  if (doctor.institutionId !== batch.institution_id) return refuse(`签名医生 ${doctor.name} 不属于上传机构，须由本中心医生审核签名`);
  const person = await findPersonByIdNumber(ctx, 'resident_id', n.idNumber);
  if (!person) return refuse('居民主索引中未找到该身份证号的居民（或不在您的数据权限范围内）');
  if (person.managingInstitutionId !== batch.institution_id) return refuse('该居民不是本中心签约或管理的居民');
  const age = ageOn(person.birthDate, n.reportDate);
  if (n.reportType === 'PE' && age < 65) return refuse(`老年人体检报告仅适用于 65 岁及以上居民（报告日该居民 ${age} 岁）`);
  const keys = {
    district: person.residenceDistrict,
    street: person.residenceStreet,
    institution: batch.institution_id,
    team: person.teamId,
    doctor: person.doctorId,
  };
  if (!scopeCovers(ctx.scope, keys)) return refuse('该居民不在您的数据权限范围内（非本人签约居民）');
  if (await repo.archivedExists(ctx.tx, person.id, n.reportType, n.reportDate))
    return refuse(`该居民 ${n.reportDate} 的${n.reportType === 'HA' ? '健康评估报告' : '体检报告'}已上传，不能重复上传`);
  // the family-doctor module's exported view, not its table or its repository (module boundaries)
  const [contract] = await ctx.tx.query<{ id: number }>(`select id from fd_contract_v where person_id = $1 and status = 'active'`, [person.id]);

  const row = await repo.insertFile(ctx.tx, {
    ...base,
    status: 'archived',
    error: null,
    person_id: person.id,
    contract_id: contract?.id ?? null,
    report_type: n.reportType,
    report_date: n.reportDate,
    age_at_report: age,
    signed_by: doctor.id,
    signed_at: f.signedAt ?? new Date(`${n.reportDate}T00:00:00+08:00`),
    district_code: person.residenceDistrict,
    street_code: person.residenceStreet,
    team_id: person.teamId,
    doctor_id: person.doctorId,
    content: f.content,
  });
  await repo.countFile(ctx.tx, batch.id, true);
  ctx.audit.write({
    action: 'health-assessment.archive',
    objectType: 'ha_file',
    objectId: row.id,
    actor: ctx.actor,
    districtCode: person.residenceDistrict,
    after: { personId: person.id, contractId: row.contract_id, reportType: n.reportType, reportDate: n.reportDate, signedBy: doctor.id, sm3: row.sm3 },
  });
  return { fileId: row.id, fileName: row.file_name, status: 'archived', error: null, personId: person.id, reportType: n.reportType };
}
