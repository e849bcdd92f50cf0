import { AuditBuffer } from '../../../platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { Database } from '../../../platform/db/types.ts';
import { BUILTIN_DQ_RULES } from './builtin.ts';
import { ruleIdByCode } from './repository.ts';
import { createDqRule } from './rules.ts';

/** Seeds the built-in data-quality rules once (enabled); later disabling is kept across restarts. */
export async function seedBuiltinDqRules(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    let added = 0;
    for (const { code, planted: _planted, ...b } of BUILTIN_DQ_RULES) {
      if ((await ruleIdByCode(tx, code)) !== null) continue;
      await createDqRule({ tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer() }, b, { code, builtin: true });
      added++;
    }
    return added;
  });
}
