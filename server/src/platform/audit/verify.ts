import { sm2Verify } from '../crypto/sm2.ts';
import type { Queryable } from '../db/types.ts';
import { type AnchorRecord, chainId } from './anchor.ts';
import { CHECKPOINT_COLUMNS, type Checkpoint, type CheckpointRow, checkpointFromRow, checkpointMessage, keyIdOf } from './checkpoint.ts';
import { eventHash, GENESIS_HASH } from './hash.ts';
import { MerkleBuilder } from './merkle.ts';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow, chainedEventFromRow } from './row.ts';

export interface VerifyResult {
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  /** Checkpoints exported outside the database (anchor file) compared with the database's. */
  checkedAnchors: number;
  firstBroken: { seq: number; reason: string } | null;
}

export interface VerifyOptions {
  /** Public keys whose checkpoint signatures count (the key ring's); unset = any self-consistent key. */
  trustedPublicKeys?: readonly string[];
  /** Rows per page (keyset pagination). */
  pageSize?: number;
  /** The exported checkpoints (readAnchors): the database must still hold each of them, unchanged. */
  anchors?: readonly AnchorRecord[];
}

interface Open {
  cp: Checkpoint;
  tree: MerkleBuilder;
  lastHash: string | null;
}

/**
 * Re-reads the whole log in seq order, outside any transaction (one page at a time, so it runs at
 * millions of rows and never blocks appends for long) and checks: every event's hash recomputed from
 * its stored fields, the prev_hash links, seq without gaps, the head row, and every checkpoint's
 * Merkle root, head hash and SM2 signature. Call it with the owner connection (kernel.db): row-level
 * security would hide other districts' events.
 *
 * Reports the first broken place. Chain faults (exact seq) win over a checkpoint's root mismatch
 * that they already explain; a checkpoint fault is reported at the checkpoint's from_seq.
 */
export async function verifyAudit(db: Queryable, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 5000;
  const trusted = opts.trustedPublicKeys ? new Set(opts.trustedPublicKeys.map((k) => k.toLowerCase())) : null;
  let broken: { seq: number; reason: string } | null = null;
  let chainBroken = false;
  const fault = (seq: number, reason: string, chain: boolean) => {
    if (chain) chainBroken = true;
    if (!broken || seq < broken.seq) broken = { seq, reason };
  };

  // Checkpoints before the head: a checkpoint read first can only cover events at or below it.
  const cps = (await db.query<CheckpointRow>(`select ${CHECKPOINT_COLUMNS} from audit_checkpoint order by from_seq, id`)).map(checkpointFromRow);
  const [head] = await db.query<{ seq: number; hash: string }>('select seq, hash from audit_head where id = 1');
  const headSeq = Number(head?.seq ?? 0);

  let expectFrom = 1;
  for (const cp of cps) {
    const label = `检查点 #${cp.id}（第 ${cp.fromSeq}–${cp.toSeq} 条）`;
    if (cp.fromSeq > expectFrom) fault(expectFrom, `第 ${expectFrom}–${cp.fromSeq - 1} 条事件不在任何检查点内（检查点可能被删除）`, false);
    else if (cp.fromSeq < expectFrom) fault(cp.fromSeq, `${label}与前一检查点范围重叠`, false);
    expectFrom = Math.max(expectFrom, cp.toSeq + 1);
    if (cp.toSeq < cp.fromSeq) fault(cp.fromSeq, `${label}范围无效`, false);
    if (keyIdOf(cp.publicKey) !== cp.keyId) fault(cp.fromSeq, `${label}的密钥编号与公钥不符`, false);
    else if (trusted && !trusted.has(cp.publicKey.toLowerCase())) fault(cp.fromSeq, `${label}的签名公钥不是本系统的审计签名密钥`, false);
    else if (!sm2Verify(checkpointMessage(cp.fromSeq, cp.toSeq, cp.merkleRoot, cp.headHash), cp.signature, cp.publicKey)) {
      fault(cp.fromSeq, `${label}的 SM2 签名无效（检查点被伪造或篡改）`, false);
    }
  }

  if (opts.anchors) await compareAnchors(db, cps, opts.anchors, (seq, reason) => fault(seq, reason, false));

  let pending = 0; // next checkpoint (by from_seq) not yet opened
  let open: Open[] = [];
  const close = (o: Open) => {
    const label = `检查点 #${o.cp.id}（第 ${o.cp.fromSeq}–${o.cp.toSeq} 条）`;
    if (chainBroken) return; // the chain fault found so far already explains a mismatch here
    if (o.tree.count !== o.cp.toSeq - o.cp.fromSeq + 1 || o.tree.root() !== o.cp.merkleRoot) {
      fault(o.cp.fromSeq, `${label}的 Merkle 根与事件不符，该范围内的事件被改写`, false);
    } else if (o.lastHash !== o.cp.headHash) {
      fault(o.cp.toSeq, `${label}签署的链头哈希与第 ${o.cp.toSeq} 条事件不符`, false);
    }
  };

  let checked = 0;
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  for (;;) {
    const rows = await db.query<AuditEventRow>(`select ${AUDIT_EVENT_COLUMNS} from audit_event where seq > $1 and seq <= $2 order by seq limit $3`, [
      lastSeq,
      headSeq,
      pageSize,
    ]);
    for (const r of rows) {
      const ev = chainedEventFromRow(r);
      const seq = ev.seq;
      if (seq !== lastSeq + 1) {
        fault(lastSeq + 1, seq === lastSeq + 2 ? `第 ${lastSeq + 1} 条事件缺失（序号不连续）` : `第 ${lastSeq + 1}–${seq - 1} 条事件缺失（序号不连续）`, true);
      } else if (r.prev_hash !== lastHash) {
        fault(seq, seq === 1 ? '第 1 条事件的前序哈希不是创世哈希' : `第 ${seq} 条事件的前序哈希与第 ${lastSeq} 条事件不衔接`, true);
      }
      if (eventHash(r.prev_hash, ev) !== r.hash) fault(seq, `第 ${seq} 条事件内容被篡改（哈希校验不符）`, true);

      while (pending < cps.length && cps[pending]!.fromSeq <= seq) open.push({ cp: cps[pending++]!, tree: new MerkleBuilder(), lastHash: null });
      let closed = false;
      for (const o of open) {
        if (seq <= o.cp.toSeq) {
          o.tree.push(r.hash);
          o.lastHash = r.hash;
        }
        if (seq >= o.cp.toSeq) {
          close(o);
          closed = true;
        }
      }
      if (closed) open = open.filter((o) => seq < o.cp.toSeq);
      lastSeq = seq;
      lastHash = r.hash;
      checked++;
    }
    if (rows.length < pageSize) break;
  }

  // Checkpoints still waiting certify events that are gone: the tail was cut off.
  const unreached = [...open.map((o) => o.cp), ...cps.slice(pending)];
  if (unreached.length > 0) {
    const maxTo = Math.max(...unreached.map((c) => c.toSeq));
    fault(lastSeq + 1, `第 ${lastSeq + 1} 条起的事件缺失：检查点已签署至第 ${maxTo} 条，审计链现仅到第 ${lastSeq} 条（尾部事件被删除）`, true);
  }
  if (!head) {
    fault(lastSeq + 1, '链头记录（audit_head）缺失', true);
  } else if (lastSeq < headSeq) {
    fault(lastSeq + 1, `第 ${lastSeq + 1}–${headSeq} 条事件缺失（链头记录为第 ${headSeq} 条）`, true);
  } else if (head.hash !== lastHash) {
    fault(headSeq, `链头记录的哈希与第 ${headSeq} 条事件不符`, true);
  }
  // Events above the head row were written around appendAudit (the head is re-read: appends go on meanwhile).
  const [beyond] = await db.query<{ seq: number | null }>('select min(seq) as seq from audit_event where seq > $1', [headSeq]);
  if (head && beyond?.seq != null) {
    const [now] = await db.query<{ seq: number }>('select seq from audit_head where id = 1');
    if (!now || Number(beyond.seq) > Number(now.seq)) fault(Number(beyond.seq), `第 ${beyond.seq} 条事件在链头记录之外（链头被回退或事件被私自插入）`, true);
  }

  return { ok: broken === null, checkedEvents: checked, checkedCheckpoints: cps.length, checkedAnchors: opts.anchors?.length ?? 0, firstBroken: broken };
}

const SAME: (keyof AnchorRecord & keyof Checkpoint)[] = ['fromSeq', 'toSeq', 'merkleRoot', 'headHash', 'keyId', 'publicKey', 'signature'];

/**
 * Each exported checkpoint must still be in the database, unchanged, on the same chain: a database that
 * holds fewer or older checkpoints than were exported had its tail (events, checkpoints, head) cut back.
 */
async function compareAnchors(db: Queryable, cps: Checkpoint[], anchors: readonly AnchorRecord[], fault: (seq: number, reason: string) => void): Promise<void> {
  const chain = await chainId(db);
  const byId = new Map(cps.map((c) => [c.id, c]));
  const maxTo = cps.reduce((m, c) => Math.max(m, c.toSeq), 0);
  const seen = new Map<number, AnchorRecord>();
  for (const a of anchors) {
    const label = `已导出到库外的检查点 #${a.id}（第 ${a.fromSeq}–${a.toSeq} 条）`;
    const first = seen.get(a.id);
    if (first) {
      if (first.chain !== a.chain || SAME.some((k) => first[k] !== a[k])) fault(a.fromSeq, `${label}在锚点文件中出现两次且内容不同（锚点文件被改动）`);
      continue;
    }
    seen.set(a.id, a);
    if (a.chain !== chain) {
      fault(a.fromSeq, `${label}属于另一条审计链（第 1 条事件的哈希不同）：审计链被整体替换或数据库被重建；若确为有意重建，请将锚点文件移出存档`);
      continue;
    }
    const cp = byId.get(a.id);
    if (!cp) {
      const older = a.toSeq > maxTo ? `，数据库中的检查点只签署到第 ${maxTo} 条` : '';
      fault(a.fromSeq, `${label}在数据库中已不存在（检查点被删除${older}）`);
    } else if (SAME.some((k) => cp[k] !== a[k])) {
      fault(a.fromSeq, `${label}与数据库中的检查点 #${a.id} 不符（检查点被改写）`);
    }
  }
}
