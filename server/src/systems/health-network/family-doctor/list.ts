import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, Paging, pageOf } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { findPersonByIdNumber, getPeople, type PersonView } from '../../common/resident-index/service.ts';
import { fieldError } from '../../../platform/http/errors.ts';
import { validateResidentId } from '../../../platform/util/resident-id.ts';
import { type HeaderCounts, listContracts, loadPolicyAndGeneration } from './repository.ts';
import { COLOURS, colourBounds } from './rules.ts';
import { cachedHeaderCounts } from './header-counts.ts';
import { TAGS } from '../key-populations/service.ts';
import { type ContractDto, Names, today, toDto } from './shapes.ts';
import { ContractPage } from './responses.ts';

export const ListQuery = Type.Object(
  {
    colour: Type.Optional(enumOf(COLOURS)),
    status: Type.Optional(enumOf(['active', 'terminated'] as const, { default: 'active' })),
    district: Type.Optional(DistrictCode),
    institutionId: Type.Optional(Id),
    teamId: Type.Optional(Id),
    doctorId: Type.Optional(Id),
    idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 18 })),
    tag: Type.Optional(enumOf(TAGS, { description: '重点人群标签（key-populations）' })),
    ...Paging,
  },
  { additionalProperties: false },
);
export type ListInput = typeof ListQuery.static;

/** 签约管理 list: filters by colour, district, centre, team, doctor or the resident's ID number, paginated. */
export async function listContractPage(ctx: ServiceContext, q: ListInput): Promise<ContractPage> {
  const on = today();
  const { policy, generation } = await loadPolicyAndGeneration(ctx.tx, q.district);
  let personId: number | undefined;
  let found: PersonView | undefined;
  if (q.idNumber !== undefined) {
    const id = q.idNumber.trim().toUpperCase();
    if (!validateResidentId(id).ok) throw fieldError('idNumber', '请输入有效的 18 位居民身份证号码');
    const p = await findPersonByIdNumber(ctx, 'resident_id', id);
    if (!p) return { items: [], total: 0, counts: { green: 0, yellow: 0, red: 0 } };
    personId = p.id;
    found = p;
  }
  const status = q.status ?? 'active';
  // One resident's contracts are counted in no time; a district's are worth the cache.
  const counted =
    personId !== undefined
      ? undefined
      : (compute: () => Promise<HeaderCounts>) =>
          cachedHeaderCounts(
            ctx,
            {
              status,
              district: q.district,
              institutionId: q.institutionId,
              teamId: q.teamId,
              doctorId: q.doctorId,
              tag: q.tag,
              bounds: colourBounds(on, policy),
            },
            generation,
            compute,
          );
  const level = ctx.principal.scope.level;
  const { rows, total, counts } = await listContracts(
    ctx.tx,
    { ...q, status, personId, ...pageOf(q) },
    on,
    policy,
    counted,
    level === 'city' || level === 'district',
  );
  // By ID number every row is the one person already found: no second read of the resident index.
  const people = found
    ? new Map([[found.id, found]])
    : await getPeople(
        ctx,
        rows.map((r) => r.person_id),
      );
  const names = await new Names(ctx).prefetch(rows);
  const items: ContractDto[] = [];
  for (const r of rows) items.push(await toDto(r, people.get(r.person_id), names, on, policy));
  return { items, total, counts };
}

export const listRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/contracts',
  summary: '签约管理列表',
  description: '按状态颜色（绿/黄/红）、区、机构、团队、家庭医生或身份证号筛选，分页；counts 为同一筛选条件下各颜色的签约数。',
  auth: 'staff',
  permission: 'family-doctor.read',
  querystring: ListQuery,
  response: { 200: ContractPage },
  handler: (ctx, { query }) => listContractPage(ctx, query),
});
