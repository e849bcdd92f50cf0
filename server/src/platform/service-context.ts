import type { AuditBuffer } from './audit/event.ts';
import type { Principal } from './auth/principal.ts';
import type { Tx } from './db/types.ts';
import type { Kernel } from './kernel.ts';

/**
 * What an operation (a module's service function) gets, from a route handler or a job alike: the
 * transaction in the caller's scope, who acts, the audit buffer appended before commit, and the kernel.
 * A route's RequestContext is one (plus request details); a job gets one from ctx.service(fn).
 */
export interface ServiceContext {
  tx: Tx;
  principal: Principal;
  audit: AuditBuffer;
  kernel: Kernel;
}
