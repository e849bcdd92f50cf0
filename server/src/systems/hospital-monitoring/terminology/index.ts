// The terminology service for other modules: call these, never the term_* tables.
export { expand, lookup, search, subsumes, translate, validate } from './service.ts';
export type { ExpandResult, LookupResult, Subsumption, ValidateResult, VersionSelector } from './service.ts';
export { recommend } from './recommend/service.ts';
export type { RecommendResult } from './recommend/service.ts';
export { ICD10_GL, ICD10_YB, ICD9CM3_GL, ICD9CM3_YB } from './shipped.ts';
