import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { masterDataWorld } from '../../common/master-data/world.ts';
import { region12, toCsv } from './format.ts';

// 基础编码导出: the workbook and CSV layouts, the district scope, no secrets, audited, refused for others.
let t: TestApp;
let city: TestSession;
let district: TestSession;
let community: TestSession;
let auditor: TestSession;
let home: string;

const get = (s: TestSession, url: string) => t.call(s, { method: 'GET', url: `${API_PREFIX}${url}` });
const parseCsv = (body: string) =>
  body
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));

before(async () => {
  t = await testApp();
  await generateWorld(t.kernel.db, t.kernel.keys, { seed: 7, residents: 1_000, stages: [masterDataWorld], asOf: '2026-09-30', digest: false });
  const d = (await t.kernel.db.query<{ district_code: string }>('select district_code from institution group by 1 order by count(*) desc limit 1'))[0]!;
  home = d.district_code;
  city = await t.loginAs('city_admin');
  district = await t.loginAs('district_admin', { level: 'district', districtCode: home }, { username: 'bc_district' });
  community = await t.loginAs('community_admin', { level: 'street', districtCode: home, streetCode: `${home}001` });
  auditor = await t.loginAs('auditor');
});
after(() => t.close());

test('format helpers: 12-digit region codes, RFC 4180 CSV with BOM', () => {
  assert.equal(region12('310104'), '310104000000');
  assert.equal(region12('310104003'), '310104003000');
  assert.equal(region12('310104003012'), '310104003012');
  assert.equal(region12(null), '');
  const csv = toCsv(
    [
      { code: 'A', title: 'a' },
      { code: 'B', title: 'b' },
    ],
    [
      { A: 'x,y', B: 'say "hi"' },
      { A: null, B: 1 },
    ],
  );
  assert.equal(csv, '\ufeffA,B\r\n"x,y","say ""hi"""\r\n,1\r\n');
});

test('city: the workbook has regions, institutions, users and the field list; CSV per entity', async () => {
  const r = await get(city, '/base-codes/export');
  assert.equal(r.statusCode, 200, r.body);
  assert.match(String(r.headers['content-type']), /spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  assert.deepEqual(
    wb.worksheets.map((w) => w.name),
    ['行政区划', '医疗卫生机构', '用户', '字段说明'],
  );
  const regions = wb.getWorksheet('行政区划');
  assert.ok(regions);
  // Row 1 is the title row (what, the exporter's data scope, the date); the field headers are row 2.
  for (const ws of wb.worksheets)
    assert.match(String(ws.getRow(1).getCell(1).value), /^基础编码（全部）（数据范围：全市；导出日期：\d{4}-\d{2}-\d{2}）$/, ws.name);
  assert.equal(regions.getRow(2).getCell(1).value, '行政区划代码(XZQHDM)');
  const codes = new Set<string>();
  regions.eachRow((row, i) => {
    if (i > 2) codes.add(String(row.getCell(1).value));
  });
  assert.ok(codes.has(`${home}000000`));
  assert.ok([...codes].every((c) => /^\d{12}$/.test(c)));

  const csv = await get(city, '/base-codes/export?entity=user&format=csv');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  const rows = parseCsv(csv.body);
  assert.deepEqual(rows[0], ['YHZH', 'YHXM', 'JSDM', 'JSMC', 'SJFWJB', 'XZQHDM', 'JGDM', 'YXBZ', 'CJSJ']);
  assert.ok(rows.some((x) => x[0] === 'bc_district'));
  // No secret of any kind leaves: no hash, no second-factor material.
  assert.doesNotMatch(csv.body, /\$(argon2|scrypt|sm3)|totp|password/i);
  const inst = parseCsv((await get(city, '/base-codes/export?entity=institution&format=csv')).body);
  assert.equal(inst[0]![0], 'JGDM');
  assert.ok(inst.length > 2);
  const n = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from institution'))[0]!;
  assert.equal(inst.length - 1, n.n);
});

test('district: only its own regions, institutions and users', async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await get(district, '/base-codes/export?entity=region')).rawPayload as unknown as ArrayBuffer);
  const title = String(wb.worksheets[0]!.getRow(1).getCell(1).value);
  assert.match(title, /^基础编码（行政区划）（数据范围：.+；导出日期：/);
  assert.doesNotMatch(title, /数据范围：全市/, 'a district export names the district');
  const regions = parseCsv((await get(district, '/base-codes/export?entity=region&format=csv')).body).slice(1);
  assert.ok(regions.length > 1);
  assert.ok(
    regions.every((x) => x[0]!.startsWith(home)),
    'regions of the district only',
  );
  const inst = parseCsv((await get(district, '/base-codes/export?entity=institution&format=csv')).body).slice(1);
  const n = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from institution where district_code = $1', [home]))[0]!;
  assert.equal(inst.length, n.n);
  const users = parseCsv((await get(district, '/base-codes/export?entity=user&format=csv')).body).slice(1);
  assert.ok(users.length >= 1);
  assert.ok(
    users.every((u) => u[5]!.startsWith(home)),
    'users of the district only',
  );
  assert.ok(!users.some((u) => u[2] === 'city_admin'));
  const s = (await get(district, '/base-codes/summary')).json();
  assert.equal(s.items.find((x: { entity: string }) => x.entity === 'institution').count, n.n);
});

test('refused: other roles, bad parameters; exports are audited', async () => {
  assert.equal((await get(community, '/base-codes/export')).statusCode, 403);
  assert.equal((await get(auditor, '/base-codes/summary')).statusCode, 403);
  assert.equal((await get(city, '/base-codes/export?entity=all&format=csv')).statusCode, 400);
  assert.equal((await get(city, '/base-codes/export?entity=person')).statusCode, 400);
  assert.equal((await get(city, '/base-codes/export?format=pdf')).statusCode, 400);
  const a = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'base-codes.export'`))[0]!;
  assert.ok(a.n >= 5, `${a.n} export events`);
});
