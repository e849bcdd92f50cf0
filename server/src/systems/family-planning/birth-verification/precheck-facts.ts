import type { Queryable } from '../../../platform/db/types.ts';
import { getPeople, type PersonView } from '../../common/resident-index/service.ts';
import { computeBirthOrder } from './birth-order.ts';
import { idTypesOf } from './id-type-store.ts';
import { PARENT_ID_TYPE_NAME, type ParentIdType } from './id-types.ts';
import { type Finding, type PersonFact, type PrecheckFacts, runPrecheck } from './precheck.ts';
import * as repo from './repository.ts';
import * as tasks from './task-repository.ts';

const nonResident = (t: ParentIdType | null) => (t && t !== 'resident_id' ? PARENT_ID_TYPE_NAME[t] : null);

const fact = (p: PersonView | undefined): PersonFact | null =>
  p ? { name: p.name, birthDate: p.birthDate, status: p.status, deathDate: p.deathDate, hukouDistrict: p.hukouDistrict } : null;

/**
 * The child a task is about, in the population index: the person of an existing birth record with the
 * same certificate number, else the mother's child born that day with that name (or her only child born
 * that day, when no other 市妇幼 certificate is hers: a twin). Null for a newborn not yet registered anywhere.
 */
export async function findChild(
  tx: Queryable,
  t: Pick<tasks.TaskRow, 'certificate_no' | 'mother_person_id' | 'birth_date' | 'child_name'>,
): Promise<number | null> {
  const byCert = await tx.query<{ id: number }>('select child_person_id as id from fp_birth_record where certificate_no = $1 order by id limit 1', [
    t.certificate_no,
  ]);
  if (byCert[0]) return Number(byCert[0].id);
  if (t.mother_person_id === null) return null;
  const rows = await tx.query<{ id: number; other_certificate: boolean }>(
    `select child_person_id as id, bool_or(source = 'mch' and certificate_no <> $3) as other_certificate
       from fp_birth_record where mother_person_id = $1 and birth_date = $2 group by child_person_id`,
    [t.mother_person_id, t.birth_date, t.certificate_no],
  );
  const same = rows.map((r) => Number(r.id));
  const people = await getPeople({ tx }, same);
  const named = same.filter((id) => people.get(id)?.name === t.child_name);
  if (named.length === 1) return named[0]!;
  // Her only child born that day — unless that child has its own 出生医学证明 (a twin registered first).
  return rows.length === 1 && !rows[0]!.other_certificate ? same[0]! : null;
}

/** Everything the checks need, read in the caller's transaction (population data within its scope). */
export async function gatherFacts(tx: Queryable, t: tasks.TaskRow, today: string): Promise<PrecheckFacts> {
  const ids = [t.mother_person_id, t.father_person_id, t.child_person_id].filter((x): x is number => x !== null);
  const people = await getPeople({ tx }, ids);
  const family = t.child_person_id === null ? [] : await repo.familyRecords(tx, [t.child_person_id]);
  const own = family.filter((r) => r.childPersonId === t.child_person_id);
  const order = t.child_person_id === null ? null : computeBirthOrder(t.child_person_id, family);
  const idTypes = idTypesOf(t);
  return {
    today,
    task: {
      certificateNo: t.certificate_no,
      childName: t.child_name,
      birthDate: t.birth_date,
      claimedBirthOrder: t.claimed_birth_order,
      motherName: t.mother_name,
      fatherName: t.father_name,
      hasFatherId: t.father_id_bi !== null,
      motherIdTypeName: nonResident(idTypes.mother_id_type),
      fatherIdTypeName: nonResident(idTypes.father_id_type),
    },
    mother: t.mother_person_id === null ? null : fact(people.get(t.mother_person_id)),
    father: t.father_person_id === null ? null : fact(people.get(t.father_person_id)),
    child: t.child_person_id === null ? null : fact(people.get(t.child_person_id)),
    records: own.map((r) => ({ source: r.source, childName: r.childName, certificateNo: r.certificateNo })),
    policeRecord: own.some((r) => r.source === 'police'),
    computedOrder: order?.birthOrder ?? null,
    duplicateTasks: await tasks.duplicateTasks(tx, t),
    married: t.mother_person_id !== null && t.father_person_id !== null ? await tasks.married(tx, t.mother_person_id, t.father_person_id) : null,
  };
}

/** Runs the checks and stores the findings on the task. */
export async function precheckTask(tx: Queryable, t: tasks.TaskRow, today: string): Promise<Finding[]> {
  const findings = runPrecheck(await gatherFacts(tx, t, today));
  await tasks.setPrecheck(tx, t.id, findings);
  return findings;
}
