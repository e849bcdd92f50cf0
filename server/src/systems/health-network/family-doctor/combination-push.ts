import type { ServiceContext } from '../../../platform/service-context.ts';
import { defineAdapter } from '../../../platform/integration/adapter.ts';
import { enqueueMessage } from '../../../platform/integration/outbox.ts';
import { simulatorBasePort } from '../../../platform/integration/systems.ts';
import type { ContractRow } from './repository.ts';

/**
 * 三优先: the institutions of a resident's combination (the centre, the district and the city hospital)
 * learn of the contract so that they can give signed residents priority (appointments, examinations,
 * admissions). One outbox message per institution and contract version, delivered to the hospitals'
 * exchange. No named outside system exists for it yet, so the adapter speaks the generic inbox protocol
 * (POST /inbox/fd.combination-contract); outside production it points at the generic simulator.
 */
export const COMBINATION_SYSTEM = 'fd-combination';
export const COMBINATION_TOPIC = 'fd.combination-contract';

export const combinationAdapter = defineAdapter({
  system: COMBINATION_SYSTEM,
  title: '签约组合医疗机构（三优先服务）',
  auth: 'hmac-sm3',
  baseUrl: process.env.NODE_ENV === 'production' ? undefined : `http://127.0.0.1:${simulatorBasePort()}`,
  secret: process.env.NODE_ENV === 'production' ? undefined : 'weijian-dev-secret-generic',
});

export type CombinationAct = 'sign' | 'transfer' | 'change_hospitals' | 'terminate' | 'merge';

/** Queues the contract for each institution of its combination, in the caller's transaction. */
export async function pushToCombination(ctx: ServiceContext, c: ContractRow, act: CombinationAct): Promise<number> {
  const institutions = [
    { id: c.institution_id, role: 'community' },
    { id: c.district_hospital_id, role: 'district_hospital' },
    { id: c.city_hospital_id, role: 'city_hospital' },
  ].filter((i): i is { id: number; role: string } => i.id != null);
  let n = 0;
  for (const i of institutions) {
    const r = await enqueueMessage(ctx.tx, {
      system: COMBINATION_SYSTEM,
      topic: COMBINATION_TOPIC,
      key: `contract:${c.id}:v${c.version}:inst:${i.id}`,
      districtCode: c.district_code,
      payload: {
        institutionId: i.id,
        role: i.role,
        act,
        contract: {
          id: c.id,
          version: c.version,
          personId: c.person_id,
          status: c.status,
          institutionId: c.institution_id,
          teamId: c.team_id,
          doctorId: c.doctor_id,
          districtHospitalId: c.district_hospital_id,
          cityHospitalId: c.city_hospital_id,
          cycleStart: c.cycle_start,
          cycleEnd: c.cycle_end,
          terminatedOn: c.terminated_on,
        },
        priorities: c.status === 'active' ? ['优先就诊', '优先检查', '优先住院'] : [],
      },
    });
    if (r.created) n++;
  }
  return n;
}
