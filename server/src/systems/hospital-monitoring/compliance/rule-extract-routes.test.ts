import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildDocx, buildPdf } from '../../../platform/documents/testing.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import type { RuleCandidate } from './rule-extract.ts';

let t: TestApp;
let admin: TestSession;

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
const upload = (s: TestSession, filename: string, data: Buffer, extractor?: string) =>
  api(s, 'POST', '/compliance/rule-extract', { filename, contentBase64: data.toString('base64'), ...(extractor ? { extractor } : {}) });

const NOTICE = [
  '关于规范医疗服务收费的通知',
  '一、B超检查同一患者每日不超过2次。',
  '二、一级护理与特级护理不得同日收取。',
  '三、开展肿瘤消融治疗技术须具备相应资质。',
];

before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

test('a city administrator uploads a DOCX and a PDF: the same candidates with their source sentences', async () => {
  for (const [name, data] of [
    ['通知.docx', await buildDocx(NOTICE)],
    ['通知.pdf', await buildPdf([NOTICE.slice(0, 2), NOTICE.slice(2)])],
  ] as const) {
    const r = await upload(admin, name, data);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.document.kind, name.endsWith('pdf') ? 'pdf' : 'docx');
    assert.equal(body.extractor.name, 'builtin');
    const cands = body.candidates as RuleCandidate[];
    assert.deepEqual(
      cands.map((c) => c.pattern),
      ['frequency_limit', 'exclusive', 'qualification'],
      name,
    );
    assert.deepEqual(
      cands.map((c) => c.category),
      ['reasonable_fee', 'reasonable_fee', 'restricted_tech'],
    );
    assert.equal(cands[0]!.sentence, NOTICE[1]);
    assert.equal(cands[0]!.sentence.slice(cands[0]!.match.start, cands[0]!.match.end), '每日不超过2次');
    assert.ok(cands.every((c) => c.rule && c.description));
  }
});

test('confirming an (edited) candidate creates a disabled draft rule via the rule service, with its provenance audited', async () => {
  const cands = (await upload(admin, 'a.txt', Buffer.from(NOTICE.join('\n')))).json().candidates as RuleCandidate[];
  const c = cands[0]!;
  const edited = JSON.parse(JSON.stringify(c.rule).replace('"value":2', '"value":3'));
  const r = await api(admin, 'POST', '/compliance/rule-extract/confirm', {
    category: c.category,
    title: 'B超每日超过3次（文件）',
    rule: edited,
    source: { filename: 'a.txt', sentence: c.sentence, extractor: 'builtin' },
  });
  assert.equal(r.statusCode, 201, r.body);
  const rule = r.json();
  assert.equal(rule.enabled, false);
  assert.equal(rule.version, 1);
  assert.match(rule.sentence, /3/);
  const got = (await api(admin, 'GET', `/compliance/rules/${rule.id}`)).json();
  assert.deepEqual(got.rule, edited);
  const ev = await t.kernel.db.query<{ action: string }>(`select action from audit_event where object_type = 'cm_rule' and object_id = $1 order by seq`, [
    String(rule.id),
  ]);
  assert.deepEqual(
    ev.map((e) => e.action),
    ['compliance.rule.create', 'compliance.rule.from-document'],
  );
});

test('refused: other roles, non-city users, bad files, an unconfigured model, an invalid edited rule', async () => {
  const txt = Buffer.from(NOTICE.join('\n'));
  for (const s of [
    await t.loginAs('hospital_user', { level: 'institution', districtCode: '310104', institutionId: 1 }),
    await t.loginAs('district_admin', { level: 'district', districtCode: '310104' }),
    await t.loginAs('expert'),
  ]) {
    assert.equal((await upload(s, 'a.txt', txt)).statusCode, 403);
    assert.equal((await api(s, 'GET', '/compliance/rule-extract/extractors')).statusCode, 403);
  }
  const districtShenkang = await t.loginAs('shenkang_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await upload(districtShenkang, 'a.txt', txt)).statusCode, 403);

  const bad = async (r: Awaited<ReturnType<typeof upload>>, pattern: RegExp) => {
    assert.equal(r.statusCode, 400, r.body);
    assert.match(r.json().message, pattern);
  };
  await bad(await upload(admin, 'a.doc', txt), /另存为 \.docx/);
  await bad(await upload(admin, 'a.pdf', txt), /不是 PDF/);
  await bad(await upload(admin, 'a.docx', (await buildDocx(['x'])).subarray(0, 80)), /已损坏/);
  await bad(await api(admin, 'POST', '/compliance/rule-extract', { filename: 'a.txt', contentBase64: '%%%' }), /Base64/);
  await bad(await upload(admin, 'blank.txt', Buffer.from('   \n ')), /没有可识别的文字/);
  await bad(await upload(admin, 'a.txt', txt, 'llm'), /未配置大模型服务/);
  assert.equal((await upload(admin, 'a.txt', txt, 'gpt')).statusCode, 400);

  const r = await api(admin, 'POST', '/compliance/rule-extract/confirm', {
    category: 'reasonable_fee',
    title: '坏规则',
    rule: { source: 'fee_line', when: { kind: 'field', name: 'no_such_field' } },
  });
  assert.equal(r.statusCode, 400, r.body);
  assert.ok(r.json().details.some((d: { field: string }) => d.field.startsWith('rule')));
  const listed = (await api(admin, 'GET', '/compliance/rules?pageSize=100')).json().items as { title: string }[];
  assert.ok(!listed.some((x) => x.title === '坏规则'));
});

test('the extractor list offers the built-in one by default', async () => {
  const r = await api(admin, 'GET', '/compliance/rule-extract/extractors');
  assert.equal(r.statusCode, 200);
  assert.deepEqual(
    r.json().map((e: { name: string; default: boolean }) => [e.name, e.default]),
    [['builtin', true]],
  );
});
