import type { Principal } from '../auth/principal.ts';
import type { AuditBuffer } from '../audit/event.ts';
import type { Tx } from '../db/types.ts';
import type { Kernel } from '../kernel.ts';

/** What a handler and the services it calls get: the scoped transaction, the caller, the audit buffer. */
export interface RequestContext {
  tx: Tx;
  principal: Principal;
  audit: AuditBuffer;
  kernel: Kernel;
  requestId: string;
  ip: string | null;
  /** Session cookie/headers helpers for the auth routes. */
  reply?: {
    setCookie(name: string, value: string, opts: Record<string, unknown>): void;
    clearCookie(name: string, opts?: Record<string, unknown>): void;
    header(name: string, value: string): void;
  };
  headers: Record<string, string | string[] | undefined>;
}
