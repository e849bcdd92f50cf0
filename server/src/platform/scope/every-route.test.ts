// The data-scope proof: every registered route, called by every role from a scope outside the
// planted data (another district, street, institution, team, own patients; and a partner system),
// returns none of that data and changes none of it. Routes come from the registry, not a list.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { appendAudit } from '../audit/append.ts';
import { ROLE_CODES } from '../auth/roles.ts';
import { signPartnerRequest } from '../auth/partner.ts';
import { type Principal, SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import { API_PREFIX } from '../http/mount.ts';
import { maskPhone, maskResidentId } from '../util/resident-id.ts';
import type { Scope } from './scope.ts';
import { type Schema, residentIdFor, validSample } from '../../test/schema-samples.ts';
import { type TestApp, testApp } from '../../test/harness.ts';

const FOREIGN = '310101'; // 黄浦区: where the planted data lives
const HOME = '310104'; // 徐汇区: where every probing principal sits
const F = { person: 900001, institution: 900002, practitioner: 900003, team: 900004, user: 900005, department: 900006, client: 900007 };
const H = { institution: 800002, practitioner: 800003, team: 800004 };
const MARK = {
  name: '越界甲某',
  idNumber: residentIdFor('1975-03-04', '777', FOREIGN),
  phone: '13912345678',
  username: 'foreign_user_marker',
  displayName: '越界用户',
  actor: 'foreign_actor_marker',
};

let t: TestApp;

async function plant() {
  const db = t.kernel.db;
  const k = t.kernel.keys;
  await db.exec(`
    insert into region (code, name, level, parent_code, district_code, source) values
      ('${FOREIGN}001', '外区街道', 'street', '${FOREIGN}', '${FOREIGN}', 'world'),
      ('${HOME}001', '本区街道', 'street', '${HOME}', '${HOME}', 'world')
    on conflict do nothing;
    insert into institution (id, code, name, kind, level, district_code, street_code) values
      (${F.institution}, 'F-INST', '外区社区卫生服务中心', 'chc', 1, '${FOREIGN}', '${FOREIGN}001'),
      (${H.institution}, 'H-INST', '本区社区卫生服务中心', 'chc', 1, '${HOME}', '${HOME}001');
    insert into department (id, institution_id, code, name, district_code) values (${F.department}, ${F.institution}, 'GP', '全科', '${FOREIGN}');
    insert into practitioner (id, institution_id, name, sex, district_code, street_code, is_family_doctor) values
      (${F.practitioner}, ${F.institution}, '外区医生', 'F', '${FOREIGN}', '${FOREIGN}001', true),
      (${H.practitioner}, ${H.institution}, '本区医生', 'M', '${HOME}', '${HOME}001', true);
    insert into team (id, institution_id, name, leader_id, district_code, street_code) values
      (${F.team}, ${F.institution}, '外区团队', ${F.practitioner}, '${FOREIGN}', '${FOREIGN}001'),
      (${H.team}, ${H.institution}, '本区团队', ${H.practitioner}, '${HOME}', '${HOME}001');
  `);
  await db.query(
    `insert into person (id, id_number_enc, id_number_bi, id_number_mask, name, sex, birth_date, hukou_district, residence_district,
       residence_street, phone_enc, phone_bi, phone_mask, insured_place, managing_institution_id, team_id, doctor_id)
     values ($1, $2, $3, $4, $5, 'F', '1975-03-04', $6, $6, $7, $8, $9, $10, '310000', $11, $12, $13)`,
    [
      F.person,
      k.encryptField(MARK.idNumber),
      k.blindIndex(MARK.idNumber, 'person.id_number'),
      maskResidentId(MARK.idNumber),
      MARK.name,
      FOREIGN,
      `${FOREIGN}001`,
      k.encryptField(MARK.phone),
      k.blindIndex(MARK.phone, 'person.phone'),
      maskPhone(MARK.phone),
      F.institution,
      F.team,
      F.practitioner,
    ],
  );
  await db.query(
    `insert into app_user (id, username, display_name, role, scope_level, scope_district, password_hash, totp_enabled)
     values ($1, $2, $3, 'district_admin', 'district', $4, 'x', true)`,
    [F.user, MARK.username, MARK.displayName, FOREIGN],
  );
  const foreignActor: Principal = {
    ...SYSTEM_PRINCIPAL,
    kind: 'user',
    userId: F.user,
    username: MARK.actor,
    role: 'district_admin',
    scope: { level: 'district', districtCode: FOREIGN },
  };
  await db.transaction((tx) =>
    appendAudit(tx, foreignActor, [{ kind: 'read', action: 'resident.reveal', objectType: 'person', objectId: F.person, note: MARK.name }], {
      ip: null,
      requestId: null,
    }),
  );
}

/** The planted rows as JSON, to prove nothing outside the scope changed. */
async function foreignSnapshot(): Promise<string> {
  const q = async (sql: string) => JSON.stringify(await t.kernel.db.query(sql));
  return [
    await q(`select to_jsonb(p) - 'updated_at' as r from person p where residence_district = '${FOREIGN}' order by id`),
    await q(`select to_jsonb(u) - 'updated_at' - 'failed_logins' as r from app_user u where scope_district = '${FOREIGN}' or id = ${F.user} order by id`),
    await q(`select to_jsonb(i) as r from institution i where district_code = '${FOREIGN}' order by id`),
    await q(`select to_jsonb(p) as r from practitioner p where district_code = '${FOREIGN}' order by id`),
    await q(`select to_jsonb(x) as r from team x where district_code = '${FOREIGN}' order by id`),
    await q(`select to_jsonb(d) as r from department d where district_code = '${FOREIGN}' order by id`),
    await q(`select count(*) as n from team_member m join team x on x.id = m.team_id where x.district_code = '${FOREIGN}'`),
    await q(`select to_jsonb(r) as r from region r where district_code = '${FOREIGN}' order by code`),
  ].join('\n');
}

const OUTSIDE: Record<string, Scope> = {
  district: { level: 'district', districtCode: HOME },
  street: { level: 'street', districtCode: HOME, streetCode: `${HOME}001` },
  institution: { level: 'institution', districtCode: HOME, institutionId: H.institution },
  team: { level: 'team', districtCode: HOME, institutionId: H.institution, teamId: H.team },
  own: { level: 'own', districtCode: HOME, institutionId: H.institution, practitionerId: H.practitioner },
};

/** Query-string values aim at the foreign data; body values try to write into the foreign scope. */
const QUERY_HINTS = {
  district: FOREIGN,
  districtCode: FOREIGN,
  idNumber: MARK.idNumber,
  name: MARK.name,
  phone: MARK.phone,
  q: MARK.name,
  institutionId: F.institution,
  teamId: F.team,
  practitionerId: F.practitioner,
  actor: MARK.actor,
  objectId: String(F.person),
  username: MARK.username,
};
const BODY_HINTS = {
  district: FOREIGN,
  districtCode: FOREIGN,
  residenceDistrict: FOREIGN,
  hukouDistrict: FOREIGN,
  streetCode: `${FOREIGN}001`,
  residenceStreet: `${FOREIGN}001`,
  institutionId: F.institution,
  teamId: F.team,
  practitionerId: F.practitioner,
  leaderId: F.practitioner,
  parentId: F.institution,
  memberIds: [F.practitioner],
  scope: { level: 'district', districtCode: FOREIGN },
  idNumber: residentIdFor('1981-02-03', '555', FOREIGN),
  name: '探针',
  username: 'scope_probe',
};

const PARAM_BY_SEGMENT: Record<string, number[]> = {
  residents: [F.person],
  users: [F.user],
  institutions: [F.institution],
  practitioners: [F.practitioner],
  teams: [F.team],
  'api-clients': [F.client],
};

function urlsFor(url: string): string[] {
  const m = /\/([\w-]+)\/:(\w+)/.exec(url);
  if (!m) return [url];
  const ids = m[2] === 'name' ? ['platform.sample-report'] : (PARAM_BY_SEGMENT[m[1]!] ?? Object.values(F)).map(String);
  return ids.map((id) => url.replace(`:${m[2]}`, id).replace(/:\w+/g, '1'));
}

function leaks(text: string): string[] {
  return Object.entries(MARK)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

before(async () => {
  t = await testApp();
  await plant();
});
after(() => t.close());

test('the probe can see the planted data from inside its scope (control)', async () => {
  const inside = await t.loginAs('district_admin', { level: 'district', districtCode: FOREIGN });
  const r = await t.call(inside, { method: 'GET', url: `${API_PREFIX}/residents?idNumber=${MARK.idNumber}` });
  if (r.statusCode === 404 && r.json().message === '接口不存在') return; // resident routes not registered yet
  assert.equal(r.statusCode, 200, r.body);
  assert.ok(leaks(r.body).includes('name'), 'an in-scope search should find the planted resident');
});

test('every route × every role × every outside scope: nothing outside is returned or changed', async () => {
  const routes = t.kernel.routes;
  assert.ok(routes.length >= 10, `only ${routes.length} routes registered`);
  const fastifyRoutes = t.app.printRoutes({ commonPrefix: false });
  for (const { route } of routes) assert.ok(fastifyRoutes.includes(route.url.split('/').pop()!.replace(/^:.*/, '')), `${route.url} not mounted`);
  const before = await foreignSnapshot();
  let calls = 0;
  let allowed = 0;
  const problems: string[] = [];
  const principals: { label: string; role: string; scope: Scope }[] = [];
  for (const role of ROLE_CODES) for (const [level, scope] of Object.entries(OUTSIDE)) principals.push({ label: `${role}@${level}`, role, scope });

  // A partner system registered for the home district, holding every permission.
  const secret = 'partner-secret-for-scope-test';
  const perms = t.kernel.permissions.map((p) => p.code);
  await t.kernel.db.query(
    `insert into api_client (id, client_id, name, secret, permissions, scope_level, scope_district) values ($1, 'scope-probe', '探针系统', $2, $3, 'district', $4)`,
    [F.client, t.kernel.keys.encryptField(secret), perms, HOME],
  );

  for (const { route } of routes) {
    for (const url of urlsFor(route.url)) {
      const query = route.querystring
        ? new URLSearchParams(
            Object.entries(validSample(route.querystring as unknown as Schema, QUERY_HINTS) as Record<string, unknown>)
              .filter(([, v]) => v !== null && v !== undefined)
              .map(([k, v]): [string, string] => [k, String(v)]),
          ).toString()
        : '';
      const full = `${API_PREFIX}${url}${query ? `?${query}` : ''}`;
      const payload = route.body ? (validSample(route.body as unknown as Schema, BODY_HINTS) as object) : undefined;
      const send = async (headers: Record<string, string>, who: string) => {
        const r = await t.app.inject({
          method: route.method,
          url: full,
          headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
          payload: payload ? JSON.stringify(payload) : undefined,
        });
        calls++;
        if (r.statusCode < 300) allowed++;
        if (r.statusCode >= 500) problems.push(`${who} ${route.method} ${full}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        const l = leaks(r.body);
        if (l.length) problems.push(`${who} ${route.method} ${full}: leaked ${l.join(',')}`);
      };
      if (route.auth === 'partner') {
        await send({ 'x-wj-client': 'scope-probe', ...signPartnerRequest(secret, route.method, full, payload ? JSON.stringify(payload) : '') }, 'partner');
        continue;
      }
      for (const p of principals) {
        if (route.permission && !t.kernel.permissionsOf(p.role).has(route.permission)) continue;
        // A fresh session per call: some routes end the caller's session (logout) or change the caller.
        const s = await t.loginAs(p.role as never, p.scope);
        await send({ authorization: `Bearer ${s.token}` }, p.label);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.equal(await foreignSnapshot(), before, 'data outside the scope changed');
  assert.ok(calls > routes.length, `only ${calls} calls`);
  assert.ok(allowed > 0, 'no call was allowed at all: the probe tested nothing');
});
