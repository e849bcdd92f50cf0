import { Type } from '@sinclair/typebox';
import type { Principal } from '../../../platform/auth/principal.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { checkRule, type Rule } from '../../../platform/rules/index.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { CATEGORY_CODES, complianceCatalog, FINDING_SOURCES } from './catalog.ts';
import type { RuleTree } from './repository.ts';

export const CategorySchema = enumOf(CATEGORY_CODES);

/** A rule tree from the builder: the expression is checked by checkRule (typed, zh-CN problems), not by JSON schema. */
export const RuleTreeSchema = Type.Object(
  {
    source: enumOf(FINDING_SOURCES),
    when: Type.Unknown(),
    select: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
            title: Type.Optional(Type.String({ maxLength: 40 })),
            expr: Type.Unknown(),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10 },
      ),
    ),
  },
  { additionalProperties: false },
);

const MAX_TREE_CHARS = 20_000;

/** The stored tree as an engine rule (id = the rule's id, so findings and logs name it). */
export function toRule(id: number | string, version: number, title: string, tree: RuleTree): Rule {
  const r = { id: String(id), version, title, source: tree.source, when: tree.when } as Rule;
  if (tree.select !== undefined) r.select = tree.select as Rule['select'];
  return r;
}

/** 400 with the checker's zh-CN problems (field `rule.<path>`), or the rule. */
export function checkedRule(id: number | string, version: number, title: string, tree: RuleTree): Rule {
  if (JSON.stringify(tree).length > MAX_TREE_CHARS) {
    throw new AppError(400, 'VALIDATION_FAILED', '规则过于复杂', [{ field: 'rule', message: `规则定义不能超过 ${MAX_TREE_CHARS} 个字符` }]);
  }
  const rule = toRule(id, version, title, tree);
  const problems = checkRule(complianceCatalog, rule);
  if (problems.length > 0) {
    const details = problems.map((p) => ({ field: p.path === 'title' ? 'title' : `rule${p.path ? `.${p.path}` : ''}`, message: p.message }));
    throw new AppError(400, 'VALIDATION_FAILED', `规则有误：${problems[0]!.message}`, details);
  }
  return rule;
}

export function actorOf(p: Principal): string {
  return p.username;
}
