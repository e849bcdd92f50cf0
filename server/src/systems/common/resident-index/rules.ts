import type { FieldError } from '../../../platform/http/errors.ts';
import { AppError } from '../../../platform/http/errors.ts';

/** Death: status 'dead' needs a death date, not before birth (the 'past-date' format already refuses the future). */
export function deathProblems(status: 'alive' | 'dead', deathDate: string | null, birthDate: string | null): FieldError[] {
  if (status === 'dead') {
    if (!deathDate) return [{ field: 'deathDate', message: '状态为死亡时须填写死亡日期' }];
    if (birthDate && deathDate < birthDate) return [{ field: 'deathDate', message: '死亡日期不能早于出生日期' }];
    return [];
  }
  return deathDate ? [{ field: 'deathDate', message: '仅在状态为死亡时填写死亡日期' }] : [];
}

export function invalid(details: FieldError[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', details.length === 1 ? details[0]!.message : '输入有误，请检查标出的字段', details);
}

/** A unique-index violation (another row, maybe outside the caller's scope, has this identity). */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === '23505';
}
