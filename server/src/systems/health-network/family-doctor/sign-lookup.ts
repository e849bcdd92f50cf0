import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { lookupForSigning } from '../../common/resident-index/service.ts';
import { activeContractOfPerson, loadPolicy } from './repository.ts';
import { statusColour } from './rules.ts';
import { Names, today } from './shapes.ts';
import { SignLookup } from './responses.ts';

/**
 * 签约查找 for new signing, offline change (跨社区更换) and 转签: exact ID number + name → minimal identity and
 * contract state, for holders of the sign permission, also before the resident is in their scope (the
 * resident index decides who may be found, audits it, and lets the same user act on the resident a while).
 */
export async function signLookup(ctx: ServiceContext, q: { idNumber: string; name: string }): Promise<SignLookup> {
  return lookupForSigning(ctx, { idType: 'resident_id', idNumber: q.idNumber, name: q.name }, async (p) => {
    const on = today();
    const policy = await loadPolicy(ctx.tx);
    const c = await activeContractOfPerson(ctx.tx, p.id);
    const colour = c ? statusColour(c.cycle_end, on, policy) : null;
    const names = new Names(ctx);
    return {
      resident: {
        id: p.id,
        name: p.name,
        sex: p.sex,
        age: p.age,
        idNumberMasked: p.idNumberMasked,
        residenceDistrict: p.residenceDistrict,
        residenceStreet: p.residenceStreet,
        managingInstitutionId: p.managingInstitutionId,
        insuredPlace: p.insuredPlace,
        status: p.status,
      },
      contract:
        c && colour
          ? {
              id: c.id,
              colour,
              institutionId: c.institution_id,
              institutionName: await names.institution(c.institution_id),
              doctorName: await names.doctor(c.doctor_id),
            }
          : null,
      maySign: colour === null || colour === 'red',
    };
  });
}

export const signLookupRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/sign-lookup',
  summary: '签约查找（证件号码 + 姓名）',
  description:
    '持有签约权限的人员按居民身份证号码与姓名精确查找本区居民（含尚未签约、不在本人数据权限内的居民），返回脱敏身份与签约状态；查找记入审计，30 分钟内可为该居民办理新签约或更换家庭医生。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  querystring: Type.Object(
    { idNumber: Type.String({ pattern: '^\\d{17}[\\dXx]$', maxLength: 18 }), name: Type.String({ minLength: 1, maxLength: 50 }) },
    { additionalProperties: false },
  ),
  response: { 200: SignLookup },
  handler: (ctx, { query }) => signLookup(ctx, query),
});
