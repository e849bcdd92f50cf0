import { API_PREFIX } from '../../../platform/http/mount.ts';
import { maskResidentId } from '../../../platform/util/resident-id.ts';
import type { TestApp, TestSession } from '../../../test/harness.ts';
import { normalizeIdNumber } from '../../common/resident-index/service.ts';
import { residentBody, seedDivisions } from '../../common/resident-index/test-fixture.ts';
import { systemTransaction } from './test-support.ts';
import * as tasks from './task-repository.ts';

/**
 * Tests: a small world for one street (天平路街道, 徐汇) — parents registered through the resident API, and
 * pending verification tasks written as the 市妇幼 intake writes them, for newborns not yet in the index.
 */
export const HOME = { district: '310104', street: '310104003' };
export const NEIGHBOUR = { district: '310104', street: '310104004' };

export interface Family {
  mother: { id: number; name: string; idNumber: string };
  father: { id: number; name: string; idNumber: string };
}

export async function seedFamily(t: TestApp, city: TestSession): Promise<Family> {
  await seedDivisions(t);
  const make = async (body: Record<string, unknown>) => {
    const r = await t.call(city, { method: 'POST', url: `${API_PREFIX}/residents`, payload: body });
    if (r.statusCode !== 201) throw new Error(`resident: ${r.statusCode} ${r.body}`);
    return { id: Number(r.json().id), name: String(body.name), idNumber: String(body.idNumber) };
  };
  const mother = await make(residentBody({ name: '李梅' }, '1993-04-12', false));
  const father = await make(residentBody({ name: '王强' }, '1991-08-30', true));
  return { mother, father };
}

let seq = 0;
/** A pending task for a newborn of the family (child not in the index), each born on another day; returns the task id. */
export async function seedTask(t: TestApp, f: Family, over: Partial<tasks.TaskSource> = {}): Promise<number> {
  seq++;
  const sealed = (id: string) => ({
    enc: t.kernel.keys.encryptField(id),
    bi: t.kernel.keys.blindIndex(normalizeIdNumber(id), 'person.id_number'),
    mask: maskResidentId(id),
  });
  const m = sealed(f.mother.idNumber);
  const p = sealed(f.father.idNumber);
  return systemTransaction(t)(async (tx) => {
    const row = await tasks.insertTask(tx, {
      certificate_no: `Q31${String(900_000 + seq)}`,
      source_date: '2026-11-20',
      batch_id: null,
      district_code: HOME.district,
      street_code: HOME.street,
      institution_id: null,
      child_name: `王小${'一二三四五六七八九'[seq % 9]}`,
      child_sex: 'F',
      birth_date: `2026-11-${String(1 + seq).padStart(2, '0')}`,
      birth_weight: 3200,
      hospital: '上海市第一妇婴保健院',
      claimed_birth_order: 1,
      address: '天平路 100 弄 5 号 301 室',
      child_person_id: null,
      mother_name: f.mother.name,
      mother_id_enc: m.enc,
      mother_id_bi: m.bi,
      mother_id_mask: m.mask,
      mother_person_id: f.mother.id,
      father_name: f.father.name,
      father_id_enc: p.enc,
      father_id_bi: p.bi,
      father_id_mask: p.mask,
      father_person_id: f.father.id,
      source_digest: `test-${seq}`,
      ...over,
    });
    return row.id;
  });
}
