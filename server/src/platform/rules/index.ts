/** The shared rule engine: import from here. See ast.ts for the design and the semantics. */
export type * from './ast.ts';
export {
  type Cardinality,
  type Catalog,
  type CatalogDef,
  CatalogError,
  type CodeList,
  type CodeListDef,
  defineCatalog,
  type Field,
  type FieldDef,
  type Relation,
  type RelationDef,
  type Source,
  type SourceDef,
  TYPE_TITLE,
  VALUE_TYPES,
} from './catalog.ts';
export { assertValidRule, checkExpr, checkRule, type Problem, RuleError, type TypeInfo, typeOf } from './check.ts';
export { type CompiledRuleSql, type CompiledSql, compileCount, compileRule, countRuleSql, runRuleSql, type SqlOptions } from './compile-sql.ts';
export { type CompiledEvaluator, compileEvaluator, type Dataset, evaluate, evaluateOne, type OneResult, type Row } from './evaluate.ts';
export { describeExpr, describeRule } from './describe.ts';
export * as rb from './build.ts';
