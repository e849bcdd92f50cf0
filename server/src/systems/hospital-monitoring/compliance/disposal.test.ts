import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { FX, seedHospitalData } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
let districtA: TestSession;
let hospitalA: TestSession;
let hospitalB: TestSession;
let expert: TestSession;
let findingsA: number[];
let findingsB: number[];

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedHospitalData(t.kernel.db);
  assert.equal((await api(admin, 'POST', '/compliance/runs', { mode: 'full' })).statusCode, 201);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const ids = async (inst: number) =>
    (await t.kernel.db.query<{ id: number }>('select id::int as id from cm_finding where institution_id = $1 order by id', [inst])).map((r) => r.id);
  findingsA = await ids(FX.instA);
  findingsB = await ids(FX.instB);
  districtA = await t.loginAs('district_admin', { level: 'district', districtCode: FX.districtA });
  hospitalA = await t.loginAs('hospital_user', { level: 'institution', districtCode: FX.districtA, institutionId: FX.instA });
  hospitalB = await t.loginAs('hospital_admin', { level: 'institution', districtCode: FX.districtB, institutionId: FX.instB });
  expert = await t.loginAs('expert');
});
after(() => t.close());

async function create(s: TestSession, findingIds: number[], title = '合规问题处置') {
  return api(s, 'POST', '/compliance/disposals', { title, dueOn: future(), findingIds });
}

test('the whole loop across the roles: create, dispatch, explain, evaluate, close — each step recorded and audited', async () => {
  const c = await create(districtA, findingsA.slice(0, 2), '徐汇区B超重复收费处置');
  assert.equal(c.statusCode, 201, c.body);
  const order = c.json();
  assert.equal(order.status, 'draft');
  assert.equal(order.institutionId, FX.instA);
  assert.equal(order.findings.length, 2);
  assert.deepEqual(order.actions, ['dispatch']);
  const id = order.id as number;

  const d = await api(districtA, 'POST', `/compliance/disposals/${id}/dispatch`, {});
  assert.equal(d.statusCode, 200, d.body);
  assert.equal(d.json().status, 'dispatched');

  const seen = (await api(hospitalA, 'GET', `/compliance/disposals/${id}`)).json();
  assert.deepEqual(seen.actions, ['explain']);
  const e = await api(hospitalA, 'POST', `/compliance/disposals/${id}/explain`, {
    text: '经核查为系统重复计费，已退费',
    attachments: [{ name: '退费凭证.pdf', url: 'https://files.example/refund.pdf' }, { name: '情况说明.docx' }],
  });
  assert.equal(e.statusCode, 200, e.body);
  const explained = e.json();
  assert.equal(explained.status, 'explained');
  assert.equal(explained.explainedBy, hospitalA.username);
  assert.ok(explained.explainedAt);
  assert.equal(explained.attachments.length, 2);

  const v = await api(expert, 'POST', `/compliance/disposals/${id}/evaluate`, { content: '说明属实，退费凭证齐全', result: 'reasonable' });
  assert.equal(v.statusCode, 200, v.body);
  assert.equal(v.json().evaluationResult, 'reasonable');
  assert.ok(v.json().evaluatedAt);

  const z = await api(admin, 'POST', `/compliance/disposals/${id}/close`, { note: '审核通过' });
  assert.equal(z.statusCode, 200, z.body);
  const closed = z.json();
  assert.equal(closed.status, 'closed');
  assert.deepEqual(closed.actions, []);
  assert.deepEqual(
    closed.timeline.map((x: { action: string; actorRole: string }) => [x.action, x.actorRole]),
    [
      ['create', 'district_admin'],
      ['dispatch', 'district_admin'],
      ['explain', 'hospital_user'],
      ['evaluate', 'expert'],
      ['close', 'city_admin'],
    ],
  );
  const audit = await t.kernel.db.query<{ action: string; before: unknown; after: { status: string } }>(
    `select action, before, after from audit_event where object_type = 'cm_disposal' and object_id = $1 order by seq`,
    [String(id)],
  );
  assert.deepEqual(
    audit.map((a) => a.action),
    ['create', 'dispatch', 'explain', 'evaluate', 'close'].map((a) => `compliance.disposal.${a}`),
  );
  assert.deepEqual(
    audit.slice(1).map((a) => a.after.status),
    ['dispatched', 'explained', 'evaluated', 'closed'],
  );
  // Closed: its findings may go into a new order.
  const again = await create(admin, findingsA.slice(0, 1));
  assert.equal(again.statusCode, 201, again.body);
});

test('skipped and repeated steps are refused with a Chinese 422; wrong roles get 403', async () => {
  const id = (await create(admin, findingsB.slice(0, 1))).json().id as number;
  const expect422 = async (s: TestSession, action: string, body: object, re: RegExp) => {
    const r = await api(s, 'POST', `/compliance/disposals/${id}/${action}`, body);
    assert.equal(r.statusCode, 422, `${action}: ${r.body}`);
    assert.match(r.json().message, re);
  };
  const explain = { text: '说明' };
  const evaluate = { content: '评价', result: 'unreasonable' };
  await expect422(hospitalB, 'explain', explain, /须先下发/);
  await expect422(expert, 'evaluate', evaluate, /须先下发/);
  await expect422(admin, 'close', {}, /须先下发/);
  assert.equal((await api(admin, 'POST', `/compliance/disposals/${id}/dispatch`, {})).statusCode, 200);
  await expect422(admin, 'dispatch', {}, /不能重复下发/);
  await expect422(expert, 'evaluate', evaluate, /须先说明/);
  await expect422(admin, 'close', {}, /须先说明/);
  assert.equal((await api(hospitalB, 'POST', `/compliance/disposals/${id}/explain`, explain)).statusCode, 200);
  await expect422(hospitalB, 'explain', explain, /不能重复说明/);
  await expect422(admin, 'dispatch', {}, /不能重复下发/);
  await expect422(admin, 'close', {}, /须先评价/);
  assert.equal((await api(expert, 'POST', `/compliance/disposals/${id}/evaluate`, evaluate)).statusCode, 200);
  await expect422(expert, 'evaluate', evaluate, /不能重复评价/);
  assert.equal((await api(admin, 'POST', `/compliance/disposals/${id}/close`, {})).statusCode, 200);
  await expect422(admin, 'close', {}, /已归档/);
  await expect422(hospitalB, 'explain', explain, /已归档/);

  // Roles: a hospital cannot dispatch, an expert cannot explain, a hospital cannot evaluate.
  const other = (await create(admin, findingsB.slice(1, 2))).json().id as number;
  assert.equal((await api(hospitalB, 'POST', `/compliance/disposals/${other}/dispatch`, {})).statusCode, 403);
  assert.equal((await api(expert, 'POST', `/compliance/disposals/${other}/explain`, explain)).statusCode, 403);
  assert.equal((await api(hospitalB, 'POST', `/compliance/disposals/${other}/evaluate`, evaluate)).statusCode, 403);
  assert.equal((await api(hospitalB, 'POST', '/compliance/disposals', { title: 'x', dueOn: future(), findingIds: findingsB })).statusCode, 403);
});

test('creation: one institution per order, findings in an open order refused, due date not in the past', async () => {
  const mixed = await create(admin, [findingsA[1]!, findingsB[2]!]);
  assert.equal(mixed.statusCode, 422);
  assert.match(mixed.json().message, /一家机构/);
  const first = await create(admin, findingsA.slice(1, 3));
  assert.equal(first.statusCode, 201, first.body);
  const dup = await create(admin, findingsA.slice(2, 4));
  assert.equal(dup.statusCode, 409);
  assert.match(dup.json().message, /已在未归档的处置单中/);
  const past = await api(admin, 'POST', '/compliance/disposals', { title: '过期', dueOn: '2020-01-01', findingIds: findingsA.slice(4) });
  assert.equal(past.statusCode, 422);
  // A district official cannot put another district's findings in an order.
  assert.equal((await create(districtA, findingsB.slice(2, 3))).statusCode, 404);
});

test('a hospital sees and explains only its own institution’s orders; the district official only its district', async () => {
  const idB = (await create(admin, findingsB.slice(2, 3))).json().id as number;
  await api(admin, 'POST', `/compliance/disposals/${idB}/dispatch`, {});
  assert.equal((await api(hospitalA, 'GET', `/compliance/disposals/${idB}`)).statusCode, 404);
  const refused = await api(hospitalA, 'POST', `/compliance/disposals/${idB}/explain`, { text: '越权说明' });
  assert.equal(refused.statusCode, 404);
  const { status } = (await t.kernel.db.query<{ status: string }>('select status from cm_disposal where id = $1', [idB]))[0]!;
  assert.equal(status, 'dispatched');
  const listA = (await api(hospitalA, 'GET', '/compliance/disposals?pageSize=100')).json();
  assert.ok(listA.total > 0);
  assert.ok(listA.items.every((o: { institutionId: number }) => o.institutionId === FX.instA));
  const listD = (await api(districtA, 'GET', '/compliance/disposals?pageSize=100')).json();
  assert.ok(listD.items.every((o: { districtCode: string }) => o.districtCode === FX.districtA));
  assert.equal((await api(hospitalB, 'GET', `/compliance/disposals/${idB}`)).statusCode, 200);
  const boardA = (await api(hospitalA, 'GET', '/compliance/disposals/board')).json();
  assert.equal(boardA.total, listA.total);
});

test('overdue is derived from the due date; the board counts per state with overdue, filtered', async () => {
  const id = (await create(admin, findingsA.slice(4, 5), '逾期测试')).json().id as number;
  await api(admin, 'POST', `/compliance/disposals/${id}/dispatch`, {});
  assert.equal((await api(admin, 'GET', `/compliance/disposals/${id}`)).json().overdue, false);
  await t.kernel.db.query(`update cm_disposal set due_on = current_date - 1 where id = $1`, [id]);
  const o = (await api(admin, 'GET', `/compliance/disposals/${id}`)).json();
  assert.equal(o.overdue, true);
  const overdue = (await api(admin, 'GET', '/compliance/disposals?overdue=true')).json();
  assert.deepEqual(
    overdue.items.map((x: { id: number }) => x.id),
    [id],
  );
  const board = (await api(admin, 'GET', `/compliance/disposals/board?institutionId=${FX.instA}`)).json();
  const dispatched = board.states.find((s: { status: string }) => s.status === 'dispatched');
  assert.equal(dispatched.title, '已下发');
  assert.equal(dispatched.overdue, 1);
  assert.equal(board.overdue, 1);
  assert.equal(board.states.length, 5);
  const boardB = (await api(admin, 'GET', `/compliance/disposals/board?districtCode=${FX.districtB}`)).json();
  assert.equal(boardB.overdue, 0);
  const byState = (await api(admin, 'GET', '/compliance/disposals?status=closed')).json();
  assert.ok(byState.items.every((x: { status: string }) => x.status === 'closed'));
  // Closed orders are never overdue.
  await t.kernel.db.query(`update cm_disposal set due_on = current_date - 5 where status = 'closed'`);
  assert.ok((await api(admin, 'GET', '/compliance/disposals?status=closed')).json().items.every((x: { overdue: boolean }) => !x.overdue));
});
