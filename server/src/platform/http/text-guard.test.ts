import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { type TestApp, testApp } from '../../test/harness.ts';
import { textProblems } from './text-guard.ts';

const Body = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 50 }),
  note: Type.Optional(Type.String({ maxLength: 50 })),
  items: Type.Array(Type.Object({ name: Type.String({ minLength: 1 }) })),
  alias: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
});

test('NUL characters and all-blank required text are named by their field', () => {
  assert.deepEqual(textProblems({ title: '   ', note: ' ', items: [{ name: 'ok' }, { name: 'a\u0000b' }], alias: '\t' }, Body), [
    { field: 'title', message: '不能为空白' },
    { field: 'items.1.name', message: '不能包含空字符（NUL）' },
    { field: 'alias', message: '不能为空白' },
  ]);
  // Optional free text may be blank; ordinary text passes.
  assert.deepEqual(textProblems({ title: '季度报告', note: '  ', items: [], alias: null }, Body), []);
});

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

test('over HTTP: a NUL byte is a 400 naming the field, not a nameless database error', async () => {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ad\u0000min', password: 'x' } });
  assert.equal(r.statusCode, 400, r.body);
  assert.deepEqual(r.json().details, [{ field: 'username', message: '不能包含空字符（NUL）' }]);
  const s = await t.loginAs('city_admin');
  const q = await t.call(s, { url: `/api/v1/institutions?q=${encodeURIComponent('医院\u0000')}` });
  assert.equal(q.statusCode, 400, q.body);
  assert.equal(q.json().details[0].field, 'q');
});
