import type { ServiceContext } from '../../../platform/service-context.ts';
import { createHash } from 'node:crypto';
import { generatePassword } from '../../../platform/auth/password.ts';
import { createUser } from '../../../platform/auth/users/service.ts';
import type { Tx } from '../../../platform/db/types.ts';
import type { FieldError } from '../../../platform/http/errors.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { resolveSettings, signerFor } from '../../../platform/integration/adapter.ts';
import { fdQcPlatform, QC_SYSTEM } from '../../../platform/integration/adapters/fd-qc-platform.ts';
import { sendRequest } from '../../../platform/integration/http-client.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { enqueueJobOnce } from '../../../platform/jobs/enqueue.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import { createPractitioner, findPractitionerByIdNumber, getInstitutionByCode, patchPractitioner } from '../../common/master-data/service.ts';
import type { QcDoctor } from '../../../platform/integration/simulators/systems/fd-qc-doctors.ts';
import { SyncQueued, SyncRuns } from './responses.ts';

/**
 * 家庭医生自动同步: the QC platform (家庭医生质控平台) is the source of who is a family doctor. A sync pulls
 * the doctors changed since the last run (GET /api/doctors?updatedSince=…, signed like every call to
 * that system) and, per doctor: a new one becomes a master-data practitioner (family doctor of the named
 * centre) with a staff account (role family_doctor, data scope 'own', a random password to be changed at
 * first sign-in, TOTP enrolled then); a changed one updates the practitioner (name, title, centre,
 * active); an unchanged one is skipped by its fingerprint. A doctor matched by ID number to an existing
 * practitioner is linked, not duplicated. Problems (unknown centre, bad ID number) are recorded per
 * doctor; the rest of the run goes on. Runs daily (job fd-people.qc-sync) and on demand.
 */
export { QC_SYSTEM };

export interface SyncResult {
  runId: number;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  accountsCreated: number;
  errors: { qcId: string; message: string }[];
}

export async function fetchQcDoctors(kernel: Kernel, since: string): Promise<QcDoctor[]> {
  const a = kernel.adapters.get(QC_SYSTEM) ?? fdQcPlatform;
  const settings = resolveSettings(a, kernel.config.env === 'production');
  if (!settings.baseUrl) throw new AppError(503, 'NOT_CONFIGURED', '未配置家庭医生质控平台地址（WEIJIAN_FD_QC_PLATFORM_URL）');
  const r = await sendRequest({
    baseUrl: settings.baseUrl,
    method: 'GET',
    path: `/api/doctors?updatedSince=${encodeURIComponent(since)}`,
    timeoutMs: settings.timeoutMs,
    signer: signerFor(settings, kernel.keys),
  });
  if (r.kind !== 'response' || r.status !== 200)
    throw new AppError(502, 'UPSTREAM', `家庭医生质控平台不可用：${r.kind === 'response' ? `HTTP ${r.status}` : r.message}`);
  const items = (r.body as { items?: QcDoctor[] })?.items;
  if (!Array.isArray(items)) throw new AppError(502, 'UPSTREAM', '家庭医生质控平台返回格式不正确');
  return items;
}

const fingerprint = (d: QcDoctor) =>
  createHash('sha256')
    .update(JSON.stringify([d.name, d.sex, d.idNumber, d.institutionCode, d.title ?? null, d.phone ?? null, d.active]))
    .digest('hex');
const TITLES = new Set(['主任医师', '副主任医师', '主治医师', '医师', '医士', '主任护师', '副主任护师', '主管护师', '护师', '护士']);
const message = (e: unknown) =>
  e instanceof AppError ? [e.message, ...e.details.map((x: FieldError) => x.message)].filter((v, i, a) => a.indexOf(v) === i).join('；') : String(e);

/** Applies the fetched doctors inside one transaction (city scope: a job, or a city administrator). */
export async function applyQcDoctors(ctx: ServiceContext, doctors: QcDoctor[], triggeredBy: string): Promise<SyncResult> {
  const r = { fetched: doctors.length, created: 0, updated: 0, unchanged: 0, accountsCreated: 0, errors: [] as SyncResult['errors'] };
  for (const d of doctors) {
    const fp = fingerprint(d);
    const [known] = await ctx.tx.query<{ practitioner_id: number; user_id: number | null; fingerprint: string }>(
      'select practitioner_id, user_id, fingerprint from fdp_qc_doctor where qc_id = $1',
      [d.qcId],
    );
    if (known?.fingerprint === fp) {
      r.unchanged++;
      continue;
    }
    // One savepoint per doctor: a refused doctor leaves no half-made practitioner or account behind.
    await ctx.tx.query('savepoint qc_doctor');
    try {
      const instId = await getInstitutionByCode(ctx, d.institutionCode);
      if (!instId) throw new AppError(400, 'VALIDATION_FAILED', `机构代码 ${d.institutionCode} 不存在`);
      const fields = {
        institutionId: instId,
        name: d.name,
        sex: d.sex,
        title: d.title && TITLES.has(d.title) ? (d.title as never) : null,
        isFamilyDoctor: true,
        active: d.active,
      };
      let practitionerId = known?.practitioner_id ?? (await findPractitionerByIdNumber(ctx, d.idNumber));
      if (practitionerId) {
        await patchPractitioner(ctx, practitionerId, fields);
        r.updated++;
      } else {
        practitionerId = (await createPractitioner(ctx, { ...fields, idNumber: d.idNumber, phone: d.phone ?? null })).id;
        r.created++;
      }
      let userId = known?.user_id ?? null;
      if (!userId && d.active) {
        const [existing] = await ctx.tx.query<{ id: number }>('select id from app_user where practitioner_id = $1 limit 1', [practitionerId]);
        userId = existing?.id ?? null;
        if (!userId) {
          const u = await createUser(ctx.tx, ctx.kernel.keys, {
            username: `fd${d.qcId.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 32),
            displayName: d.name,
            role: 'family_doctor',
            scope: { level: 'own', practitionerId },
            password: generatePassword(16),
            mustChangePassword: true,
          });
          userId = u.id;
          r.accountsCreated++;
          ctx.audit.add({
            kind: 'admin',
            action: 'fd-people.account.create',
            objectType: 'app_user',
            objectId: u.id,
            after: { username: u.username, role: 'family_doctor', practitionerId, source: 'qc-sync' },
          });
        }
      }
      const { district_code } = (await ctx.tx.query<{ district_code: string }>('select district_code from institution where id = $1', [instId]))[0]!; // found by code above
      await ctx.tx.query(
        `insert into fdp_qc_doctor (qc_id, practitioner_id, user_id, fingerprint, district_code) values ($1, $2, $3, $4, $5)
         on conflict (qc_id) do update set practitioner_id = excluded.practitioner_id, user_id = excluded.user_id, fingerprint = excluded.fingerprint, district_code = excluded.district_code, synced_at = now()`,
        [d.qcId, practitionerId, userId, fp, district_code],
      );
      await ctx.tx.query('release savepoint qc_doctor');
    } catch (e) {
      await ctx.tx.query('rollback to savepoint qc_doctor');
      r.errors.push({ qcId: d.qcId, message: message(e) });
    }
  }
  const run = (
    await ctx.tx.query<{ id: number }>(
      `insert into fdp_sync_run (triggered_by, fetched, created, updated, unchanged, accounts_created, errors) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [triggeredBy, r.fetched, r.created, r.updated, r.unchanged, r.accountsCreated, JSON.stringify(r.errors)],
    )
  )[0]!;
  ctx.audit.write({ action: 'fd-people.qc-sync', objectType: 'fdp_sync_run', objectId: run.id, after: r });
  return { runId: Number(run.id), ...r };
}

async function lastSyncedAt(tx: Tx): Promise<string> {
  const [r] = await tx.query<{ at: Date | null }>('select max(started_at) as at from fdp_sync_run');
  // A little overlap: a doctor changed while the last run was fetching is fetched again (then unchanged).
  return r?.at ? new Date(new Date(r.at).getTime() - 5 * 60_000).toISOString() : '';
}

// The pull talks to an outside system: it runs as a job (retried with backoff when the platform is
// down), never inside a console request.
export const qcSyncRoute = defineRoute({
  method: 'POST',
  url: '/fd-people/qc-sync',
  summary: '立即从家庭医生质控平台同步家庭医生（排队执行，结果见同步记录）',
  auth: 'staff',
  permission: 'fd-people.sync',
  scope: 'city',
  successStatus: 202,
  response: { 202: SyncQueued },
  handler: async (ctx) => {
    const who = ctx.principal.displayName || ctx.principal.username;
    const { runId, existing } = await enqueueJobOnce(ctx.tx, QC_SYNC_JOB, { requestedBy: who }, 'manual', who);
    ctx.audit.write({ action: 'fd-people.qc-sync.request', objectType: 'job_run', objectId: runId, after: { existing } });
    return { runId, existing };
  },
});

export const syncRunsRoute = defineRoute({
  method: 'GET',
  url: '/fd-people/qc-sync/runs',
  summary: '家庭医生同步记录',
  auth: 'staff',
  permission: 'fd-people.sync',
  response: { 200: SyncRuns },
  handler: async (ctx) => {
    const rows = await ctx.tx.query<Record<string, unknown>>('select * from fdp_sync_run order by id desc limit 50');
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        startedAt: r.started_at,
        triggeredBy: r.triggered_by,
        fetched: r.fetched,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        accountsCreated: r.accounts_created,
        errors: typeof r.errors === 'string' ? JSON.parse(r.errors) : r.errors,
      })),
    };
  },
});

export const QC_SYNC_JOB = 'fd-people.qc-sync';

export const qcSyncJob: JobDef = {
  name: QC_SYNC_JOB,
  title: '从家庭医生质控平台同步家庭医生',
  defaultCron: '30 2 * * *',
  defaultEnabled: true,
  retries: 2,
  handler: async (ctx, payload) => {
    const since = await ctx.transaction((tx) => lastSyncedAt(tx));
    const doctors = await fetchQcDoctors(ctx.kernel, since);
    const by = typeof payload.requestedBy === 'string' ? payload.requestedBy : '定时任务';
    const r = await ctx.service((s) => applyQcDoctors(s, doctors, by));
    await ctx.log(`取得 ${r.fetched} 名，新增 ${r.created}，变更 ${r.updated}，未变 ${r.unchanged}，新开账号 ${r.accountsCreated}，问题 ${r.errors.length}`);
    return r;
  },
};
