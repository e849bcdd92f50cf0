import { CronExpressionParser } from 'cron-parser';
import { fieldError } from '../http/errors.ts';

export const CRON_TZ = 'Asia/Shanghai';

const FIELD = /^[0-9A-Za-z*?,\-/#]+$/;

/** Why a cron expression is refused (zh-CN), or null when it is a valid 5-field expression. */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') return 'cron 表达式无效：应为 5 个字段（分 时 日 月 周），例如 0 2 * * *';
  // 'H' (random per parse) would move the schedule on every restart.
  if (!fields.every((f) => FIELD.test(f)) || fields.some((f) => /H/.test(f))) return 'cron 表达式无效：含不支持的字符';
  try {
    CronExpressionParser.parse(fields.join(' '), { tz: CRON_TZ }).next();
    return null;
  } catch (e) {
    return `cron 表达式无效：${(e as Error).message}`;
  }
}

/** 400 with details [{ field: 'cron', message }] for an invalid expression. */
export function assertCron(expr: string): string {
  const p = cronProblem(expr);
  if (p) throw fieldError('cron', p);
  return expr.trim().split(/\s+/).join(' ');
}

/** The first time strictly after `from` that the expression fires (Asia/Shanghai wall clock). */
export function nextRun(expr: string, from: Date = new Date()): Date {
  return CronExpressionParser.parse(expr, { tz: CRON_TZ, currentDate: from }).next().toDate();
}
