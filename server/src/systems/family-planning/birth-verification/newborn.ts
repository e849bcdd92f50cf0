import type { ServiceContext } from '../../../platform/service-context.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { createResident, findPersonByIdNumber } from '../../common/resident-index/service.ts';
import * as tasks from './task-repository.ts';

/**
 * What an approval did about a newborn the population index did not know yet:
 * - created: registered now, identified by its 出生医学证明编号 (see below);
 * - linked: a person with that certificate number already existed (an earlier round) and is now linked;
 * - pending_hukou: 待落户后建档 — not registered; the reason says why (no mother in the index, the
 *   number is not usable as an identity, or it is already registered outside the caller's scope).
 */
export interface NewbornOutcome {
  status: 'created' | 'linked' | 'pending_hukou';
  statusTitle: string;
  personId: number | null;
  message: string;
}

export interface NewbornFacts {
  childName: string;
  childSex: 'M' | 'F' | 'U' | null;
  birthDate: string;
}

// The resident index requires an identity document and has no 出生医学证明 type; before 落户 a newborn has
// no 居民身份证号, so the certificate number is registered as 其他证件 — unique per birth, and what every
// source of the birth carries. The 居民身份证号 replaces it after 落户 (resident index 修改).
const ID_TYPE = 'other' as const;
const SAVEPOINT = 'bv_newborn';

/**
 * Registers an approved task's newborn in the resident index through its service (never its tables) and
 * links the task to the person; the caller then writes the birth record. Inside the approval's
 * transaction: a refusal by the resident index is rolled back to a savepoint and becomes 待落户后建档,
 * never a failed approval.
 */
export async function registerNewborn(ctx: ServiceContext, t: tasks.TaskRow, facts: NewbornFacts): Promise<NewbornOutcome> {
  const pending = (reason: string): NewbornOutcome => ({ status: 'pending_hukou', statusTitle: '待落户后建档', personId: null, message: reason });
  if (t.mother_person_id === null) return pending('母亲未在人口库中建档，无法建立出生记录；待母亲建档或儿童落户后再建档');
  const existing = await findPersonByIdNumber(ctx, ID_TYPE, t.certificate_no);
  if (existing) {
    await tasks.setChild(ctx.tx, t.id, existing.id);
    return { status: 'linked', statusTitle: '已关联人口库', personId: existing.id, message: `已关联人口库中以出生医学证明编号 ${t.certificate_no} 建档的儿童` };
  }
  await ctx.tx.query(`savepoint ${SAVEPOINT}`);
  try {
    const person = await createResident(ctx, {
      idType: ID_TYPE,
      idNumber: t.certificate_no,
      name: facts.childName,
      sex: facts.childSex ?? 'U',
      birthDate: facts.birthDate,
      hukouDistrict: null,
      residenceDistrict: t.district_code,
      residenceStreet: t.street_code,
      address: t.address,
    });
    await ctx.tx.query(`release savepoint ${SAVEPOINT}`);
    await tasks.setChild(ctx.tx, t.id, person.id);
    return {
      status: 'created',
      statusTitle: '已在人口库建档',
      personId: person.id,
      message: `已在人口库建档（证件类型：其他证件，号码为出生医学证明编号 ${t.certificate_no}），落户后请更新为居民身份证号`,
    };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    await ctx.tx.query(`rollback to savepoint ${SAVEPOINT}`);
    return pending(`人口库未能建档：${e.message}`);
  }
}
