import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { importDivisions } from './import-divisions.ts';

let t: TestApp;
let admin: TestSession;
let chc: number;
let other: number;
const staff: Record<string, number> = {};
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await t.kernel.db.transaction((tx) =>
    importDivisions(
      tx,
      'code,name,parent_code\n310104003,天平路街道,310104\n310104003001,东湖居委会,310104003\n310104003002,永嘉居委会,310104003\n310101002,南京东路街道,310101\n310101002001,贵州居委会,310101002\n',
    ),
  );
  const post = (url: string, payload: object) => t.call(admin, { method: 'POST', url: `/api/v1${url}`, payload });
  chc = (await post('/institutions', { code: 'CHC1', name: '天平社区卫生服务中心', kind: 'chc', districtCode: '310104', streetCode: '310104003' })).json().id;
  other = (await post('/institutions', { code: 'CHC2', name: '其他中心', kind: 'chc', districtCode: '310104' })).json().id;
  for (const [name, title, fd, inst] of [
    ['吴医生', '主治医师', true, chc],
    ['郑护士', '护师', false, chc],
    ['王助理', null, false, chc],
    ['外院医生', '医师', true, other],
  ] as const) {
    const r = await post('/practitioners', { institutionId: inst, name, sex: 'F', title, isFamilyDoctor: fd });
    assert.equal(r.statusCode, 201, r.body);
    staff[name] = r.json().id;
  }
});
after(() => t.close());

const create = (payload: object) => t.call(admin, { method: 'POST', url: '/api/v1/teams', payload });

test('create a team: leader, members with roles from their titles, managed 居委', async () => {
  const r = await create({
    institutionId: chc,
    name: '天平一队',
    leaderId: staff['吴医生'],
    memberIds: [staff['郑护士'], staff['王助理']],
    communityCodes: ['310104003001', '310104003002'],
  });
  assert.equal(r.statusCode, 201, r.body);
  const team = r.json();
  assert.equal(team.leaderName, '吴医生');
  assert.equal(team.districtCode, '310104');
  assert.equal(team.streetCode, '310104003');
  assert.deepEqual(
    team.members.map((m: { name: string; role: string }) => [m.name, m.role]),
    [
      ['吴医生', 'leader'],
      ['郑护士', 'nurse'],
      ['王助理', 'other'],
    ],
  );
  assert.deepEqual(team.communityCodes, ['310104003001', '310104003002']);
  assert.equal(team.communities[0].name, '东湖居委会');
  const list = await t.call(admin, { method: 'GET', url: '/api/v1/teams', query: { institutionId: String(chc) } });
  assert.equal(list.json().total, 1);
  assert.equal(list.json().items[0].members.length, 3);
  assert.equal((await t.call(admin, { method: 'GET', url: '/api/v1/teams', query: { institutionId: String(other) } })).json().total, 0);
});

test('members must belong to the institution; 居委 must exist in its district', async () => {
  const r = await create({
    institutionId: chc,
    name: '错队',
    leaderId: staff['外院医生'],
    memberIds: [99999],
    communityCodes: ['310101002001', '310104003999'],
  });
  assert.equal(r.statusCode, 400);
  assert.deepEqual(
    r.json().details.map((d: { field: string }) => d.field),
    ['leaderId', 'memberIds.0', 'communityCodes.0', 'communityCodes.1'],
  );
  assert.equal((await t.kernel.db.query("select 1 from team where name = '错队'")).length, 0);
  const dup = await create({ institutionId: chc, name: 'x', leaderId: staff['吴医生'], memberIds: [staff['郑护士'], staff['郑护士']] });
  assert.equal(dup.statusCode, 400);
});

test('namesOf: names of institutions, teams and practitioners for lists of ids; unknown and null ids are absent', async () => {
  const { namesOf } = await import('./service.ts');
  const team = (await create({ institutionId: chc, name: '天平名称队', leaderId: staff['吴医生'] })).json();
  const names = await t.kernel.db.transaction((tx) =>
    namesOf({ tx }, { institutions: [chc, other, chc, null, 999999], teams: [team.id, 999999], practitioners: [staff['吴医生']!, staff['外院医生']!, null] }),
  );
  assert.deepEqual(
    [...names.institutions.entries()].sort(),
    [
      [chc, '天平社区卫生服务中心'],
      [other, '其他中心'],
    ].sort(),
  );
  assert.deepEqual([...names.teams.entries()], [[team.id, '天平名称队']]);
  assert.equal(names.practitioners.get(staff['吴医生']!), '吴医生');
  assert.equal(names.practitioners.get(staff['外院医生']!), '外院医生');
  assert.equal(names.practitioners.size, 2);
  const none = await t.kernel.db.transaction((tx) => namesOf({ tx }, {}));
  assert.equal(none.institutions.size + none.teams.size + none.practitioners.size, 0);
});
