import { AppError, type FieldError } from '../../../platform/http/errors.ts';

/**
 * A refusal that is both the platform's error body and a FHIR OperationOutcome (resourceType + issue),
 * so FHIR clients and the console read the same answer. `code` is the FHIR issue type.
 */
export function termError(
  status: 400 | 404 | 409 | 422,
  issue: 'not-found' | 'invalid' | 'not-supported' | 'conflict' | 'business-rule',
  message: string,
  field?: string,
): AppError {
  const code = status === 404 ? 'NOT_FOUND' : status === 409 ? 'CONFLICT' : status === 422 ? 'RULE_VIOLATION' : 'BAD_REQUEST';
  const e = new AppError(status, code, message, field ? [{ field, message }] : []);
  e.extra = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: issue, diagnostics: message }] };
  return e;
}

/** A 400 naming every bad parameter, as the platform's field errors and one OperationOutcome issue each. */
export function termInvalid(details: FieldError[]): AppError {
  const e = new AppError(400, 'VALIDATION_FAILED', details.map((d) => `${d.field}：${d.message}`).join('；') || '参数有误', details);
  e.extra = {
    resourceType: 'OperationOutcome',
    issue: details.map((d) => ({ severity: 'error', code: 'invalid', diagnostics: `${d.field}：${d.message}`, expression: [d.field] })),
  };
  return e;
}
