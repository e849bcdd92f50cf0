import { AppError, type FieldError } from '../http/errors.ts';

/** 400 with field details, the same code schema validation uses. */
export function invalidInput(message: string, details: FieldError[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', message, details);
}
