import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { AppError } from './errors.ts';
import type { AnyRoute } from './route.ts';

type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats = ((addFormatsImport as unknown as { default?: AddFormats }).default ?? addFormatsImport) as unknown as AddFormats;

/**
 * Tests (and `WEIJIAN_CHECK_RESPONSES=true`) check every response against its declared schema, with every
 * object closed: Fastify serialises responses through the schema and silently drops an undeclared field,
 * so a field the schema forgot must fail a test instead of vanishing from the console. The check runs on
 * the JSON the client would parse (dates become strings), and input-only formats are not checked.
 */
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
addFormats(ajv, ['date', 'date-time', 'email', 'uri', 'uuid']);
for (const f of ['resident-id', 'past-date', 'mobile', 'district-code', 'binary']) ajv.addFormat(f, true);

const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

/** A copy of the schema where every object with declared properties admits no other property. */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] =
      k === 'properties' || k === 'patternProperties' || k === '$defs' || k === 'definitions'
        ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closeObjects(s)]))
        : closeObjects(v);
  }
  if (out.properties && out.additionalProperties === undefined && out.patternProperties === undefined) out.additionalProperties = false;
  return out;
}

export function checkResponse(route: AnyRoute, status: number, result: unknown): void {
  const schema = route.response?.[status] as TSchema | undefined;
  if (!schema) return;
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(closeObjects(schema) as object);
    compiled.set(schema, validate);
  }
  const wire = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  if (validate(wire)) return;
  const problems = (validate.errors ?? []).slice(0, 8).map((e) => ({
    field: `response${e.instancePath.replaceAll('/', '.')}${e.keyword === 'additionalProperties' ? `.${(e.params as { additionalProperty: string }).additionalProperty}` : ''}`,
    message: `${e.keyword}: ${e.message ?? ''}`,
  }));
  throw new AppError(500, 'RESPONSE_SCHEMA', `响应与声明的模式不符：${route.method} ${route.url} ${status}`, problems);
}
