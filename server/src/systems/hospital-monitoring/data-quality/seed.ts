import { AuditBuffer } from '../../../platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { BUILTIN_DQ_RULES } from './builtin.ts';
import { ruleIdByCode } from './repository.ts';
import { createDqRule } from './rules.ts';

/** Seeds the built-in data-quality rules once (enabled); later disabling is kept across restarts. */
export async function seedBuiltinDqRules(kernel: Kernel): Promise<number> {
  return kernel.db.transaction(async (tx) => {
    let added = 0;
    for (const { code, planted: _planted, ...b } of BUILTIN_DQ_RULES) {
      if ((await ruleIdByCode(tx, code)) !== null) continue;
      await createDqRule({ tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer(), kernel }, b, { code, builtin: true });
      added++;
    }
    return added;
  });
}
