// Module boundaries are enforced, not promised (docs/architecture.md, "Module boundaries"): each database
// object is created by exactly one module's migrations; another module names it in SQL only when the owner
// declares it in `exports`, and only to read it (or call it, a function) — never to write, index, alter or
// hang a trigger on it; the kernel names no business module's object; module folders import each other
// without cycles.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { allModules } from './modules.ts';
import {
  cycles,
  importsOf,
  isProductCode,
  KERNEL,
  moduleFolders,
  ownedObjects,
  ownerOfFile,
  SERVER,
  stripComments,
  usesIn,
  walk,
} from './test/module-boundaries.ts';

const folders = moduleFolders(allModules);
const owned = ownedObjects(folders);
const kernelModules = new Set(folders.filter((f) => f.kernel).map((f) => f.name));
const exportsOf = new Map(folders.map((f) => [f.name, new Set(f.module.exports ?? [])]));
const files = walk(SERVER).filter(isProductCode);

/**
 * Crossings still open (`file → object`), each with why it is not fixed yet. This list only shrinks: a crossing
 * not in it fails the test, and so does an entry that no longer crosses (remove it). Applied migrations are
 * immutable, so a crossing in one stays listed until a later migration of the owner takes the object over.
 */
const KNOWN: Record<string, string> = {
  // the kernel's user administration checks a scope's institution/team/doctor exists; needs a master-data hook like scope names
  'platform/auth/users/scope-input.ts → institution': 'scope input validation reads master data',
  // the demo panel and demo accounts pick real teams and hospitals of the generated world
  'platform/demo/panel.ts → team': 'demo panel picks a family-doctor team',
  'platform/demo/panel.ts → practitioner': 'demo panel picks a family-doctor team',
  'platform/demo/panel.ts → institution': 'demo panel picks a family-doctor team',
  'platform/demo/panel.ts → team_community': 'demo panel picks a family-doctor team',
  'platform/demo/users.ts → institution': 'demo accounts are scoped to generated hospitals',
  // world stages fill person's care columns (team, doctor) after generating contracts
  'systems/family-planning/birth-verification/world.ts → person': 'the births stage adds newborns to the resident index by COPY',
  'systems/health-network/family-doctor/world.ts → person': 'the contracts stage sets person.team_id / doctor_id',
  // applied migrations: immutable, the objects they made stay where they are until the owner takes them over
  'systems/health-network/family-doctor/migrations/014_hospital_read_person.sql → person': 'a read policy on person for hospitals (applied)',
  'systems/health-network/family-doctor/migrations/016_card_rules_to_index.sql → insurance_card_rule': 'moved its rows to the resident index (applied)',
  'systems/health-network/key-populations/migrations/001_key_populations.sql → person': 'trigger on person keeps kp_tag scope columns (applied)',
  'systems/health-network/key-populations/migrations/002_list_indexes.sql → fd_contract': 'an index on fd_contract for the key-population list (applied)',
  'systems/health-network/key-populations/migrations/003_count_generation.sql → fd_contract': 'an index on fd_contract (applied)',
  'systems/health-network/key-populations/migrations/004_contract_tag_counts.sql → fd_contract': 'triggers on fd_contract keep kp_contract_tag_count (applied); needs family-doctor to publish contract changes',
  // the hospital data set is still created by compliance's migrations (TODO: its own module)
  'systems/hospital-monitoring/data-quality/correct.ts → hm_encounter': 'hospital data set owned by compliance',
  'systems/hospital-monitoring/data-quality/world.ts → hm_encounter': 'hospital data set owned by compliance',
  'systems/hospital-monitoring/data-quality/world.ts → hm_fee_line': 'hospital data set owned by compliance',
  'systems/hospital-monitoring/data-quality/world.ts → hm_diagnosis': 'hospital data set owned by compliance',
};
/** Import cycles between module folders still open (members sorted, joined by ' ↔ '), with why. */
const KNOWN_CYCLES: Record<string, string> = {
  // master-data's district statistics page counts residents through resident-index's service, and the index
  // checks residence against master data: the district-stats route belongs in the resident index
  'common.master-data ↔ common.resident-index': 'district statistics route lives in master data',
  // birth's household prefill uses household's service; household reuses marriage's normaliser and data-platform
  // adapter; marriage writes marriages through birth's service: the shared adapter and normaliser belong in platform
  'family-planning.birth-verification ↔ family-planning.household-verification ↔ family-planning.marriage-verification':
    'shared data-platform adapter and normaliser live in marriage-verification',
};

function shrinkOnly(found: readonly string[], known: Record<string, string>, what: string) {
  const unexpected = [...new Set(found)].filter((k) => !(k in known));
  const stale = Object.keys(known).filter((k) => !found.includes(k));
  assert.deepEqual(unexpected, [], `${what} (fix it: read the owner's export, or ask the owner to export a view)`);
  assert.deepEqual(stale, [], `${what} listed as known but gone: remove from the list`);
}

test('every module folder is registered and every database object has exactly one owner', () => {
  assert.ok(folders.length >= 25, 'module folders found');
  assert.ok(owned.size > 100, 'objects found in migrations');
  const twice = [...owned].filter(([, o]) => o.creators.size > 1).map(([n, o]) => `${n}: ${[...o.creators].join(', ')}`);
  assert.deepEqual(twice, [], 'objects created by more than one module');
});

test('a module exports only objects its own migrations create', () => {
  const wrong: string[] = [];
  for (const f of folders) for (const e of f.module.exports ?? []) if (owned.get(e)?.owner !== f.name) wrong.push(`${f.name} exports ${e} (owner: ${owned.get(e)?.owner ?? 'none'})`);
  assert.deepEqual(wrong, []);
});

test('no module names another module’s private object in SQL, nor writes another module’s object', () => {
  const crossings: string[] = [];
  for (const file of files) {
    const from = ownerOfFile(file, folders);
    if (!from) continue;
    const text = stripComments(readFileSync(file, 'utf8'), file.endsWith('.sql'));
    for (const u of usesIn(text, owned)) {
      const o = owned.get(u.object);
      if (!o || o.owner === from) continue;
      const fromKernel = from === KERNEL || kernelModules.has(from);
      const toKernel = kernelModules.has(o.owner);
      // the kernel is one unit: its modules use each other's tables freely
      if (fromKernel && toKernel) continue;
      let why: string | null = null;
      if (fromKernel) why = 'the kernel names a business module’s object';
      else if (u.write && o.kind !== 'function') why = 'writes another module’s object';
      else if (!exportsOf.get(o.owner)?.has(u.object)) why = `not exported by ${o.owner}`;
      if (why) {
        const key = `${relative(SERVER, file)} → ${u.object}`;
        crossings.push(key);
        if (!(key in KNOWN)) console.log(`${key} (${from} → ${o.owner}): ${why} — “${u.excerpt}”`);
      }
    }
  }
  shrinkOnly(crossings, KNOWN, 'SQL crossing module boundaries');
});

test('module folders import each other without cycles', () => {
  const graph = new Map<string, Set<string>>();
  for (const file of walk(SERVER).filter((f) => f.endsWith('.ts') && isProductCode(f))) {
    const from = ownerOfFile(file, folders);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const target of importsOf(file, readFileSync(file, 'utf8'))) {
      const to = ownerOfFile(target, folders);
      if (to && to !== from) graph.get(from)?.add(to);
    }
  }
  // the kernel's folders are layered by other means (platform/module.ts imports types from all of them)
  for (const [from, tos] of graph) if (from === KERNEL || kernelModules.has(from)) for (const t of [...tos]) if (t === KERNEL || kernelModules.has(t)) tos.delete(t);
  shrinkOnly(cycles(graph).map((c) => c.join(' ↔ ')), KNOWN_CYCLES, 'import cycles between module folders');
});

test('the scanner sees what it is meant to see', () => {
  const names = new Map([
    ['fd_contract', { kind: 'table' as const, owner: 'a', creators: new Set(['a']) }],
    ['wj_scope_ok', { kind: 'function' as const, owner: 'k', creators: new Set(['k']) }],
  ]);
  const uses = (s: string) => usesIn(s, names).map((u) => `${u.object}:${u.write ? 'w' : 'r'}`);
  assert.deepEqual(uses('select 1 from fd_contract c join x on true'), ['fd_contract:r']);
  assert.deepEqual(uses('create trigger t after insert on fd_contract for each row execute function f()'), ['fd_contract:w']);
  assert.deepEqual(uses('create index i on fd_contract (id)'), ['fd_contract:w']);
  assert.deepEqual(uses("update fd_contract set x = 1; copyRows('fd_contract', cols, rows)"), ['fd_contract:w', 'fd_contract:w']);
  assert.deepEqual(uses('using (wj_scope_ok(district_code))'), ['wj_scope_ok:r']);
  assert.deepEqual(uses('const fd_contract = 1; // the contract'), []);
  assert.deepEqual(
    cycles(
      new Map([
        ['a', new Set(['b'])],
        ['b', new Set(['c'])],
        ['c', new Set(['a'])],
        ['d', new Set(['a'])],
      ]),
    ),
    [['a', 'b', 'c']],
  );
});
