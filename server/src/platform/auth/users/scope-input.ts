import { Type } from '@sinclair/typebox';
import type { Tx } from '../../db/types.ts';
import { SCOPE_LEVELS, type Scope, type ScopeLevel, scopeProblems } from '../../scope/scope.ts';
import { invalidInput } from '../invalid.ts';
import { locateScopeKey, type ScopeKeyKind } from '../scope-directory.ts';

const nullableString = (opts: Record<string, unknown>) => Type.Unsafe<string | null>({ type: 'string', nullable: true, ...opts });
const nullableId = (description: string) => Type.Unsafe<number | null>({ type: 'integer', nullable: true, minimum: 1, description });

/** The scope of a user in a request body: the key its level needs (others may be null or left out). */
export const ScopeInput = Type.Object(
  {
    level: Type.Unsafe<ScopeLevel>({ type: 'string', enum: Object.keys(SCOPE_LEVELS), description: '数据权限级别' }),
    districtCode: Type.Optional(nullableString({ format: 'district-code', maxLength: 6, description: '区代码（3101xx）' })),
    streetCode: Type.Optional(nullableString({ pattern: '^3101[0-9]{5}$', maxLength: 9, description: '街镇代码（9 位）' })),
    institutionId: Type.Optional(nullableId('机构 ID')),
    teamId: Type.Optional(nullableId('家庭医生团队 ID')),
    practitionerId: Type.Optional(nullableId('医务人员 ID')),
  },
  { additionalProperties: false },
);

type Chain = Pick<Required<Scope>, 'districtCode' | 'streetCode' | 'institutionId'>;

/** Where an institution, team or practitioner sits; empty when master data is not installed. */
async function chainOf(tx: Tx, table: ScopeKeyKind, id: number, field: string, what: string): Promise<Partial<Chain>> {
  const r = await locateScopeKey(tx, table, id);
  if (r === undefined) return {};
  if (!r) throw invalidInput(`${what}不存在`, [{ field, message: `${what}不存在` }]);
  return { districtCode: r.districtCode, streetCode: r.streetCode, institutionId: r.institutionId };
}

/**
 * Checks a scope and fills in where its key lies (district, street, institution), stored with the user so
 * that administrators above see the account through row-level security: a district administrator sees the
 * accounts of every institution, team and doctor in the district.
 */
export async function resolveScope(tx: Tx, input: Scope): Promise<Required<Scope>> {
  if (!(input.level in SCOPE_LEVELS))
    throw invalidInput('数据权限级别不正确', [{ field: 'scope.level', message: `取值应为：${Object.keys(SCOPE_LEVELS).join('、')}` }]);
  const problems = scopeProblems(input);
  if (problems.length) throw invalidInput('数据权限不完整', problems);
  const out: Required<Scope> = { level: input.level, districtCode: null, streetCode: null, institutionId: null, teamId: null, practitionerId: null };
  switch (input.level) {
    case 'city':
      break;
    case 'district':
      if (!/^3101\d{2}$/.test(String(input.districtCode)))
        throw invalidInput('区代码不正确', [{ field: 'scope.districtCode', message: '应为上海市区级行政区划代码（3101xx）' }]);
      out.districtCode = input.districtCode as string;
      break;
    case 'street':
      if (!/^3101\d{5}$/.test(String(input.streetCode)))
        throw invalidInput('街镇代码不正确', [{ field: 'scope.streetCode', message: '应为 9 位街镇代码（3101xxxxx）' }]);
      out.streetCode = input.streetCode as string;
      out.districtCode = out.streetCode.slice(0, 6);
      break;
    case 'institution':
      out.institutionId = Number(input.institutionId);
      Object.assign(out, await chainOf(tx, 'institution', out.institutionId, 'scope.institutionId', '机构'));
      break;
    case 'team':
      out.teamId = Number(input.teamId);
      Object.assign(out, await chainOf(tx, 'team', out.teamId, 'scope.teamId', '团队'));
      break;
    case 'own':
      out.practitionerId = Number(input.practitionerId);
      Object.assign(out, await chainOf(tx, 'practitioner', out.practitionerId, 'scope.practitionerId', '医务人员'));
      break;
  }
  return out;
}

/** The same decision as wj_scope_ok (scope/migrations/001): does `actor` reach a row keyed by `row`? */
export function insideScope(actor: Scope, row: Scope): boolean {
  switch (actor.level) {
    case 'city':
      return true;
    case 'district':
      return row.districtCode != null && row.districtCode === actor.districtCode;
    case 'street':
      return row.streetCode != null && row.streetCode === actor.streetCode;
    case 'institution':
      return row.institutionId != null && Number(row.institutionId) === Number(actor.institutionId);
    case 'team':
      return row.teamId != null && Number(row.teamId) === Number(actor.teamId);
    case 'own':
      return row.practitionerId != null && Number(row.practitionerId) === Number(actor.practitionerId);
    default:
      return false;
  }
}

/** `city`, `district:310101`, `street:310101002`, `institution:12`, `team:3`, `own:45` (the CLI's form). */
export function parseScopeText(text: string): Scope {
  const [level, key = ''] = text.split(':', 2);
  switch (level) {
    case 'city':
      return { level };
    case 'district':
      return { level, districtCode: key };
    case 'street':
      return { level, streetCode: key };
    case 'institution':
    case 'team':
    case 'own': {
      const id = /^\d+$/.test(key) ? Number(key) : null;
      if (level === 'institution') return { level, institutionId: id };
      if (level === 'team') return { level, teamId: id };
      return { level, practitionerId: id };
    }
    default:
      throw invalidInput('数据权限格式不正确', [
        { field: 'scope', message: '应为 city、district:区代码、street:街镇代码、institution:机构ID、team:团队ID 或 own:医务人员ID' },
      ]);
  }
}
