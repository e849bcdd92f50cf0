import { AppError } from '../../../platform/http/errors.ts';

/**
 * A refusal that is both the platform's error body and a FHIR OperationOutcome (resourceType + issue),
 * so FHIR clients and the console read the same answer. `code` is the FHIR issue type.
 */
export function termError(status: 400 | 404 | 409 | 422, issue: 'not-found' | 'invalid' | 'not-supported' | 'conflict' | 'business-rule', message: string, field?: string): AppError {
  const code = status === 404 ? 'NOT_FOUND' : status === 409 ? 'CONFLICT' : status === 422 ? 'RULE_VIOLATION' : 'BAD_REQUEST';
  const e = new AppError(status, code, message, field ? [{ field, message }] : []);
  e.extra = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: issue, diagnostics: message }] };
  return e;
}
