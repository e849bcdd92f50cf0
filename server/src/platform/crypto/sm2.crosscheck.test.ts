// Independent SM2 (GB/T 32918.2) in plain BigInt, to cross-check sm-crypto-v2 rather than trust it.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sm2GenerateKeyPair, sm2Sign, sm2Verify } from './sm2.ts';

// sm2p256v1 (GB/T 32918.5).
const p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const a = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const b = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const n = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const G: Affine = {
  x: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  y: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};

type Affine = { x: bigint; y: bigint };
type Point = Affine | null; // null = point at infinity

const mod = (v: bigint, m: bigint) => ((v % m) + m) % m;
function inv(v: bigint, m: bigint): bigint {
  let [r0, r1, t0, t1] = [mod(v, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, t0, t1] = [r1, r0 - q * r1, t1, t0 - q * t1];
  }
  assert.equal(r0, 1n, 'not invertible');
  return mod(t0, m);
}
function add(P: Point, Q: Point): Point {
  if (!P) return Q;
  if (!Q) return P;
  if (P.x === Q.x && mod(P.y + Q.y, p) === 0n) return null;
  const l = P.x === Q.x ? mod((3n * P.x * P.x + a) * inv(2n * P.y, p), p) : mod((Q.y - P.y) * inv(Q.x - P.x, p), p);
  const x = mod(l * l - P.x - Q.x, p);
  return { x, y: mod(l * (P.x - x) - P.y, p) };
}
function mul(k: bigint, P: Point): Point {
  let R: Point = null;
  for (let Q = P; k > 0n; k >>= 1n, Q = add(Q, Q)) if (k & 1n) R = add(R, Q);
  return R;
}
function mulG(k: bigint): Affine {
  const R = mul(k, G);
  assert.ok(R, 'k·G is the point at infinity');
  return R;
}
const onCurve = (P: Affine) => mod(P.y * P.y - (P.x * P.x * P.x + a * P.x + b), p) === 0n;

const be32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const int = (buf: Buffer) => BigInt(`0x${buf.toString('hex') || '0'}`);
const sm3 = (...parts: Buffer[]) => createHash('sm3').update(Buffer.concat(parts)).digest();

function parsePub(hex: string): Affine {
  assert.match(hex, /^04[0-9a-f]{128}$/i);
  return { x: BigInt(`0x${hex.slice(2, 66)}`), y: BigInt(`0x${hex.slice(66)}`) };
}
function za(id: Buffer, P: Affine): Buffer {
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  return sm3(entl, id, be32(a), be32(b), be32(G.x), be32(G.y), be32(P.x), be32(P.y));
}

/** Minimal DER: 30 L 02 Lr r 02 Ls s (short-form lengths only, which 256-bit values always use). */
function decodeDer(hex: string): { r: bigint; s: bigint } {
  const d = Buffer.from(hex, 'hex');
  assert.equal(d[0], 0x30);
  assert.equal(d[1], d.length - 2);
  assert.equal(d[2], 0x02);
  const rEnd = 4 + d[3]!;
  assert.equal(d[rEnd], 0x02);
  assert.equal(rEnd + 2 + d[rEnd + 1]!, d.length);
  return { r: int(d.subarray(4, rEnd)), s: int(d.subarray(rEnd + 2)) };
}

const DEFAULT_ID = Buffer.from('1234567812345678');

function verify(msg: Buffer, r: bigint, s: bigint, pubHex: string, id = DEFAULT_ID): boolean {
  const P = parsePub(pubHex);
  if (!onCurve(P) || r < 1n || r >= n || s < 1n || s >= n) return false;
  const e = int(sm3(za(id, P), msg));
  const t = mod(r + s, n);
  if (t === 0n) return false;
  const X = add(mul(s, G), mul(t, P));
  return X !== null && mod(e + X.x, n) === r;
}

function sign(msg: Buffer, d: bigint, k: bigint, id = DEFAULT_ID): { r: bigint; s: bigint } {
  const P = mulG(d);
  const e = int(sm3(za(id, P), msg));
  const r = mod(e + mulG(k).x, n);
  const s = mod(inv(1n + d, n) * (k - r * d), n);
  assert.ok(r !== 0n && r + k !== n && s !== 0n, 'pick another k');
  return { r, s };
}

// GB/T 32918.5-2017 Annex A (recommended curve, default id).
const STD = {
  d: 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n,
  pub: '04' + '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' + 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  za: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  r: 0xf5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3n,
  s: 0xb1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aan,
};
const MSG = Buffer.from('message digest');

test('reference implementation reproduces the GB/T 32918.5 example (Z, e, key, r, s)', () => {
  assert.ok(onCurve(G));
  const P = mulG(STD.d);
  assert.equal(`04${be32(P.x).toString('hex')}${be32(P.y).toString('hex')}`, STD.pub);
  assert.equal(za(DEFAULT_ID, P).toString('hex'), STD.za);
  assert.equal(sm3(za(DEFAULT_ID, P), MSG).toString('hex'), STD.e);
  assert.deepEqual(sign(MSG, STD.d, STD.k), { r: STD.r, s: STD.s });
  assert.ok(verify(MSG, STD.r, STD.s, STD.pub));
  assert.ok(!verify(MSG, STD.r, STD.s, STD.pub, Buffer.from('ALICE123@YAHOO.COM')));
  assert.equal(mul(n, G), null, 'n is the order of G');
});

test('sm-crypto-v2 signatures verify under the reference implementation; tampering is rejected', () => {
  for (const msg of ['导出文件 2024-05.csv', '']) {
    const kp = sm2GenerateKeyPair();
    const { r, s } = decodeDer(sm2Sign(msg, kp.privateKey));
    assert.ok(verify(Buffer.from(msg), r, s, kp.publicKey));
    assert.ok(!verify(Buffer.from(`${msg}x`), r, s, kp.publicKey));
    assert.ok(!verify(Buffer.from(msg), r, mod(s + 1n, n), kp.publicKey));
    assert.ok(!verify(Buffer.from(msg), mod(r + 1n, n), s, kp.publicKey));
    assert.ok(!verify(Buffer.from(msg), r, s, sm2GenerateKeyPair().publicKey));
  }
});

test('reference-implementation signatures verify under sm2Verify', () => {
  const d = mod(int(randomBytes(32)), n - 2n) + 1n;
  const P = mulG(d);
  const pub = `04${be32(P.x).toString('hex')}${be32(P.y).toString('hex')}`;
  const msg = Buffer.from('上报数据批次 7');
  const { r, s } = sign(msg, d, mod(int(randomBytes(32)), n - 1n) + 1n);
  const hex = (v: bigint) => {
    let h = v.toString(16); // minimal DER INTEGER: no leading zero bytes, 00 only before a high bit
    if (h.length % 2) h = `0${h}`;
    if (Number.parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
    return `02${(h.length / 2).toString(16).padStart(2, '0')}${h}`;
  };
  const body = hex(r) + hex(s);
  const sig = `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
  assert.ok(sm2Verify(msg, sig, pub));
  assert.ok(!sm2Verify(Buffer.from('上报数据批次 8'), sig, pub));
});
