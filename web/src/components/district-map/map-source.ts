import type { DistrictMap } from '@server/systems/common/master-data/responses.ts';
import { ApiError, api } from '../../app/api';
import { echarts } from '../echarts';
import { schematicShanghai } from './schematic-shanghai';

export interface MapSource {
  /** Name the map is registered under. */
  name: string;
  /** true: the built-in schematic tiles; false: boundaries the server imported. */
  schematic: boolean;
}

const SCHEMATIC: MapSource = { name: 'shanghai-schematic', schematic: true };
let pending: Promise<MapSource> | null = null;

/**
 * Real district boundaries when the server has imported them (GET /master-data/map), else the
 * built-in schematic. Asked once per page load.
 */
export function loadMapSource(): Promise<MapSource> {
  pending ??= (async () => {
    echarts.registerMap(SCHEMATIC.name, schematicShanghai() as never);
    try {
      const geo = await api.get<DistrictMap>('/master-data/map');
      if (geo?.type === 'FeatureCollection' && Array.isArray(geo.features) && geo.features.length > 0) {
        echarts.registerMap('shanghai', geo as never);
        return { name: 'shanghai', schematic: false };
      }
    } catch (e) {
      // Errors fall back too: the map is a view aid (nothing imported answers an empty collection).
      if (!(e instanceof ApiError)) console.warn('map boundaries unavailable', e);
    }
    return SCHEMATIC;
  })();
  return pending;
}
