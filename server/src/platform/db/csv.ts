/** CSV encoding for COPY … (format csv): NULL is an unquoted empty field, '' a quoted one. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  if (s === '' || /[",\n\r]/.test(s) || s.trim() !== s) return `"${s.replaceAll('"', '""')}"`;
  return s;
}

export function csvLine(row: readonly unknown[]): string {
  return `${row.map(csvField).join(',')}\n`;
}

export function copySql(table: string, columns: readonly string[]): string {
  const ident = (s: string) => {
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(s)) throw new Error(`bad identifier ${s}`);
    return s;
  };
  return `copy ${ident(table)} (${columns.map(ident).join(', ')}) from stdin with (format csv)`;
}
