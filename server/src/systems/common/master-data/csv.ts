/** A CSV record and the 1-based line it starts on (the header is line 1), for error messages. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF; a UTF-8 BOM is
 * dropped. Blank lines are skipped. Small and strict on purpose: an unclosed quote is an error.
 */
export function parseCsv(text: string): CsvRecord[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0]!.trim() === '')) out.push({ line: startLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      startLine = line;
    } else {
      cell += c;
    }
    i++;
  }
  if (quoted) throw new Error(`CSV 第 ${startLine} 行：引号未闭合`);
  if (cell !== '' || cells.length > 0) endRecord();
  return out;
}

/** Header names, trimmed and lower-cased, to their column positions. */
export function headerIndex(header: readonly string[]): Map<string, number> {
  return new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
}
