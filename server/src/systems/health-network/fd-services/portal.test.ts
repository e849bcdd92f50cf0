import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { smsRequest } from '../../../platform/integration/adapters/sms-gateway.ts';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { type Fs, fsApp } from './test-fixture.ts';

let fs: Fs;
const today = shanghaiToday();
before(async () => {
  fs = await fsApp();
});
after(() => fs.close());

const pub = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  fs.t.app.inject({ method, url: `/api/v1/public/fd-portal${url}`, payload, headers });

async function codeFor(personId: number): Promise<string> {
  const m = (
    await fs.t.kernel.db.query<{ payload: Record<string, unknown> | string }>(
      `select payload from outbox_message where topic = 'sms.fd-portal.code' and payload->>'ref' like 'fd-portal-code:%' order by id desc limit 1`,
    )
  )[0]!;
  const payload = (typeof m.payload === 'string' ? JSON.parse(m.payload) : m.payload) as {
    template: string;
    params: { codeSealed: string };
    phoneSealed: string;
  };
  assert.equal(payload.template, 'fd-portal.code');
  assert.match(fs.t.kernel.keys.decryptField(payload.phoneSealed), /^1[3-9]\d{9}$/, 'the phone travels sealed');
  void personId;
  // What the SMS gateway would send, rendered by the adapter from the registered template.
  const { text } = smsRequest({ payload } as never).body;
  assert.ok(!JSON.stringify(payload).match(/验证码为 \d{6}/), 'the code is not in the outbox in clear');
  return /验证码为 (\d{6})/.exec(text)?.[1] as string;
}

test('portal: SMS code → session → my family doctor and the three institutions; unsigned sees the sign link', async () => {
  const p = await fs.person('1960-01-01');
  await fs.sign(p.id);
  const asked = await pub('POST', '/code', { idNumber: p.idNumber, name: '张三' });
  assert.equal(asked.statusCode, 202, asked.body);
  const unknown = await pub('POST', '/code', { idNumber: p.idNumber, name: '李四' });
  assert.equal(unknown.statusCode, 202, 'a wrong name gets the same answer');
  assert.equal(unknown.json().message, asked.json().message);
  const code = await codeFor(p.id);
  const wrong = await pub('POST', '/session', { idNumber: p.idNumber, name: '张三', code: code === '000000' ? '111111' : '000000' });
  assert.equal(wrong.statusCode, 401);
  const { attempts } = (
    await fs.t.kernel.db.query<{ attempts: number }>('select attempts from fds_portal_code where person_id = $1 order by id desc limit 1', [p.id])
  )[0]!;
  assert.equal(attempts, 1, 'the failed attempt counts');
  const s = await pub('POST', '/session', { idNumber: p.idNumber, name: '张三', code });
  assert.equal(s.statusCode, 201, s.body);
  assert.equal((await pub('POST', '/session', { idNumber: p.idNumber, name: '张三', code })).statusCode, 401, 'a code is used once');
  const me = await pub('GET', '/me', undefined, { 'x-portal-token': s.json().token });
  assert.equal(me.statusCode, 200, me.body);
  assert.equal(me.json().signed, true);
  assert.equal(me.json().contract.doctor.name, '王医生');
  assert.equal(me.json().contract.community.name, '天平街道社区卫生服务中心');
  assert.equal(me.json().contract.districtHospital.name, '徐汇区中心医院');
  assert.equal(me.json().contract.cityHospital.name, '市第六人民医院');
  assert.equal((await pub('GET', '/me')).statusCode, 401);
  assert.equal((await pub('GET', '/me', undefined, { 'x-portal-token': 'x'.repeat(43) })).statusCode, 401);
});

test('partner API (随申办): contract by ID number + name; red residents see no contract; refusals', async () => {
  const sso = await fs.partner(['fd-services.contract.query']);
  const p = await fs.person('1955-02-02');
  const c = (await fs.sign(p.id)).json();
  const q = (idNumber: string, name: string, who = sso) =>
    fs.signed(who, 'GET', `/partner/fd-services/contract?idNumber=${idNumber}&name=${encodeURIComponent(name)}`);
  const r = await q(p.idNumber, '张三');
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().contract.contractId, c.id);
  assert.equal(r.json().contract.colour, 'green');
  await fs.setDates(c.id, {
    cycle_start: addDays(today, -500),
    cycle_end: addDays(today, -100),
    signed_on: addDays(today, -500),
    doctor_since: addDays(today, -500),
  });
  const red = await q(p.idNumber, '张三');
  assert.equal(red.json().signed, false);
  assert.equal(red.json().contract, null);
  assert.ok(red.json().signUrl);
  assert.equal((await q(p.idNumber, '李四')).statusCode, 404);
  const noPerm = await fs.partner(['fd-services.inpatient.report']);
  assert.equal((await q(p.idNumber, '张三', noPerm)).statusCode, 403);
  const audit = await fs.t.kernel.db.query<{ n: number }>(
    `select count(*)::int as n from audit_event where action = 'fd-services.partner.contract-query' and object_id = $1`,
    [String(p.id)],
  );
  assert.equal(audit[0]!.n, 2);
});
