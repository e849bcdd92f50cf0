import { appendAudit } from '../audit/append.ts';
import type { AuditInput } from '../audit/event.ts';
import { type CliCommand, parseArgs } from '../cli/types.ts';
import type { Tx } from '../db/types.ts';
import { AppError } from '../http/errors.ts';
import type { Kernel } from '../kernel.ts';
import { CITY_SCOPE, scopeSettings } from '../scope/scope.ts';
import { generatePassword } from './password.ts';
import { SYSTEM_PRINCIPAL } from './principal.ts';
import { ROLES, type RoleCode } from './roles.ts';
import { auditUser, type UserRow } from './user-view.ts';
import { parseScopeText } from './users/scope-input.ts';
import { createUser, normalizeUsername, resetTotp } from './users/service.ts';

/** A city-scope system transaction whose audit events are appended before commit, as a request's would be. */
async function asSystem<T>(kernel: Kernel, fn: (tx: Tx, audit: AuditInput[]) => Promise<T>): Promise<T> {
  return kernel.db.transaction(
    async (tx) => {
      const audit: AuditInput[] = [];
      const out = await fn(tx, audit);
      await appendAudit(tx, SYSTEM_PRINCIPAL, audit, { ip: null, requestId: 'cli' });
      return out;
    },
    { scope: scopeSettings(CITY_SCOPE, null) },
  );
}

/** Input errors print with their field details and exit 2; anything else propagates. */
async function reporting(out: (l: string) => void, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    out(`错误：${e.message}`);
    for (const d of e.details) out(`  ${d.field}：${d.message}`);
    return 2;
  }
}

const createUsage = 'user create --username u --name 姓名 --role 角色 --scope 范围 [--password p]';
const scopeForms = 'city | district:310101 | street:310101002 | institution:机构ID | team:团队ID | own:医务人员ID';

export const userCreateCommand: CliCommand = {
  name: 'user create',
  summary: `新建用户（未给密码时生成一个；首次登录须绑定动态口令）。范围：${scopeForms}`,
  usage: createUsage,
  run: (args, kernel, out) =>
    reporting(out, async () => {
      const { flags } = parseArgs(args);
      const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : '');
      const missing = ['username', 'name', 'role', 'scope'].filter((k) => !str(k));
      if (missing.length) {
        out(`缺少参数：${missing.map((k) => `--${k}`).join('、')}`);
        out(`用法：weijian ${createUsage}`);
        out(`范围：${scopeForms}`);
        out(
          `角色：${Object.entries(ROLES)
            .map(([c, n]) => `${c}（${n}）`)
            .join('、')}`,
        );
        return 2;
      }
      const generated = !str('password');
      const password = generated ? generatePassword() : str('password');
      const row = await asSystem(kernel!, async (tx, audit) => {
        const u = await createUser(tx, kernel!.keys, {
          username: str('username'),
          displayName: str('name'),
          role: str('role') as RoleCode,
          scope: parseScopeText(str('scope')),
          password,
          // A generated password travelled through a terminal: ask for a new one at the first sign-in.
          mustChangePassword: generated,
        });
        audit.push({ kind: 'admin', action: 'user.create', objectType: 'user', objectId: u.id, after: auditUser(u), note: '命令行创建' });
        return u;
      });
      out(`已创建用户 ${row.username}（${row.display_name}，${ROLES[row.role]}，ID ${row.id}）`);
      if (generated) out(`初始密码：${password}  （仅显示这一次；首次登录须修改）`);
      out('首次登录时须用身份验证器 App 绑定动态口令（TOTP）。');
      return 0;
    }),
};

export const userReset2faCommand: CliCommand = {
  name: 'user reset-2fa',
  summary: '重置用户的动态口令（下次登录重新绑定，现有会话失效）',
  usage: 'user reset-2fa <username>',
  run: (args, kernel, out) =>
    reporting(out, async () => {
      const { positional } = parseArgs(args);
      if (positional.length !== 1) {
        out('用法：weijian user reset-2fa <username>');
        return 2;
      }
      const username = normalizeUsername(positional[0]!);
      const row = await asSystem(kernel!, async (tx, audit) => {
        const [u] = await tx.query<UserRow>('select id from app_user where username = $1', [username]);
        if (!u) return null;
        const after = await resetTotp(tx, u.id);
        audit.push({ kind: 'admin', action: 'user.reset_2fa', objectType: 'user', objectId: u.id, after: auditUser(after), note: '命令行重置' });
        return after;
      });
      if (!row) {
        out(`用户不存在：${username}`);
        return 1;
      }
      out(`已重置 ${row.username} 的动态口令；其下次登录时须重新绑定。`);
      return 0;
    }),
};

export const userCommands: CliCommand[] = [userCreateCommand, userReset2faCommand];
