/** What a handler records; the kernel adds who, role, scope, time, address and request id. */
export interface AuditInput {
  /** e.g. 'resident.update', 'resident.reveal', 'auth.login'. */
  action: string;
  objectType: string;
  objectId?: string | number | null;
  /** 'write' changes data; 'read' is a 调阅 of a person's identifying or health data. */
  kind: 'write' | 'read' | 'auth' | 'admin';
  before?: unknown;
  after?: unknown;
  /** Short free text (no PII): why / which fields were read. */
  note?: string;
  /** Overrides the principal (e.g. a failed login names the attempted user). */
  actor?: { userId: number | null; username: string; role: string };
  /** The district the event belongs to for district auditors (default: the principal's district). */
  districtCode?: string | null;
}

/** Collected during a request and appended in the same transaction, just before commit. */
export class AuditBuffer {
  readonly events: AuditInput[] = [];
  write(e: Omit<AuditInput, 'kind'>) {
    this.events.push({ ...e, kind: 'write' });
  }
  read(e: Omit<AuditInput, 'kind' | 'before' | 'after'>) {
    this.events.push({ ...e, kind: 'read' });
  }
  add(e: AuditInput) {
    this.events.push(e);
  }
  get hasWrite() {
    return this.events.some((e) => e.kind !== 'read');
  }
}
