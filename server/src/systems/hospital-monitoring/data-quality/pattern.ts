/**
 * Format patterns of data-quality rules. A pattern is a small regular expression from a subset on which
 * PostgreSQL's regex (`~`, run inside the check query) and JavaScript's RegExp (the correction screen's
 * instant feedback) agree exactly: ASCII character classes, escaped literal punctuation, groups,
 * quantifiers `? * + {n} {n,m}` and alternation; always anchored. Anything else is refused.
 */
const TOKEN = /\\[.\-/]|\[(?:[A-Za-z0-9]-[A-Za-z0-9]|[A-Za-z0-9]|\\[.\-/])+\]|[A-Za-z0-9]|\(|\)|\||\?|\*|\+|\{\d{1,2}(?:,\d{1,2})?\}/y;

export function patternProblem(p: unknown): string | null {
  if (typeof p !== 'string' || p.length === 0 || p.length > 120) return '格式规则须是 1–120 个字符';
  let i = 0;
  let depth = 0;
  while (i < p.length) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(p);
    if (!m) return `格式规则第 ${i + 1} 个字符「${p[i]}」不受支持（只支持字母、数字、[A-Z] 等字符类、\\. 转义、分组、? * + {n,m} 和 |）`;
    if (m[0] === '(') depth++;
    if (m[0] === ')' && --depth < 0) return '格式规则的括号不配对';
    i += m[0].length;
  }
  if (depth !== 0) return '格式规则的括号不配对';
  try {
    new RegExp(`^(?:${p})$`);
  } catch {
    return '格式规则不是合法的表达式';
  }
  return null;
}

/** The anchored form both sides run. */
export const anchored = (p: string) => `^(?:${p})$`;

export function matches(p: string, value: string): boolean {
  return new RegExp(anchored(p)).test(value);
}

/** ICD-10 code: letter, two digits, optionally a dot and 1–4 digits/letters (J06.9, I10, E11.900). */
export const ICD10 = '[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?';
