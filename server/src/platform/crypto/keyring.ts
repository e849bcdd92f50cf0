import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import { CryptoError } from './errors.ts';
import { sm2GenerateKeyPair, sm2KeyPairMatches, sm2Sign, sm2Verify } from './sm2.ts';
import { hmacSm3 } from './sm3.ts';
import { sm4Open, sm4Seal } from './sm4.ts';

export type KeyRingData = {
  version: 1;
  active: string;
  /** enc: 16-byte SM4 key, mac: 32-byte HMAC-SM3 key, both hex. */
  keys: Record<string, { enc: string; mac: string }>;
  /** The active blind-index key: 32-byte HMAC-SM3 key, hex. */
  blindIndex: string;
  /** Its id (b1, b2, …); a ring written before blind-index key ids existed has b1. */
  blindIndexId?: string;
  /**
   * Earlier blind-index keys, kept while blind indexes with no sealed source (received from outside and
   * never rebuilt) still hold values made under them; see platform/crypto/sealed-columns.ts.
   */
  blindIndexRetired?: Record<string, string>;
  sm2: { privateKey: string; publicKey: string };
};

interface FieldKey {
  enc: Buffer;
  mac: Buffer;
}

const TOKEN_VERSION = 'v1';
// k1, k2, …: also keeps ids like __proto__ out of the plain objects toJSON builds.
const KID = /^k[1-9][0-9]{0,8}$/;
const BID = /^b[1-9][0-9]{0,8}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** Application keys: versioned field encryption, blind indexes and the platform SM2 pair. */
export class KeyRing {
  private constructor(
    private active: string,
    private readonly keys: Map<string, FieldKey>,
    // Rotated only offline (`weijian keys rotate --blind-index`): every sourced index is recomputed with it.
    private blindKey: Buffer,
    private readonly sm2Pair: { privateKey: string; publicKey: string },
    private blindId = 'b1',
    // Earlier blind keys by id: unsourced indexes keep the key that made them (lookups try every key).
    private readonly blindRetired = new Map<string, Buffer>(),
  ) {}

  static generate(): KeyRing {
    const keys = new Map([['k1', newFieldKey()]]);
    return new KeyRing('k1', keys, randomBytes(32), sm2GenerateKeyPair());
  }

  static fromJSON(data: unknown): KeyRing {
    if (!isObject(data)) invalid('not an object');
    if (data.version !== 1) invalid('version must be 1');
    if (!isObject(data.keys)) invalid('keys must be an object');
    const keys = new Map<string, FieldKey>();
    for (const [kid, k] of Object.entries(data.keys)) {
      if (!KID.test(kid)) invalid(`bad key id "${kid}"`);
      if (!isObject(k) || !isHex(k.enc, 16) || !isHex(k.mac, 32)) invalid(`key ${kid} needs enc (16 bytes hex) and mac (32 bytes hex)`);
      keys.set(kid, { enc: Buffer.from(k.enc, 'hex'), mac: Buffer.from(k.mac, 'hex') });
    }
    if (typeof data.active !== 'string' || !keys.has(data.active)) invalid('active must name one of keys');
    if (!isHex(data.blindIndex, 32)) invalid('blindIndex must be 32 bytes hex');
    const pair = data.sm2;
    if (!isObject(pair) || !isHex(pair.privateKey, 32) || typeof pair.publicKey !== 'string') invalid('sm2 needs privateKey and publicKey');
    if (!sm2KeyPairMatches(pair.privateKey, pair.publicKey)) invalid('sm2.publicKey does not belong to sm2.privateKey');
    const sm2Pair = { privateKey: pair.privateKey, publicKey: pair.publicKey };
    const blindId = data.blindIndexId ?? 'b1';
    if (typeof blindId !== 'string' || !BID.test(blindId)) invalid('blindIndexId must be b1, b2, …');
    const retired = new Map<string, Buffer>();
    if (data.blindIndexRetired !== undefined) {
      if (!isObject(data.blindIndexRetired)) invalid('blindIndexRetired must be an object');
      for (const [bid, hex] of Object.entries(data.blindIndexRetired)) {
        if (!BID.test(bid) || bid === blindId) invalid(`bad retired blind-index key id "${bid}"`);
        if (!isHex(hex, 32)) invalid(`retired blind-index key ${bid} must be 32 bytes hex`);
        retired.set(bid, Buffer.from(hex, 'hex'));
      }
    }
    return new KeyRing(data.active, keys, Buffer.from(data.blindIndex, 'hex'), sm2Pair, blindId, retired);
  }

  toJSON(): KeyRingData {
    const keys: KeyRingData['keys'] = {};
    for (const [kid, k] of this.keys) keys[kid] = { enc: k.enc.toString('hex'), mac: k.mac.toString('hex') };
    const out: KeyRingData = {
      version: 1,
      active: this.active,
      keys,
      blindIndex: this.blindKey.toString('hex'),
      blindIndexId: this.blindId,
      sm2: { ...this.sm2Pair },
    };
    if (this.blindRetired.size > 0) {
      out.blindIndexRetired = {};
      for (const [bid, k] of this.blindRetired) out.blindIndexRetired[bid] = k.toString('hex');
    }
    return out;
  }

  /** In memory only: persist toJSON() afterwards. Old keys stay so existing tokens decrypt; re-encrypt lazily. */
  rotate(): string {
    let n = 0;
    for (const kid of this.keys.keys()) n = Math.max(n, Number(kid.slice(1)));
    const kid = `k${n + 1}`;
    this.keys.set(kid, newFieldKey());
    this.active = kid;
    return kid;
  }

  /**
   * In memory only: a new active blind-index key; the old one is kept (retired) for the unsourced indexes
   * still made under it. Every sourced index must then be rebuilt (platform/crypto/reseal.ts). Returns the new id.
   */
  rotateBlindIndex(): string {
    this.blindRetired.set(this.blindId, this.blindKey);
    let n = 0;
    for (const bid of this.blindRetired.keys()) n = Math.max(n, Number(bid.slice(1)));
    this.blindId = `b${n + 1}`;
    this.blindKey = randomBytes(32);
    return this.blindId;
  }

  /** In memory only: forgets a retired blind-index key (once no stored index uses it). */
  dropBlindIndexKey(bid: string): void {
    if (bid === this.blindId) throw new RangeError('the active blind-index key cannot be dropped');
    if (!this.blindRetired.delete(bid)) throw new RangeError(`no retired blind-index key ${bid}`);
  }

  /** The id of the key blindIndex() uses: stored beside an unsourced index (it is never rebuilt). */
  get blindIndexKeyId(): string {
    return this.blindId;
  }

  /** Every blind-index key id, oldest first (retired ones, then the active one). */
  get blindIndexKeyIds(): string[] {
    return [...this.blindRetired.keys(), this.blindId].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  }

  get activeKeyId(): string {
    return this.active;
  }

  /** Every field key id, oldest first. */
  get keyIds(): string[] {
    return [...this.keys.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  }

  /** The key id a token was sealed under (throws on a malformed token). */
  keyIdOf(token: string): string {
    return parseToken(token).kid;
  }

  /**
   * Takes over a rotated copy of this ring (read again from its file after `weijian keys rotate`), so a
   * running server writes under the new key without a restart. Only a ring that extends this one is
   * taken: every key kept unchanged, a newer active key, the same blind-index and SM2 keys. Returns
   * whether anything changed.
   */
  adopt(newer: KeyRing): boolean {
    if (newer.blindKey.compare(this.blindKey) !== 0 || newer.sm2Pair.privateKey !== this.sm2Pair.privateKey) return false;
    for (const [kid, k] of this.keys) {
      const n = newer.keys.get(kid);
      if (n?.enc.compare(k.enc) !== 0 || n.mac.compare(k.mac) !== 0) return false;
    }
    if (Number(newer.active.slice(1)) <= Number(this.active.slice(1))) return false;
    for (const [kid, k] of newer.keys) this.keys.set(kid, k);
    this.active = newer.active;
    return true;
  }

  /** → `v1.<kid>.<base64url(iv || ct || tag)>`; the kid is MAC-bound so a token cannot be relabelled. */
  encryptField(plaintext: string): string {
    const k = this.keys.get(this.active) as FieldKey;
    const sealed = sm4Seal(k.enc, k.mac, Buffer.from(plaintext, 'utf8'), aadFor(this.active));
    return `${TOKEN_VERSION}.${this.active}.${sealed.toString('base64url')}`;
  }

  decryptField(token: string): string {
    const { kid, body } = parseToken(token);
    const k = this.keys.get(kid);
    if (!k) throw new CryptoError('未知的密钥编号 / unknown key id');
    return sm4Open(k.enc, k.mac, Buffer.from(body, 'base64url'), aadFor(kid)).toString('utf8');
  }

  needsReencrypt(token: string): boolean {
    return parseToken(token).kid !== this.active;
  }

  /**
   * Deterministic keyed hash for equality search over encrypted columns. The domain (e.g. 'person.id_number')
   * keeps equal values in different columns from matching. Normalise the value (trim, case) before calling.
   */
  blindIndex(value: string, domain: string): string {
    if (!domain || domain.includes('\u0000')) throw new RangeError('blind index domain must be non-empty and NUL-free');
    return hmacSm3(this.blindKey, `${domain}\u0000${value}`).toString('hex');
  }

  /**
   * The value's blind index under every blind-index key of the ring, active first: what a lookup on an
   * unsourced index (one that keeps the key that made it) compares with, together with the row's key id.
   */
  blindIndexAll(value: string, domain: string): { keyId: string; index: string }[] {
    const out = [{ keyId: this.blindId, index: this.blindIndex(value, domain) }];
    for (const [bid, key] of this.blindRetired) out.push({ keyId: bid, index: hmacSm3(key, `${domain}\u0000${value}`).toString('hex') });
    return out;
  }

  get sm2PublicKey(): string {
    return this.sm2Pair.publicKey;
  }

  sm2Sign(message: string | Uint8Array): string {
    return sm2Sign(message, this.sm2Pair.privateKey);
  }

  sm2Verify(message: string | Uint8Array, signatureHex: string): boolean {
    return sm2Verify(message, signatureHex, this.sm2Pair.publicKey);
  }

  /** Keep key material out of console.log / logger output. */
  [inspect.custom](): string {
    return `KeyRing { active: ${this.active}, keys: [${[...this.keys.keys()].join(', ')}] }`;
  }
}

export interface LoadKeyRingOptions {
  /** Contents of WEIJIAN_KEYS: JSON text, or the path of a JSON file. */
  env?: string;
  /** Default location, e.g. <dataDir>/keys.json. */
  file: string;
  /** Create `file` when nothing is configured (development / first start). */
  allowGenerate: boolean;
}

export function loadKeyRing(opts: LoadKeyRingOptions): KeyRing {
  const env = opts.env?.trim();
  if (env) {
    if (env.startsWith('{')) return KeyRing.fromJSON(parseJson(env, 'WEIJIAN_KEYS'));
    return readRing(env);
  }
  if (existsSync(opts.file)) return readRing(opts.file);
  if (!opts.allowGenerate) {
    throw new Error(`未找到密钥：请设置 WEIJIAN_KEYS 或提供 ${opts.file} / no key ring: set WEIJIAN_KEYS or provide ${opts.file}`);
  }
  const ring = KeyRing.generate();
  mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  // Write aside then hard-link: the target never exists half-written, and if another process won the race
  // (EEXIST) its keys are the ones to use, otherwise data encrypted by one of them would be unreadable.
  const tmp = `${opts.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(ring.toJSON(), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, opts.file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readRing(opts.file);
  } finally {
    unlinkSync(tmp);
  }
  return ring;
}

function readRing(path: string): KeyRing {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`无法读取密钥文件 ${path} / cannot read key ring: ${(e as Error).message}`);
  }
  return KeyRing.fromJSON(parseJson(text, path));
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Don't echo the text: it holds keys.
    throw new Error(`密钥不是有效的 JSON（${source}）/ key ring is not valid JSON (${source})`);
  }
}

function parseToken(token: string): { kid: string; body: string } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_VERSION || !KID.test(parts[1]!) || !B64URL.test(parts[2]!)) {
    throw new CryptoError('密文格式无效 / malformed token');
  }
  return { kid: parts[1]!, body: parts[2]! };
}

function aadFor(kid: string): Buffer {
  return Buffer.from(`${TOKEN_VERSION}.${kid}`, 'utf8');
}

function newFieldKey(): FieldKey {
  return { enc: randomBytes(16), mac: randomBytes(32) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHex(v: unknown, bytes: number): v is string {
  return typeof v === 'string' && v.length === bytes * 2 && /^[0-9a-f]*$/i.test(v);
}

function invalid(why: string): never {
  throw new Error(`密钥文件格式无效 / invalid key ring: ${why}`);
}

/** The file the key ring is read from: WEIJIAN_KEYS as a path, else <dataDir>/keys.json; null when WEIJIAN_KEYS holds the JSON itself. */
export function keyRingFile(config: { keys?: string; dataDir: string }): string | null {
  const env = config.keys?.trim();
  if (env) return env.startsWith('{') ? null : env;
  return `${config.dataDir}/keys.json`;
}

/** Replaces the ring file all at once (write aside, fsync, rename): a crash leaves the old or the new ring, never half of one. */
export function saveKeyRing(path: string, ring: KeyRing): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(ring.toJSON(), null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
