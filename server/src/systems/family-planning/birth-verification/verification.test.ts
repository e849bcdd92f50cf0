import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signPartnerRequest } from '../../../platform/auth/partner.ts';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { dispatchPending } from '../../../platform/integration/dispatcher.ts';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { communityCloudSimulator, communityCloudStore } from '../../../platform/integration/simulators/systems/community-cloud.ts';
import { maternalChildSimulator, maternalChildStore } from '../../../platform/integration/simulators/systems/maternal-child.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { WORLD_AS_OF, worldWithBirths } from '../childcare-subsidy/test-world.ts';
import { runDailyIntake } from './daily-intake.ts';
import { systemTransaction, worldFeed } from './test-support.ts';

// The 市妇幼 channel end to end through the simulators, and the street's work on the tasks over the API:
// combined query, pre-check and approval, assist requests between streets, re-verification.
const DAY = '2026-09-29';
let t: TestApp;
let mch: Simulator;
let cloud: Simulator;
let city: TestSession;
let feed: Record<string, unknown>[];
let street: { district: string; street: string; other: string };
let worker: TestSession; // community_admin of the street most tasks went to
let neighbour: TestSession; // community_admin of another street
let badId: string; // a mother's identity number with a wrong check digit

const api = (s: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.call(s, { method, url: `${API_PREFIX}${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });

async function intake(fetch: Record<string, unknown> = {}) {
  return runDailyIntake({ kernel: t.kernel, transaction: systemTransaction(t) }, DAY, 'test', { baseUrl: mch.url, baseDelayMs: 20, ...fetch }, WORLD_AS_OF);
}

before(async () => {
  t = await testApp();
  await worldWithBirths(t, 5_000);
  mch = await startSimulator(maternalChildSimulator);
  cloud = await startSimulator(communityCloudSimulator);
  process.env.WEIJIAN_COMMUNITY_CLOUD_URL = cloud.url;
  city = await t.loginAs('city_admin');
  // The families of the busiest street: its mothers' records, as the interface sends them.
  const top = (
    await t.kernel.db.query<{ street: string; district: string }>(
      `select m.residence_street as street, m.residence_district as district from fp_birth_record r join person m on m.id = r.mother_person_id
      where r.source = 'mch' and m.residence_street is not null group by 1, 2 order by count(*) desc, 1 limit 1`,
    )
  )[0]!;
  const other = (
    await t.kernel.db.query<{ code: string }>(`select code from region where level = 'street' and code <> $1 order by code limit 1`, [top.street])
  )[0]!;
  street = { district: top.district, street: top.street, other: other.code };
  feed = (await worldFeed(t, `m.residence_street = '${top.street}'`)).slice(0, 8);
  assert.ok(feed.length >= 4, `only ${feed.length} births in ${top.street}`);
  // Untidy but valid: spaces in the name, a full-width certificate digit is not allowed, so only the date format and spaces.
  feed[0] = { ...feed[0], XSEXM: ` ${String(feed[0]!.XSEXM).split('').join(' ')} `, CSRQ: String(feed[0]!.CSRQ).replace(/-/g, '/') };
  // A name that differs from the population index: the pre-check must stop a plain approval.
  feed[1] = { ...feed[1], XSEXM: `${String(feed[1]!.XSEXM).slice(0, 1)}错名` };
  // Refused by the cleaning: a bad identity number, and a missing certificate number.
  const id = String(feed[2]!.MQZJHM);
  badId = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  feed.push({ ...feed[2], CSYXZMBH: 'P999000001', MQZJHM: badId }, { ...feed[3], CSYXZMBH: '' });
  maternalChildStore(mch).load(feed, DAY);
  worker = await t.loginAs('community_admin', { level: 'street', districtCode: street.district, streetCode: street.street });
  neighbour = await t.loginAs('community_admin', { level: 'street', districtCode: other.code.slice(0, 6), streetCode: other.code });
});
after(async () => {
  delete process.env.WEIJIAN_COMMUNITY_CLOUD_URL;
  await mch.stop();
  await cloud.stop();
  await t.close();
});

test('daily channel: signed pull retried through an outage, cleaned, refused rows kept with reasons, one task per birth', async () => {
  // Down with 503 until the first backoff: the retry after it succeeds.
  await mch.down('503');
  let waits = 0;
  const r = await intake({
    sleep: async () => {
      waits++;
      await mch.up();
    },
  });
  assert.equal(waits, 1);
  assert.equal(r.fetched, feed.length);
  assert.equal(r.created, feed.length - 2);
  assert.equal(r.rejected, 2);
  assert.ok(mch.stats.requests >= 2, 'the outage made the pull retry');
  assert.equal(mch.stats.signatureFailures, 0);

  const rejected = await api(city, 'GET', `/birth-verification/rejected?batchId=${r.batchId}`);
  assert.equal(rejected.statusCode, 200);
  const reasons = rejected
    .json()
    .items.flatMap((i: { reasons: { message: string }[] }) => i.reasons.map((x) => x.message))
    .join('\n');
  assert.match(reasons, /母亲身份证号：身份证号码校验位不正确/);
  assert.match(reasons, /出生医学证明编号：缺失/);
  assert.ok(!JSON.stringify(rejected.json()).includes(badId), 'identity numbers are masked in the rejected rows');

  const list = await api(worker, 'GET', '/birth-verification/tasks?pageSize=50');
  assert.equal(list.statusCode, 200);
  assert.equal(list.json().total, feed.length - 2);
  const cleaned = list.json().items.find((x: { certificateNo: string }) => x.certificateNo === feed[0]!.CSYXZMBH);
  assert.equal(cleaned.childName, String(feed[0]!.XSEXM).replace(/\s/g, ''));
  assert.ok(!JSON.stringify(list.json()).includes(String(feed[0]!.MQZJHM)), 'identity numbers only masked');

  // Same data again: nothing new. Then the batch list shows both runs.
  const again = await intake();
  assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, feed.length - 2]);
  const batches = await api(worker, 'GET', '/birth-verification/intake-runs');
  assert.equal(batches.json().total, 2);
});

test('a pull that keeps failing is recorded as a failed batch and thrown (the job retries)', async () => {
  await mch.down('503');
  await assert.rejects(intake({ baseDelayMs: 5 }), /市妇幼接口第 1 页拉取失败/);
  await mch.up();
  const b = (await t.kernel.db.query<{ status: string; error: string }>(`select status, error from fp_mch_batch order by id desc limit 1`))[0]!;
  assert.equal(b.status, 'failed');
  assert.match(b.error, /503/);
});

test('社区云: every task version is delivered; the receiver keeps the newest', async () => {
  const sum = await dispatchPending(t.kernel, { systems: ['community-cloud'] });
  assert.equal(sum.dead, 0);
  const held = communityCloudStore(cloud).tasks;
  const rows = await t.kernel.db.query<{ id: number; version: number }>('select id::int as id, version from fp_verify_task');
  assert.equal(held.size, rows.length);
  for (const r of rows) assert.equal(held.get(`BV${String(r.id).padStart(8, '0')}`)?.version, r.version);
});

test('combined query over task, child, mother and father fields; refused for roles and streets without the data', async () => {
  const f = feed[2]!;
  const byMother = await api(worker, 'GET', `/birth-verification/tasks?motherIdNumber=${f.MQZJHM}`);
  assert.equal(byMother.statusCode, 200);
  assert.ok(byMother.json().items.length >= 1);
  assert.ok(byMother.json().items.every((x: { motherName: string }) => x.motherName === f.MQXM));
  const combined = await api(
    worker,
    'GET',
    `/birth-verification/tasks?childName=${encodeURIComponent(String(f.XSEXM).slice(1))}&motherName=${encodeURIComponent(String(f.MQXM))}&birthFrom=${f.CSRQ}&birthTo=${f.CSRQ}`,
  );
  assert.equal(combined.json().total, 1);
  if (f.FQZJHM) assert.equal((await api(worker, 'GET', `/birth-verification/tasks?fatherIdNumber=${f.FQZJHM}&certificateNo=${f.CSYXZMBH}`)).json().total, 1);
  const problems = await api(worker, 'GET', '/birth-verification/tasks?finding=name_mismatch');
  assert.ok(problems.json().items.some((x: { certificateNo: string }) => x.certificateNo === feed[1]!.CSYXZMBH));

  // Another street sees none of them; a bad query is a 400 with a field message.
  assert.equal((await api(neighbour, 'GET', `/birth-verification/tasks?motherIdNumber=${f.MQZJHM}`)).json().total, 0);
  const bad = await api(worker, 'GET', '/birth-verification/tasks?birthFrom=yesterday');
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.json().details.some((d: { field: string }) => d.field.includes('birthFrom')));
  // Audited as a read of personal data.
  const a = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'birth-verification.tasks.search'`))[0]!;
  assert.ok(a.n >= 3);
});

async function taskOf(cert: unknown): Promise<{ id: number; status: string; verifyRound: number; findings: { code: string; severity: string }[] }> {
  const r = await api(worker, 'GET', `/birth-verification/tasks?certificateNo=${cert}`);
  return r.json().items[0];
}

test('approval: pre-check and pre-fill; a blocking finding needs a reason; refused for other roles, streets and states', async () => {
  const wrong = await taskOf(feed[1]!.CSYXZMBH);
  assert.ok(
    wrong.findings.some((x) => x.code === 'name_mismatch' && x.severity === 'block'),
    JSON.stringify(wrong.findings),
  );

  const prefill = await api(worker, 'GET', `/birth-verification/tasks/${wrong.id}/prefill`);
  assert.equal(prefill.statusCode, 200);
  const name = prefill.json().fields.find((x: { key: string }) => x.key === 'childName');
  assert.equal(name.origin, 'population');
  assert.equal(name.differs, true);
  assert.equal(name.sourceValue, feed[1]!.XSEXM);

  const plain = await api(worker, 'POST', `/birth-verification/tasks/${wrong.id}/decision`, { decision: 'confirmed' });
  assert.equal(plain.statusCode, 422);
  assert.ok(plain.json().details.some((d: { field: string; message: string }) => d.field === 'precheck.name_mismatch' && /姓名/.test(d.message)));
  // Not the city, not an auditor, not another street.
  assert.equal((await api(city, 'POST', `/birth-verification/tasks/${wrong.id}/decision`, { decision: 'confirmed' })).statusCode, 403);
  assert.equal((await api(await t.loginAs('auditor'), 'POST', `/birth-verification/tasks/${wrong.id}/decision`, { decision: 'confirmed' })).statusCode, 403);
  assert.equal((await api(neighbour, 'POST', `/birth-verification/tasks/${wrong.id}/decision`, { decision: 'confirmed' })).statusCode, 404);
  assert.equal((await api(neighbour, 'GET', `/birth-verification/tasks/${wrong.id}`)).statusCode, 404);
  assert.equal((await api(worker, 'POST', `/birth-verification/tasks/${wrong.id}/decision`, { decision: 'maybe' })).statusCode, 400);
  assert.equal((await api(worker, 'POST', `/birth-verification/tasks/${wrong.id}/decision`, { decision: 'invalid' })).statusCode, 400, 'invalid needs a note');

  const corrected = await api(worker, 'POST', `/birth-verification/tasks/${wrong.id}/decision`, {
    decision: 'corrected',
    corrections: { childName: name.value },
    overrideReason: '经入户核实，市妇幼登记姓名有误，以户籍姓名为准',
  });
  assert.equal(corrected.statusCode, 200, corrected.body);
  assert.equal(corrected.json().status, 'approved');
  assert.equal(corrected.json().decision, 'corrected');
  // Decided tasks cannot be decided again without a re-verification.
  assert.equal((await api(worker, 'POST', `/birth-verification/tasks/${wrong.id}/decision`, { decision: 'confirmed' })).statusCode, 409);
});

test('re-verification reverts the ORIGINAL task to pending — no new task — and keeps the full history', async () => {
  const clean = await taskOf(feed[2]!.CSYXZMBH);
  const blockers = clean.findings.filter((x) => x.severity === 'block');
  const ok = await api(
    worker,
    'POST',
    `/birth-verification/tasks/${clean.id}/decision`,
    blockers.length ? { decision: 'confirmed', overrideReason: '已核实' } : { decision: 'confirmed', note: '入户核实属实' },
  );
  assert.equal(ok.statusCode, 200, ok.body);
  const { n: before } = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from fp_verify_task'))[0]!;

  assert.equal((await api(await t.loginAs('auditor'), 'POST', `/birth-verification/tasks/${clean.id}/reverify`, { reason: 'x' })).statusCode, 403);
  assert.equal((await api(worker, 'POST', `/birth-verification/tasks/${clean.id}/reverify`, { reason: '' })).statusCode, 400);
  const re = await api(worker, 'POST', `/birth-verification/tasks/${clean.id}/reverify`, { reason: '群众反映出生信息有误，重新核实' });
  assert.equal(re.statusCode, 200, re.body);
  assert.equal(re.json().id, clean.id);
  assert.equal(re.json().status, 'pending');
  assert.equal(re.json().verifyRound, 2);
  assert.equal(re.json().decision, null);
  assert.equal(
    (await api(worker, 'POST', `/birth-verification/tasks/${clean.id}/reverify`, { reason: '再来一次' })).statusCode,
    409,
    'a pending task is not re-verified',
  );

  // A changed resend from 市妇幼 also reverts the same task (after a new decision).
  assert.equal(
    (await api(worker, 'POST', `/birth-verification/tasks/${clean.id}/decision`, { decision: 'invalid', note: '第二轮核实：信息不实' })).statusCode,
    200,
  );
  maternalChildStore(mch).days.set(
    DAY,
    feed.map((r) => (r.CSYXZMBH === feed[2]!.CSYXZMBH ? { ...r, CSTZ: '3450' } : r)),
  );
  const resend = await intake();
  assert.equal(resend.created, 0);
  assert.equal(resend.updated, 1);

  const { n: afterCount } = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from fp_verify_task'))[0]!;
  assert.equal(afterCount, before, 'no task was created');
  const detail = await api(worker, 'GET', `/birth-verification/tasks/${clean.id}`);
  assert.equal(detail.statusCode, 200);
  const d = detail.json();
  assert.equal(d.task.status, 'pending');
  assert.equal(d.task.verifyRound, 3);
  assert.deepEqual(
    d.history.map((e: { action: string }) => e.action),
    ['created', 'approve', 'reverify', 'reject', 'source_update'],
  );
  const reverify = d.history.find((e: { action: string }) => e.action === 'reverify');
  assert.equal(reverify.detail.previousDecision, 'confirmed');
  assert.equal(reverify.note, '群众反映出生信息有误，重新核实');
  assert.deepEqual(d.history.find((e: { action: string }) => e.action === 'source_update').detail.changedFields, ['birth_weight']);
  const rounds = d.history.map((e: { verify_round: number }) => e.verify_round);
  assert.deepEqual(
    rounds,
    [...rounds].sort((a, b) => a - b),
    'rounds only grow',
  );
});

test('协查: ask another street, it replies, the reply is returned once and then accepted', async () => {
  const task = await taskOf(feed[3]!.CSYXZMBH);
  assert.equal(
    (await api(worker, 'POST', `/birth-verification/tasks/${task.id}/assists`, { toStreetCode: street.street, question: '本街道' })).statusCode,
    400,
  );
  assert.equal((await api(neighbour, 'POST', `/birth-verification/tasks/${task.id}/assists`, { toStreetCode: street.other, question: 'x' })).statusCode, 404);
  const req = await api(worker, 'POST', `/birth-verification/tasks/${task.id}/assists`, { toStreetCode: street.other, question: '该户是否实际居住在贵街道？' });
  assert.equal(req.statusCode, 201, req.body);
  const assistId = req.json().id;
  assert.equal((await taskOf(feed[3]!.CSYXZMBH)).status, 'assisting');
  assert.equal(
    (await api(worker, 'POST', `/birth-verification/tasks/${task.id}/decision`, { decision: 'confirmed', overrideReason: 'x' })).statusCode,
    409,
    'not while assisting',
  );

  // The asked street sees the request (not the task) and replies; the asking street cannot reply for it.
  const inbox = await api(neighbour, 'GET', '/birth-verification/assists?box=incoming');
  assert.deepEqual(
    inbox.json().items.map((a: { id: number }) => a.id),
    [assistId],
  );
  assert.equal(inbox.json().items[0].snapshot.motherName, feed[3]!.MQXM);
  assert.equal((await api(worker, 'POST', `/birth-verification/assists/${assistId}/reply`, { result: 'confirmed', note: 'x' })).statusCode, 404);
  assert.equal(
    (await api(neighbour, 'POST', `/birth-verification/assists/${assistId}/reply`, { result: 'confirmed', note: '已上门，居住属实' })).statusCode,
    200,
  );
  assert.equal(
    (await api(neighbour, 'POST', `/birth-verification/assists/${assistId}/handle`, { action: 'accept' })).statusCode,
    404,
    'only the asking street handles the reply',
  );

  // Returned with a reason: the asked street checks again (round 2), then the reply is accepted.
  assert.equal((await api(worker, 'POST', `/birth-verification/assists/${assistId}/handle`, { action: 'return' })).statusCode, 400);
  const back = await api(worker, 'POST', `/birth-verification/assists/${assistId}/handle`, { action: 'return', note: '请注明核实日期和见到的家庭成员' });
  assert.equal(back.json().status, 'requested');
  assert.equal(back.json().round, 2);
  await api(neighbour, 'POST', `/birth-verification/assists/${assistId}/reply`, { result: 'confirmed', note: '11月20日上门，见到母亲及婴儿，居住属实' });
  const accepted = await api(worker, 'POST', `/birth-verification/assists/${assistId}/handle`, { action: 'accept', note: '采纳' });
  assert.equal(accepted.json().status, 'accepted');
  const d = (await api(worker, 'GET', `/birth-verification/tasks/${task.id}`)).json();
  assert.equal(d.task.status, 'pending');
  assert.deepEqual(
    d.history.map((e: { action: string }) => e.action),
    ['created', 'assist_request', 'assist_return', 'assist_accept'],
  );
  assert.match(d.history.at(-1).note, /11月20日上门/);
});

test('statistics by street, district and day, scoped', async () => {
  const mine = (await api(worker, 'GET', '/birth-verification/stats?groupBy=street')).json();
  assert.deepEqual(
    mine.items.map((i: { key: string }) => i.key),
    [street.street],
  );
  assert.equal(mine.totals.total, feed.length - 2);
  assert.ok(mine.totals.approved >= 1 && mine.totals.reverified >= 1 && mine.totals.assisted >= 1);
  const byDay = (await api(city, 'GET', `/birth-verification/stats?groupBy=day&from=${DAY}&to=${DAY}`)).json();
  assert.deepEqual(
    byDay.items.map((i: { key: string }) => i.key),
    [DAY],
  );
  assert.equal((await api(neighbour, 'GET', '/birth-verification/stats?groupBy=district')).json().totals.total, 0);
  assert.equal((await api(city, 'GET', '/birth-verification/stats?groupBy=week')).statusCode, 400);
});

test('field mapping: shown to readers, changed by the city only, used by the next pull', async () => {
  const shown = await api(worker, 'GET', '/birth-verification/field-map');
  assert.equal(shown.statusCode, 200);
  assert.equal(shown.json().items.find((m: { targetField: string }) => m.targetField === 'motherName').sourceField, 'MQXM');
  assert.equal(
    (await api(worker, 'PUT', '/birth-verification/field-map', { mappings: [{ targetField: 'motherName', sourceField: 'MOTHER_NAME' }] })).statusCode,
    403,
  );
  assert.equal(
    (await api(city, 'PUT', '/birth-verification/field-map', { mappings: [{ targetField: 'motherName', sourceField: 'XSEXM' }] })).statusCode,
    400,
    'one source column, one field',
  );
  const changed = await api(city, 'PUT', '/birth-verification/field-map', { mappings: [{ targetField: 'motherName', sourceField: 'MOTHER_NAME' }] });
  assert.equal(changed.statusCode, 200, changed.body);
  const renamed = feed.slice(2, 4).map(({ MQXM, ...rest }) => ({ ...rest, MOTHER_NAME: MQXM, CSTZ: '3999' }));
  maternalChildStore(mch).days.set(DAY, renamed);
  const r = await intake();
  const refused = await t.kernel.db.query('select reasons from fp_mch_rejected where batch_id = $1', [r.batchId]);
  assert.equal(r.rejected, 0, JSON.stringify(refused));
  assert.equal(r.updated, 2);
  await api(city, 'PUT', '/birth-verification/field-map', { mappings: [{ targetField: 'motherName', sourceField: 'MQXM' }] });
});

test('intake on demand: city only', async () => {
  assert.equal((await api(worker, 'POST', '/birth-verification/intake-runs', { date: DAY })).statusCode, 403);
  const r = await api(city, 'POST', '/birth-verification/intake-runs', { date: DAY });
  assert.equal(r.statusCode, 201, r.body);
  assert.ok(r.json().jobRunId > 0);
  assert.equal((await api(city, 'POST', '/birth-verification/intake-runs', { date: '2026-13-01' })).statusCode, 400);
});

test('社区云 feedback: a signed partner request adds the field visit to the history once; refused outside its scope or permission', async () => {
  const task = await taskOf(feed[0]!.CSYXZMBH);
  const taskNo = `BV${String(task.id).padStart(8, '0')}`;
  const client = async (permissions: string[], scope: object) => {
    const c = await api(city, 'POST', '/api-clients', { name: '社区云', permissions, scope });
    assert.equal(c.statusCode, 201, c.body);
    return c.json() as { clientId: string; secret: string };
  };
  const send = async (c: { clientId: string; secret: string }, body: unknown) => {
    const url = `${API_PREFIX}/partner/birth-verification/tasks/${taskNo}/feedback`;
    const raw = JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url,
      payload: raw,
      headers: { 'content-type': 'application/json', 'x-wj-client': c.clientId, ...signPartnerRequest(c.secret, 'POST', url, raw) },
    });
  };
  const note = { feedbackId: 'cc-visit-1', visitResult: 'met_family', note: '入户见到母亲和婴儿', worker: '张社工', visitedOn: '2026-09-30' };
  const cloudKey = await client(['birth-verification.cloud-feedback'], { level: 'district', districtCode: street.district });
  const first = await send(cloudKey, note);
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json().duplicate, false);
  assert.equal((await send(cloudKey, note)).json().duplicate, true);
  const elsewhere = await client(['birth-verification.cloud-feedback'], {
    level: 'district',
    districtCode: street.district === '310101' ? '310104' : '310101',
  });
  assert.equal((await send(elsewhere, { ...note, feedbackId: 'cc-visit-2' })).statusCode, 404);
  assert.equal((await send(await client(['birth-verification.birth-order.query'], { level: 'city' }), { ...note, feedbackId: 'cc-visit-3' })).statusCode, 403);
  assert.equal((await send(cloudKey, { ...note, visitResult: 'maybe' })).statusCode, 400);
  const d = (await api(worker, 'GET', `/birth-verification/tasks/${task.id}`)).json();
  const events = d.history.filter((e: { action: string }) => e.action === 'cloud_feedback');
  assert.equal(events.length, 1);
  assert.match(events[0].note, /入户见到家庭成员；入户见到母亲和婴儿/);
  assert.equal(d.task.status, task.status, 'feedback changes no status');
});
