import { boundaryCollection } from './import-map.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { countResidentsByDistrict } from '../resident-index/service.ts';
import { districtCounts } from './repository.ts';
import { DistrictMap, DistrictStats } from './responses.ts';

/**
 * Per district: active institutions and practitioners (reference data, city-wide) and residents, the
 * last counted through the resident index in the caller's scope (0 outside it).
 */
export async function districtStats(ctx: { tx: import('../../../platform/db/types.ts').Queryable }) {
  const [counts, residents] = await Promise.all([districtCounts(ctx.tx), countResidentsByDistrict(ctx)]);
  return { items: counts.map((c) => ({ ...c, residents: residents.get(c.code) ?? 0 })) };
}

export const districtStatsRoute = defineRoute({
  method: 'GET',
  url: '/master-data/district-stats',
  summary: '各区机构、医务人员、居民数（地图）',
  auth: 'staff',
  permission: 'master-data.read',
  response: { 200: DistrictStats },
  handler: (ctx) => districtStats(ctx),
});

export const districtMapRoute = defineRoute({
  method: 'GET',
  url: '/master-data/map',
  summary: '各区边界（GeoJSON，由 weijian import map 导入；未导入时为空集合且 schematic = true，控制台使用示意图）',
  auth: 'staff',
  permission: 'master-data.read',
  response: { 200: DistrictMap },
  handler: async (ctx) => {
    const fc = await boundaryCollection(ctx.tx);
    // Nothing imported is the usual state of a demo: an answer, not an error every map page would log.
    if (!fc) return { type: 'FeatureCollection', features: [], schematic: true, hint: '尚未导入行政区划边界，显示示意图（weijian import map <geojson>）' };
    return fc;
  },
});
