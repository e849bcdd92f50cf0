/** The one error body everywhere: { code, message (zh-CN), details: [{ field, message }] }. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  details: FieldError[];
  requestId?: string;
}

export class AppError extends Error {
  /** Commit the request's transaction (audit events, counters) before sending this error, e.g. a failed sign-in. */
  commit?: boolean;
  /** Fields added to the error body (e.g. a FHIR OperationOutcome's resourceType and issue). */
  extra?: Record<string, unknown>;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details: FieldError[] = []) => new AppError(400, 'BAD_REQUEST', message, details);
export const fieldError = (field: string, message: string) => new AppError(400, 'VALIDATION_FAILED', `${message}`, [{ field, message }]);
export const unauthorized = (message = '请先登录') => new AppError(401, 'UNAUTHORIZED', message);
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (message = '记录不存在或不在您的数据权限范围内') => new AppError(404, 'NOT_FOUND', message);
export const conflict = (message: string, details: FieldError[] = []) => new AppError(409, 'CONFLICT', message, details);
export const unprocessable = (message: string, details: FieldError[] = []) => new AppError(422, 'RULE_VIOLATION', message, details);
export const tooMany = (message = '请求过于频繁，请稍后再试') => new AppError(429, 'TOO_MANY_REQUESTS', message);

/** Marks an error so the kernel commits the transaction first (see AppError.commit). */
export function committed<E extends AppError>(e: E): E {
  e.commit = true;
  return e;
}
