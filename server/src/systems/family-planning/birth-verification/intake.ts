import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import { sm3Hex } from '../../../platform/crypto/sm3.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { canonicalJson } from '../../../platform/util/canonical-json.ts';
import { maskResidentId } from '../../../platform/util/resident-id.ts';
import { findPersonByIdNumber } from '../../common/resident-index/service.ts';
import { type CleanBirth, cleanRecord, maskedRaw } from './clean.ts';
import { pushTask } from './cloud-push.ts';
import { type FieldMapping, loadFieldMap } from './field-map.ts';
import { setTaskIdTypes } from './id-type-store.ts';
import { INDEX_ID_TYPE } from './id-types.ts';
import { findChild, precheckTask } from './precheck-facts.ts';
import * as tasks from './task-repository.ts';

export interface IntakeCtx {
  tx: Queryable;
  kernel: { keys: KeyRing };
  audit: AuditBuffer;
}

export interface IntakeCounts {
  fetched: number;
  created: number;
  /** Existing tasks whose source record changed: reverted to pending, never a new task. */
  updated: number;
  unchanged: number;
  rejected: number;
}

/** What one record changes between two versions of the source (for the history). */
function changedFields(before: tasks.TaskRow, after: tasks.TaskSource): string[] {
  const keys: (keyof tasks.TaskSource & keyof tasks.TaskRow)[] = [
    'child_name',
    'child_sex',
    'birth_date',
    'birth_weight',
    'hospital',
    'claimed_birth_order',
    'address',
    'mother_name',
    'mother_id_bi',
    'father_name',
    'father_id_bi',
    'street_code',
  ];
  return keys.filter((k) => String(before[k] ?? '') !== String(after[k] ?? ''));
}

/**
 * Takes one day's source records: cleans each (refused ones kept with their reasons), finds the
 * responsible street (the mother's residence street from the record, else from the population index),
 * creates one task per birth, or — for a birth that already has a task and whose record changed —
 * reverts that task to pending with the new data (re-verification, no new task). Every new or changed
 * task is pre-checked and sent to 社区云 (outbox). Runs in the caller's one transaction.
 */
export async function ingestRecords(
  ctx: IntakeCtx,
  batch: { id: number; sourceDate: string },
  raws: readonly Record<string, unknown>[],
  opts: { today: string; actor: string; map?: readonly FieldMapping[] },
): Promise<IntakeCounts> {
  const map = opts.map ?? (await loadFieldMap(ctx.tx));
  const counts: IntakeCounts = { fetched: raws.length, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const seen = new Set<string>();
  for (const [i, raw] of raws.entries()) {
    const rowNo = i + 1;
    const c = cleanRecord(raw ?? {}, map, opts.today);
    const reject = async (
      reasons: { field: string; message: string }[],
      scope = { districtCode: null as string | null, streetCode: null as string | null },
    ) => {
      counts.rejected++;
      await tasks.insertRejected(ctx.tx, batch.id, rowNo, maskedRaw(raw ?? {}, map), reasons, scope);
    };
    if (!c.ok) {
      await reject(c.reasons);
      continue;
    }
    const r = c.record;
    if (seen.has(r.certificateNo)) {
      await reject([{ field: 'certificateNo', message: `出生医学证明编号 ${r.certificateNo} 在同一批次中重复出现` }]);
      continue;
    }
    seen.add(r.certificateNo);
    // By blind index of the number under its type: a passport number never finds a resident-ID holder.
    const mother = await findPersonByIdNumber(ctx, INDEX_ID_TYPE[r.motherIdType], r.motherIdNumber);
    const father = r.fatherIdNumber && r.fatherIdType ? await findPersonByIdNumber(ctx, INDEX_ID_TYPE[r.fatherIdType], r.fatherIdNumber) : null;
    const street =
      (r.streetCode ? await tasks.streetOf(ctx.tx, r.streetCode) : null) ??
      (mother?.residenceStreet ? await tasks.streetOf(ctx.tx, mother.residenceStreet) : null);
    if (!street) {
      await reject([{ field: 'streetCode', message: '无法确定负责街道：居住地街道代码缺失或无效，且人口库中无母亲的居住街道' }]);
      continue;
    }
    const source = toSource(ctx.kernel.keys, r, batch, street, mother?.id ?? null, father?.id ?? null);
    const existing = await tasks.taskByCertificate(ctx.tx, r.certificateNo);
    let task: tasks.TaskRow;
    if (!existing) {
      task = await tasks.insertTask(ctx.tx, source);
      await tasks.addEvent(ctx.tx, task, {
        action: 'created',
        fromStatus: null,
        toStatus: 'pending',
        actor: opts.actor,
        note: `市妇幼 ${batch.sourceDate} 日数据，派发至 ${street.name}`,
      });
      counts.created++;
    } else if (existing.source_digest === source.source_digest) {
      counts.unchanged++;
      continue;
    } else {
      const fields = changedFields(existing, source);
      task = await tasks.revertWithSource(ctx.tx, existing.id, source);
      await tasks.addEvent(ctx.tx, task, {
        action: 'source_update',
        fromStatus: existing.status,
        toStatus: 'pending',
        actor: opts.actor,
        note: `市妇幼重新推送了变更的出生信息（${batch.sourceDate}），原任务退回待核实重新核实`,
        detail: { changedFields: fields, previousDecision: existing.decision, previousRound: existing.verify_round },
      });
      counts.updated++;
    }
    const idTypes = { mother_id_type: r.motherIdType, father_id_type: r.fatherIdType };
    await setTaskIdTypes(ctx.tx, task.id, idTypes);
    task = { ...task, ...idTypes };
    const child = await findChild(ctx.tx, task);
    if (child !== task.child_person_id) {
      await tasks.setChild(ctx.tx, task.id, child);
      task = { ...task, child_person_id: child };
    }
    task.precheck = await precheckTask(ctx.tx, task, opts.today);
    await pushTask(ctx.tx, task);
  }
  return counts;
}

function toSource(
  keys: KeyRing,
  r: CleanBirth,
  batch: { id: number; sourceDate: string },
  street: { streetCode: string; districtCode: string; institutionId: number | null },
  motherId: number | null,
  fatherId: number | null,
): tasks.TaskSource {
  return {
    certificate_no: r.certificateNo,
    source_date: batch.sourceDate,
    batch_id: batch.id,
    district_code: street.districtCode,
    street_code: street.streetCode,
    institution_id: street.institutionId,
    child_name: r.childName,
    child_sex: r.childSex,
    birth_date: r.birthDate,
    birth_weight: r.birthWeight,
    hospital: r.hospital,
    claimed_birth_order: r.claimedBirthOrder,
    address: r.address,
    child_person_id: null,
    mother_name: r.motherName,
    mother_id_enc: keys.encryptField(r.motherIdNumber),
    mother_id_bi: keys.blindIndex(r.motherIdNumber, 'person.id_number'),
    mother_id_mask: maskResidentId(r.motherIdNumber),
    mother_person_id: motherId,
    father_name: r.fatherName,
    father_id_enc: r.fatherIdNumber ? keys.encryptField(r.fatherIdNumber) : null,
    father_id_bi: r.fatherIdNumber ? keys.blindIndex(r.fatherIdNumber, 'person.id_number') : null,
    father_id_mask: r.fatherIdNumber ? maskResidentId(r.fatherIdNumber) : null,
    father_person_id: fatherId,
    source_digest: sm3Hex(canonicalJson(digestOf(r, street.streetCode))),
  };
}

/**
 * What the change detection compares. The 证件类型 counts only when it is not a resident ID, so records
 * taken before types were kept keep their digests (a resend is not mistaken for a change).
 */
function digestOf(r: CleanBirth, streetCode: string): Record<string, unknown> {
  const { motherIdType, fatherIdType, ...rest } = r;
  return {
    ...rest,
    streetCode,
    ...(motherIdType !== 'resident_id' ? { motherIdType } : {}),
    ...(fatherIdType !== null && fatherIdType !== 'resident_id' ? { fatherIdType } : {}),
  };
}
