import { AuditBuffer } from '../../../platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { BUILTIN_RULES } from './builtin.ts';
import { ruleIdByCode } from './repository.ts';
import { createRule } from './rules.ts';

/** Seeds the built-in rules once (enabled); later edits and disabling are kept across restarts. */
export async function seedBuiltinRules(kernel: Kernel): Promise<number> {
  return kernel.db.transaction(async (tx) => {
    let added = 0;
    for (const b of BUILTIN_RULES) {
      if ((await ruleIdByCode(tx, b.code)) !== null) continue;
      const ctx = { tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer(), kernel };
      await createRule(ctx, { category: b.category, title: b.rule.title, enabled: true, rule: b.rule as never }, { code: b.code, builtin: true });
      added++;
    }
    return added;
  });
}
