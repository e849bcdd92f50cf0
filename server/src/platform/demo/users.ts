import { hash } from '@node-rs/argon2';
import { ROLES, type RoleCode } from '../auth/roles.ts';
import { base32Encode, otpauthUri } from '../auth/totp.ts';
import { sm3 } from '../crypto/sm3.ts';
import type { KeyRing } from '../crypto/keyring.ts';
import type { Database, Queryable } from '../db/types.ts';
import type { Scope } from '../scope/scope.ts';
import { demoTeam } from './panel.ts';

/**
 * Demo staff accounts: one or more for every role, each with a meaningful data scope in the demo world.
 * DEMO ONLY — the password and the TOTP secrets are public (docs/demo.md); production refuses them.
 */
export const DEMO_PASSWORD = 'Weijian@2026demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: RoleCode;
  roleName: string;
  scope: Required<Scope>;
  /** zh-CN, e.g. "本机构：上海市春申医院". */
  scopeLabel: string;
  /** Base32 (RFC 4648, no padding), fixed per username so it can be added to an authenticator app once. */
  totpSecret: string;
  otpauthUri: string;
}

/** 160 bits from SM3 of the username: deterministic, so docs/demo.md can list the secrets. */
export function demoTotpSecret(username: string): string {
  return base32Encode(sm3(`weijian-demo-totp\u0000${username}`).subarray(0, 20));
}

export class DemoRefusedError extends Error {}

function refuseInProduction(env: string | undefined): void {
  if (env === 'production' || process.env.NODE_ENV === 'production') {
    throw new DemoRefusedError('生产环境（NODE_ENV=production）不允许创建演示账号 / demo accounts are refused in production');
  }
}

interface Anchors {
  hospital: { id: number; name: string; district_code: string; street_code: string | null };
  chc: { id: number; name: string; district_code: string; street_code: string | null };
  team: { id: number; name: string };
  doctor: { id: number; name: string };
}

/** The institutions, team and doctor the demo accounts are scoped to: real rows of the demo world, Huangpu first. */
async function anchors(db: Queryable): Promise<Anchors> {
  const [hospital] = await db.query<Anchors['hospital']>(
    `select id::int as id, name, district_code, street_code from institution
      where kind = 'city_hospital' and level = 3 and category = '综合' and parent_id is null and active
      order by (grade = '甲') desc, id limit 1`,
  );
  const fd = await demoTeam(db);
  if (!hospital || !fd) throw new Error('创建演示账号需要演示世界中的三级医院和家庭医生团队：请先生成演示世界（weijian world generate）');
  return {
    hospital,
    chc: { id: fd.chc_id, name: fd.chc_name, district_code: fd.district_code, street_code: fd.street_code },
    team: { id: fd.team_id, name: fd.team_name },
    doctor: { id: fd.doctor_id, name: fd.doctor_name },
  };
}

const scope = (s: Partial<Scope> & Pick<Scope, 'level'>): Required<Scope> => ({
  districtCode: null,
  streetCode: null,
  institutionId: null,
  teamId: null,
  practitionerId: null,
  ...s,
});

/**
 * The accounts for the current world (their scopes point at its rows). Lower scopes carry the chain above
 * them (district, street, institution) as user management stores it, so a district administrator sees them.
 */
export async function demoAccounts(db: Queryable): Promise<DemoAccount[]> {
  const a = await anchors(db);
  const inst = (i: Anchors['hospital']) => ({ districtCode: i.district_code, streetCode: i.street_code, institutionId: i.id });
  const list: Omit<DemoAccount, 'roleName' | 'totpSecret' | 'otpauthUri'>[] = [
    { username: 'city_admin', displayName: '市卫健委管理员', role: 'city_admin', scope: scope({ level: 'city' }), scopeLabel: '全市' },
    {
      username: 'district_admin_huangpu',
      displayName: '黄浦区卫健委管理员',
      role: 'district_admin',
      scope: scope({ level: 'district', districtCode: '310101' }),
      scopeLabel: '本区：黄浦区',
    },
    {
      username: 'district_admin_xuhui',
      displayName: '徐汇区卫健委管理员',
      role: 'district_admin',
      scope: scope({ level: 'district', districtCode: '310104' }),
      scopeLabel: '本区：徐汇区',
    },
    { username: 'shenkang_admin', displayName: '申康中心管理员', role: 'shenkang_admin', scope: scope({ level: 'city' }), scopeLabel: '全市' },
    {
      username: 'hospital_admin',
      displayName: `${a.hospital.name}管理员`,
      role: 'hospital_admin',
      scope: scope({ level: 'institution', ...inst(a.hospital) }),
      scopeLabel: `本机构：${a.hospital.name}`,
    },
    {
      username: 'hospital_user',
      displayName: `${a.hospital.name}医务处`,
      role: 'hospital_user',
      scope: scope({ level: 'institution', ...inst(a.hospital) }),
      scopeLabel: `本机构：${a.hospital.name}`,
    },
    {
      username: 'community_admin',
      displayName: `${a.chc.name}管理员`,
      role: 'community_admin',
      scope: scope({ level: 'institution', ...inst(a.chc) }),
      scopeLabel: `本机构：${a.chc.name}`,
    },
    {
      username: 'family_doctor',
      displayName: `${a.doctor.name}（家庭医生）`,
      role: 'family_doctor',
      scope: scope({ level: 'own', ...inst(a.chc), practitionerId: a.doctor.id }),
      scopeLabel: `本人签约居民：${a.doctor.name}`,
    },
    {
      username: 'doctor_assistant',
      displayName: `${a.team.name}助理`,
      role: 'doctor_assistant',
      scope: scope({ level: 'team', ...inst(a.chc), teamId: a.team.id }),
      scopeLabel: `本团队：${a.team.name}`,
    },
    { username: 'expert', displayName: '评审专家', role: 'expert', scope: scope({ level: 'city' }), scopeLabel: '全市' },
    { username: 'auditor', displayName: '安全审计员', role: 'auditor', scope: scope({ level: 'city' }), scopeLabel: '全市' },
  ];
  return list.map((u) => {
    const totpSecret = demoTotpSecret(u.username);
    return { ...u, roleName: ROLES[u.role], totpSecret, otpauthUri: otpauthUri(u.username, totpSecret) };
  });
}

/**
 * Creates (or, after a new world, re-points) the demo accounts: argon2id password hash, TOTP enrolled with
 * the fixed secret (sealed), demo = true. Throws in production.
 */
export async function createDemoUsers(db: Database, keys: KeyRing, opts: { env?: string } = {}): Promise<DemoAccount[]> {
  refuseInProduction(opts.env);
  const accounts = await demoAccounts(db);
  const hashes = await Promise.all(accounts.map(() => hash(DEMO_PASSWORD)));
  await db.transaction(async (tx) => {
    for (const [i, u] of accounts.entries()) {
      const s = u.scope;
      // An existing demo account keeps its password and sessions; only its scope follows the new world.
      await tx.query(
        `insert into app_user (username, display_name, role, scope_level, scope_district, scope_street, scope_institution_id, scope_team_id,
           practitioner_id, password_hash, totp_secret, totp_enabled, demo)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, true)
         on conflict (username) do update set
           display_name = excluded.display_name, role = excluded.role, scope_level = excluded.scope_level,
           scope_district = excluded.scope_district, scope_street = excluded.scope_street,
           scope_institution_id = excluded.scope_institution_id, scope_team_id = excluded.scope_team_id,
           practitioner_id = excluded.practitioner_id, updated_at = now()
         where app_user.demo`,
        [
          u.username,
          u.displayName,
          u.role,
          s.level,
          s.districtCode,
          s.streetCode,
          s.institutionId,
          s.teamId,
          s.practitionerId,
          hashes[i],
          keys.encryptField(u.totpSecret),
        ],
      );
    }
  });
  return accounts;
}

/** The console table printed on first start. */
export function formatDemoAccounts(accounts: readonly DemoAccount[]): string {
  const rows = accounts.map((a) => [a.username, a.roleName, a.scopeLabel, a.totpSecret]);
  const head = ['用户名', '角色', '数据权限', 'TOTP 密钥'];
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const cols = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(cols[i]! - width(c)))).join('  ')}`;
  return [line(head), ...rows.map(line)].join('\n');
}
