// The scanner behind module-boundaries.test.ts: which module owns which database object (from the
// migrations), which objects each module's code names in SQL, and which modules import which.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { WeijianModule } from '../platform/module.ts';

export const SERVER = resolve(new URL('..', import.meta.url).pathname);
/** Code under platform/ outside a kernel module's folder (http, db, rules, reports, world runner…). */
export const KERNEL = 'kernel';

export interface ModuleFolder {
  name: string;
  /** Absolute folder holding module.ts. */
  dir: string;
  kernel: boolean;
  module: WeijianModule;
}

/** Every module.ts under server/src, matched to its registered module by its migrations folder or name. */
export function moduleFolders(modules: readonly WeijianModule[]): ModuleFolder[] {
  const files = walk(SERVER).filter((f) => f.endsWith(`${sep}module.ts`) && f !== join(SERVER, 'platform', 'module.ts'));
  return files.map((file) => {
    const dir = dirname(file);
    const text = readFileSync(file, 'utf8');
    const name = /name:\s*'([^']+)'/.exec(text)?.[1];
    const module = modules.find((m) => (m.migrations && resolve(m.migrations) === join(dir, 'migrations')) || m.name === name);
    if (!module) throw new Error(`${relative(SERVER, file)}: module not registered (modules.ts / kernel-modules.ts)`);
    return { name: module.name, dir, kernel: dir.startsWith(join(SERVER, 'platform') + sep), module };
  });
}

export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** The module a source file belongs to: the deepest module folder holding it; other platform code is KERNEL. */
export function ownerOfFile(file: string, folders: readonly ModuleFolder[]): string | null {
  let best: ModuleFolder | null = null;
  for (const f of folders) if (file.startsWith(f.dir + sep) && (!best || f.dir.length > best.dir.length)) best = f;
  if (best) return best.name;
  return file.startsWith(join(SERVER, 'platform') + sep) ? KERNEL : null;
}

/** Test code and test fixtures build whatever rows they need; the rule is about the running product. */
export function isProductCode(file: string): boolean {
  const base = file.slice(file.lastIndexOf(sep) + 1);
  if (!/\.(ts|sql)$/.test(base)) return false;
  if (/\.test\.ts$/.test(base) || /^test-/.test(base) || /-fixture\.ts$/.test(base) || base === 'testing.ts') return false;
  return !file.startsWith(join(SERVER, 'test') + sep);
}

export function stripComments(text: string, sql: boolean): string {
  const noBlock = text.replace(/\/\*[\s\S]*?\*\//g, ' ');
  return sql ? noBlock.replace(/--[^\n]*/g, ' ') : noBlock.replace(/(^|[\s;{}(),])\/\/[^\n]*/g, '$1').replace(/--[^\n'`]*$/gm, ' ');
}

export type ObjectKind = 'table' | 'view' | 'function' | 'sequence';

const CREATES: [ObjectKind, RegExp][] = [
  ['table', /\bcreate\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)/gi],
  ['view', /\bcreate\s+(?:or\s+replace\s+)?(?:materialized\s+)?view\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)/gi],
  ['function', /\bcreate\s+(?:or\s+replace\s+)?function\s+([a-z_][a-z0-9_]*)/gi],
  ['sequence', /\bcreate\s+sequence\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*)/gi],
];

export interface Owned {
  kind: ObjectKind;
  owner: string;
  /** Every module whose migrations create it (more than one is a failure). */
  creators: Set<string>;
}

/** Object → owner, from every module's migrations. */
export function ownedObjects(folders: readonly ModuleFolder[]): Map<string, Owned> {
  const owned = new Map<string, Owned>();
  for (const f of folders) {
    const dir = f.module.migrations;
    if (!dir || !existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((x) => x.endsWith('.sql'))) {
      const sql = stripComments(readFileSync(join(dir, file), 'utf8'), true);
      for (const [kind, re] of CREATES) {
        for (const m of sql.matchAll(re)) {
          const name = (m[1] as string).toLowerCase();
          const o = owned.get(name);
          if (o) o.creators.add(f.name);
          else owned.set(name, { kind, owner: f.name, creators: new Set([f.name]) });
        }
      }
    }
  }
  return owned;
}

export interface Use {
  object: string;
  write: boolean;
  /** The text around it, to name the crossing. */
  excerpt: string;
}

const WRITE_BEFORE =
  /(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?|alter\s+table(?:\s+if\s+exists)?|drop\s+(?:table|view|function|materialized\s+view|sequence)(?:\s+if\s+exists)?|create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?[a-z0-9_]*\s+on(?:\s+only)?|create\s+(?:constraint\s+)?trigger\s+[\s\S]{0,200}?\s+on|create\s+policy\s+[a-z0-9_]+\s+on|copyRows\(\s*['"`]|lock\s+table)\s*$/i;
const READ_BEFORE = /(?:from|join|references|table|into|using|on)\s*$/i;

/** The objects of `names` a text names as SQL identifiers: after FROM/JOIN/INTO/UPDATE…, or called as functions. */
export function usesIn(text: string, names: ReadonlyMap<string, Owned>): Use[] {
  const out: Use[] = [];
  const re = /\b([a-z_][a-z0-9_]*)\b/g;
  for (const m of text.matchAll(re)) {
    const name = m[1] as string;
    const o = names.get(name);
    if (!o) continue;
    const at = m.index ?? 0;
    const before = text.slice(Math.max(0, at - 240), at);
    const after = text.slice(at + name.length, at + name.length + 2);
    const excerpt = text
      .slice(Math.max(0, at - 40), at + name.length + 20)
      .replace(/\s+/g, ' ')
      .trim();
    // a quoted name handed to SQL built elsewhere: a catalog's `table:`, copyRows, to_regclass
    // (elsewhere a quoted name is a value — a scope level, an audit object type — not a table)
    const quoted = /^['"`]/.test(after) && /(?:to_regclass\(|table:\s*|copyRows\(\s*)['"`]$/.test(before);
    if (WRITE_BEFORE.test(before)) out.push({ object: name, write: true, excerpt });
    else if (o.kind === 'function' && /^\s*\(/.test(text.slice(at + name.length))) out.push({ object: name, write: false, excerpt });
    else if (READ_BEFORE.test(before) || quoted) out.push({ object: name, write: false, excerpt });
  }
  return out;
}

/** Relative imports of a .ts file, resolved to absolute paths. */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]/g)) out.push(resolve(dirname(file), m[1] as string));
  for (const m of text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) out.push(resolve(dirname(file), m[1] as string));
  return out;
}

/** Strongly connected components with more than one member: each is at least one import cycle. */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}
