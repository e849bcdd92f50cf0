// Importing a code table (CSV `code,display[,parent]` or a FHIR CodeSystem JSON) as one change request:
// a new system gets every code added; an existing one gets the difference (added, renamed, moved,
// retired — codes missing from the file). Nothing is written unless the whole file is valid; every bad
// line is named. The request then goes through review and publication like any other change.
import type { Principal } from '../../../platform/auth/principal.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import { parseCsv } from '../../common/master-data/csv.ts';
import type { ChangeItem } from './changes.ts';
import { checkItems, refuse } from './changes.ts';
import type { Designation } from './model.ts';
import * as repo from './repository.ts';
import { visibleConcepts } from './service.ts';

export interface ImportedConcept {
  line: number;
  code: string;
  display: string;
  parents: string[];
  designations: Designation[];
  status: 'active' | 'retired';
  /** chapter / block / category (ICD-11), concept (SNOMED); plain code when absent. */
  kind?: string;
  properties?: Record<string, string>;
}

export interface ImportMeta {
  url: string;
  name: string;
  title: string;
  publisher: string | null;
  version: string | null;
  /** URL of the code system a new system extends (上海扩增码 under a national table). */
  extends?: string;
}

const CODE = /^[^\s,]{1,64}$/;

function invalid(problems: FieldError[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', `导入文件有 ${problems.length} 处错误，未导入任何内容`, problems.slice(0, 200));
}

/**
 * CSV with a header row naming code, display and optionally parent (中文表头 代码/名称/上级代码 also accepted).
 * `parentsElsewhere`: an extension's parents may be base codes, checked against the base on import.
 */
export function parseCodeCsv(text: string, opts: { parentsElsewhere?: boolean } = {}): ImportedConcept[] {
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (e) {
    // An unclosed quote: the parser names the line.
    throw invalid([{ field: 'content', message: (e as Error).message }]);
  }
  const problems: FieldError[] = [];
  if (rows.length < 2) throw invalid([{ field: 'line 1', message: '第 1 行：文件为空或只有表头' }]);
  const header = rows[0]!.cells.map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const ci = col('code', '代码');
  const di = col('display', 'name', '名称');
  const pi = col('parent', '上级代码', '上级');
  if (ci < 0 || di < 0) throw invalid([{ field: 'line 1', message: '第 1 行：表头须含 code 与 display（或 代码、名称）' }]);
  const out: ImportedConcept[] = [];
  const seen = new Map<string, number>();
  for (const r of rows.slice(1)) {
    const code = (r.cells[ci] ?? '').trim();
    const display = (r.cells[di] ?? '').trim();
    const parent = pi >= 0 ? (r.cells[pi] ?? '').trim() : '';
    const bad = (m: string) => problems.push({ field: `line ${r.line}`, message: `第 ${r.line} 行：${m}` });
    if (!CODE.test(code)) bad(code ? `代码“${code}”格式不正确（不能含空格或逗号，最长 64 字符）` : '代码为空');
    else if (seen.has(code)) bad(`代码 ${code} 与第 ${seen.get(code)} 行重复`);
    if (!display) bad('名称为空');
    else if (display.length > 200) bad('名称超过 200 字');
    if (parent && !CODE.test(parent)) bad(`上级代码“${parent}”格式不正确`);
    seen.set(code, r.line);
    out.push({ line: r.line, code, display, parents: parent ? [parent] : [], designations: [], status: 'active' });
  }
  for (const c of out) {
    for (const p of c.parents)
      if (!seen.has(p) && !opts.parentsElsewhere) problems.push({ field: `line ${c.line}`, message: `第 ${c.line} 行：上级代码 ${p} 不在文件中` });
  }
  if (problems.length) throw invalid(problems);
  return out;
}

interface FhirConcept {
  code?: unknown;
  display?: unknown;
  designation?: unknown;
  property?: unknown;
  concept?: unknown;
}

/** Deeper nesting than any real code system: refused rather than walked (and named path by path). */
const MAX_DEPTH = 32;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const URL_RE = /^(https?:\/\/|urn:)[^\s]+$/;
const VERSION_RE = /^[0-9A-Za-z._+-]+$/;

/** A FHIR R4 CodeSystem resource: nested concepts give the hierarchy; `parent` properties are honoured too. */
export function parseFhirCodeSystem(text: string): { meta: Partial<ImportMeta>; concepts: ImportedConcept[] } {
  let cs: unknown;
  try {
    cs = JSON.parse(text);
  } catch {
    throw invalid([{ field: 'content', message: '不是有效的 JSON' }]);
  }
  if (!isObject(cs) || cs.resourceType !== 'CodeSystem') throw invalid([{ field: 'resourceType', message: 'resourceType 须为 CodeSystem' }]);
  const problems: FieldError[] = [];
  const meta = (name: string, max: number, re?: RegExp): string | undefined => {
    const v = cs[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !v.trim() || v.length > max || (re && !re.test(v))) {
      problems.push({ field: name, message: `${name}：须为不超过 ${max} 字的文字${re ? '，且格式正确' : ''}` });
      return undefined;
    }
    return v.trim();
  };
  const list = <T>(v: unknown, where: string): T[] => {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v as T[];
    problems.push({ field: where, message: `${where}：须为数组` });
    return [];
  };
  const out: ImportedConcept[] = [];
  const seen = new Set<string>();
  const walk = (items: unknown, parent: string | null, path: string, depth: number) => {
    if (depth > MAX_DEPTH) {
      problems.push({ field: path, message: `${path}：层级超过 ${MAX_DEPTH} 层` });
      return;
    }
    list<unknown>(items, path).forEach((raw, i) => {
      const where = `${path}[${i}]`;
      if (!isObject(raw)) {
        problems.push({ field: where, message: `${where}：须为对象` });
        return;
      }
      const c = raw as FhirConcept;
      const code = typeof c.code === 'string' ? c.code.trim() : '';
      const display = typeof c.display === 'string' ? c.display.trim() : '';
      if (!CODE.test(code)) problems.push({ field: where, message: `${where}：代码为空或格式不正确` });
      else if (seen.has(code)) problems.push({ field: where, message: `${where}：代码 ${code} 重复` });
      if (!display) problems.push({ field: where, message: `${where}：名称（display）为空` });
      else if (display.length > 200) problems.push({ field: where, message: `${where}：名称超过 200 字` });
      seen.add(code);
      const props = list<unknown>(c.property, `${where}.property`).filter(isObject);
      const parents = [
        ...(parent ? [parent] : []),
        ...props.filter((p) => p.code === 'parent' && typeof p.valueCode === 'string' && p.valueCode).map((p) => p.valueCode as string),
      ];
      const inactive = props.some((p) => (p.code === 'inactive' && p.valueBoolean === true) || (p.code === 'status' && p.valueCode === 'retired'));
      const designations = list<unknown>(c.designation, `${where}.designation`)
        .filter(isObject)
        .filter((d) => typeof d.value === 'string' && d.value)
        .map((d) => {
          const language = typeof d.language === 'string' ? d.language : undefined;
          const use = isObject(d.use) && d.use.code === 'english' ? 'english' : language?.startsWith('en') ? 'english' : 'synonym';
          return { use, ...(language ? { language } : {}), value: d.value as string };
        });
      out.push({ line: i + 1, code, display, parents: [...new Set(parents)], designations, status: inactive ? 'retired' : 'active' });
      if (c.concept !== undefined) walk(c.concept, code, `${where}.concept`, depth + 1);
    });
  };
  const m = {
    url: meta('url', 300, URL_RE),
    name: meta('name', 100),
    title: meta('title', 200),
    publisher: meta('publisher', 200),
    version: meta('version', 40, VERSION_RE),
  };
  walk(cs.concept, null, 'concept', 1);
  if (out.length === 0) problems.push({ field: 'concept', message: 'CodeSystem 不含任何概念（concept）' });
  if (problems.length) throw invalid(problems);
  return { meta: { url: m.url, name: m.name, title: m.title ?? m.name, publisher: m.publisher ?? null, version: m.version ?? null }, concepts: out };
}

/** The change items that turn the system's current content into the file's. */
export function itemsFor(
  current: ReadonlyMap<string, { display: string; parents: string[]; status: string; designations: Designation[]; properties?: Record<string, unknown> }>,
  file: readonly ImportedConcept[],
): ChangeItem[] {
  const items: ChangeItem[] = [];
  const inFile = new Set(file.map((c) => c.code));
  // Parents before children, so an added child finds its added parent.
  for (const c of file) {
    const cur = current.get(c.code);
    if (!cur) {
      items.push({
        op: 'add',
        code: c.code,
        display: c.display,
        parents: c.parents,
        ...(c.designations.length ? { designations: c.designations } : {}),
        ...(c.kind ? { kind: c.kind } : {}),
        ...(c.properties ? { properties: c.properties } : {}),
      });
      if (c.status === 'retired') items.push({ op: 'retire', code: c.code });
      continue;
    }
    if (cur.display !== c.display) items.push({ op: 'rename', code: c.code, display: c.display });
    if (JSON.stringify(cur.parents) !== JSON.stringify(c.parents)) items.push({ op: 'move', code: c.code, parents: c.parents });
    if (c.designations.length && JSON.stringify(cur.designations) !== JSON.stringify(c.designations))
      items.push({ op: 'designations', code: c.code, designations: c.designations });
    if (c.properties && JSON.stringify(cur.properties ?? {}) !== JSON.stringify(c.properties))
      items.push({ op: 'properties', code: c.code, properties: c.properties });
    if (cur.status !== c.status) items.push({ op: c.status === 'retired' ? 'retire' : 'reactivate', code: c.code });
  }
  for (const [code, cur] of current) if (!inFile.has(code) && cur.status === 'active') items.push({ op: 'retire', code });
  return items;
}

/** Creates the system if new, and a draft change request holding the difference. */
export async function importCodeTable(
  tx: Tx,
  principal: Pick<Principal, 'username'>,
  meta: ImportMeta,
  concepts: readonly ImportedConcept[],
): Promise<{ changeRequestId: number; systemId: number; created: boolean; items: number }> {
  let system = await repo.systemByUrl(tx, meta.url);
  const created = !system;
  let base: repo.SystemRow | undefined;
  if (meta.extends) {
    const extendsErr = (m: string) => new AppError(400, 'VALIDATION_FAILED', m, [{ field: 'extends', message: m }]);
    base = await repo.systemByUrl(tx, meta.extends);
    if (!base) throw extendsErr(`基础代码系统不存在：${meta.extends}`);
    if (base.extendsId !== null) throw extendsErr('基础代码系统本身是扩展，不能再扩展');
    if (!(await repo.findVersion(tx, base.id))) throw extendsErr('基础代码系统尚无已发布版本');
    if (system && system.extendsId !== base.id) throw extendsErr(`代码系统 ${meta.url} 已存在且不是 ${meta.extends} 的扩展`);
    if (base.url === meta.url) throw extendsErr('代码系统不能扩展自身');
  }
  if (!system) {
    const [row] = await tx.query<{ id: number }>(
      `insert into term_system (url, name, title, publisher, kind, source, created_by, extends_id) values ($1, $2, $3, $4, $6, 'import', $5, $7) returning id::int as id`,
      [meta.url, meta.name, meta.title, meta.publisher, principal.username, base?.kind ?? 'other', base?.id ?? null],
    );
    system = (await repo.systemById(tx, (row as { id: number }).id)) as repo.SystemRow;
  }
  if (system.extendsId !== null) base ??= await repo.systemById(tx, system.extendsId);
  // What the checks see (an extension: its base too) and what the file is compared with (only its own codes).
  const visible = await visibleConcepts(tx, system);
  const current = new Map([...visible].filter(([, c]) => !c.fromBase));
  if (base) {
    const inFile = new Set(concepts.map((c) => c.code));
    const problems: FieldError[] = [];
    for (const c of concepts) {
      if (visible.get(c.code)?.fromBase)
        problems.push({ field: `line ${c.line}`, message: `第 ${c.line} 行：代码 ${c.code} 已在基础代码系统中，扩展只能新增代码` });
      for (const p of c.parents)
        if (!inFile.has(p) && !visible.has(p))
          problems.push({ field: `line ${c.line}`, message: `第 ${c.line} 行：上级代码 ${p} 既不在文件中，也不在基础代码系统中` });
    }
    if (problems.length) throw invalid(problems);
  }
  const items = itemsFor(current, concepts);
  if (items.length === 0) throw new AppError(409, 'CONFLICT', '文件内容与当前版本一致，没有需要变更的代码');
  const errors = checkItems(items, visible);
  if (errors.length) throw refuse(errors);
  const { id } = (
    await tx.query<{ id: number }>(
      `insert into term_change_request (system_id, title, version, items, created_by) values ($1, $2, $3, $4::jsonb, $5) returning id::int as id`,
      [system.id, `导入：${meta.title}`, meta.version, JSON.stringify(items), principal.username],
    )
  )[0]!;
  return { changeRequestId: id, systemId: system.id, created, items: items.length };
}
