import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import type { ImportError } from './import-errors.ts';
import { importMap } from './import-map.ts';
import { sharedDataPath } from './test-support.ts';

let t: TestApp;
let viewer: TestSession;
before(async () => {
  t = await testApp();
  viewer = await t.loginAs('family_doctor', { level: 'district', districtCode: '310104' });
});
after(() => t.close());

const square = (x: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, 31],
      [x + 0.1, 31],
      [x + 0.1, 31.1],
      [x, 31.1],
      [x, 31],
    ],
  ],
});

test('without imported boundaries the map route answers an empty schematic collection (the console shows its schematic), not 404', async () => {
  const r = await t.call(viewer, { method: 'GET', url: `${API_PREFIX}/master-data/map` });
  assert.equal(r.statusCode, 200);
  const fc = r.json();
  assert.deepEqual([fc.type, fc.features, fc.schematic], ['FeatureCollection', [], true]);
  assert.match(fc.hint, /import map/);
});

test('a file with an unmatched feature or a broken geometry writes nothing', async () => {
  const bad = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { adcode: 310101, name: '黄浦区' }, geometry: square(121.4) },
      { type: 'Feature', properties: { name: '不存在区' }, geometry: square(121.5) },
      { type: 'Feature', properties: { code: '310104' }, geometry: { type: 'Polygon', coordinates: [[[1, 2]]] } },
    ],
  };
  await assert.rejects(
    () => t.kernel.db.transaction((tx) => importMap(tx, JSON.stringify(bad))),
    (e: ImportError) => {
      assert.deepEqual(
        e.problems.map((p) => p.line),
        [2, 3],
      );
      return true;
    },
  );
  assert.equal((await t.kernel.db.query<{ n: number }>('select count(*)::int as n from region_boundary'))[0]!.n, 0);
});

test('the shared Shanghai GeoJSON imports all 16 districts and is served as a FeatureCollection', async (ctx) => {
  const file = sharedDataPath('geo/shanghai_districts_310000.json');
  if (!file) return ctx.skip('../shared/data is not beside the repository');
  const r = await t.kernel.db.transaction((tx) => importMap(tx, readFileSync(file, 'utf8')));
  assert.deepEqual(r, { districts: 16 });
  const res = await t.call(viewer, { method: 'GET', url: `${API_PREFIX}/master-data/map` });
  assert.equal(res.statusCode, 200);
  const fc = res.json();
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(fc.features.length, 16);
  assert.ok(fc.features.some((f: { properties: { name: string; code: string } }) => f.properties.name === '浦东新区' && f.properties.code === '310115'));
});
