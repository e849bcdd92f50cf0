import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inspect } from 'node:util';
import { CryptoError } from './errors.ts';
import { KeyRing, type KeyRingData, loadKeyRing } from './keyring.ts';

const tmp = mkdtempSync(join(tmpdir(), 'weijian-keys-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('encryptField/decryptField round trip', () => {
  const ring = KeyRing.generate();
  for (const v of ['110101199003074518', '张三', '', 'a.b.c 🙂']) {
    const token = ring.encryptField(v);
    assert.match(token, /^v1\.k1\.[A-Za-z0-9_-]+$/);
    assert.equal(ring.decryptField(token), v);
  }
  assert.notEqual(ring.encryptField('same'), ring.encryptField('same'));
});

test('rotation: new tokens use k2, old tokens still decrypt and need re-encryption', () => {
  const ring = KeyRing.generate();
  const old = ring.encryptField('13800138000');
  assert.equal(ring.needsReencrypt(old), false);
  assert.equal(ring.rotate(), 'k2');
  assert.equal(ring.activeKeyId, 'k2');
  const fresh = ring.encryptField('13800138000');
  assert.ok(fresh.startsWith('v1.k2.'));
  assert.equal(ring.decryptField(old), '13800138000');
  assert.equal(ring.needsReencrypt(old), true);
  assert.equal(ring.needsReencrypt(fresh), false);
  assert.equal(ring.rotate(), 'k3');
  assert.equal(ring.decryptField(fresh), '13800138000');
});

test('tampered, relabelled, foreign and malformed tokens throw CryptoError', () => {
  const ring = KeyRing.generate();
  ring.rotate();
  const token = ring.encryptField('secret');
  const [, , body] = token.split('.');
  const bytes = Buffer.from(body!, 'base64url');
  bytes[20]! ^= 1;
  const bad = [
    `v1.k2.${bytes.toString('base64url')}`,
    `v1.k1.${body}`, // relabelled to another existing key id: the AAD binds the kid
    `v1.k9.${body}`,
    `v2.k2.${body}`,
    `v1.k2.${body!.slice(0, -4)}`,
    `v1.k2.${body}=`,
    'v1.k2',
    '',
    KeyRing.generate().encryptField('secret'),
  ];
  for (const t of bad) assert.throws(() => ring.decryptField(t), CryptoError, t);
  assert.throws(() => ring.needsReencrypt('garbage'), CryptoError);
});

test('relabelling fails even when both key ids hold the same key material', () => {
  const data = KeyRing.generate().toJSON();
  data.keys.k2 = { ...data.keys.k1! };
  const ring = KeyRing.fromJSON(data);
  const token = ring.encryptField('x');
  assert.throws(() => ring.decryptField(token.replace('v1.k1.', 'v1.k2.')), CryptoError);
});

test('blind index is deterministic, keyed and domain-separated', () => {
  const ring = KeyRing.generate();
  const a = ring.blindIndex('110101199003074518', 'person.id_number');
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(ring.blindIndex('110101199003074518', 'person.id_number'), a);
  assert.notEqual(ring.blindIndex('110101199003074519', 'person.id_number'), a);
  assert.notEqual(ring.blindIndex('110101199003074518', 'person.phone'), a);
  assert.notEqual(KeyRing.generate().blindIndex('110101199003074518', 'person.id_number'), a);
  // Survives rotation (the blind-index key is not rotated).
  ring.rotate();
  assert.equal(ring.blindIndex('110101199003074518', 'person.id_number'), a);
  assert.throws(() => ring.blindIndex('x', ''), RangeError);
  assert.throws(() => ring.blindIndex('x', 'a\u0000b'), RangeError);
});

test('blind-index key rotation keeps the old key by id for indexes that cannot be rebuilt', () => {
  const ring = KeyRing.generate();
  const v = '110101199003074518';
  const old = ring.blindIndex(v, 'person.id_number');
  assert.equal(ring.blindIndexKeyId, 'b1');
  assert.deepEqual(ring.blindIndexAll(v, 'person.id_number'), [{ keyId: 'b1', index: old }]);
  assert.equal(ring.rotateBlindIndex(), 'b2');
  const now = ring.blindIndex(v, 'person.id_number');
  assert.notEqual(now, old, 'new indexes under the new key');
  assert.deepEqual(ring.blindIndexAll(v, 'person.id_number'), [
    { keyId: 'b2', index: now },
    { keyId: 'b1', index: old },
  ]);
  assert.equal(ring.rotateBlindIndex(), 'b3');
  assert.deepEqual(ring.blindIndexKeyIds, ['b1', 'b2', 'b3']);
  // Kept through the ring file, and domain-separated under every key.
  const copy = KeyRing.fromJSON(JSON.parse(JSON.stringify(ring)));
  assert.deepEqual(copy.toJSON(), ring.toJSON());
  assert.deepEqual(copy.blindIndexAll(v, 'person.id_number'), ring.blindIndexAll(v, 'person.id_number'));
  assert.ok(copy.blindIndexAll(v, 'person.phone').every((x, i) => x.index !== ring.blindIndexAll(v, 'person.id_number')[i]!.index));
  // A retired key can be dropped; the active one cannot.
  assert.throws(() => copy.dropBlindIndexKey('b3'), RangeError);
  copy.dropBlindIndexKey('b1');
  assert.deepEqual(copy.blindIndexKeyIds, ['b2', 'b3']);
  assert.throws(() => copy.dropBlindIndexKey('b1'), RangeError);
  assert.ok(!inspect(ring).includes(ring.toJSON().blindIndexRetired?.b1 ?? '-'), 'inspect prints no retired key');
});

test('a ring written before blind-index key ids loads its key as b1', () => {
  const data: Partial<KeyRingData> = KeyRing.generate().toJSON();
  delete data.blindIndexId;
  const ring = KeyRing.fromJSON(data);
  assert.equal(ring.blindIndexKeyId, 'b1');
  assert.equal(ring.blindIndexAll('x', 'd')[0]!.index, ring.blindIndex('x', 'd'));
});

test('SM2 sign/verify with the ring key pair', () => {
  const ring = KeyRing.generate();
  assert.match(ring.sm2PublicKey, /^04[0-9a-f]{128}$/);
  const sig = ring.sm2Sign('audit-chain-head');
  assert.ok(ring.sm2Verify('audit-chain-head', sig));
  assert.ok(!ring.sm2Verify('audit-chain-head!', sig));
  assert.ok(!KeyRing.generate().sm2Verify('audit-chain-head', sig));
});

test('JSON round trip keeps every key', () => {
  const ring = KeyRing.generate();
  const t1 = ring.encryptField('one');
  ring.rotate();
  const t2 = ring.encryptField('two');
  const copy = KeyRing.fromJSON(JSON.parse(JSON.stringify(ring)));
  assert.deepEqual(copy.toJSON(), ring.toJSON());
  assert.equal(copy.activeKeyId, 'k2');
  assert.equal(copy.decryptField(t1), 'one');
  assert.equal(copy.decryptField(t2), 'two');
  assert.equal(copy.blindIndex('v', 'd'), ring.blindIndex('v', 'd'));
  assert.ok(copy.sm2Verify('m', ring.sm2Sign('m')));
});

test('fromJSON rejects bad shapes with a clear error', () => {
  const good = KeyRing.generate().toJSON();
  const variants: unknown[] = [
    null,
    [],
    { ...good, version: 2 },
    { ...good, active: 'k7' },
    { ...good, keys: {} },
    { ...good, keys: { k1: { enc: 'abcd', mac: good.keys.k1!.mac } } },
    { ...good, keys: { 'k.1': good.keys.k1 }, active: 'k.1' },
    { ...good, keys: JSON.parse('{"__proto__": {}}') },
    { ...good, blindIndex: 'zz'.repeat(32) },
    { ...good, blindIndexId: 'k1' },
    { ...good, blindIndexRetired: { b1: good.blindIndex } },
    { ...good, blindIndexId: 'b2', blindIndexRetired: { b1: 'ab' } },
    { ...good, blindIndexId: 'b2', blindIndexRetired: JSON.parse(`{"__proto__": "${good.blindIndex}"}`) },
    { ...good, blindIndexRetired: [] },
    { ...good, sm2: { privateKey: good.sm2.privateKey, publicKey: KeyRing.generate().sm2PublicKey } },
    { ...good, sm2: undefined },
  ];
  for (const v of variants) assert.throws(() => KeyRing.fromJSON(v), /invalid key ring/, JSON.stringify(v));
});

test('inspect() does not print key material', () => {
  const ring = KeyRing.generate();
  const out = inspect({ ring });
  assert.ok(!out.includes(ring.toJSON().keys.k1!.enc));
  assert.ok(!out.includes(ring.toJSON().sm2.privateKey));
});

test('loadKeyRing generates the file once (mode 0600), then reloads it', () => {
  const file = join(tmp, 'nested', 'data', 'keys.json');
  const first = loadKeyRing({ file, allowGenerate: true });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as KeyRingData;
  assert.deepEqual(saved, first.toJSON());
  const token = first.encryptField('持久化');
  const second = loadKeyRing({ file, allowGenerate: true });
  assert.equal(second.decryptField(token), '持久化');
  assert.deepEqual(second.toJSON(), first.toJSON());
  assert.equal(loadKeyRing({ file, allowGenerate: false }).decryptField(token), '持久化');
});

test('loadKeyRing prefers WEIJIAN_KEYS as JSON text or as a path', () => {
  const ring = KeyRing.generate();
  const file = join(tmp, 'absent.json');
  const fromText = loadKeyRing({ env: JSON.stringify(ring), file, allowGenerate: true });
  assert.deepEqual(fromText.toJSON(), ring.toJSON());
  const path = join(tmp, 'env-keys.json');
  writeFileSync(path, JSON.stringify(ring), { mode: 0o600 });
  assert.deepEqual(loadKeyRing({ env: ` ${path}\n`, file, allowGenerate: true }).toJSON(), ring.toJSON());
  assert.throws(() => statSync(file), { code: 'ENOENT' }, 'the default file is not created when env is set');
});

test('loadKeyRing fails clearly', () => {
  const file = join(tmp, 'missing', 'keys.json');
  assert.throws(() => loadKeyRing({ file, allowGenerate: false }), /WEIJIAN_KEYS/);
  assert.throws(() => loadKeyRing({ env: '{not json', file, allowGenerate: true }), /not valid JSON/);
  assert.throws(() => loadKeyRing({ env: join(tmp, 'nope.json'), file, allowGenerate: true }), /cannot read key ring/);
});
