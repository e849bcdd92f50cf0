// The FHIR operations through a real FHIR client (fhir-kit-client) against a listening server: staff with a
// bearer session, a partner system with signed requests; unknown systems and codes give FHIR answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from 'fhir-kit-client';
import { signPartnerRequest } from '../../../platform/auth/partner.ts';
import { todayInShanghai } from '../../../platform/util/dates.ts';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { ICD10_YB, ICD9CM3_YB } from './shipped.ts';

let t: TestApp;
let staff: Client;
let base: string;

type P = {
  parameter: {
    name: string;
    valueBoolean?: boolean;
    valueString?: string;
    valueCode?: string;
    part?: { name: string; valueCode?: string; valueCoding?: { code: string; display?: string }; valueString?: string }[];
  }[];
};
type Op = { name: string; resourceType: string; method: 'GET'; input: Record<string, string | number | boolean> };
/** The client's operation with its answer typed for the assertions (the client types it as any resource). */
const call = async <T = P>(c: Client, o: Op): Promise<T> => (await c.operation(o as never)) as unknown as T;
const get = (p: P, name: string) => p.parameter.find((x) => x.name === name);

before(async () => {
  t = await testApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `${address}/api/v1/terminology/fhir`;
  const s = await t.loginAs('hospital_user');
  staff = new Client({ baseUrl: base, bearerToken: s.token });
});
after(() => t.close());

test('CodeSystem/$lookup gives name, display, pinyin designations and parent/child properties', async () => {
  const p = await call<P>(staff, { name: '$lookup', resourceType: 'CodeSystem', method: 'GET', input: { system: ICD10_YB, code: 'I10.x00' } });
  assert.equal(get(p, 'display')?.valueString, '特发性（原发性）高血压');
  assert.equal(get(p, 'version')?.valueString, '2.0');
  const des = p.parameter.filter((x) => x.name === 'designation').map((d) => d.part?.find((x) => x.name === 'value')?.valueString);
  assert.ok(des.includes('tfxyfxgxy'), JSON.stringify(des));
  const parent = p.parameter.find((x) => x.name === 'property' && x.part?.[0]?.valueCode === 'parent');
  assert.equal(parent?.part?.[1]?.valueCode, 'I10');
});

test('$validate-code: true for a known code, false (not an error) for an unknown code, a wrong display or an unknown system', async () => {
  const ok = await call<P>(staff, { name: '$validate-code', resourceType: 'CodeSystem', method: 'GET', input: { url: ICD10_YB, code: 'A00.000' } });
  assert.equal(get(ok, 'result')?.valueBoolean, true);
  const unknown = await call<P>(staff, { name: '$validate-code', resourceType: 'CodeSystem', method: 'GET', input: { url: ICD10_YB, code: 'ZZZ.999' } });
  assert.equal(get(unknown, 'result')?.valueBoolean, false);
  assert.match(get(unknown, 'message')?.valueString ?? '', /不在/);
  const wrongName = await call<P>(staff, {
    name: '$validate-code',
    resourceType: 'CodeSystem',
    method: 'GET',
    input: { url: ICD10_YB, code: 'A00.000', display: '感冒' },
  });
  assert.equal(get(wrongName, 'result')?.valueBoolean, false);
  const noSystem = await call<P>(staff, {
    name: '$validate-code',
    resourceType: 'CodeSystem',
    method: 'GET',
    input: { url: 'http://example.org/none', code: 'A00' },
  });
  assert.equal(get(noSystem, 'result')?.valueBoolean, false);
});

test('$lookup of an unknown code or system is a 404 OperationOutcome, never a 500', async () => {
  const inputs: Op['input'][] = [
    { system: ICD10_YB, code: 'NOPE' },
    { system: 'http://example.org/none', code: 'A00' },
    { system: ICD10_YB, code: 'A00', version: '9.9' },
  ];
  for (const input of inputs) {
    await assert.rejects(
      call(staff, { name: '$lookup', resourceType: 'CodeSystem', method: 'GET', input }),
      (e: { response: { status: number; data: { resourceType: string; issue: { code: string }[] } } }) => {
        assert.equal(e.response.status, 404);
        assert.equal(e.response.data.resourceType, 'OperationOutcome');
        assert.equal(e.response.data.issue[0]!.code, 'not-found');
        return true;
      },
    );
  }
  await assert.rejects(
    call(staff, { name: '$lookup', resourceType: 'CodeSystem', method: 'GET', input: { system: ICD10_YB } }),
    (e: { response: { status: number } }) => e.response.status === 400,
  );
});

test('$subsumes follows the chapter → block → category → code hierarchy', async () => {
  const out = async (codeA: string, codeB: string) =>
    get(await call<P>(staff, { name: '$subsumes', resourceType: 'CodeSystem', method: 'GET', input: { system: ICD10_YB, codeA, codeB } }), 'outcome')
      ?.valueCode;
  assert.equal(await out('I00-I99', 'I10.x00'), 'subsumes');
  assert.equal(await out('I10.x00', 'I10-I15'), 'subsumed-by');
  assert.equal(await out('A00', 'I10'), 'not-subsumed');
  assert.equal(await out('I10', 'I10'), 'equivalent');
});

test('ValueSet/$expand filters by pinyin initials, words and code prefix, pages, and narrows to a subtree', async () => {
  type VS = { expansion: { total: number; offset: number; contains: { code: string; display: string }[] } };
  const ex = (input: Op['input']) => call<VS>(staff, { name: '$expand', resourceType: 'ValueSet', method: 'GET', input });
  const gxy = await ex({ url: ICD10_YB, filter: 'gxy', count: 5 });
  assert.ok(
    gxy.expansion.contains.some((c) => c.display === '高血压'),
    JSON.stringify(gxy.expansion.contains),
  );
  const page2 = await ex({ url: ICD10_YB, filter: 'gxy', count: 5, offset: 5 });
  assert.equal(page2.expansion.offset, 5);
  assert.equal(page2.expansion.total, gxy.expansion.total);
  assert.notDeepEqual(
    page2.expansion.contains.map((c) => c.code),
    gxy.expansion.contains.map((c) => c.code),
  );
  const prefix = await ex({ url: ICD10_YB, filter: 'E11.', count: 50 });
  assert.ok(prefix.expansion.contains.every((c) => c.code.startsWith('E11.')));
  const words = await ex({ url: ICD10_YB, filter: '糖尿病 肾病', count: 10 });
  assert.ok(words.expansion.contains[0]!.display.includes('糖尿病'), JSON.stringify(words.expansion.contains));
  const sub = await ex({ url: `${ICD10_YB}?fhir_vs=isa/I10`, count: 100 });
  assert.ok(sub.expansion.total > 0 && sub.expansion.contains.every((c) => c.code.startsWith('I10')));
  await assert.rejects(ex({ url: 'http://example.org/vs' }), (e: { response: { status: number } }) => e.response.status === 404);
});

test('ValueSet/$validate-code: a code below the is-a code is in the set, one elsewhere is not; a badly escaped value-set URL is a 400', async () => {
  const vc = (input: Op['input']) => call<P>(staff, { name: '$validate-code', resourceType: 'ValueSet', method: 'GET', input });
  assert.equal(get(await vc({ url: `${ICD10_YB}?fhir_vs=isa/I10-I15`, code: 'I10.x00' }), 'result')?.valueBoolean, true);
  const outside = await vc({ url: `${ICD10_YB}?fhir_vs=isa/I10-I15`, code: 'A00.000' });
  assert.equal(get(outside, 'result')?.valueBoolean, false);
  assert.match(get(outside, 'message')?.valueString ?? '', /不在值集/);
  assert.equal(get(await vc({ url: `${ICD10_YB}?fhir_vs=isa/NOPE`, code: 'A00.000' }), 'result')?.valueBoolean, false);
  assert.equal(get(await vc({ url: ICD10_YB, system: ICD9CM3_YB, code: 'A00.000' }), 'result')?.valueBoolean, false);
  for (const [name, resourceType] of [
    ['$validate-code', 'ValueSet'],
    ['$expand', 'ValueSet'],
  ] as const) {
    await assert.rejects(
      call(staff, { name, resourceType, method: 'GET', input: { url: `${ICD10_YB}?fhir_vs=isa/%E0%A4%A`, code: 'A00.000' } }),
      (e: { response: { status: number; data: { resourceType: string; issue: { code: string }[] } } }) => {
        assert.equal(e.response.status, 400, name);
        assert.equal(e.response.data.resourceType, 'OperationOutcome');
        assert.equal(e.response.data.issue[0]!.code, 'invalid');
        return true;
      },
    );
  }
});

test('$expand: count and offset beyond their bounds are a 400 before any work', async () => {
  const inputs: Op['input'][] = [
    { url: ICD10_YB, count: 1_000_000 },
    { url: ICD10_YB, offset: 10_000_000 },
    { url: ICD10_YB, count: -1 },
  ];
  for (const input of inputs) {
    await assert.rejects(
      call(staff, { name: '$expand', resourceType: 'ValueSet', method: 'GET', input }),
      (e: { response: { status: number } }) => e.response.status === 400,
    );
  }
});

test('ConceptMap/$translate maps 国家临床版 codes to 医保版 (and back); an unmapped code is result=false', async () => {
  const r = await call<P>(staff, {
    name: '$translate',
    resourceType: 'ConceptMap',
    method: 'GET',
    input: { system: 'http://www.nhc.gov.cn/fhir/CodeSystem/icd10-gl', code: 'A00.000', targetsystem: ICD10_YB },
  });
  assert.equal(get(r, 'result')?.valueBoolean, true);
  const concept = get(r, 'match')?.part?.find((x) => x.name === 'concept')?.valueCoding;
  assert.equal(concept?.code, 'A00.000');
  assert.ok(concept?.display?.startsWith('霍乱'));
  const none = await call<P>(staff, {
    name: '$translate',
    resourceType: 'ConceptMap',
    method: 'GET',
    input: { url: 'http://www.nhsa.gov.cn/fhir/ConceptMap/icd9cm3-gl-to-yb2', code: 'XX' },
  });
  assert.equal(get(none, 'result')?.valueBoolean, false);
});

test('metadata lists the operations; a partner system signs its requests with its API key', async () => {
  const cap = (await staff.capabilityStatement()) as unknown as { rest: { resource: { type: string; operation: { name: string }[] }[] }[] };
  const ops = cap.rest[0]!.resource.flatMap((r) => r.operation.map((o) => `${r.type}/${o.name}`));
  for (const o of ['CodeSystem/lookup', 'CodeSystem/validate-code', 'CodeSystem/subsumes', 'ValueSet/expand', 'ConceptMap/translate'])
    assert.ok(ops.includes(o), o);

  const secret = 'terminology-partner-secret';
  await t.kernel.db.query(`insert into api_client (client_id, name, secret, permissions, scope_level) values ('his-demo', '某医院 HIS', $1, $2, 'city')`, [
    t.kernel.keys.encryptField(secret),
    ['terminology.fhir'],
  ]);
  const partnerBase = base.replace('/api/v1/terminology/fhir', '/api/v1/partner/terminology/fhir');
  const partner = new Client({
    baseUrl: partnerBase,
    requestSigner: (url: string, init: RequestInit) => {
      const u = new URL(url);
      const signed = signPartnerRequest(secret, init.method ?? 'GET', u.pathname + u.search, typeof init.body === 'string' ? init.body : '');
      const h = new Headers(init.headers);
      h.set('x-wj-client', 'his-demo');
      for (const [k, v] of Object.entries(signed)) h.set(k, v);
      init.headers = h;
    },
  });
  const p = await call<P>(partner, { name: '$lookup', resourceType: 'CodeSystem', method: 'GET', input: { system: ICD9CM3_YB, code: '00.0100' } });
  assert.equal(get(p, 'display')?.valueString, '头和颈部血管治疗性超声');
  const unsigned = new Client({ baseUrl: partnerBase });
  await assert.rejects(
    call(unsigned, { name: '$lookup', resourceType: 'CodeSystem', method: 'GET', input: { system: ICD9CM3_YB, code: '00.0100' } }),
    (e: { response: { status: number } }) => e.response.status === 401,
  );
});

test('POST forms: each operation takes a FHIR Parameters body (application/fhir+json) and answers as its GET form', async () => {
  type PostOp = { name: string; resourceType: string; method: 'POST'; input: { resourceType: 'Parameters'; parameter: Record<string, unknown>[] } };
  const post = async <T = P>(name: string, resourceType: string, parameter: Record<string, unknown>[]): Promise<T> =>
    (await staff.operation({ name, resourceType, method: 'POST', input: { resourceType: 'Parameters', parameter } } satisfies PostOp as never)) as unknown as T;
  const lookup = await post('$lookup', 'CodeSystem', [
    { name: 'coding', valueCoding: { system: ICD10_YB, code: 'I10.x00' } },
    { name: 'version', valueString: '2.0' },
  ]);
  assert.equal(get(lookup, 'display')?.valueString, '特发性（原发性）高血压');
  const asOf = await post('$lookup', 'CodeSystem', [
    { name: 'system', valueUri: ICD10_YB },
    { name: 'code', valueCode: 'I10.x00' },
    { name: 'date', valueDate: todayInShanghai() },
  ]);
  assert.equal(get(asOf, 'version')?.valueString, '2.0');
  const valid = await post('$validate-code', 'CodeSystem', [
    { name: 'url', valueUri: ICD10_YB },
    { name: 'code', valueCode: 'A00.000' },
  ]);
  assert.equal(get(valid, 'result')?.valueBoolean, true);
  const sub = await post('$subsumes', 'CodeSystem', [
    { name: 'codingA', valueCoding: { system: ICD10_YB, code: 'I10-I15' } },
    { name: 'codingB', valueCoding: { system: ICD10_YB, code: 'I10.x00' } },
  ]);
  assert.equal(get(sub, 'outcome')?.valueCode, 'subsumes');
  type VS = { expansion: { total: number; contains: { code: string; display: string }[] } };
  const ex = await post<VS>('$expand', 'ValueSet', [
    { name: 'url', valueUri: ICD10_YB },
    { name: 'filter', valueString: 'gxy' },
    { name: 'count', valueInteger: 5 },
  ]);
  const exGet = await call<VS>(staff, { name: '$expand', resourceType: 'ValueSet', method: 'GET', input: { url: ICD10_YB, filter: 'gxy', count: 5 } });
  assert.deepEqual(
    ex.expansion.contains.map((c) => c.code),
    exGet.expansion.contains.map((c) => c.code),
  );
  const vsv = await post('$validate-code', 'ValueSet', [
    { name: 'url', valueUri: `${ICD10_YB}?fhir_vs=isa/I10-I15` },
    { name: 'code', valueCode: 'I10.x00' },
  ]);
  assert.equal(get(vsv, 'result')?.valueBoolean, true);
  const tr = await post('$translate', 'ConceptMap', [
    { name: 'system', valueUri: 'http://www.nhc.gov.cn/fhir/CodeSystem/icd10-gl' },
    { name: 'code', valueCode: 'A00.000' },
    { name: 'targetsystem', valueUri: ICD10_YB },
  ]);
  assert.equal(get(tr, 'result')?.valueBoolean, true);
  // Bad Parameters: the same 400 OperationOutcome as a bad query string, naming the parameter.
  const bad: [Record<string, unknown>[], RegExp][] = [
    [[{ name: 'system', valueUri: ICD10_YB }], /code：必填/],
    [
      [
        { name: 'system', valueUri: ICD10_YB },
        { name: 'code', valueCode: 'A00' },
        { name: 'code', valueCode: 'A01' },
      ],
      /参数 code 重复/,
    ],
    [[{ name: 'system', valueUri: ICD10_YB }, { name: 'code' }], /value\[x\]/],
    [
      [
        { name: 'system', valueUri: ICD10_YB },
        { name: 'code', valueCode: 'A00' },
        { name: 'date', valueString: '去年' },
      ],
      /date：格式不正确/,
    ],
  ];
  for (const [parameter, message] of bad) {
    await assert.rejects(
      post('$lookup', 'CodeSystem', parameter),
      (e: { response: { status: number; data: { resourceType: string; issue: { code: string; diagnostics: string }[] } } }) => {
        assert.equal(e.response.status, 400);
        assert.equal(e.response.data.resourceType, 'OperationOutcome');
        assert.match(e.response.data.issue.map((i) => i.diagnostics).join('\n'), message);
        return true;
      },
    );
  }
  await assert.rejects(
    post('$lookup', 'CodeSystem', [
      { name: 'system', valueUri: ICD10_YB },
      { name: 'code', valueCode: 'NOPE' },
    ]),
    (e: { response: { status: number } }) => e.response.status === 404,
  );
});

test('metadata?mode=terminology is a TerminologyCapabilities listing each code system with its versions', async () => {
  const tc = (await staff.request('metadata?mode=terminology')) as unknown as {
    resourceType: string;
    codeSystem: { uri: string; version: { code: string; isDefault: boolean }[]; subsumption: boolean }[];
    expansion: { paging: boolean };
  };
  assert.equal(tc.resourceType, 'TerminologyCapabilities');
  const icd = tc.codeSystem.find((c) => c.uri === ICD10_YB);
  assert.deepEqual(icd?.version.find((v) => v.isDefault)?.code, '2.0');
  assert.equal(icd?.subsumption, true);
  assert.equal(tc.expansion.paging, true);
  const cap = (await staff.capabilityStatement()) as unknown as { resourceType: string };
  assert.equal(cap.resourceType, 'CapabilityStatement');
});
