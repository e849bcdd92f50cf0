export interface AuditEvent {
  seq: number;
  ts: string;
  actorId: number | null;
  actorUsername: string;
  actorRole: string;
  scope?: string;
  districtCode?: string | null;
  kind: 'write' | 'read' | 'auth' | 'admin';
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
  ip: string | null;
  requestId: string | null;
  prevHash?: string;
  hash?: string;
  /** Chinese labels the server adds (the codes above stay for filters and the technical detail). */
  actorName: string;
  kindLabel: string;
  actionLabel: string;
  objectLabel: string;
}

export interface Checkpoint {
  id: number;
  fromSeq: number;
  toSeq: number;
  merkleRoot?: string;
  headHash?: string;
  keyId?: string;
  createdAt: string;
}

/** POST /audit/verify */
export interface Verification {
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  firstBroken: { seq: number; reason: string } | null;
}

/** The stored result of the last verification (GET /audit/status). */
export interface StoredVerification {
  id: number;
  ts: string;
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  by: string;
}

export interface AuditStatus {
  head: { seq: number; hash: string };
  lastCheckpoint: Checkpoint | null;
  /** Events appended since the last checkpoint (not yet under an SM2 signature). */
  uncheckpointed?: number;
  lastVerification: StoredVerification | null;
}

/** Tag colours of the event kinds (their labels come from the server: kindLabel, GET /audit/labels). */
export const KIND_COLORS: Record<string, string> = { write: 'blue', read: 'purple', auth: 'cyan', admin: 'orange' };

/** GET /audit/labels: the filter choices, each code with the label the server gives its events. */
export interface AuditLabels {
  kinds: { value: string; label: string }[];
  actions: { value: string; label: string }[];
  objectTypes: { value: string; label: string }[];
}
