/** A file that cannot be imported: every bad row is listed, and nothing was written. */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly problems: readonly { line: number; message: string }[],
  ) {
    super(message);
  }
}

export function importFailure(what: string, problems: { line: number; message: string }[]): ImportError {
  const lines = [...new Set(problems.map((p) => p.line))];
  const shown = lines.slice(0, 20).join('、');
  return new ImportError(`${what}导入失败：第 ${shown}${lines.length > 20 ? ` 等 ${lines.length}` : ''} 行有误，未写入任何数据`, problems);
}
