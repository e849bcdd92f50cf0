/** A sentence of a document: its text (line breaks inside removed) and where it lies in the source text. */
export interface Sentence {
  index: number;
  text: string;
  start: number;
  end: number;
}

const TERMINATORS = new Set(['。', '！', '？', '；', '!', '?', ';']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '】', '"', "'"]);
/** A line starting like this begins a new sentence even if the previous line did not end one (list items, articles). */
const LINE_START = /^\s*(第[一二三四五六七八九十百零〇\d]+[条章节款项]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[①-⑳]|[•·\-*])/;
/** Short lines without a terminator are headings: a sentence of their own. */
const HEADING_MAX = 20;

/**
 * Splits Chinese (and mixed) text into sentences at 。！？；!?; (closing quotes and brackets stay with
 * their sentence), at blank lines, before list items and article numbers, and after short heading
 * lines. Other line breaks are wrapping inside a sentence (PDF lines) and are joined without a space
 * between CJK characters. A full stop between digits (1.5) is not an end.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) out.push({ index: out.length, text: joinLines(body), start: start + lead, end: start + lead + body.length });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (TERMINATORS.has(c)) {
      let j = i + 1;
      while (j < text.length && (CLOSERS.has(text[j]!) || TERMINATORS.has(text[j]!))) j++;
      push(j);
      i = j - 1;
    } else if (c === '.' && !/\d/.test(text[i - 1] ?? '') && /[\u4e00-\u9fff）)]/.test(text[i - 1] ?? '')) {
      push(i + 1);
    } else if (c === '\n') {
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      const line = text.slice(Math.max(lineStart, start), i).trim();
      const next = text.slice(i + 1, text.indexOf('\n', i + 1) < 0 ? text.length : text.indexOf('\n', i + 1));
      const blank = next.trim() === '';
      const heading = line.length > 0 && line.length <= HEADING_MAX && text.slice(start, i).trim() === line;
      if (blank || heading || LINE_START.test(next)) push(i + 1);
    }
  }
  push(text.length);
  return out;
}

/** Joins wrapped lines: nothing between CJK characters, one space between Latin words. */
function joinLines(s: string): string {
  return s.replace(/\s*\n\s*/g, (_m, offset: number, whole: string) => {
    const before = whole[offset - 1] ?? '';
    const after = whole[offset + _m.length] ?? '';
    return /[A-Za-z0-9]/.test(before) && /[A-Za-z0-9]/.test(after) ? ' ' : '';
  });
}
