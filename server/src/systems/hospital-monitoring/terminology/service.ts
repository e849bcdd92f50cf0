// The terminology service other modules and the routes call: lookup, validate, subsumes, expand,
// translate, search (and recommend, in recommend/). Every read names a code system by URL and,
// optionally, a version label or a date ("as of"); the latest published version otherwise.
import type { Tx } from '../../../platform/db/types.ts';
import { termError } from './errors.ts';
import type { ConceptRow, Designation } from './model.ts';
import * as repo from './repository.ts';
import { cachedIndex, type SearchHit, type TermIndex } from './search-index.ts';

export interface VersionSelector {
  version?: string;
  /** YYYY-MM-DD: the version in force at the end of that day. */
  date?: string;
}

export interface Resolved {
  system: repo.SystemRow;
  version: repo.VersionRow;
  index: TermIndex;
}

export async function resolveSystem(tx: Tx, url: string, by: VersionSelector = {}): Promise<Resolved> {
  const system = await repo.systemByUrl(tx, url);
  if (!system) throw termError(404, 'not-found', `未知的代码系统：${url}`, 'system');
  const version = await repo.findVersion(tx, system.id, by);
  if (!version) {
    throw termError(
      404,
      'not-found',
      by.version
        ? `代码系统 ${system.title} 没有版本 ${by.version}`
        : by.date
          ? `${by.date} 时代码系统 ${system.title} 尚无已发布版本`
          : `代码系统 ${system.title} 尚无已发布版本`,
      'version',
    );
  }
  const base = system.extendsId === null ? undefined : await baseOf(tx, system.extendsId, by, version);
  if (!base) return { system, version, index: await cachedIndex(`${version.contentHash}:${version.seq}`, () => repo.conceptsAt(tx, system.id, version.seq)) };
  // An extension reads as one tree with its base: the base's concepts (as of the same point) plus its own.
  const key = `${version.contentHash}:${version.seq}+${base.version.contentHash}:${base.version.seq}`;
  const index = await cachedIndex(key, async () => {
    const own = await repo.conceptsAt(tx, system.id, version.seq);
    const mine = new Set(own.map((c) => c.code));
    const inherited = (await repo.conceptsAt(tx, base.system.id, base.version.seq))
      .filter((c) => !mine.has(c.code))
      .map((c) => ({ ...c, fromBase: base.system.url }));
    return [...inherited, ...own].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  });
  return { system, version, index };
}

/**
 * The concepts a change to `system` is checked against: its current version (an extension's includes its
 * base's, marked fromBase); before its first version, an extension sees its base alone.
 */
export async function visibleConcepts(tx: Tx, system: repo.SystemRow): Promise<ReadonlyMap<string, ConceptRow>> {
  if (await repo.findVersion(tx, system.id)) return (await resolveSystem(tx, system.url)).index.concepts;
  const base = system.extendsId === null ? undefined : await repo.systemById(tx, system.extendsId);
  if (!base || !(await repo.findVersion(tx, base.id))) return new Map();
  return new Map([...(await resolveSystem(tx, base.url)).index.concepts].map(([k, c]) => [k, { ...c, fromBase: base.url }]));
}

/** The base version an extension's read sees: the same date, else the base as it stood when the extension version was published (current for a current read). */
async function baseOf(tx: Tx, baseId: number, by: VersionSelector, version: repo.VersionRow) {
  const system = await repo.systemById(tx, baseId);
  if (!system) return undefined;
  const v = await repo.findVersion(tx, baseId, by.date ? { date: by.date } : by.version ? { at: version.publishedAt } : {});
  return v ? { system, version: v } : undefined;
}

export interface LookupResult {
  system: string;
  systemTitle: string;
  version: string;
  code: string;
  display: string;
  status: string;
  kind: string;
  parents: { code: string; display: string }[];
  children: { code: string; display: string }[];
  path: { code: string; display: string }[];
  designations: Designation[];
  properties: Record<string, unknown>;
}

function designationsOf(c: ConceptRow): Designation[] {
  return [
    ...c.designations,
    ...(c.pinyin ? [{ use: 'pinyin', language: 'zh-Latn-pinyin', value: c.pinyin }] : []),
    ...(c.initials ? [{ use: 'pinyin-initials', language: 'zh-Latn-pinyin', value: c.initials }] : []),
  ];
}

export async function lookup(tx: Tx, q: { system: string; code: string } & VersionSelector): Promise<LookupResult> {
  const r = await resolveSystem(tx, q.system, q);
  const c = r.index.concepts.get(q.code);
  if (!c) throw termError(404, 'not-found', `代码 ${q.code} 不在 ${r.system.title}（${r.version.version}）中`, 'code');
  const named = (code: string) => ({ code, display: r.index.concepts.get(code)?.display ?? '' });
  return {
    system: r.system.url,
    systemTitle: r.system.title,
    version: r.version.version,
    code: c.code,
    display: c.display,
    status: c.status,
    kind: c.kind,
    parents: c.parents.map(named),
    children: r.index.children(c.code).map(named),
    path: r.index.path(c.code),
    designations: designationsOf(c),
    properties: c.properties,
  };
}

export interface ValidateResult {
  result: boolean;
  message?: string;
  display?: string;
  version?: string;
  status?: string;
}

/** Is the code in the system (and active)? A display that differs from the preferred one is a warning. */
export async function validate(tx: Tx, q: { system: string; code: string; display?: string } & VersionSelector): Promise<ValidateResult> {
  const system = await repo.systemByUrl(tx, q.system);
  if (!system) return { result: false, message: `未知的代码系统：${q.system}` };
  const version = await repo.findVersion(tx, system.id, q);
  if (!version) return { result: false, message: `代码系统没有所指的版本` };
  const r = await resolveSystem(tx, q.system, q);
  const c = r.index.concepts.get(q.code);
  if (!c) return { result: false, version: r.version.version, message: `代码 ${q.code} 不在 ${r.system.title}（${r.version.version}）中` };
  if (c.status !== 'active') return { result: false, version: r.version.version, display: c.display, status: c.status, message: `代码 ${q.code} 已停用` };
  const names = [c.display, ...c.designations.map((d) => d.value)];
  if (q.display && !names.includes(q.display)) {
    return {
      result: false,
      version: r.version.version,
      display: c.display,
      status: c.status,
      message: `名称“${q.display}”与代码 ${q.code} 的名称“${c.display}”不符`,
    };
  }
  return { result: true, version: r.version.version, display: c.display, status: c.status };
}

export type Subsumption = 'equivalent' | 'subsumes' | 'subsumed-by' | 'not-subsumed';

export async function subsumes(tx: Tx, q: { system: string; codeA: string; codeB: string } & VersionSelector): Promise<Subsumption> {
  const r = await resolveSystem(tx, q.system, q);
  for (const [f, c] of [
    ['codeA', q.codeA],
    ['codeB', q.codeB],
  ] as const) {
    if (!r.index.concepts.has(c)) throw termError(404, 'not-found', `代码 ${c} 不在 ${r.system.title}（${r.version.version}）中`, f);
  }
  if (q.codeA === q.codeB) return 'equivalent';
  if (r.index.isAncestor(q.codeA, q.codeB)) return 'subsumes';
  if (r.index.isAncestor(q.codeB, q.codeA)) return 'subsumed-by';
  return 'not-subsumed';
}

export interface ExpandResult {
  url: string;
  system: string;
  version: string;
  total: number;
  offset: number;
  contains: { system: string; version: string; code: string; display: string; status: string; path?: { code: string; display: string }[] }[];
}

/** An implicit value set's code system and, for `<url>?fhir_vs=isa/<code>`, the code whose descendants it holds. */
export function valueSetOf(url: string): { system: string; under: string | null } {
  const m = /^([^?]+)(?:\?(?:vs|fhir_vs(?:=isa\/(.+))?))?$/.exec(url);
  if (!m) throw termError(404, 'not-found', `未知的值集：${url}`, 'url');
  try {
    return { system: m[1]!, under: m[2] ? decodeURIComponent(m[2]) : null };
  } catch {
    throw termError(400, 'invalid', `值集 URL 中的代码转义有误：${url}`, 'url');
  }
}

/** ValueSet/$validate-code: valid in the value set's code system and, for an is-a set, below its code. */
export async function validateInValueSet(
  tx: Tx,
  q: { url: string; system?: string; code: string; display?: string } & VersionSelector,
): Promise<ValidateResult> {
  const vs = valueSetOf(q.url);
  if (q.system && q.system !== vs.system) return { result: false, message: `代码系统 ${q.system} 不在值集 ${q.url} 中` };
  const r = await validate(tx, { ...q, system: vs.system });
  if (!r.result || !vs.under || (await resolveSystem(tx, vs.system, q)).index.isAncestor(vs.under, q.code)) return r;
  return { result: false, version: r.version, display: r.display, message: `代码 ${q.code} 不在值集 ${q.url} 中` };
}

/**
 * Expands an implicit value set: every code of a system (`<url>` or `<url>?vs`), or the codes below one
 * (`<url>?fhir_vs=isa/<code>`), narrowed by a filter text (code prefix, words, synonyms, pinyin).
 */
export async function expand(
  tx: Tx,
  q: { url: string; filter?: string; offset?: number; count?: number; includeRetired?: boolean } & VersionSelector,
): Promise<ExpandResult> {
  const { system, under } = valueSetOf(q.url);
  const r = await resolveSystem(tx, system, q);
  if (under && !r.index.concepts.has(under)) throw termError(404, 'not-found', `代码 ${under} 不在 ${r.system.title} 中`, 'url');
  const inSet = under ? new Set(r.index.descendants(under)) : null;
  const offset = q.offset ?? 0;
  const count = q.count ?? 20;
  let codes: { code: string; display: string; status: string; path?: { code: string; display: string }[] }[];
  let total: number;
  if (q.filter?.trim() && !inSet) {
    const found = r.index.search(q.filter, { offset, limit: count, includeRetired: q.includeRetired });
    total = found.total;
    codes = found.hits;
  } else if (q.filter?.trim()) {
    const all = r.index.search(q.filter, { limit: 100_000, includeRetired: q.includeRetired }).hits.filter((h) => inSet?.has(h.code));
    total = all.length;
    codes = all.slice(offset, offset + count);
  } else {
    const all = (inSet ? [...inSet].map((c) => r.index.concepts.get(c) as ConceptRow) : [...r.index.concepts.values()]).filter(
      (c) => q.includeRetired || c.status === 'active',
    );
    total = all.length;
    codes = all.slice(offset, offset + count).map((c) => ({ code: c.code, display: c.display, status: c.status }));
  }
  return {
    url: q.url,
    system: r.system.url,
    version: r.version.version,
    total,
    offset,
    contains: codes.map((c) => ({
      system: r.system.url,
      version: r.version.version,
      code: c.code,
      display: c.display,
      status: c.status,
      ...(c.path ? { path: c.path } : {}),
    })),
  };
}

export interface TranslateMatch {
  equivalence: string;
  system: string;
  code: string;
  display: string | null;
  source: string;
}

/** Codes a concept map relates to `code` (target side, or source side when `reverse`). */
export async function translate(
  tx: Tx,
  q: { code: string; system?: string; url?: string; target?: string; reverse?: boolean },
): Promise<{ result: boolean; message?: string; matches: TranslateMatch[] }> {
  const maps = await repo.mapsBetween(tx, q.reverse ? { url: q.url, source: q.target, target: q.system } : { url: q.url, source: q.system, target: q.target });
  if (maps.length === 0) throw termError(404, 'not-found', '没有符合条件的概念映射（ConceptMap）', q.url ? 'url' : 'system');
  const matches: TranslateMatch[] = [];
  for (const m of maps) {
    const targetSystem = q.reverse ? m.sourceSystem : m.targetSystem;
    const displaySystem = await repo.systemByUrl(tx, targetSystem);
    const names = displaySystem ? (await resolveSystem(tx, targetSystem)).index : null;
    for (const e of await repo.mapTargets(tx, m.id, q.code, q.reverse)) {
      const code = q.reverse ? e.source : e.target;
      matches.push({ equivalence: e.equivalence, system: targetSystem, code, display: names?.concepts.get(code)?.display ?? null, source: m.url });
    }
  }
  return matches.length ? { result: true, matches } : { result: false, message: `代码 ${q.code} 在映射中没有对应项`, matches };
}

export async function search(
  tx: Tx,
  q: { system: string; q: string; offset?: number; limit?: number; includeRetired?: boolean } & VersionSelector,
): Promise<{ system: string; version: string; total: number; hits: SearchHit[] }> {
  const r = await resolveSystem(tx, q.system, q);
  const out = r.index.search(q.q, q);
  return { system: r.system.url, version: r.version.version, ...out };
}

/** Browsing: the roots, or the children of a code, with whether each has children itself. */
export async function browse(tx: Tx, q: { system: string; parent?: string } & VersionSelector) {
  const r = await resolveSystem(tx, q.system, q);
  const codes = q.parent ? r.index.children(q.parent) : r.index.entries.filter((e) => e.parents.length === 0).map((e) => e.code);
  return {
    system: r.system.url,
    version: r.version.version,
    items: codes.map((c) => {
      const x = r.index.concepts.get(c) as ConceptRow;
      return { code: c, display: x.display, status: x.status, kind: x.kind, hasChildren: r.index.children(c).length > 0 };
    }),
  };
}

/** A FHIR operation's body: reads through the service on the request's transaction. */
export type FhirRun = (tx: Tx, query: Record<string, unknown>) => Promise<unknown>;
