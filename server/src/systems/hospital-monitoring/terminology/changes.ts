// Applying a published change set: each item closes the concept's current revision and opens a new one
// in the new version, and records what changed on the timeline. Pure checks first, then the writes.
import type { Tx } from '../../../platform/db/types.ts';
import type { FieldError } from '../../../platform/http/errors.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { Concept, ConceptRow, Designation } from './model.ts';
import { contentHash } from './model.ts';
import { pinyinKeys } from './pinyin.ts';
import * as repo from './repository.ts';

export const CHANGE_OPS = ['add', 'retire', 'reactivate', 'rename', 'move', 'designations', 'properties'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export interface ChangeItem {
  op: ChangeOp;
  code: string;
  display?: string;
  parents?: string[];
  designations?: Designation[];
  properties?: Record<string, string>;
  /** On add: the concept's kind (chapter / block / category …); plain code when absent. */
  kind?: string;
}

/** The items checked against the current content: line-numbered (items[i]) refusals, all at once. */
export function checkItems(items: readonly ChangeItem[], current: ReadonlyMap<string, { parents: string[]; status: string; fromBase?: string }>): FieldError[] {
  const errors: FieldError[] = [];
  const added = new Set<string>();
  const touched = new Set<string>();
  const parentOf = new Map<string, string[]>();
  for (const [c, v] of current) parentOf.set(c, v.parents);
  items.forEach((it, i) => {
    const f = (name: string) => `items[${i}].${name}`;
    const exists = current.has(it.code) || added.has(it.code);
    if (touched.has(it.code) && it.op === 'add') errors.push({ field: f('code'), message: `代码 ${it.code} 在本次变更中重复新增` });
    touched.add(it.code);
    if (it.op === 'add') {
      if (exists) errors.push({ field: f('code'), message: `代码 ${it.code} 已存在，不能新增` });
      if (!it.display?.trim()) errors.push({ field: f('display'), message: '新增代码须填写名称' });
      added.add(it.code);
    } else if (!exists) {
      errors.push({ field: f('code'), message: `代码 ${it.code} 不存在` });
      return;
    } else if (current.get(it.code)?.fromBase && !added.has(it.code)) {
      // An extension only adds codes under the base; the base's own codes change in the base system.
      errors.push({ field: f('code'), message: `代码 ${it.code} 属于基础代码系统（${current.get(it.code)?.fromBase}），不能在扩展中修改` });
      return;
    }
    if (it.op === 'rename' && !it.display?.trim()) errors.push({ field: f('display'), message: '改名须填写新名称' });
    if (it.op === 'retire' && current.get(it.code)?.status === 'retired') errors.push({ field: f('code'), message: `代码 ${it.code} 已停用` });
    if (it.op === 'reactivate' && current.get(it.code)?.status !== 'retired') errors.push({ field: f('code'), message: `代码 ${it.code} 未停用，无需恢复` });
    if (it.op === 'move' && !it.parents) errors.push({ field: f('parents'), message: '移动须填写新的上级代码' });
    if (it.op === 'designations' && !it.designations) errors.push({ field: f('designations'), message: '须填写同义词/英文名' });
    if (it.op === 'properties' && !it.properties) errors.push({ field: f('properties'), message: '须填写属性' });
    for (const p of it.parents ?? []) {
      if (!current.has(p) && !added.has(p) && !items.some((x) => x.op === 'add' && x.code === p))
        errors.push({ field: f('parents'), message: `上级代码 ${p} 不存在` });
      if (p === it.code) errors.push({ field: f('parents'), message: '上级代码不能是自身' });
    }
    if (it.parents) parentOf.set(it.code, it.parents);
  });
  // A retirement must not orphan: every active child of a retired code is retired or moved away too.
  const retiring = items.filter((it) => it.op === 'retire');
  if (retiring.length) {
    const finalParents = new Map<string, string[]>(parentOf);
    const finalStatus = new Map<string, string>();
    for (const [c, v] of current) finalStatus.set(c, v.status);
    for (const it of items) {
      if (it.op === 'add') finalStatus.set(it.code, 'active');
      if (it.op === 'retire' || it.op === 'reactivate') finalStatus.set(it.code, it.op === 'retire' ? 'retired' : 'active');
    }
    const retired = new Set(retiring.map((it) => it.code).filter((c) => finalStatus.get(c) === 'retired'));
    for (const [code, parents] of finalParents) {
      if (finalStatus.get(code) !== 'active') continue;
      for (const p of parents) {
        if (!retired.has(p)) continue;
        const i = items.findIndex((it) => it.op === 'retire' && it.code === p);
        errors.push({ field: `items[${i}].code`, message: `停用 ${p} 会使其下级 ${code} 失去有效的上级：请一并停用或移走下级` });
      }
    }
  }
  // A move must not put a concept below itself.
  items.forEach((it, i) => {
    if (!it.parents) return;
    const seen = new Set<string>();
    const stack = [...it.parents];
    while (stack.length) {
      const p = stack.pop() as string;
      if (p === it.code) {
        errors.push({ field: `items[${i}].parents`, message: `移动后 ${it.code} 会成为自己的下级` });
        break;
      }
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...(parentOf.get(p) ?? []));
    }
  });
  return errors;
}

export function refuse(errors: FieldError[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', errors[0]?.message ?? '变更内容有误', errors);
}

const snapshot = (c: Concept) => ({ display: c.display, parents: c.parents, status: c.status, designations: c.designations, properties: c.properties });

/** Writes version `seq` of the system from the items; returns the new version's hash and size. */
export async function applyItems(
  tx: Tx,
  systemId: number,
  seq: number,
  items: readonly ChangeItem[],
  author: string,
  changeRequestId: number | null,
): Promise<{ hash: string; count: number }> {
  const current = await repo.conceptsByCodes(tx, systemId, [...new Set(items.map((i) => i.code))], seq - 1);
  const state = new Map<string, Concept>(current);
  const changed = new Set<string>();
  const log: { code: string; kind: string; before: unknown; after: unknown }[] = [];
  for (const it of items) {
    const before = state.get(it.code);
    let after: Concept;
    if (it.op === 'add') {
      after = {
        code: it.code,
        display: (it.display ?? '').trim(),
        parents: it.parents ?? [],
        status: 'active',
        kind: it.kind ?? 'code',
        properties: it.properties ?? {},
        designations: it.designations ?? [],
        pinyin: '',
        initials: '',
      };
      log.push({ code: it.code, kind: 'added', before: null, after: snapshot(after) });
    } else {
      const b = before as Concept;
      after = { ...b };
      if (it.op === 'retire' || it.op === 'reactivate') after.status = it.op === 'retire' ? 'retired' : 'active';
      if (it.op === 'rename') after.display = (it.display ?? '').trim();
      if (it.op === 'move') after.parents = it.parents ?? [];
      if (it.op === 'designations') after.designations = it.designations ?? [];
      if (it.op === 'properties') after.properties = it.properties ?? {};
      const kind = { retire: 'retired', reactivate: 'reactivated', rename: 'renamed', move: 'moved', designations: 'designation', properties: 'property' }[
        it.op
      ];
      const field = { retire: 'status', reactivate: 'status', rename: 'display', move: 'parents', designations: 'designations', properties: 'properties' }[
        it.op
      ] as keyof Concept;
      log.push({ code: it.code, kind, before: { [field]: b[field] }, after: { [field]: after[field] } });
    }
    const keys = pinyinKeys(after.display);
    after.pinyin = keys.full;
    after.initials = keys.initials;
    state.set(it.code, after);
    changed.add(it.code);
  }
  // Batched: the current revisions close before the new ones open (one current revision per code).
  await repo.closeRevisions(
    tx,
    systemId,
    [...changed].filter((c) => current.has(c)),
    seq,
  );
  await repo.insertRevisions(
    tx,
    systemId,
    [...changed].map((c) => state.get(c) as Concept),
    seq,
  );
  await repo.insertChanges(tx, systemId, seq, author, changeRequestId, log);
  return contentHash(await repo.conceptsAt(tx, systemId, seq));
}

export interface DiffEntry {
  code: string;
  kinds: string[];
  before: Partial<ConceptRow> | null;
  after: Partial<ConceptRow> | null;
}

/** What differs between two versions (by seq), concept by concept. */
export async function diffVersions(tx: Tx, systemId: number, a: number, b: number): Promise<DiffEntry[]> {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  const codes = [...new Set((await repo.revisionsBetween(tx, systemId, lo, hi)).map((r) => r.code))];
  const at = await repo.conceptsByCodes(tx, systemId, codes, a);
  const bt = await repo.conceptsByCodes(tx, systemId, codes, b);
  const out: DiffEntry[] = [];
  const pick = (c: ConceptRow | undefined) =>
    c ? { code: c.code, display: c.display, parents: c.parents, status: c.status, designations: c.designations, properties: c.properties } : null;
  for (const code of codes) {
    const x = at.get(code);
    const y = bt.get(code);
    const kinds: string[] = [];
    if (!x && y) kinds.push('added');
    else if (x && !y) kinds.push('removed');
    else if (x && y) {
      if (x.status !== y.status) kinds.push(y.status === 'retired' ? 'retired' : 'reactivated');
      if (x.display !== y.display) kinds.push('renamed');
      if (JSON.stringify(x.parents) !== JSON.stringify(y.parents)) kinds.push('moved');
      if (JSON.stringify(x.designations) !== JSON.stringify(y.designations)) kinds.push('designation');
      if (JSON.stringify(x.properties) !== JSON.stringify(y.properties)) kinds.push('property');
    }
    if (kinds.length) out.push({ code, kinds, before: pick(x), after: pick(y) });
  }
  return out;
}
