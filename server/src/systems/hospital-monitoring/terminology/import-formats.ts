// The two published distribution formats besides CSV / FHIR: the WHO ICD-11 MMS "SimpleTabulation" (tab-
// separated export of the linearization; hierarchy from the leading "- " markers of Title) and a SNOMED CT
// RF2 snapshot (concept, description and relationship files; is-a relationships give the parents). Both
// parse to the same ImportedConcept list as CSV, and refuse the whole file naming file, line and reason.
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { ImportedConcept, ImportMeta } from './import.ts';
import type { Designation } from './model.ts';

const MAX_ERRORS = 200;
const invalid = (problems: FieldError[]) =>
  new AppError(400, 'VALIDATION_FAILED', `导入文件有 ${problems.length} 处错误，未导入任何内容`, problems.slice(0, MAX_ERRORS));

/** Tab-separated lines with their 1-based numbers; a cell in double quotes is unquoted ("" → "). */
function tsvRows(text: string): { line: number; cells: string[] }[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: { line: number; cells: string[] }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    const cells = raw.split('\t').map((c) => (c.length >= 2 && c.startsWith('"') && c.endsWith('"') ? c.slice(1, -1).replaceAll('""', '"') : c));
    out.push({ line: i + 1, cells });
  });
  return out;
}

const ICD11_KINDS = new Set(['chapter', 'block', 'category']);
const ICD11_CODE = /^[0-9A-Z]{4}(\.[0-9A-Z]{1,2})*$|^X[A-Z][0-9A-Z]{3,4}$/;

/**
 * ICD-11 MMS SimpleTabulation: columns named in the header (Foundation URI, Linearization (release) URI,
 * Code, BlockId, Title, ClassKind, DepthInKind, IsResidual, ChapterNo, …, isLeaf, …; a TitleEN column of a
 * translated edition becomes the English designation). Chapters get their ChapterNo as code, blocks their
 * BlockId; the parent of a row is the nearest row above with fewer leading "- " markers.
 */
export function parseIcd11Tabulation(text: string): { meta: Partial<ImportMeta>; concepts: ImportedConcept[] } {
  const rows = tsvRows(text);
  const head = rows[0];
  if (!head) throw invalid([{ field: 'line 1', message: '第 1 行：文件为空' }]);
  const header = head.cells.map((h) => h.trim());
  const col = (...names: string[]) => header.findIndex((h) => names.some((n) => h.toLowerCase() === n.toLowerCase()));
  const ix = {
    uri: col('Linearization (release) URI', 'Linearization URI'),
    code: col('Code'),
    block: col('BlockId'),
    title: col('Title'),
    titleEn: col('TitleEN'),
    kind: col('ClassKind'),
    residual: col('IsResidual'),
    chapter: col('ChapterNo'),
    leaf: col('isLeaf'),
  };
  const missing = Object.entries({ Code: ix.code, BlockId: ix.block, Title: ix.title, ClassKind: ix.kind, ChapterNo: ix.chapter }).filter(([, i]) => i < 0);
  if (missing.length) throw invalid([{ field: 'line 1', message: `第 1 行：不是 ICD-11 SimpleTabulation 表头，缺少列 ${missing.map(([n]) => n).join('、')}` }]);
  // The export's last header cell carries the release ("Version:2024 Jan 21 - 22:30 UTC").
  const release = header
    .find((h) => h.startsWith('Version:'))
    ?.slice('Version:'.length)
    .trim();
  const problems: FieldError[] = [];
  const out: ImportedConcept[] = [];
  const seen = new Map<string, number>();
  const stack: { depth: number; code: string }[] = [];
  for (const r of rows.slice(1)) {
    const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '').trim() : '');
    const bad = (m: string) => problems.push({ field: `line ${r.line}`, message: `第 ${r.line} 行：${m}` });
    const kind = cell(ix.kind);
    const rawTitle = cell(ix.title);
    const dashes = /^(- ?)*/.exec(rawTitle)?.[0] ?? '';
    const depth = (dashes.match(/-/g) ?? []).length;
    const title = rawTitle.slice(dashes.length).trim();
    let code = '';
    if (!ICD11_KINDS.has(kind)) bad(`ClassKind“${kind}”应为 chapter、block 或 category`);
    else if (kind === 'chapter') code = cell(ix.chapter);
    else if (kind === 'block') code = cell(ix.block);
    else code = cell(ix.code);
    if (ICD11_KINDS.has(kind)) {
      if (!code) bad(kind === 'chapter' ? '章缺少 ChapterNo' : kind === 'block' ? '节缺少 BlockId' : '类目缺少代码（Code）');
      else if (kind === 'category' && !ICD11_CODE.test(code)) bad(`代码“${code}”不是 ICD-11 代码格式`);
      else if (kind === 'block' && !/^Block[A-Z0-9-]{1,40}$/.test(code)) bad(`BlockId“${code}”格式不正确`);
      else if (kind === 'chapter' && !/^[0-9A-Z]{1,2}$/.test(code)) bad(`ChapterNo“${code}”格式不正确`);
      else if (seen.has(code)) bad(`代码 ${code} 与第 ${seen.get(code)} 行重复`);
    }
    if (!title) bad('名称（Title）为空');
    else if (title.length > 200) bad('名称超过 200 字');
    if (kind === 'chapter' && depth !== 0) bad('章的名称前不应有“- ”层级标记');
    if (kind !== 'chapter' && depth === 0) bad('非章的条目名称前须有“- ”层级标记');
    while (stack.length && (stack[stack.length - 1]?.depth ?? -1) >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (depth > 0 && !parent) bad('找不到上级条目（层级标记比上一行多出一级以上，或文件不以章开始）');
    else if (parent && depth > parent.depth + 1) bad(`层级标记跳级（上级第 ${seen.get(parent.code)} 行为 ${parent.depth} 级，本行为 ${depth} 级）`);
    if (code) seen.set(code, r.line);
    stack.push({ depth, code });
    const designations: Designation[] = [];
    const en = cell(ix.titleEn)
      .replace(/^(- ?)*/, '')
      .trim();
    if (en && en !== title) designations.push({ use: 'english', language: 'en', value: en });
    const properties: Record<string, string> = { classKind: kind };
    if (cell(ix.residual).toLowerCase() === 'true') properties.residual = 'true';
    if (ix.leaf >= 0 && cell(ix.leaf)) properties.leaf = cell(ix.leaf).toLowerCase();
    if (ix.uri >= 0 && cell(ix.uri)) properties.linearizationUri = cell(ix.uri);
    out.push({ line: r.line, code, display: title, parents: parent?.code ? [parent.code] : [], designations, status: 'active', kind, properties });
  }
  if (out.length === 0) problems.push({ field: 'line 2', message: '第 2 行：表头之后没有任何条目' });
  if (problems.length) throw invalid(problems);
  return {
    meta: {
      name: 'ICD11MMS',
      title: 'ICD-11 MMS',
      publisher: 'World Health Organization',
      url: 'http://id.who.int/icd/release/11/mms',
      ...(release ? { version: versionLabel(release) } : {}),
    },
    concepts: out,
  };
}

/** "2024 Jan 21 - 22:30 UTC" → "2024-01-21" (a valid version label); other text is left out. */
function versionLabel(release: string): string | null {
  const m = /^(\d{4}) ([A-Z][a-z]{2}) (\d{1,2})/.exec(release);
  const mon = m ? ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[2] ?? '') + 1 : 0;
  return m && mon ? `${m[1]}-${String(mon).padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}` : null;
}

// SNOMED CT RF2 -------------------------------------------------------------------------------------------

export const SNOMED_URL = 'http://snomed.info/sct';
const IS_A = '116680003';
const FSN = '900000000000003001';
const SYNONYM = '900000000000013009';
const RF2_COLUMNS = {
  concept: ['id', 'effectiveTime', 'active', 'moduleId', 'definitionStatusId'],
  description: ['id', 'effectiveTime', 'active', 'moduleId', 'conceptId', 'languageCode', 'typeId', 'term', 'caseSignificanceId'],
  relationship: ['id', 'effectiveTime', 'active', 'moduleId', 'sourceId', 'destinationId', 'relationshipGroup', 'typeId', 'characteristicTypeId', 'modifierId'],
} as const;
export type Rf2File = keyof typeof RF2_COLUMNS;
const RF2_NAMES: Record<Rf2File, string> = { concept: '概念文件', description: '描述文件', relationship: '关系文件' };

// Verhoeff check digit tables (SNOMED CT identifiers end with one).
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** A SNOMED CT identifier: 6–18 digits, Verhoeff-valid, with the partition of its kind (00/10 concept, 01/11 description, 02/12 relationship). */
export function validSctid(id: string, kind: Rf2File): boolean {
  if (!/^[1-9][0-9]{5,17}$/.test(id)) return false;
  let c = 0;
  [...id].reverse().forEach((ch, i) => {
    c = D[c]?.[P[i % 8]?.[Number(ch)] ?? 0] ?? 0;
  });
  if (c !== 0) return false;
  const partition = id.slice(-3, -1);
  return { concept: ['00', '10'], description: ['01', '11'], relationship: ['02', '12'] }[kind].includes(partition);
}

/**
 * An RF2 snapshot: every concept (inactive ones become retired), its parents from active is-a
 * relationships, its display from the active Chinese synonym if there is one, else the FSN without its
 * semantic tag; other active descriptions become designations.
 */
export function parseRf2Snapshot(files: Record<Rf2File, string>): ImportedConcept[] {
  const problems: FieldError[] = [];
  const read = (kind: Rf2File) => {
    const rows = tsvRows(files[kind]);
    const head = rows[0];
    const want = RF2_COLUMNS[kind];
    if (!head || want.some((c, i) => head.cells[i]?.trim() !== c)) {
      problems.push({ field: `${kind} line 1`, message: `${RF2_NAMES[kind]}第 1 行：表头须为 RF2 快照格式（${want.join('\\t')}）` });
      return [];
    }
    return rows
      .slice(1)
      .map((r) => ({ ...r, bad: (m: string) => problems.push({ field: `${kind} line ${r.line}`, message: `${RF2_NAMES[kind]}第 ${r.line} 行：${m}` }) }));
  };
  const common = (r: { cells: string[]; bad: (m: string) => void }, kind: Rf2File, n: number) => {
    if (r.cells.length !== n) r.bad(`应有 ${n} 列，实有 ${r.cells.length} 列`);
    const [id = '', time = '', active = '', module = ''] = r.cells;
    if (!validSctid(id, kind))
      r.bad(`标识 ${id || '（空）'} 不是有效的 SNOMED CT ${kind === 'concept' ? '概念' : kind === 'description' ? '描述' : '关系'}标识（校验位或分区不对）`);
    if (!/^\d{8}$/.test(time)) r.bad(`effectiveTime“${time}”须为 YYYYMMDD`);
    if (active !== '0' && active !== '1') r.bad(`active“${active}”须为 0 或 1`);
    if (!validSctid(module, 'concept')) r.bad(`moduleId ${module || '（空）'} 无效`);
    return active === '1';
  };
  const concepts = new Map<string, { line: number; active: boolean; fsn?: string; zh?: string; designations: Designation[]; parents: string[] }>();
  for (const r of read('concept')) {
    const active = common(r, 'concept', 5);
    const id = r.cells[0] ?? '';
    if (concepts.has(id)) r.bad(`概念 ${id} 与第 ${concepts.get(id)?.line} 行重复（快照中每个标识只应出现一次）`);
    else concepts.set(id, { line: r.line, active, designations: [], parents: [] });
  }
  for (const r of read('description')) {
    const active = common(r, 'description', 9);
    const [, , , , conceptId = '', lang = '', type = '', term = ''] = r.cells;
    const c = concepts.get(conceptId);
    if (!c) r.bad(`conceptId ${conceptId} 不在概念文件中`);
    if (!/^[a-z]{2}$/.test(lang)) r.bad(`languageCode“${lang}”须为两个小写字母`);
    if (type !== FSN && type !== SYNONYM && !validSctid(type, 'concept')) r.bad(`typeId ${type} 无效`);
    if (!term.trim()) r.bad('term 为空');
    else if (term.length > 255) r.bad('term 超过 255 字');
    if (!c || !active || !term.trim()) continue;
    if (type === FSN && (lang === 'en' || !c.fsn)) c.fsn = term.trim();
    else if (type === SYNONYM && lang === 'zh' && !c.zh) c.zh = term.trim();
    else c.designations.push({ use: type === FSN ? 'fsn' : lang === 'en' ? 'english' : 'synonym', language: lang, value: term.trim() });
  }
  for (const r of read('relationship')) {
    const active = common(r, 'relationship', 10);
    const [, , , , source = '', dest = '', , type = ''] = r.cells;
    if (!concepts.has(source)) r.bad(`sourceId ${source} 不在概念文件中`);
    if (!validSctid(type, 'concept')) r.bad(`typeId ${type} 无效`);
    if (type !== IS_A || !active) continue;
    if (!concepts.has(dest)) r.bad(`上级概念 destinationId ${dest} 不在概念文件中`);
    else if (dest === source) r.bad(`概念 ${source} 不能是自己的上级`);
    else concepts.get(source)?.parents.push(dest);
  }
  const out: ImportedConcept[] = [];
  for (const [code, c] of concepts) {
    const display = c.zh ?? c.fsn?.replace(/\s*\([^()]+\)$/, '') ?? '';
    if (!display)
      problems.push({ field: `concept line ${c.line}`, message: `${RF2_NAMES.concept}第 ${c.line} 行：概念 ${code} 没有有效的描述（FSN 或中文同义词）` });
    const designations = [...(c.zh && c.fsn ? [{ use: 'fsn', language: 'en', value: c.fsn }] : []), ...c.designations].slice(0, 50);
    out.push({
      line: c.line,
      code,
      display: display.slice(0, 200),
      parents: [...new Set(c.parents)].sort(),
      designations,
      status: c.active ? 'active' : 'retired',
      kind: 'concept',
      properties: {},
    });
  }
  if (out.length === 0 && problems.length === 0) problems.push({ field: 'concept line 2', message: `${RF2_NAMES.concept}第 2 行：文件不含任何概念` });
  if (problems.length) throw invalid(problems);
  // Parents before children: the change items add a parent before any child that names it.
  return topological(out);
}

/** Orders concepts so every parent comes before its children (a cycle is refused). */
export function topological(concepts: ImportedConcept[]): ImportedConcept[] {
  const by = new Map(concepts.map((c) => [c.code, c]));
  const out: ImportedConcept[] = [];
  const state = new Map<string, 1 | 2>();
  for (const start of concepts) {
    if (state.has(start.code)) continue;
    // Iterative DFS (SNOMED hierarchies are deep enough to overflow a recursive walk).
    const stack: { c: ImportedConcept; i: number }[] = [{ c: start, i: 0 }];
    state.set(start.code, 1);
    while (stack.length) {
      const top = stack[stack.length - 1] as { c: ImportedConcept; i: number };
      const p = top.c.parents[top.i++];
      if (p === undefined) {
        stack.pop();
        state.set(top.c.code, 2);
        out.push(top.c);
        continue;
      }
      const pc = by.get(p);
      if (!pc || state.get(p) === 2) continue;
      if (state.get(p) === 1) throw invalid([{ field: `line ${top.c.line}`, message: `第 ${top.c.line} 行：概念 ${top.c.code} 的上级关系成环（经 ${p}）` }]);
      state.set(p, 1);
      stack.push({ c: pc, i: 0 });
    }
  }
  return out;
}
