import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

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

// Passwords that meet the length and class rules yet top every leaked-password list.
const COMMON = new Set([
  'password123!', 'password@123', 'p@ssw0rd123', 'p@ssword123', 'passw0rd!!', 'qwerty123!', 'qwerty@1234', 'admin@12345',
  'admin@123456', 'admin123456!', 'root@123456', 'welcome@123', 'welcome123!', 'abc@123456', 'abcd@123456', 'aa123456789',
  'aa1234567890', '1qaz@wsx3edc', '1qaz!qaz2wsx', '1qaz2wsx#edc', 'zxcvbnm123!', 'qq123456789', 'huawei@123', 'huawei@1234',
  'shanghai@123', 'shanghai123!', 'changeme123!', 'iloveyou123!', 'a123456789!', 'abc123456789', 'test@123456',
]);

/** zh-CN problems with a candidate password; empty when it is acceptable. */
export function checkPasswordPolicy(password: string, username = ''): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`密码长度不能少于 ${PASSWORD_MIN_LENGTH} 个字符`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`密码长度不能超过 ${PASSWORD_MAX_LENGTH} 个字符`);
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('密码需包含大写字母、小写字母、数字、符号中的至少 3 类');
  const user = username.trim().toLowerCase();
  if (user.length >= 3 && password.toLowerCase().includes(user)) problems.push('密码不能包含用户名');
  if (COMMON.has(password.toLowerCase())) problems.push('密码过于常见，请更换');
  return problems;
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
