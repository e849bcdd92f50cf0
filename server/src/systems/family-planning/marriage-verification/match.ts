import { findPersonByIdNumber, getPerson, type ResidentCtx, searchResidents } from '../../common/resident-index/service.ts';
import { SHANGHAI_DISTRICTS } from '../../common/master-data/service.ts';
import { INDEX_ID_TYPE, recogniseIdType } from '../birth-verification/id-types.ts';
import type { Party } from './normalize.ts';
import type { PartyMatch } from './rules.ts';

/**
 * One party → a person of the resident index: by identity number (blind index) first; when there is
 * none or it finds nobody, by exact name + birth date in the 户籍 district, the registering district,
 * then the other districts. Ambiguous name matches are left to a person.
 */
export async function matchParty(ctx: ResidentCtx, p: Party, registeringDistrict: string): Promise<PartyMatch> {
  if (p.idNumber) {
    // A foreign or 港澳台 spouse registers with another document: look it up under the type its format shows
    // (a number of no known format can only be a passport).
    const type = recogniseIdType(p.idNumber);
    const person = await findPersonByIdNumber(ctx, type ? INDEX_ID_TYPE[type] : /^\d{15}$/.test(p.idNumber) ? 'resident_id' : 'passport', p.idNumber);
    if (person) return { person, method: 'idNumber' };
  }
  if (!p.birthDate) return { person: null, method: 'none', note: p.idNumber ? '证件号码未匹配且缺少出生日期' : '缺少证件号码和出生日期' };
  // Most people live where they are registered; the rest of the city only as a last resort.
  const districts = [...new Set([p.hukou, registeringDistrict, ...SHANGHAI_DISTRICTS.map((d) => d.code)].filter((d): d is string => !!d))];
  for (const district of districts) {
    const { items } = await searchResidents(ctx, { name: p.name, district, pageSize: 100 });
    const hits = items.filter((x) => x.name === p.name && x.birthDate === p.birthDate);
    if (hits.length > 1) return { person: null, method: 'none', note: `姓名+出生日期匹配到 ${hits.length} 人` };
    if (hits.length === 1) {
      const person = await getPerson(ctx, hits[0]!.id);
      if (person) return { person, method: 'nameBirth' };
    }
  }
  return { person: null, method: 'none', note: p.idNumber ? '证件号码及姓名+出生日期均未匹配' : '姓名+出生日期未匹配' };
}
