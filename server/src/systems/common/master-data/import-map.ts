import type { Queryable } from '../../../platform/db/types.ts';
import { importFailure } from './import-errors.ts';

interface Feature {
  type?: string;
  properties?: Record<string, unknown> | null;
  geometry?: { type?: string; coordinates?: unknown } | null;
}

function coordinatesOk(type: string, c: unknown): boolean {
  const ring = (r: unknown) =>
    Array.isArray(r) && r.length >= 4 && r.every((p) => Array.isArray(p) && p.length >= 2 && p.every((x) => typeof x === 'number' && Number.isFinite(x)));
  const polygon = (p: unknown) => Array.isArray(p) && p.length > 0 && p.every(ring);
  return type === 'Polygon' ? polygon(c) : type === 'MultiPolygon' ? Array.isArray(c) && c.length > 0 && c.every(polygon) : false;
}

/**
 * Imports district boundaries from a GeoJSON FeatureCollection. A feature is matched to a district by
 * `properties.adcode` / `properties.code`, else by its name; every feature must match and carry a valid
 * Polygon/MultiPolygon, or nothing is written. ("line" in the errors is the feature's 1-based index.)
 */
export async function importMap(tx: Queryable, text: string, source = 'import'): Promise<{ districts: number }> {
  let doc: { type?: string; features?: Feature[] };
  try {
    doc = JSON.parse(text);
  } catch {
    throw importFailure('行政区划边界', [{ line: 0, message: '不是有效的 JSON（应为 GeoJSON FeatureCollection）' }]);
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features) || doc.features.length === 0) {
    throw importFailure('行政区划边界', [{ line: 0, message: '应为包含至少一个要素的 GeoJSON FeatureCollection' }]);
  }
  const districts = await tx.query<{ code: string; name: string }>("select code, name from region where level = 'district'");
  const byCode = new Map(districts.map((d) => [d.code, d]));
  const byName = new Map(districts.map((d) => [d.name, d]));
  const problems: { line: number; message: string }[] = [];
  const rows: [string, string, string][] = [];
  const seen = new Set<string>();
  for (const [i, f] of doc.features.entries()) {
    const p = f.properties ?? {};
    const code = String(p.adcode ?? p.code ?? '');
    const d = byCode.get(code) ?? byName.get(String(p.name ?? ''));
    const g = f.geometry;
    const problem = !d
      ? `未能匹配到区（adcode/code「${code}」，名称「${String(p.name ?? '')}」）`
      : seen.has(d.code)
        ? `${d.name} 重复出现`
        : !g?.type || !coordinatesOk(g.type, g.coordinates)
          ? `${d.name} 的几何不是有效的 Polygon / MultiPolygon`
          : null;
    if (problem || !d || !g?.type) {
      problems.push({ line: i + 1, message: problem ?? '无效要素' });
      continue;
    }
    seen.add(d.code);
    rows.push([d.code, JSON.stringify({ type: g.type, coordinates: g.coordinates }), source]);
  }
  if (problems.length) throw importFailure('行政区划边界', problems);
  for (const [code, geometry, src] of rows) {
    await tx.query(
      `insert into region_boundary (code, district_code, geometry, source) values ($1, $1, $2::jsonb, $3)
       on conflict (code) do update set geometry = excluded.geometry, source = excluded.source, imported_at = now()`,
      [code, geometry, src],
    );
  }
  return { districts: rows.length };
}

/** The imported boundaries as a FeatureCollection the console's map registers (null when none). */
export async function boundaryCollection(tx: Queryable) {
  const rows = await tx.query<{ code: string; name: string; geometry: unknown }>(
    'select b.code, r.name, b.geometry from region_boundary b join region r on r.code = b.code order by b.code',
  );
  if (rows.length === 0) return null;
  return { type: 'FeatureCollection', features: rows.map((r) => ({ type: 'Feature', properties: { name: r.name, code: r.code }, geometry: r.geometry })) };
}
