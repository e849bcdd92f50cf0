import type { FieldError } from './errors.ts';

/**
 * Text the JSON schema lets through but the product must still refuse, with the field named: NUL
 * characters (PostgreSQL text cannot hold U+0000 — it would surface as a nameless database error) and
 * strings of blanks only where the schema asks for at least one character (a title of spaces is no title).
 */
interface StringSchema {
  type?: string | string[];
  minLength?: number;
  properties?: Record<string, StringSchema>;
  items?: StringSchema;
  anyOf?: StringSchema[];
}

function requiresText(s: StringSchema | undefined): boolean {
  if (!s) return false;
  if ((s.minLength ?? 0) >= 1) return true;
  return (s.anyOf ?? []).some((a) => (a.type === 'string' || a.type === undefined) && (a.minLength ?? 0) >= 1);
}

function childSchema(s: StringSchema | undefined, key: string | number): StringSchema | undefined {
  if (!s) return undefined;
  if (typeof key === 'number') return s.items ?? s.anyOf?.find((a) => a.items)?.items;
  return s.properties?.[key] ?? s.anyOf?.find((a) => a.properties?.[key])?.properties?.[key];
}

export function textProblems(value: unknown, schema: unknown, path = ''): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, s: StringSchema | undefined, at: string) => {
    if (typeof v === 'string') {
      if (v.includes('\u0000')) out.push({ field: at, message: '不能包含空字符（NUL）' });
      else if (v.trim() === '' && v !== '' && requiresText(s)) out.push({ field: at, message: '不能为空白' });
      return;
    }
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, childSchema(s, i), at ? `${at}.${i}` : String(i));
      return;
    }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, childSchema(s, k), at ? `${at}.${k}` : k);
    }
  };
  walk(value, schema as StringSchema | undefined, path);
  return out;
}
