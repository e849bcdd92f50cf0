/**
 * The data catalog: which sources (tables or views) rules may read, their fields and types, and the
 * relations rules may join or aggregate along. It is the only place SQL identifiers come from — the
 * compiler never puts a string from a rule into SQL text — so every name is checked here once.
 */

/** The value types a field (and an expression) can have. `code` is text drawn from a code list. */
export type ValueType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'timestamp' | 'code';

export const VALUE_TYPES: readonly ValueType[] = ['string', 'number', 'integer', 'boolean', 'date', 'timestamp', 'code'];

export interface FieldDef {
  name: string;
  type: ValueType;
  /** zh-CN name shown to people (rule builder, sentences). */
  title: string;
  /** Column in the table when it differs from `name`; rows given to the evaluator use `name`. */
  column?: string;
  /**
   * number only, required: digits after the decimal point (the column is numeric(p, scale)). Sums are
   * then exact on both paths (SQL numeric; the evaluator adds scaled integers) and so agree to the bit.
   */
  scale?: number;
  /** code only: name of a code list in the catalog (omit for an open code set). */
  codeList?: string;
  /**
   * A copy of a field reached along "to-one" relations (`relation.field`, e.g. `encounter.person_id`),
   * which the table keeps equal (a trigger). The SQL compiler reads this column instead of joining for
   * that path; the evaluator still follows the relation, so both give the same answer.
   */
  sameAs?: string;
}

export interface SourceDef {
  name: string;
  /** Table or view, optionally schema-qualified (`schema.table`). */
  table: string;
  title: string;
  /** The primary-key field (one field; integer, string or code). */
  key: string;
  fields: FieldDef[];
  /** A timestamp field bumped on every change; enables incremental runs (`changedSince`). */
  changedAt?: string;
}

export type Cardinality = 'one' | 'many';

/**
 * `from.fromField → to.toField`. `one`: at most one target row, so toField must be the target's key
 * (field refs may walk it). `many`: any number of target rows (only aggregations may walk it).
 */
export interface RelationDef {
  name: string;
  title: string;
  from: string;
  fromField: string;
  to: string;
  /** Defaults to the key of `to`. */
  toField?: string;
  cardinality: Cardinality;
  /** Also register the reverse direction under this name (its cardinality is derived). */
  inverse?: { name: string; title: string };
}

export interface CodeListDef {
  name: string;
  title: string;
  /** code → zh-CN label; omitted when the list is too large to inline (any code is accepted). */
  codes?: Record<string, string>;
}

export interface CatalogDef {
  sources?: SourceDef[];
  relations?: RelationDef[];
  codeLists?: CodeListDef[];
}

export interface CodeList {
  readonly name: string;
  readonly title: string;
  readonly codes?: Readonly<Record<string, string>>;
}

export interface Field {
  readonly name: string;
  readonly type: ValueType;
  readonly title: string;
  readonly column: string;
  readonly scale: number;
  readonly codeList?: CodeList;
  readonly source: string;
}

export interface Relation {
  readonly name: string;
  readonly title: string;
  readonly from: string;
  readonly to: string;
  readonly fromField: Field;
  readonly toField: Field;
  readonly cardinality: Cardinality;
}

export interface Source {
  readonly name: string;
  readonly table: string;
  readonly title: string;
  readonly key: Field;
  readonly fields: ReadonlyMap<string, Field>;
  readonly relations: ReadonlyMap<string, Relation>;
  readonly changedAt?: Field;
  /** Fields declared `sameAs` a related field, by that path (`encounter.person_id`). */
  readonly copies: ReadonlyMap<string, Field>;
}

export interface Catalog {
  readonly sources: ReadonlyMap<string, Source>;
  readonly codeLists: ReadonlyMap<string, CodeList>;
  /** The definitions it was built from, so a module can extend it: defineCatalog(...c.parts, mine). */
  readonly parts: readonly CatalogDef[];
}

export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`数据目录有误：${problems.join('；')}`);
    this.name = 'CatalogError';
  }
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
const TABLE = /^([a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,62}$/;
const KEY_TYPES: readonly ValueType[] = ['integer', 'string', 'code'];

/**
 * Build a catalog from one or more parts (each module contributes its sources and relations).
 * Throws CatalogError listing every problem (zh-CN).
 */
export function defineCatalog(...parts: CatalogDef[]): Catalog {
  const problems: string[] = [];
  const codeLists = new Map<string, CodeList>();
  for (const part of parts) {
    for (const cl of part.codeLists ?? []) {
      if (!IDENT.test(cl.name)) problems.push(`代码表名「${cl.name}」不合法（小写字母、数字、下划线）`);
      if (codeLists.has(cl.name)) problems.push(`代码表「${cl.name}」重复定义`);
      if (!cl.title) problems.push(`代码表「${cl.name}」缺少中文名称`);
      codeLists.set(cl.name, { name: cl.name, title: cl.title, codes: cl.codes ? { ...cl.codes } : undefined });
    }
  }

  const sources = new Map<string, { def: SourceDef; fields: Map<string, Field>; relations: Map<string, Relation> }>();
  for (const part of parts) {
    for (const s of part.sources ?? []) {
      if (!IDENT.test(s.name)) problems.push(`数据源名「${s.name}」不合法`);
      if (!TABLE.test(s.table)) problems.push(`数据源「${s.name}」的表名「${s.table}」不合法`);
      if (!s.title) problems.push(`数据源「${s.name}」缺少中文名称`);
      if (sources.has(s.name)) problems.push(`数据源「${s.name}」重复定义`);
      const fields = new Map<string, Field>();
      for (const f of s.fields) {
        const where = `「${s.name}.${f.name}」`;
        if (!IDENT.test(f.name)) problems.push(`字段名${where}不合法`);
        const column = f.column ?? f.name;
        if (!IDENT.test(column)) problems.push(`字段${where}的列名「${column}」不合法`);
        if (!VALUE_TYPES.includes(f.type)) problems.push(`字段${where}的类型「${f.type}」未知`);
        if (!f.title) problems.push(`字段${where}缺少中文名称`);
        if (fields.has(f.name)) problems.push(`字段${where}重复定义`);
        if (f.type === 'number' && !(Number.isInteger(f.scale) && f.scale! >= 0 && f.scale! <= 10)) {
          problems.push(`数值字段${where}须声明小数位数 scale（0–10）`);
        }
        if (f.type !== 'number' && f.scale !== undefined) problems.push(`只有数值字段可声明 scale：${where}`);
        let codeList: CodeList | undefined;
        if (f.codeList !== undefined) {
          if (f.type !== 'code') problems.push(`只有代码字段可引用代码表：${where}`);
          codeList = codeLists.get(f.codeList);
          if (!codeList) problems.push(`字段${where}引用了不存在的代码表「${f.codeList}」`);
        }
        fields.set(f.name, { name: f.name, type: f.type, title: f.title, column, scale: f.scale ?? 0, codeList, source: s.name });
      }
      const key = fields.get(s.key);
      if (!key) problems.push(`数据源「${s.name}」的主键字段「${s.key}」不存在`);
      else if (!KEY_TYPES.includes(key.type)) problems.push(`数据源「${s.name}」的主键须为整数、文本或代码`);
      if (s.changedAt !== undefined && fields.get(s.changedAt)?.type !== 'timestamp') {
        problems.push(`数据源「${s.name}」的变更时间字段「${s.changedAt}」须为时间戳字段`);
      }
      sources.set(s.name, { def: s, fields, relations: new Map() });
    }
  }

  const addRelation = (r: Relation) => {
    const from = sources.get(r.from)!;
    if (from.relations.has(r.name)) problems.push(`数据源「${r.from}」的关系「${r.name}」重复定义`);
    if (from.fields.has(r.name)) problems.push(`数据源「${r.from}」的关系「${r.name}」与字段同名`);
    from.relations.set(r.name, r);
  };
  for (const part of parts) {
    for (const r of part.relations ?? []) {
      const where = `关系「${r.from}.${r.name}」`;
      if (!IDENT.test(r.name)) problems.push(`${where}名称不合法`);
      if (!r.title) problems.push(`${where}缺少中文名称`);
      const from = sources.get(r.from);
      const to = sources.get(r.to);
      if (!from || !to) {
        problems.push(`${where}连接了不存在的数据源`);
        continue;
      }
      const fromField = from.fields.get(r.fromField);
      const toField = to.fields.get(r.toField ?? to.def.key);
      if (!fromField || !toField) {
        problems.push(`${where}的连接字段不存在`);
        continue;
      }
      if (fromField.type !== toField.type) problems.push(`${where}两端字段类型不同（${fromField.type} / ${toField.type}）`);
      if (r.cardinality !== 'one' && r.cardinality !== 'many') problems.push(`${where}的基数须为 one 或 many`);
      if (r.cardinality === 'one' && toField.name !== to.def.key) {
        problems.push(`${where}为“对一”关系，目标字段须是「${to.def.name}」的主键`);
      }
      addRelation({ name: r.name, title: r.title, from: r.from, to: r.to, fromField, toField, cardinality: r.cardinality });
      if (r.inverse) {
        if (!IDENT.test(r.inverse.name)) problems.push(`${where}的反向关系名不合法`);
        // The reverse reaches one row only when it lands on the other side's key.
        const back: Cardinality = fromField.name === from.def.key ? 'one' : 'many';
        addRelation({
          name: r.inverse.name,
          title: r.inverse.title,
          from: r.to,
          to: r.from,
          fromField: toField,
          toField: fromField,
          cardinality: back,
        });
      }
    }
  }

  const copies = new Map<string, Map<string, Field>>();
  for (const [name, s] of sources) {
    const mine = new Map<string, Field>();
    for (const f of s.def.fields) {
      if (f.sameAs === undefined) continue;
      const where = `字段「${name}.${f.name}」的 sameAs「${f.sameAs}」`;
      const path = f.sameAs.split('.');
      let at: (typeof sources extends Map<string, infer V> ? V : never) | undefined = s;
      for (const hop of path.slice(0, -1)) {
        const r: Relation | undefined = at?.relations.get(hop);
        at = r?.cardinality === 'one' ? sources.get(r.to) : undefined;
      }
      const target = path.length > 1 ? at?.fields.get(path[path.length - 1]!) : undefined;
      if (!target) problems.push(`${where}须是沿“对一”关系可达的字段`);
      else if (target.type !== f.type) problems.push(`${where}类型不同（${f.type} / ${target.type}）`);
      else mine.set(f.sameAs, s.fields.get(f.name)!);
    }
    copies.set(name, mine);
  }

  if (problems.length > 0) throw new CatalogError(problems);
  const built = new Map<string, Source>();
  for (const [name, s] of sources) {
    built.set(name, {
      copies: copies.get(name)!,
      name,
      table: s.def.table,
      title: s.def.title,
      key: s.fields.get(s.def.key)!,
      fields: s.fields,
      relations: s.relations,
      changedAt: s.def.changedAt ? s.fields.get(s.def.changedAt) : undefined,
    });
  }
  return { sources: built, codeLists, parts: [...parts] };
}

/** The source or an Error (for internal callers that have already checked the rule). */
export function sourceOf(catalog: Catalog, name: string): Source {
  const s = catalog.sources.get(name);
  if (!s) throw new Error(`unknown source ${name}`);
  return s;
}

/** SQL-quoted identifier; every name passed here was validated by defineCatalog. */
export function quoteIdent(name: string): string {
  return name
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
}

/** The zh-CN type name used in messages. */
export const TYPE_TITLE: Record<ValueType, string> = {
  string: '文本',
  number: '数值',
  integer: '整数',
  boolean: '是/否',
  date: '日期',
  timestamp: '时间',
  code: '代码',
};
