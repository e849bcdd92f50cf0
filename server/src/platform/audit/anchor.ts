// Checkpoints anchored outside the database. A database owner can delete the newest events and the
// checkpoint rows and move the head back, and what is left is a consistent, shorter chain. Every signed
// checkpoint is therefore also appended to a file outside the data directory (and pushed to a witness,
// witness.ts); verifyAudit compares the database with that file and fails when it holds fewer or older
// checkpoints than were exported.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, fstatSync, writeSync } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import type { Queryable } from '../db/types.ts';
import { type AnchorRecord, anchorRecord } from './anchor-record.ts';
import { CHECKPOINT_COLUMNS, type CheckpointRow, checkpointFromRow, keyIdOf } from './checkpoint.ts';

export type { AnchorRecord } from './anchor-record.ts';

/** The chain's identity: event 1's hash (null while the log is empty). */
export async function chainId(db: Queryable): Promise<string | null> {
  const [r] = await db.query<{ hash: string }>('select hash from audit_event where seq = 1');
  return r?.hash ?? null;
}

/** Refuses an anchor file inside the data directory: a copy or wipe of data/ would take it along. */
export function checkAnchorLocation(file: string, dataDir: string): void {
  const rel = relative(dataDir, file);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new Error(`审计锚点文件不能位于数据目录内：${file}（WEIJIAN_AUDIT_ANCHOR_FILE）`);
  }
}

function isRecord(r: unknown): r is AnchorRecord {
  const a = r as AnchorRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    a.v === 1 &&
    typeof a.chain === 'string' &&
    Number.isSafeInteger(a.id) &&
    Number.isSafeInteger(a.fromSeq) &&
    Number.isSafeInteger(a.toSeq) &&
    typeof a.merkleRoot === 'string' &&
    typeof a.headHash === 'string' &&
    typeof a.keyId === 'string' &&
    typeof a.publicKey === 'string' &&
    typeof a.signature === 'string'
  );
}

/**
 * Every record of the file, in file order (a missing file: none yet). A line that is not JSON is a write
 * cut short by a crash (the next export writes the record again) and is skipped; JSON of the wrong shape
 * is refused.
 */
export function readAnchors(file: string): AnchorRecord[] {
  if (!existsSync(file)) return [];
  const out: AnchorRecord[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let r: unknown;
      try {
        r = JSON.parse(line);
      } catch {
        return;
      }
      if (!isRecord(r)) throw new Error(`审计锚点文件 ${file} 第 ${i + 1} 行格式无效`);
      out.push(r);
    });
  return out;
}

/** The last complete record of the file, reading only its tail (the file grows by one line per checkpoint). */
export function lastAnchor(file: string): AnchorRecord | null {
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    for (let span = 64 * 1024; ; span *= 4) {
      const start = Math.max(0, size - span);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const lines = buf.toString('utf8').split('\n');
      if (start > 0) lines.shift();
      for (let i = lines.length - 1; i >= 0; i--) {
        try {
          const r = JSON.parse(lines[i]!) as unknown;
          if (isRecord(r)) return r;
        } catch {
          /* empty or torn line */
        }
      }
      if (start === 0) return null;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends the checkpoints the file does not have yet (id above its last), in id order, and syncs the
 * file. Called after every checkpoint commits, so a crash between commit and export is caught up next
 * time; two processes exporting at once may write a line twice, which readers accept (same content).
 */
export async function exportAnchors(db: Queryable, file: string): Promise<number> {
  // Ids only grow, so the last complete record holds the highest exported id.
  const last = lastAnchor(file)?.id ?? 0;
  const rows = (await db.query<CheckpointRow>(`select ${CHECKPOINT_COLUMNS} from audit_checkpoint where id > $1 order by id`, [last])).map(checkpointFromRow);
  if (rows.length === 0) return 0;
  const chain = await chainId(db);
  if (!chain) return 0;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // O_APPEND: every write lands at the end, whatever else has the file open.
  const fd = openSync(file, 'a', 0o600);
  try {
    // A torn last line (crash mid-write) must not swallow the next record.
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const tail = Buffer.alloc(1);
      const rfd = openSync(file, 'r');
      try {
        readSync(rfd, tail, 0, 1, size - 1);
      } finally {
        closeSync(rfd);
      }
      if (tail[0] !== 0x0a) prefix = '\n';
    }
    writeSync(fd, prefix + rows.map((cp) => `${JSON.stringify(anchorRecord(cp, chain))}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return rows.length;
}

interface AnchorSettings {
  config: { auditAnchorFile: string | null };
  keys: { readonly sm2PublicKey: string };
}

/** The anchor file of this deployment: `{key}` in the setting becomes the audit signing key's id. */
export function anchorPath(k: AnchorSettings): string | null {
  const f = k.config.auditAnchorFile;
  return f ? f.replaceAll('{key}', keyIdOf(k.keys.sm2PublicKey)) : null;
}

/** After a checkpoint transaction commits: export what the anchor file lacks (no file configured: nothing). */
export async function anchorCheckpoints(kernel: AnchorSettings & { db: Queryable }): Promise<number> {
  const file = anchorPath(kernel);
  return file ? exportAnchors(kernel.db, file) : 0;
}

/** The exported checkpoints to compare with, or undefined when no anchor file is configured. */
export function configuredAnchors(k: AnchorSettings): AnchorRecord[] | undefined {
  const file = anchorPath(k);
  return file ? readAnchors(file) : undefined;
}
