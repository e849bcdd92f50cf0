import { hash } from '@node-rs/argon2';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { newSessionToken } from '../platform/auth/session-token.ts';
import type { RoleCode } from '../platform/auth/roles.ts';
import { loadConfig, type Config } from '../platform/config.ts';
import { KeyRing } from '../platform/crypto/keyring.ts';
import { buildServer } from '../platform/http/server.ts';
import { type Kernel, type Logger, startKernel } from '../platform/kernel.ts';
import type { WeijianModule } from '../platform/module.ts';
import type { Scope } from '../platform/scope/scope.ts';
import { allModules } from '../modules.ts';
import { openTestDb } from './db.ts';

export interface TestSession {
  userId: number;
  token: string;
  csrf: string;
  username: string;
}

export interface TestApp {
  kernel: Kernel;
  app: FastifyInstance;
  /** Staff user with a fully verified session (password + TOTP done), for API tests. */
  loginAs(role: RoleCode, scope?: Scope, extra?: { username?: string }): Promise<TestSession>;
  /** inject with the session's bearer token. */
  call(session: TestSession | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'Weijian#2026test';
let passwordHash: Promise<string> | null = null;
let seq = 0;

export function testConfig(over: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', WEIJIAN_DATA_DIR: 'tmp/test-data' }), demo: false, jobs: false, ...over };
}

/** A kernel + HTTP server over a fresh database (PGlite in memory, or TEST_DATABASE_URL). */
export async function testApp(opts: { modules?: readonly WeijianModule[]; config?: Partial<Config>; log?: Logger } = {}): Promise<TestApp> {
  const { db, drop } = await openTestDb();
  const kernel = await startKernel(testConfig(opts.config), opts.modules ?? allModules, { db, keys: KeyRing.generate(), log: opts.log });
  // Tests run their jobs by hand (runPendingJobs also enqueues due schedules): no cron schedule may fall due
  // by itself mid-test. The template is minutes old, and a CI run crossing 03:00 in Shanghai once had the
  // nightly subsidy screening slip into a screening test. A test of scheduling sets next_run_at itself.
  const [jobs] = await db.query<{ ok: boolean }>(`select to_regclass('job_schedule') is not null as ok`);
  if (jobs?.ok) await db.query(`update job_schedule set next_run_at = now() + interval '1 day' where next_run_at is not null`);
  const app = await buildServer(kernel);
  await app.ready();
  return {
    kernel,
    app,
    async loginAs(role, scope = { level: 'city' }, extra = {}) {
      passwordHash ??= hash(TEST_PASSWORD);
      const username = extra.username ?? `t_${role}_${process.pid}_${++seq}`;
      const u = (
        await db.query<{ id: number }>(
          `insert into app_user (username, display_name, role, scope_level, scope_district, scope_street, scope_institution_id, scope_team_id, practitioner_id, password_hash, totp_enabled)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true) returning id`,
          [
            username,
            `测试${role}`,
            role,
            scope.level,
            scope.districtCode ?? null,
            scope.streetCode ?? null,
            scope.institutionId ?? null,
            scope.teamId ?? null,
            scope.practitionerId ?? null,
            await passwordHash,
          ],
        )
      )[0]!;
      const { token, id } = newSessionToken();
      const csrf = newSessionToken().token;
      await db.query(`insert into app_session (id, user_id, csrf_token, mfa_passed, expires_at) values ($1, $2, $3, true, now() + interval '1 hour')`, [
        id,
        u.id,
        csrf,
      ]);
      return { userId: u.id, token, csrf, username };
    },
    call(session, o) {
      const headers = { ...(o.headers ?? {}), ...(session ? { authorization: `Bearer ${session.token}` } : {}) };
      return app.inject({ ...o, headers });
    },
    async close() {
      await app.close();
      await drop();
    },
  };
}
