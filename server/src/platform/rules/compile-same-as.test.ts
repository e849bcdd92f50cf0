import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, count, eq, gt, lit, ref, rule } from './build.ts';
import { CatalogError, type CatalogDef, defineCatalog } from './catalog.ts';
import { compileRule } from './compile-sql.ts';

const def = (sameAs: string, type: 'integer' | 'string' = 'integer'): CatalogDef => ({
  sources: [
    {
      name: 'visit',
      table: 'visit',
      title: '就诊',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '就诊号' },
        { name: 'person_id', type: 'integer', title: '患者' },
      ],
    },
    {
      name: 'line',
      table: 'line',
      title: '明细',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '明细号' },
        { name: 'visit_id', type: 'integer', title: '就诊号' },
        { name: 'item', type: 'string', title: '项目' },
        { name: 'day', type: 'date', title: '日期' },
        { name: 'person_id', type, title: '患者', sameAs },
      ],
    },
  ],
  relations: [
    { name: 'visit', title: '就诊', from: 'line', fromField: 'visit_id', to: 'visit', cardinality: 'one', inverse: { name: 'lines', title: '明细' } },
  ],
});

test('a field declared sameAs a related field is read in place of the join', () => {
  const catalog = defineCatalog(def('visit.person_id'));
  const isX = eq(ref('item'), lit('X'));
  const r = rule('line', 't', 't', and(isX, gt(count({ by: [ref('visit.person_id'), ref('day')], where: isX }), 3)));
  const c = compileRule(catalog, r);
  assert.ok(!c.text.includes('"visit"'), c.text);
  assert.match(c.text, /SELECT w\d+\."person_id" AS k0, w\d+\."day" AS k1, count\(\*\) AS v0 FROM "line" w\d+ WHERE/);
  assert.match(c.text, /ON a\d+\.k0 = t\."person_id" AND a\d+\.k1 = t\."day"/);
  // Other fields of the related row still join.
  const other = compileRule(catalog, rule('line', 't', 't', gt(ref('visit.id'), 0)));
  assert.match(other.text, /LEFT JOIN "visit" j\d+ ON j\d+\."id" = t\."visit_id"/);
});

test('sameAs must name a field reached along to-one relations, of the same type', () => {
  assert.throws(
    () => defineCatalog(def('visit.nope')),
    (e: unknown) => e instanceof CatalogError && /sameAs/.test(e.message),
  );
  assert.throws(
    () => defineCatalog(def('person_id')),
    (e: unknown) => e instanceof CatalogError && /沿“对一”关系/.test(e.message),
  );
  assert.throws(
    () => defineCatalog(def('visit.person_id', 'string')),
    (e: unknown) => e instanceof CatalogError && /类型不同/.test(e.message),
  );
});
