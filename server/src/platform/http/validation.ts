import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FieldError } from './errors.ts';
import { validateResidentId } from '../util/resident-id.ts';
import { todayInShanghai } from '../util/dates.ts';

// ajv-formats is CJS with a default export; under NodeNext it arrives wrapped.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats = ((addFormatsImport as unknown as { default?: AddFormats }).default ?? addFormatsImport) as unknown as AddFormats;

function withFormats(ajv: Ajv): Ajv {
  addFormats(ajv, ['date', 'date-time', 'email', 'uri', 'uuid']);
  // 18-digit resident ID (GB 11643): check digit and the birth date inside it.
  ajv.addFormat('resident-id', { type: 'string', validate: (s: string) => validateResidentId(s).ok });
  // A date that cannot lie in the future (birth, death, visit dates).
  ajv.addFormat('past-date', {
    type: 'string',
    validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) && s <= todayInShanghai(),
  });
  ajv.addFormat('mobile', { type: 'string', validate: /^1[3-9]\d{9}$/ });
  ajv.addFormat('district-code', { type: 'string', validate: /^3101\d{2}$/ });
  return ajv;
}

/** Bodies are checked strictly (no type coercion): a number sent as a string is an error. */
export const bodyAjv = withFormats(new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false }));
/** Query strings and path params arrive as text: coerce them. */
export const paramAjv = withFormats(new Ajv({ allErrors: true, coerceTypes: 'array', useDefaults: true, removeAdditional: false, strict: false }));

const FORMAT_NAMES: Record<string, string> = {
  date: '日期（YYYY-MM-DD）',
  'date-time': '日期时间',
  email: '电子邮箱',
  uri: '网址',
  uuid: 'UUID',
  'resident-id': '18位居民身份证号码（校验位或出生日期不正确）',
  'past-date': '不晚于今天的日期（YYYY-MM-DD）',
  mobile: '11位手机号码',
  'district-code': '上海市区级行政区划代码（3101xx）',
};

const TYPE_NAMES: Record<string, string> = {
  string: '字符串',
  integer: '整数',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: '空值',
};

function fieldOf(e: ErrorObject, prefix: string): string {
  const base = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra =
    e.keyword === 'required'
      ? (e.params as { missingProperty: string }).missingProperty
      : e.keyword === 'additionalProperties'
        ? (e.params as { additionalProperty: string }).additionalProperty
        : '';
  const path = [base, extra].filter(Boolean).join('.');
  return path || prefix;
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return '必填';
    case 'type':
      return `类型应为${String(p.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join('或')}`;
    case 'maxLength':
      return `长度不能超过 ${p.limit} 个字符`;
    case 'minLength':
      return p.limit === 1 ? '不能为空' : `长度不能少于 ${p.limit} 个字符`;
    case 'maximum':
      return `不能大于 ${p.limit}`;
    case 'minimum':
      return `不能小于 ${p.limit}`;
    case 'exclusiveMinimum':
      return `必须大于 ${p.limit}`;
    case 'exclusiveMaximum':
      return `必须小于 ${p.limit}`;
    case 'maxItems':
      return `最多 ${p.limit} 项`;
    case 'minItems':
      return `至少 ${p.limit} 项`;
    case 'enum':
      return `取值应为：${(p.allowedValues as unknown[]).join('、')}`;
    case 'const':
      return `取值应为 ${String(p.allowedValue)}`;
    case 'format':
      return `格式不正确，应为${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`;
    case 'pattern':
      return '格式不正确';
    case 'additionalProperties':
      return '不允许的字段';
    case 'uniqueItems':
      return '不能有重复项';
    case 'minProperties':
      return p.limit === 1 ? '至少需要填写一个字段' : `至少需要 ${p.limit} 个字段`;
    case 'maxProperties':
      return `最多 ${p.limit} 个字段`;
    case 'anyOf':
    case 'oneOf':
      return '取值不符合要求';
    default:
      return e.message ?? '取值不合法';
  }
}

export function toFieldErrors(errors: ErrorObject[] | null | undefined, part: string): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors ?? []) {
    if (e.keyword === 'if') continue;
    const fe = { field: fieldOf(e, part), message: messageOf(e) };
    const key = `${fe.field}|${fe.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fe);
    }
  }
  return out;
}
