import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import type { Config } from '../config.ts';
import { DEMO_PASSWORD } from '../demo/users.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** argon2id (the library's default algorithm) with its default cost: about 7 ms a hash here. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False (never a throw) for a wrong password or an unreadable hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** A hash to verify against when the user does not exist, so both paths cost one argon2 verify. */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hash(`no-such-user-${randomInt(1e9)}`);
  return dummy;
}

// The bundled common-password list (see the file's header for where it comes from).
const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', $: 's', '5': 's', '7': 't', '9': 'g' };
const deLeet = (s: string) => s.replace(/[@401!3$579]/g, (c) => LEET[c] ?? c);

/**
 * True when the password is a common one, or one dressed up with case, leet letters, a prefix or suffix
 * of digits and symbols, or symbols in between: Password2026!, P@ssw0rd#1, 2026#Shanghai, Pass#word#99.
 */
export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  if (COMMON.has(p)) return true;
  const core = p.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const leetCore = deLeet(core);
  const candidates = [core, leetCore, p.replace(/[^a-z]/g, ''), leetCore.replace(/[^a-z]/g, '')];
  return candidates.some((c) => c.length >= 4 && COMMON.has(c));
}

export interface PolicyOptions {
  /** Demo mode: the demo accounts' shared password is allowed (it is refused everywhere else). */
  demo?: boolean;
}

/** zh-CN problems with a candidate password; empty when it is acceptable. */
export function checkPasswordPolicy(password: string, username = '', opts: PolicyOptions = {}): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`密码长度不能少于 ${PASSWORD_MIN_LENGTH} 个字符`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`密码长度不能超过 ${PASSWORD_MAX_LENGTH} 个字符`);
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('密码需包含大写字母、小写字母、数字、符号中的至少 3 类');
  const user = username.trim().toLowerCase();
  if (user.length >= 3 && password.toLowerCase().includes(user)) problems.push('密码不能包含用户名');
  if (password === DEMO_PASSWORD && !opts.demo) problems.push('不能使用演示账号的公开密码');
  else if (isCommonPassword(password)) problems.push('密码过于常见（在常用密码表中或由常用密码加数字、符号组成），请更换');
  return problems;
}

/**
 * Why a user who just gave the right password must change it before going on, or null:
 * reset (an administrator set it), expired (older than passwordMaxAgeDays), weak (it no longer meets
 * the policy, e.g. the demo password outside demo mode or a password now on the common list).
 */
export function passwordChangeReason(
  config: Pick<Config, 'demo'>,
  u: { must_change_password: boolean; expired: boolean; username: string },
  password: string,
): 'reset' | 'expired' | 'weak' | null {
  if (u.must_change_password) return 'reset';
  if (u.expired) return 'expired';
  if (checkPasswordPolicy(password, u.username, { demo: config.demo }).length) return 'weak';
  return null;
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGIT = '23456789';
const SYMBOL = '#%+=@*!?';

/** A random password meeting the policy, without look-alike characters (0/O, 1/l/I) for reading aloud. */
export function generatePassword(length = 16): string {
  const all = UPPER + LOWER + DIGIT + SYMBOL;
  const chars = [UPPER, LOWER, DIGIT, SYMBOL].map((set) => set[randomInt(set.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
