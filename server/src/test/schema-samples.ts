import { checkDigit } from '../platform/util/resident-id.ts';

/** A JSON schema as Fastify/TypeBox hold it. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  default?: unknown;
}

/** Values the generator prefers for fields of these names (scope tests point them at foreign data). */
export type Hints = Record<string, unknown>;

export function residentIdFor(birth: string, seq = '123', region = '310101'): string {
  const first17 = `${region}${birth.replaceAll('-', '')}${seq}`;
  return first17 + checkDigit(first17);
}

const FORMAT_SAMPLES: Record<string, () => string> = {
  date: () => '2020-05-17',
  'past-date': () => '2020-05-17',
  'date-time': () => '2026-01-02T03:04:05.000Z',
  email: () => 'test@example.org',
  uri: () => 'https://example.org/a',
  uuid: () => '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  'resident-id': () => residentIdFor('1980-01-01'),
  mobile: () => '13800138000',
  'district-code': () => '310104',
};

function typeOf(s: Schema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  if (s.properties) return 'object';
  return undefined;
}

/** A value that satisfies the schema, taking hinted values for named fields when they fit. */
export function validSample(s: Schema, hints: Hints = {}, name = ''): unknown {
  if (name && name in hints) return hints[name];
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf || s.oneOf) return validSample((s.anyOf ?? s.oneOf)![0]!, hints, name);
  switch (typeOf(s)) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(s.properties ?? {})) o[k] = validSample(p, hints, k);
      return o;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => validSample(s.items ?? { type: 'string' }, hints, name));
    case 'integer':
    case 'number':
      return s.minimum !== undefined && s.minimum > 1 ? s.minimum : s.maximum !== undefined && s.maximum < 1 ? s.maximum : 1;
    case 'boolean':
      return true;
    case 'string': {
      const sample = s.format ? FORMAT_SAMPLES[s.format] : undefined;
      if (sample) return sample();
      if (s.pattern) return null; // caller must hint; a generic sample could not match
      const min = s.minLength ?? 1;
      const base = '测试值abcdefgh12';
      let v = base.repeat(Math.ceil(min / base.length) + 1).slice(0, Math.max(min, Math.min(s.maxLength ?? 8, 8)));
      if (s.maxLength !== undefined) v = v.slice(0, s.maxLength);
      return v;
    }
    default:
      return null;
  }
}

export interface InvalidVariant {
  label: string;
  /** The field the error must name. */
  field: string;
  body: unknown;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown, remove = false): Record<string, unknown> {
  const copy = structuredClone(obj);
  let cur: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete cur[last];
  else cur[last] = value;
  return copy;
}

function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const k of path) cur = (cur as Record<string, unknown> | undefined)?.[k];
  return cur;
}

/** Bad inputs derived from the schema: missing required, wrong types, too long, bad enums and formats, unknown fields. */
export function invalidVariants(s: Schema, valid: Record<string, unknown>, prefix: string[] = []): InvalidVariant[] {
  const out: InvalidVariant[] = [];
  if (typeOf(s) !== 'object' || !s.properties) return out;
  const field = (k: string) => [...prefix, k].join('.');
  for (const k of s.required ?? []) out.push({ label: `missing ${field(k)}`, field: field(k), body: setPath(valid, [...prefix, k], undefined, true) });
  if (s.additionalProperties === false)
    out.push({ label: `unknown field in ${prefix.join('.') || 'body'}`, field: field('__unknown__'), body: setPath(valid, [...prefix, '__unknown__'], 1) });
  for (const [k, p] of Object.entries(s.properties)) {
    const path = [...prefix, k];
    const t = typeOf(p);
    const wrong = t === 'string' ? 12345 : t === 'array' ? 'x' : t === 'object' ? 'x' : t === 'boolean' ? 'yes' : 'abc';
    if (t && !(p.anyOf || p.oneOf)) out.push({ label: `wrong type ${field(k)}`, field: field(k), body: setPath(valid, path, wrong) });
    if (t === 'string' && p.maxLength !== undefined)
      out.push({ label: `too long ${field(k)}`, field: field(k), body: setPath(valid, path, 'x'.repeat(p.maxLength + 1)) });
    if (p.enum) out.push({ label: `bad enum ${field(k)}`, field: field(k), body: setPath(valid, path, '__invalid__') });
    if (p.format === 'resident-id')
      out.push({
        label: `bad check digit ${field(k)}`,
        field: field(k),
        body: setPath(valid, path, residentIdFor('1980-01-01').slice(0, 17) + (residentIdFor('1980-01-01').endsWith('0') ? '1' : '0')),
      });
    if (p.format === 'date' || p.format === 'past-date') out.push({ label: `bad date ${field(k)}`, field: field(k), body: setPath(valid, path, '2020-13-45') });
    if (p.format === 'past-date') out.push({ label: `future date ${field(k)}`, field: field(k), body: setPath(valid, path, '2999-01-01') });
    if ((t === 'integer' || t === 'number') && p.minimum !== undefined)
      out.push({ label: `below minimum ${field(k)}`, field: field(k), body: setPath(valid, path, p.minimum - 1) });
    if (t === 'object' && typeof getPath(valid, path) === 'object' && getPath(valid, path) !== null) out.push(...invalidVariants(p, valid, path));
  }
  return out;
}
