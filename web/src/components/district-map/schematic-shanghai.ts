/**
 * A schematic tile map of Shanghai's 16 districts, authored here by hand: the product ships no
 * third-party boundary data. Each letter below is one grid cell; a district is the outline of its
 * cells, placed roughly where it lies (north up, 崇明 across the river, 浦东 east of the 黄浦江,
 * the seven central districts as small tiles). Real boundaries replace it when the server has them.
 */

export interface DistrictDef {
  code: string;
  name: string;
  /** Letter used in the grid. */
  key: string;
}

export const SHANGHAI_DISTRICTS: DistrictDef[] = [
  { code: '310101', name: '黄浦区', key: 'H' },
  { code: '310104', name: '徐汇区', key: 'X' },
  { code: '310105', name: '长宁区', key: 'N' },
  { code: '310106', name: '静安区', key: 'A' },
  { code: '310107', name: '普陀区', key: 'P' },
  { code: '310109', name: '虹口区', key: 'K' },
  { code: '310110', name: '杨浦区', key: 'Y' },
  { code: '310112', name: '闵行区', key: 'M' },
  { code: '310113', name: '宝山区', key: 'B' },
  { code: '310114', name: '嘉定区', key: 'J' },
  { code: '310115', name: '浦东新区', key: 'D' },
  { code: '310116', name: '金山区', key: 'G' },
  { code: '310117', name: '松江区', key: 'S' },
  { code: '310118', name: '青浦区', key: 'Q' },
  { code: '310120', name: '奉贤区', key: 'F' },
  { code: '310151', name: '崇明区', key: 'C' },
];

// 16 × 16 cells, row 0 is the north edge. '.' is water or outside the city.
const GRID = [
  '.......CCCCCCCC.',
  '.....CCCCCCCCC..',
  '................',
  '.JJJJJBBBBB.....',
  'JJJJJJBBBBBB....',
  'QQJJJJBBBBBBB...',
  'QQQQPPAAKKYYDD..',
  'QQQQPPAAKKYYDDD.',
  'QQQQNNAAHHDDDDDD',
  'QQQQNNXXHHDDDDDD',
  'QQQMMMXXDDDDDDDD',
  'SSSMMMMMDDDDDDDD',
  'SSSSMMMMMDDDDDD.',
  'SSSSFFFFFFFDDDD.',
  'GGGGFFFFFFFFFD..',
  'GGGGGFFFFFFF....',
];

type Pt = [number, number];

/** Outline of a set of unit cells: keep the edges no two cells share, then chain them into rings. */
function outline(cells: Pt[]): Pt[][] {
  const edges = new Map<string, [Pt, Pt]>();
  const k = (a: Pt, b: Pt) => `${a[0]},${a[1]}>${b[0]},${b[1]}`;
  for (const [x, y] of cells) {
    const c: Pt[] = [
      [x, y],
      [x + 1, y],
      [x + 1, y + 1],
      [x, y + 1],
    ];
    for (let i = 0; i < 4; i++) {
      const a = c[i]!;
      const b = c[(i + 1) % 4]!;
      if (edges.has(k(b, a))) edges.delete(k(b, a));
      else edges.set(k(a, b), [a, b]);
    }
  }
  const from = new Map<string, [Pt, Pt][]>();
  for (const e of edges.values()) {
    const key = `${e[0][0]},${e[0][1]}`;
    from.set(key, [...(from.get(key) ?? []), e]);
  }
  const rings: Pt[][] = [];
  const used = new Set<[Pt, Pt]>();
  for (const start of edges.values()) {
    if (used.has(start)) continue;
    const ring: Pt[] = [start[0]];
    let cur = start;
    while (true) {
      used.add(cur);
      ring.push(cur[1]);
      const next = (from.get(`${cur[1][0]},${cur[1][1]}`) ?? []).find((e) => !used.has(e));
      if (!next) break;
      cur = next;
    }
    rings.push(simplify(ring));
  }
  return rings;
}

/** Drops the points in the middle of straight runs. */
function simplify(ring: Pt[]): Pt[] {
  const out: Pt[] = [];
  const n = ring.length - 1; // closed: last = first
  for (let i = 0; i < n; i++) {
    const p = ring[(i - 1 + n) % n]!;
    const c = ring[i]!;
    const q = ring[(i + 1) % n]!;
    const cross = (c[0] - p[0]) * (q[1] - c[1]) - (c[1] - p[1]) * (q[0] - c[0]);
    if (cross !== 0) out.push(c);
  }
  out.push(out[0]!);
  return out;
}

export interface SchematicFeature {
  type: 'Feature';
  properties: { name: string; code: string; cp: Pt };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Pt[][] | Pt[][][] };
}

export interface SchematicMap {
  type: 'FeatureCollection';
  features: SchematicFeature[];
}

/** The GeoJSON for `echarts.registerMap('shanghai-schematic', …)`; x grows east, y grows north. */
export function schematicShanghai(): SchematicMap {
  const rows = GRID.length;
  const features = SHANGHAI_DISTRICTS.map((d): SchematicFeature => {
    const cells: Pt[] = [];
    GRID.forEach((line, r) => {
      [...line].forEach((ch, c) => {
        if (ch === d.key) cells.push([c, rows - 1 - r]);
      });
    });
    const rings = outline(cells);
    // Label point: the cell centre nearest the cells' mean, so it always lies inside the tile.
    const mx = cells.reduce((s, p) => s + p[0], 0) / cells.length;
    const my = cells.reduce((s, p) => s + p[1], 0) / cells.length;
    const best = cells.reduce((b, p) => ((p[0] - mx) ** 2 + (p[1] - my) ** 2 < (b[0] - mx) ** 2 + (b[1] - my) ** 2 ? p : b));
    const cp: Pt = cells.length >= 4 ? [mx + 0.5, my + 0.5] : [best[0] + 0.5, best[1] + 0.5];
    const inside = cells.some(([x, y]) => cp[0] >= x && cp[0] <= x + 1 && cp[1] >= y && cp[1] <= y + 1);
    return {
      type: 'Feature',
      properties: { name: d.name, code: d.code, cp: inside ? cp : [best[0] + 0.5, best[1] + 0.5] },
      geometry: rings.length === 1 ? { type: 'Polygon', coordinates: rings } : { type: 'MultiPolygon', coordinates: rings.map((r) => [r]) },
    };
  });
  return { type: 'FeatureCollection', features };
}
