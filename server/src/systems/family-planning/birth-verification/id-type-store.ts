import type { Queryable } from '../../../platform/db/types.ts';
import type { ParentIdType } from './id-types.ts';

/** The parents' 证件类型 on a task (fp_verify_task columns of migration 003), kept beside the sealed numbers. */
export interface TaskIdTypes {
  mother_id_type: ParentIdType;
  father_id_type: ParentIdType | null;
}

export async function setTaskIdTypes(tx: Queryable, taskId: number, t: TaskIdTypes): Promise<void> {
  await tx.query('update fp_verify_task set mother_id_type = $2, father_id_type = $3 where id = $1', [taskId, t.mother_id_type, t.father_id_type]);
}

/** A task row read with `select *` carries the columns; older shapes default to a resident ID. */
export function idTypesOf(row: object): TaskIdTypes {
  const r = row as Partial<TaskIdTypes> & { father_id_bi?: string | null };
  return { mother_id_type: r.mother_id_type ?? 'resident_id', father_id_type: r.father_id_type ?? (r.father_id_bi ? 'resident_id' : null) };
}
