import { AuditBuffer } from '../../../platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { BUILTIN_INDICATORS } from './builtin.ts';
import { createIndicator } from './indicators.ts';
import { codeExists } from './repository.ts';

/** Seeds the built-in indicators once; later versions people save are kept across restarts. */
export async function seedBuiltinIndicators(kernel: Kernel): Promise<number> {
  return kernel.db.transaction(async (tx) => {
    let added = 0;
    for (const b of BUILTIN_INDICATORS) {
      if (await codeExists(tx, b.code)) continue;
      const ctx = { tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer(), kernel };
      await createIndicator(ctx, { title: b.title, description: b.description, definition: b.definition as never }, { code: b.code, builtin: true });
      added++;
    }
    return added;
  });
}
