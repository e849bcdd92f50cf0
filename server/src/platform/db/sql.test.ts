import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPglite } from './pglite.ts';
import { first, one } from './rows.ts';
import { and, or, sql, toText, where } from './sql.ts';

test('every value is a placeholder, numbered once in order', () => {
  const c = sql`select * from t where a = ${1} and b = ${'x'} or c = ${1}`.compile();
  assert.equal(c.text, 'select * from t where a = $1 and b = $2 or c = $3');
  assert.deepEqual(c.values, [1, 'x', 1]);
});

test('nested fragments splice their text and values, numbering continues across them', () => {
  const inner = sql`b = ${2} and c in (select id from u where d = ${3})`;
  const mid = sql`(${inner}) or e = ${4}`;
  const c = sql`select 1 where a = ${1} and ${mid} limit ${5}`.compile();
  assert.equal(c.text, 'select 1 where a = $1 and (b = $2 and c in (select id from u where d = $3)) or e = $4 limit $5');
  assert.deepEqual(c.values, [1, 2, 3, 4, 5]);
  // The same fragment used twice gets its own placeholders each time.
  const twice = sql`${inner} or ${inner}`.compile();
  assert.equal(twice.text, 'b = $1 and c in (select id from u where d = $2) or b = $3 and c in (select id from u where d = $4)');
});

test('and / or / where: empty, single, several, falsy parts skipped', () => {
  assert.equal(and([]).compile().text, 'true');
  assert.equal(or([]).compile().text, 'false');
  assert.equal(where([]).compile().text, '');
  assert.equal(sql`select 1 from t ${where([false, undefined, null])}`.compile().text, 'select 1 from t ');
  const x: string | undefined = undefined;
  const w = where([sql`a = ${1}`, x && sql`b = ${x}`, sql`c = ${3} or d = ${4}`]).compile();
  assert.equal(w.text, 'where ((a = $1) and (c = $2 or d = $3))');
  assert.deepEqual(w.values, [1, 3, 4]);
  assert.equal(or([sql`a = ${1}`]).compile().text, '(a = $1)');
  assert.equal(and([sql`a`, or([sql`b`, sql`c`])]).compile().text, '((a) and (((b) or (c))))');
});

test('an array is one parameter (= any), join builds lists, raw and ident are text', () => {
  const c = sql`select * from t where id = any(${[1, 2, 3]}::int8[])`.compile();
  assert.equal(c.text, 'select * from t where id = any($1::int8[])');
  assert.deepEqual(c.values, [[1, 2, 3]]);
  const cols = ['a', 'b'];
  const ins = sql`insert into ${sql.ident('s', 't')} (${sql.raw(cols.join(', '))}) values (${sql.join(cols.map((k) => sql`${k.toUpperCase()}`))})`.compile();
  assert.equal(ins.text, 'insert into "s"."t" (a, b) values ($1, $2)');
  assert.deepEqual(ins.values, ['A', 'B']);
  assert.equal(sql.ident('we"ird').compile().text, '"we""ird"');
  assert.equal(sql.join([]).compile().text, '');
  assert.equal(sql.join([sql`x = ${1}`, false, sql`y = ${2}`], ', ').compile().text, 'x = $1, y = $2');
});

test('a hostile value stays a value', () => {
  const evil = "x'; drop table t; --";
  const c = sql`select ${evil}::text as v`.compile();
  assert.equal(c.text, 'select $1::text as v');
  assert.throws(() => toText(sql`select ${1}`, [2]), /own values/);
});

test('the database runs fragments; first gives undefined for no row, one throws', async () => {
  const db = await openPglite(null);
  try {
    await db.exec('create table t (id int primary key, name text)');
    await db.query(sql`insert into t values (${1}, ${'甲'}), (${2}, ${"o'brien"})`);
    const names = ['甲', "o'brien", 'nobody'];
    const rows = await db.query<{ id: number }>(sql`select id from t ${where([sql`name = any(${names})`, sql`id > ${0}`])} order by id`);
    assert.deepEqual(
      rows.map((r) => r.id),
      [1, 2],
    );
    assert.equal(await first(db, sql`select id from t where id = ${9}`), undefined);
    assert.deepEqual(await one<{ id: number }>(db, sql`select id from t where id = ${2}`), { id: 2 });
    await assert.rejects(one(db, sql`select id from t where id = ${9}`), /expected a row/);
    const n = await db.transaction((tx) => one<{ n: number }>(tx, sql`select count(*)::int as n from t ${where([])}`));
    assert.equal(n.n, 2);
  } finally {
    await db.close();
  }
});
