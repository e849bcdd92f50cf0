import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError, type FieldError, forbidden, notFound } from '../../../platform/http/errors.ts';
import { type ScopeKeys, scopeCovers } from '../../../platform/scope/scope.ts';
import { enumOf, Id, Text } from '../../../platform/http/schema.ts';
import { getInstitution, getPractitioner, getTeam, namesOf } from '../../common/master-data/service.ts';
import { getPerson, type PersonView } from '../../common/resident-index/service.ts';
import { maskContacts } from './contacts.ts';
import type { ContractRow, EventRow } from './repository.ts';
import type { Contract, ContractEvent } from './responses.ts';
import { type ChangeHistory, CHANNELS, INITIATORS, type Policy, shanghaiToday, statusColour } from './rules.ts';

export const today = (): string => shanghaiToday();

// ———————————————————————————————————————— schemas ————————————————————————————————————————

export const Channel = enumOf(CHANNELS);
export const Initiator = enumOf(INITIATORS);
export const Reason = Type.String({ minLength: 1, maxLength: 200 });
export const EmergencyContacts = Type.Array(
  Type.Object(
    { name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.String({ minLength: 5, maxLength: 20 }), relation: Text(20) },
    { additionalProperties: false },
  ),
  { maxItems: 3 },
);
export const ResidentInformed = Type.Boolean({ description: '医生已向居民告知变更时限和剩余次数（线上：居民已阅读规则）' });
export const Combination = {
  institutionId: Id,
  teamId: Id,
  doctorId: Id,
  districtHospitalId: Type.Optional(Id),
  cityHospitalId: Type.Optional(Id),
};

// ———————————————————————————————————————— response shape ————————————————————————————————————————

/** The contract as the API sends it (declared in responses.ts); the mapper below is checked against it. */
export type ContractDto = Contract;
export type EventDto = ContractEvent;

const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Names of institutions, teams and doctors (master data, read city-wide), memoised for one response. */
export class Names {
  private inst = new Map<number, Promise<string | null>>();
  private team = new Map<number, Promise<string | null>>();
  private doc = new Map<number, Promise<string | null>>();
  constructor(private ctx: ServiceContext) {}
  /**
   * Loads the names a page of contracts needs with one query per kind (a list page would otherwise
   * look up each distinct institution, team and doctor on its own). Ids not found stay null.
   */
  async prefetch(rows: readonly Pick<ContractRow, 'institution_id' | 'team_id' | 'doctor_id' | 'district_hospital_id' | 'city_hospital_id'>[]): Promise<this> {
    const fresh = <T>(m: Map<number, T>, ids: (number | null)[]) => [...new Set(ids.filter((v): v is number => v != null && !m.has(v)))];
    const institutions = fresh(
      this.inst,
      rows.flatMap((r) => [r.institution_id, r.district_hospital_id, r.city_hospital_id]),
    );
    const teams = fresh(
      this.team,
      rows.map((r) => r.team_id),
    );
    const practitioners = fresh(
      this.doc,
      rows.map((r) => r.doctor_id),
    );
    if (institutions.length + teams.length + practitioners.length === 0) return this;
    const found = await namesOf(this.ctx, { institutions, teams, practitioners });
    for (const id of institutions) this.inst.set(id, Promise.resolve(found.institutions.get(id) ?? null));
    for (const id of teams) this.team.set(id, Promise.resolve(found.teams.get(id) ?? null));
    for (const id of practitioners) this.doc.set(id, Promise.resolve(found.practitioners.get(id) ?? null));
    return this;
  }
  institution(id: number | null) {
    if (id == null) return Promise.resolve(null);
    if (!this.inst.has(id))
      this.inst.set(
        id,
        getInstitution(this.ctx, id).then((i) => i?.name ?? null),
      );
    return this.inst.get(id) as Promise<string | null>;
  }
  teamName(id: number | null) {
    if (id == null) return Promise.resolve(null);
    if (!this.team.has(id))
      this.team.set(
        id,
        getTeam(this.ctx, id).then((t) => t?.name ?? null),
      );
    return this.team.get(id) as Promise<string | null>;
  }
  doctor(id: number | null) {
    if (id == null) return Promise.resolve(null);
    if (!this.doc.has(id))
      this.doc.set(
        id,
        getPractitioner(this.ctx, id).then((p) => p?.name ?? null),
      );
    return this.doc.get(id) as Promise<string | null>;
  }
}

export async function toDto(r: ContractRow, person: PersonView | null | undefined, names: Names, on: string, p: Policy): Promise<ContractDto> {
  // Sequential on purpose: one connection per transaction.
  const institutionName = await names.institution(r.institution_id);
  const teamName = await names.teamName(r.team_id);
  const doctorName = await names.doctor(r.doctor_id);
  const districtHospitalName = await names.institution(r.district_hospital_id);
  const cityHospitalName = await names.institution(r.city_hospital_id);
  return {
    id: r.id,
    personId: r.person_id,
    personName: person?.name ?? null,
    idNumberMasked: person?.idNumberMasked ?? null,
    age: person?.age ?? null,
    institutionId: r.institution_id,
    institutionName,
    teamId: r.team_id,
    teamName,
    doctorId: r.doctor_id,
    doctorName,
    districtHospitalId: r.district_hospital_id,
    districtHospitalName,
    cityHospitalId: r.city_hospital_id,
    cityHospitalName,
    districtCode: r.district_code,
    streetCode: r.street_code,
    signedOn: r.signed_on,
    cycleStart: r.cycle_start,
    cycleEnd: r.cycle_end,
    cycleYears: r.cycle_years,
    doctorSince: r.doctor_since,
    channel: r.channel,
    status: r.status,
    colour: r.status === 'active' ? statusColour(r.cycle_end, on, p) : null,
    terminatedOn: r.terminated_on,
    terminationInitiator: r.termination_initiator,
    terminationReason: r.termination_reason,
    tags: r.tags,
    previousId: r.previous_id,
    emergencyContacts: maskContacts(parsed(r.emergency_contacts)),
    healthAssessmentUrl: r.health_assessment_url,
    physicalExamUrl: r.physical_exam_url,
    operatorName: r.operator_name,
    version: r.version,
  };
}

export function toEventDto(e: EventRow): EventDto {
  return {
    id: e.id,
    kind: e.kind,
    initiator: e.initiator,
    reason: e.reason,
    channel: e.channel,
    tags: e.tags,
    before: parsed(e.before),
    after: parsed(e.after),
    detail: parsed(e.detail),
    onDate: e.on_date,
    operatorName: e.operator_name,
    at: e.at instanceof Date ? e.at.toISOString() : e.at,
  };
}

/** What an audit event holds of a contract: the combination and cycle (no contact details). */
export function auditView(r: ContractRow): Record<string, unknown> {
  return {
    personId: r.person_id,
    institutionId: r.institution_id,
    teamId: r.team_id,
    doctorId: r.doctor_id,
    districtHospitalId: r.district_hospital_id,
    cityHospitalId: r.city_hospital_id,
    cycleStart: r.cycle_start,
    cycleEnd: r.cycle_end,
    cycleYears: r.cycle_years,
    channel: r.channel,
    status: r.status,
    terminatedOn: r.terminated_on,
    terminationInitiator: r.termination_initiator,
    terminationReason: r.termination_reason,
    tags: r.tags,
    version: r.version,
  };
}

export function history(r: ContractRow): ChangeHistory {
  return { signedOn: r.signed_on, doctorChanges: r.doctor_changes, hospitalChanges: r.hospital_changes };
}

export function operator(ctx: ServiceContext): { operator_id: number | null; operator_name: string } {
  return { operator_id: ctx.principal.userId, operator_name: ctx.principal.displayName || ctx.principal.username };
}

// ———————————————————————————————————————— checks ————————————————————————————————————————

export const NOT_FOUND = '签约记录不存在或不在您的数据权限范围内';
export const PERSON_NOT_FOUND = '居民不存在或不在您的数据权限范围内';

export function invalid(details: FieldError[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', details.length === 1 ? details[0]!.message : '输入有误，请检查标出的字段', details);
}

export async function personOr404(ctx: ServiceContext, id: number): Promise<PersonView> {
  const p = await getPerson(ctx, id);
  if (!p) throw notFound(PERSON_NOT_FOUND);
  return p;
}

export interface CombinationInput {
  institutionId: number;
  teamId: number;
  doctorId: number;
  districtHospitalId?: number | null;
  cityHospitalId?: number | null;
}

/**
 * The combination must hold together: a 社区卫生服务中心, one of its teams, a family doctor of that team,
 * a district hospital and a city hospital. Field errors (400) name what does not fit.
 */
export async function checkCombination(ctx: ServiceContext, c: CombinationInput): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const chc = await getInstitution(ctx, c.institutionId);
  if (!(chc?.kind === 'chc' && chc.active)) errors.push({ field: 'institutionId', message: '签约机构须为在用的社区卫生服务中心' });
  const team = await getTeam(ctx, c.teamId);
  if (!(team?.active && team.institutionId === c.institutionId)) errors.push({ field: 'teamId', message: '家庭医生团队须属于所选社区卫生服务中心' });
  const doctor = await getPractitioner(ctx, c.doctorId);
  if (!(doctor?.active && doctor.isFamilyDoctor)) errors.push({ field: 'doctorId', message: '所选人员不是在岗的家庭医生' });
  else if (team && !team.members.some((m) => m.practitionerId === c.doctorId)) errors.push({ field: 'doctorId', message: '家庭医生须为所选团队的成员' });
  if (c.districtHospitalId != null) {
    const h = await getInstitution(ctx, c.districtHospitalId);
    if (!(h?.kind === 'district_hospital' && h.active)) errors.push({ field: 'districtHospitalId', message: '区级医院须为在用的区属医院' });
  }
  if (c.cityHospitalId != null) {
    const h = await getInstitution(ctx, c.cityHospitalId);
    if (!(h?.kind === 'city_hospital' && h.active)) errors.push({ field: 'cityHospitalId', message: '市级医院须为在用的市级医院' });
  }
  return errors;
}

/** Refuses (403) a change that would move the contract, or the resident's care assignment, out of the caller's scope. */
export function assertStaysInScope(ctx: ServiceContext, k: ScopeKeys): void {
  if (!scopeCovers(ctx.principal.scope, k)) throw forbidden('办理后该签约将超出您的数据权限范围，请由上级机构或新签约机构办理');
}

/** Refuses a policy rule (422) with its reason; the remaining chances go along as details for the screen. */
export function requireInformed(informed: boolean): void {
  if (!informed)
    throw new AppError(422, 'RULE_VIOLATION', '请先确认已向居民告知变更签约的时限和剩余次数', [{ field: 'residentInformed', message: '请确认已告知居民' }]);
}
