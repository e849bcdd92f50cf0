/** A recognised section of a case file: which definition, the heading line as written, where it lies. */
export interface CaseSection {
  code: string;
  title: string;
  heading: string | null;
  start: number;
  end: number;
}

export interface SectionDef {
  code: string;
  title: string;
  aliases: string[];
}

/** Text before the first recognised heading (cover pages, hospital letterhead). */
export const PREAMBLE = { code: 'preamble', title: '其他' } as const;

const NUMBERING = /^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:\.\d+)*[.、．]?|[【[])\s*/;
/** What may follow a heading name on its line: a colon, a bracket, page or date remarks — not a sentence. */
const MAX_TAIL = 16;

/**
 * Splits a case file into sections by heading recognition: a line is a heading when, after optional
 * numbering, it starts with a section title or alias (the longest that fits) and what follows is
 * short and not a sentence ("病程记录（第2页）", "费用清单：" yes; "入院记录显示患者…。" no). A
 * heading repeated right after its own section (page headers) continues that section.
 */
export function splitSections(text: string, defs: SectionDef[]): CaseSection[] {
  const names = defs.flatMap((d) => [d.title, ...d.aliases].map((name) => ({ name, def: d }))).sort((a, b) => b.name.length - a.name.length);
  const out: CaseSection[] = [];
  let pos = 0;
  for (const line of text.split('\n')) {
    const lineStart = pos;
    pos += line.length + 1;
    const body = line.trim().replace(NUMBERING, '');
    const hit = names.find((n) => body.startsWith(n.name));
    if (!hit) continue;
    const tail = body.slice(hit.name.length);
    if (tail.length > MAX_TAIL || /[。；;！？]/.test(tail)) continue;
    const last = out.at(-1);
    if (last && last.code === hit.def.code) continue;
    if (last) last.end = lineStart;
    else if (text.slice(0, lineStart).trim()) out.push({ ...PREAMBLE, heading: null, start: 0, end: lineStart });
    out.push({ code: hit.def.code, title: hit.def.title, heading: line.trim(), start: lineStart, end: text.length });
  }
  if (out.length === 0 && text.trim()) out.push({ ...PREAMBLE, heading: null, start: 0, end: text.length });
  return out;
}
