// The POST form of the FHIR operations: a `Parameters` resource in the body instead of a query string.
// Each parameter becomes the same named input the GET form takes (a Coding is spread into system, code,
// version and display; codingA / codingB into codeA / codeB), then is checked against the GET form's
// schema, so both forms accept and refuse exactly the same inputs.
import { type TSchema, Type } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import type { FieldError } from '../../../platform/http/errors.ts';
import { paramAjv, toFieldErrors } from '../../../platform/http/validation.ts';
import { termInvalid } from './errors.ts';

/** FHIR R4 Parameters, checked loosely here (values are read by their value[x] name below). */
export const ParametersBody = Type.Object(
  {
    resourceType: Type.Literal('Parameters', { description: '须为 Parameters' }),
    parameter: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: true }), { maxItems: 50 })),
  },
  { additionalProperties: true },
);

type Param = { name: string } & Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value of a parameter: its single value[x] element (valueString, valueUri, valueCode, valueInteger …). */
function paramValue(p: Param): unknown {
  const keys = Object.keys(p).filter((k) => k.startsWith('value'));
  return keys.length === 1 ? p[keys[0] as string] : undefined;
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

/** Parameters → the operation's input object, validated by the GET form's schema; a 400 OperationOutcome otherwise. */
export function inputFromParameters(body: { parameter?: Param[] }, schema: TSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const problems: FieldError[] = [];
  const set = (name: string, v: unknown, where: string) => {
    if (name in out) problems.push({ field: where, message: `参数 ${name} 重复` });
    else out[name] = v;
  };
  (body.parameter ?? []).forEach((p, i) => {
    const where = `parameter[${i}]`;
    const v = paramValue(p);
    if (v === undefined) {
      problems.push({ field: where, message: `参数 ${p.name} 须有且只有一个 value[x] 值` });
      return;
    }
    const coding = p.name === 'coding' ? '' : p.name === 'codingA' ? 'A' : p.name === 'codingB' ? 'B' : null;
    if (coding === null) {
      set(p.name, v, where);
      return;
    }
    if (!isObject(v) || typeof v.code !== 'string') {
      problems.push({ field: where, message: `参数 ${p.name} 须为含 code 的 valueCoding` });
      return;
    }
    set(`code${coding}`, v.code, where);
    // codingA and codingB name the same system ($subsumes takes one).
    if (typeof v.system === 'string' && !(coding === 'B' && out.system === v.system)) set('system', v.system, where);
    if (coding === '' && typeof v.version === 'string') set('version', v.version, where);
    if (coding === '' && typeof v.display === 'string') set('display', v.display, where);
  });
  if (problems.length) throw termInvalid(problems);
  let validate = compiled.get(schema);
  if (!validate) {
    validate = paramAjv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(out)) throw termInvalid(toFieldErrors(validate.errors, 'parameter'));
  return out;
}
