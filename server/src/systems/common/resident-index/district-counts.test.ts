// The per-district totals kept by triggers must equal a live count after inserts, moves, deletes and truncate.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { residentIdFor } from '../../../test/schema-samples.ts';
import { prefixUpperBound } from './repository.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

async function agree() {
  const kept = await t.kernel.db.query<{ d: string; n: number }>(
    'select district_code as d, residents::int as n from person_district_count where residents <> 0 order by 1',
  );
  const live = await t.kernel.db.query<{ d: string; n: number }>('select residence_district as d, count(*)::int as n from person group by 1 order by 1');
  assert.deepEqual(kept, live);
}

async function insert(n: number, district: string, offset: number) {
  const k = t.kernel.keys;
  await t.kernel.db.copyRows(
    'person',
    ['id_number_enc', 'id_number_bi', 'id_number_mask', 'name', 'sex', 'birth_date', 'residence_district'],
    Array.from({ length: n }, (_, i) => {
      const id = residentIdFor('1990-01-01', String(offset + i).padStart(3, '0'), district);
      return [k.encryptField(id), k.blindIndex(id, 'person.id_number'), 'x', `居民${offset + i}`, 'M', '1990-01-01', district];
    }),
  );
}

test('totals follow COPY inserts, district moves, deletes and truncate', async () => {
  await insert(30, '310101', 100);
  await insert(20, '310104', 200);
  await agree();
  await t.kernel.db.query("update person set residence_district = '310105' where residence_district = '310101' and name in ('居民100', '居民101', '居民102')");
  await t.kernel.db.query("update person set address = '地址' where residence_district = '310104'");
  await agree();
  await t.kernel.db.query("delete from person where residence_district = '310104' and name = '居民200'");
  await agree();
  await t.kernel.db.exec('truncate person cascade');
  await agree();
  await insert(3, '310110', 300);
  await agree();
});

test('a name prefix becomes a code-point range', () => {
  assert.equal(prefixUpperBound('王'), '王'.replace('王', String.fromCodePoint('王'.codePointAt(0)! + 1)));
  assert.ok('王丽华' >= '王丽' && '王丽华' < prefixUpperBound('王丽'));
  assert.ok(!('王严' < prefixUpperBound('王丽') && '王严' >= '王丽'));
});
