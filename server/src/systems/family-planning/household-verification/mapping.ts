import type { Queryable } from '../../../platform/db/types.ts';
import { listRegions } from '../../common/master-data/service.ts';

export interface Street {
  code: string;
  name: string;
  districtCode: string;
}
export interface Mapping {
  streetCode: string;
  districtCode: string;
  method: 'code' | 'name' | 'manual';
}

/** "南京东路街道" / "南京东路派出所" / "华泾镇" → "南京东路" / "华泾": the stem both naming schemes share. */
export function stem(name: string): string {
  return name.replace(/\s+/g, '').replace(/(公安分局)?(派出所|街道办事处|街道|镇|乡)$/, '');
}

export interface Mapper {
  map(policeCode: string, policeName: string): Mapping | null;
}

/**
 * 公安 organisation code → our street: the maintained table first (manual entries win), then the code
 * itself (公安 codes in Shanghai start with the 9-digit street code), then the name within the code's district.
 */
export async function loadMapper(tx: Queryable): Promise<Mapper> {
  const table = new Map(
    (
      await tx.query<{ police_code: string; street_code: string; district_code: string; method: Mapping['method'] }>(
        'select police_code, street_code, district_code, method from fp_hv_org_map',
      )
    ).map((r) => [r.police_code, { streetCode: r.street_code, districtCode: r.district_code, method: r.method }]),
  );
  const streets = (await listRegions({ tx }, { level: 'street' })).map((r) => ({
    code: r.code,
    name: r.name,
    districtCode: r.districtCode ?? r.code.slice(0, 6),
  }));
  const byCode = new Map(streets.map((s) => [s.code, s]));
  const byStem = new Map<string, Street[]>();
  for (const s of streets) {
    const k = `${s.districtCode}:${stem(s.name)}`;
    byStem.set(k, [...(byStem.get(k) ?? []), s]);
  }
  return {
    map(policeCode, policeName) {
      const known = table.get(policeCode);
      if (known) return known;
      const s = byCode.get(policeCode.slice(0, 9));
      if (s) return { streetCode: s.code, districtCode: s.districtCode, method: 'code' };
      const hits = byStem.get(`${policeCode.slice(0, 6)}:${stem(policeName)}`) ?? [];
      return hits.length === 1 ? { streetCode: hits[0]!.code, districtCode: hits[0]!.districtCode, method: 'name' } : null;
    },
  };
}
