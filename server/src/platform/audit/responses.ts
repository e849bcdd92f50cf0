import { type Static, Type } from '@sinclair/typebox';
import { Id, Instant, nullable, PageOf } from '../http/schema.ts';

const Seq = Type.Integer({ minimum: 0, description: '审计事件序号' });

/** An audit event as stored, with the Chinese labels and people's names beside the codes. */
export const AuditEvent = Type.Object({
  seq: Seq,
  ts: Instant,
  actorId: nullable(Id),
  actorUsername: Type.String(),
  actorRole: Type.String(),
  scope: Type.String(),
  districtCode: nullable(Type.String()),
  kind: Type.String(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: nullable(Type.String()),
  /** The object before and after a write: free-form JSON, whatever the module recorded. */
  before: Type.Unknown(),
  after: Type.Unknown(),
  note: nullable(Type.String()),
  ip: nullable(Type.String()),
  requestId: nullable(Type.String()),
  prevHash: Type.String(),
  hash: Type.String(),
  actorName: Type.String(),
  kindLabel: Type.String(),
  actionLabel: Type.String(),
  objectLabel: Type.String(),
});
export type AuditEvent = Static<typeof AuditEvent>;
export const AuditEventPage = PageOf(AuditEvent);
export type AuditEventPage = Static<typeof AuditEventPage>;

export const LabelOption = Type.Object({ value: Type.String(), label: Type.String() });
export type LabelOption = Static<typeof LabelOption>;
export const AuditLabels = Type.Object({ kinds: Type.Array(LabelOption), actions: Type.Array(LabelOption), objectTypes: Type.Array(LabelOption) });
export type AuditLabels = Static<typeof AuditLabels>;

/** A checkpoint: the SM2-signed Merkle root over events fromSeq..toSeq. */
export const Checkpoint = Type.Object({
  id: Id,
  fromSeq: Seq,
  toSeq: Seq,
  merkleRoot: Type.String(),
  headHash: Type.String(),
  keyId: Type.String(),
  publicKey: Type.String(),
  signature: Type.String(),
  createdAt: Instant,
});
export type Checkpoint = Static<typeof Checkpoint>;
/** POST /audit/checkpoints: null when no event was appended since the last checkpoint. */
export const CheckpointCreated = Type.Union([Checkpoint, Type.Null()]);
export type CheckpointCreated = Static<typeof CheckpointCreated>;

export const Verification = Type.Object({
  id: Id,
  ts: Instant,
  ok: Type.Boolean(),
  checkedEvents: Type.Integer({ minimum: 0 }),
  checkedCheckpoints: Type.Integer({ minimum: 0 }),
  firstBrokenSeq: nullable(Seq),
  reason: nullable(Type.String()),
  by: Type.String(),
});
export type Verification = Static<typeof Verification>;

export const AuditStatus = Type.Object({
  head: Type.Object({ seq: Seq, hash: Type.String() }),
  lastCheckpoint: Type.Union([Checkpoint, Type.Null()]),
  /** Events appended since the last checkpoint (not yet under an SM2 signature). */
  uncheckpointed: Type.Integer(),
  lastVerification: Type.Union([Verification, Type.Null()]),
  /** The checkpoints exported outside the database (null: no anchor file configured). */
  anchor: Type.Union([Type.Object({ file: Type.String(), lastId: nullable(Id), lastToSeq: nullable(Seq), unanchored: Type.Integer() }), Type.Null()]),
});
export type AuditStatus = Static<typeof AuditStatus>;

export const VerifyResult = Type.Object({
  ok: Type.Boolean(),
  checkedEvents: Type.Integer({ minimum: 0 }),
  checkedCheckpoints: Type.Integer({ minimum: 0 }),
  checkedAnchors: Type.Integer({ minimum: 0 }),
  firstBroken: Type.Union([Type.Object({ seq: Seq, reason: Type.String() }), Type.Null()]),
});
export type VerifyResult = Static<typeof VerifyResult>;
