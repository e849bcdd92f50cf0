import { AppError } from '../../../platform/http/errors.ts';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** A string enum as a plain JSON-schema `enum` (one clear error message, unlike anyOf of literals). */
export function enumOf<T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });
}

/** The schema, or null (PATCH bodies clear a field with null). */
export function nullable<S extends TSchema>(s: S) {
  const raw = s as unknown as { type?: string; enum?: unknown[] };
  const extra: Record<string, unknown> = { type: [raw.type, 'null'] };
  if (raw.enum) extra.enum = [...raw.enum, null];
  return Type.Unsafe<Static<S> | null>({ ...s, ...extra });
}

export const Text = (maxLength: number, opts: Record<string, unknown> = {}) => Type.String({ maxLength, ...opts });
export const Name = (maxLength = 100) => Type.String({ minLength: 1, maxLength });
export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export const StreetCode = Type.String({ pattern: '^3101\\d{5}$', maxLength: 9 });
export const CommunityCode = Type.String({ pattern: '^3101\\d{8}$', maxLength: 12 });
export const DistrictCode = Type.String({ format: 'district-code', maxLength: 6 });
/** 手机或固话（区号-号码），存储前去掉分隔符。 */
export const Phone = Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$', maxLength: 20 });

export const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

export function pageOf(q: { page?: number; pageSize?: number }): { limit: number; offset: number } {
  const pageSize = q.pageSize ?? 20;
  return { limit: pageSize, offset: ((q.page ?? 1) - 1) * pageSize };
}

export function normalizePhone(p: string): string {
  return p.replace(/[\s-]/g, '');
}

/** An empty PATCH body changes nothing: refuse it with a zh-CN message (ajv's minProperties text is English). */
export function nonEmptyPatch(body: object): void {
  if (Object.values(body).every((v) => v === undefined)) {
    throw new AppError(400, 'VALIDATION_FAILED', '请至少填写一个要修改的字段', [{ field: 'body', message: '请至少填写一个要修改的字段' }]);
  }
}
