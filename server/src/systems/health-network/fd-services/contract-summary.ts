import type { Queryable } from '../../../platform/db/types.ts';
import { getInstitution, getPractitioner, getTeam } from '../../common/master-data/service.ts';
import { activeContractOfPerson, type ContractRow, loadPolicy } from '../family-doctor/repository.ts';
import { type Colour, type Policy, shanghaiToday, statusColour } from '../family-doctor/rules.ts';
import type { ContractSummary as ContractSummaryResponse } from './responses.ts';

/**
 * What residents and partner systems may see of a contract: the family doctor and the three institutions
 * (社区卫生服务中心 + 区级医院 + 市级医院) and the cycle. A red (lapsed) contract is not shown in
 * resident-facing channels: the resident is a "free person" and is offered signing instead.
 */
/** The contract as resident-facing channels show it (declared in responses.ts). */
export type ContractSummary = ContractSummaryResponse;

export interface ActiveContract {
  row: ContractRow;
  colour: Colour;
  policy: Policy;
}

/** The resident's active contract with its colour, or null (as the caller's scope allows). */
export async function activeContract(ctx: { tx: Queryable }, personId: number, on = shanghaiToday()): Promise<ActiveContract | null> {
  const row = await activeContractOfPerson(ctx.tx, personId);
  if (!row) return null;
  const policy = await loadPolicy(ctx.tx);
  return { row, colour: statusColour(row.cycle_end, on, policy), policy };
}

export async function summarize(ctx: { tx: Queryable }, c: ActiveContract): Promise<ContractSummary | null> {
  if (c.colour === 'red') return null;
  const r = c.row;
  const doctor = await getPractitioner(ctx, r.doctor_id);
  const team = r.team_id ? await getTeam(ctx, r.team_id) : null;
  const chc = await getInstitution(ctx, r.institution_id);
  const dh = r.district_hospital_id ? await getInstitution(ctx, r.district_hospital_id) : null;
  const ch = r.city_hospital_id ? await getInstitution(ctx, r.city_hospital_id) : null;
  return {
    contractId: r.id,
    colour: c.colour,
    colourName: c.colour === 'green' ? '有效' : '待续约',
    doctor: { id: r.doctor_id, name: doctor?.name ?? null, title: doctor?.title ?? null },
    team: { id: r.team_id, name: team?.name ?? null },
    community: { id: r.institution_id, name: chc?.name ?? null, address: chc?.address ?? null, phone: chc?.phone ?? null },
    districtHospital: r.district_hospital_id ? { id: r.district_hospital_id, name: dh?.name ?? null } : null,
    cityHospital: r.city_hospital_id ? { id: r.city_hospital_id, name: ch?.name ?? null } : null,
    cycleStart: r.cycle_start,
    cycleEnd: r.cycle_end,
  };
}

/** Where an unsigned (or red) resident signs online: 随申办 家庭医生签约 (WEIJIAN_FD_SIGN_URL overrides). */
export function signUrl(): string {
  return process.env.WEIJIAN_FD_SIGN_URL ?? 'https://zwdt.sh.gov.cn/govPortals/family-doctor/sign';
}
