// 审计见证系统: keeps a copy of every signed audit checkpoint (platform/audit/witness.ts). It checks the
// SM2 signature before storing and refuses a second, different checkpoint under a chain's id it already
// holds (that is what a rewritten log looks like from outside). GET /api/v1/checkpoints?chain= lists
// what it holds, for comparing with the database by hand (docs/security.md).
import { sm2Verify } from '../../../crypto/sm2.ts';
import { defineSimulator, type Simulator } from '../simulator.ts';

interface Held {
  chain: string;
  id: number;
  fromSeq: number;
  toSeq: number;
  merkleRoot: string;
  headHash: string;
  publicKey: string;
  signature: string;
}

const SIGNED: (keyof Held)[] = ['fromSeq', 'toSeq', 'merkleRoot', 'headHash', 'publicKey', 'signature'];
// What the witness holds: the checkpoints it accepted (sim.received keeps accepted writes only; reset clears it).
const heldBy = (sim: Simulator): Held[] => sim.received.filter((m) => m.path === '/api/v1/checkpoints').map((m) => m.body as Held);

export const auditWitnessSimulator = defineSimulator({
  system: 'audit-witness',
  reply: null,
  routes: [
    {
      method: 'POST',
      url: '/api/v1/checkpoints',
      handler: (req, sim) => {
        const b = (req.body ?? {}) as Partial<Held>;
        const str = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length < 400;
        if (
          !str(b.chain) ||
          !Number.isSafeInteger(b.id) ||
          !Number.isSafeInteger(b.fromSeq) ||
          !Number.isSafeInteger(b.toSeq) ||
          !SIGNED.slice(2).every((k) => str(b[k]))
        ) {
          return { status: 400, body: { code: 'BAD_CHECKPOINT', message: '检查点字段不完整' } };
        }
        const cp = b as Held;
        if (!sm2Verify(`${cp.fromSeq}|${cp.toSeq}|${cp.merkleRoot}|${cp.headHash}`, cp.signature, cp.publicKey)) {
          return { status: 422, body: { code: 'BAD_SIGNATURE', message: '检查点 SM2 签名无效' } };
        }
        const had = heldBy(sim).find((h) => h.chain === cp.chain && h.id === cp.id);
        if (had && SIGNED.some((f) => had[f] !== cp[f])) {
          return { status: 422, body: { code: 'CONFLICT', message: `已见证的检查点 #${cp.id} 与本次内容不同` } };
        }
        return { status: 200, body: { witnessed: cp.id } };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/checkpoints',
      handler: (req, sim) => {
        const all = heldBy(sim).filter((c) => !req.query.chain || c.chain === req.query.chain);
        return { status: 200, body: { items: all.sort((a, b) => a.id - b.id) } };
      },
    },
  ],
});
