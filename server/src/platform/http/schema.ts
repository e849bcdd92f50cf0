import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { AppError } from './errors.ts';

/**
 * Schema building blocks every module's routes use (inputs and responses). Imports only TypeBox and the error
 * type, so the console can import response types that are built from them.
 */

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

export const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};

export function pageOf(q: { page?: number; pageSize?: number }): { limit: number; offset: number } {
  const pageSize = q.pageSize ?? 20;
  return { limit: pageSize, offset: ((q.page ?? 1) - 1) * pageSize };
}

/** An empty PATCH body changes nothing: refuse it with a zh-CN message (ajv's minProperties text is English). */
export function nonEmptyPatch(body: object): void {
  if (Object.values(body).every((v) => v === undefined)) {
    throw new AppError(400, 'VALIDATION_FAILED', '请至少填写一个要修改的字段', [{ field: 'body', message: '请至少填写一个要修改的字段' }]);
  }
}

// ———————————————————————————————— response building blocks ————————————————————————————————

/** A page of a list: the rows and how many there are in all (extra fields via `extra`, e.g. page, pageSize). */
export function PageOf<T extends TSchema, E extends Record<string, TSchema> = Record<never, TSchema>>(item: T, extra?: E) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer({ minimum: 0 }), ...(extra ?? ({} as E)) });
}
/** `{ ok: true }`: what a route answers when there is nothing else to say (mount's default for no result). */
export const Ok = Type.Object({ ok: Type.Boolean() });
/** A file (download): sent as bytes with its own content type, not serialised as JSON. */
export const FileResponse = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary', description: '文件下载' });
/** A calendar date as the API sends it (YYYY-MM-DD, Shanghai). */
export const DateText = Type.String({ format: 'date' });
/** An instant as the API sends it (ISO 8601 with offset). */
export const Instant = Type.String({ format: 'date-time' });
