import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatalogError, type CatalogDef, defineCatalog } from './catalog.ts';
import { testCatalog } from './testing.ts';

const base: CatalogDef = {
  sources: [
    {
      name: 'a',
      table: 'a',
      title: '甲',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '编号' },
        { name: 'b_id', type: 'integer', title: '乙' },
      ],
    },
    { name: 'b', table: 'app.b', title: '乙', key: 'id', fields: [{ name: 'id', type: 'integer', title: '编号' }] },
  ],
};

function problems(...parts: CatalogDef[]): string[] {
  try {
    defineCatalog(...parts);
    return [];
  } catch (e) {
    assert.ok(e instanceof CatalogError);
    return e.problems;
  }
}

test('relations get their inverse with the cardinality the keys imply', () => {
  const enc = testCatalog.sources.get('encounter')!;
  assert.equal(enc.relations.get('fee_lines')!.cardinality, 'many');
  assert.equal(enc.relations.get('person')!.cardinality, 'one');
  assert.equal(enc.relations.get('fee_lines')!.toField.name, 'encounter_id');
  assert.equal(testCatalog.sources.get('person')!.relations.get('encounters')!.to, 'encounter');
  assert.equal(enc.changedAt?.name, 'updated_at');
  assert.equal(testCatalog.sources.get('fee_line')!.fields.get('item_code')!.codeList?.codes?.['001'], 'B超');
});

test('modules contribute parts; a catalog can be extended from its parts', () => {
  const c = defineCatalog(base, {
    relations: [{ name: 'b', title: '乙', from: 'a', fromField: 'b_id', to: 'b', cardinality: 'one', inverse: { name: 'as', title: '甲' } }],
  });
  assert.equal(c.sources.get('b')!.relations.get('as')!.cardinality, 'many');
  const more = defineCatalog(...c.parts, { sources: [{ name: 'c', table: 'c', title: '丙', key: 'k', fields: [{ name: 'k', type: 'string', title: '键' }] }] });
  assert.deepEqual([...more.sources.keys()], ['a', 'b', 'c']);
});

test('identifiers that could smuggle SQL are refused', () => {
  const ps = problems({
    sources: [
      {
        name: 'x',
        table: 'x; drop table y',
        title: '叉',
        key: 'id',
        fields: [
          { name: 'id', type: 'integer', title: '编号' },
          { name: 'Bad"Name', type: 'string', title: '坏' },
          { name: 'ok', type: 'string', title: '好', column: 'a b' },
        ],
      },
    ],
  });
  assert.ok(ps.some((p) => p.includes('表名「x; drop table y」不合法')));
  assert.ok(ps.some((p) => p.includes('字段名「x.Bad"Name」不合法')));
  assert.ok(ps.some((p) => p.includes('列名「a b」不合法')));
});

test('every definition mistake is listed in Chinese', () => {
  const ps = problems(base, {
    codeLists: [{ name: 'l', title: '表' }],
    sources: [
      {
        name: 'c',
        table: 'c',
        title: '丙',
        key: 'nope',
        changedAt: 'n',
        fields: [
          { name: 'n', type: 'number', title: '数' },
          { name: 's', type: 'string', title: '文', codeList: 'l' },
          { name: 'k', type: 'code', title: '码', codeList: 'missing' },
          { name: 'k', type: 'code', title: '' },
        ],
      },
    ],
    relations: [
      { name: 'a', title: '甲', from: 'c', fromField: 'n', to: 'a', cardinality: 'one' },
      { name: 'bad', title: '坏', from: 'a', fromField: 'id', to: 'a', toField: 'b_id', cardinality: 'one' },
      { name: 'ghost', title: '鬼', from: 'a', fromField: 'id', to: 'zzz', cardinality: 'many' },
    ],
  });
  const expect = [
    '主键字段「nope」不存在',
    '数值字段「c.n」须声明小数位数',
    '只有代码字段可引用代码表：「c.s」',
    '引用了不存在的代码表「missing」',
    '字段「c.k」重复定义',
    '字段「c.k」缺少中文名称',
    '变更时间字段「n」须为时间戳字段',
    '关系「c.a」两端字段类型不同',
    '关系「a.bad」为“对一”关系，目标字段须是「a」的主键',
    '关系「a.ghost」连接了不存在的数据源',
  ];
  for (const e of expect)
    assert.ok(
      ps.some((p) => p.includes(e)),
      `missing ${e} in ${JSON.stringify(ps)}`,
    );
});
