import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/** Responses of 医疗行为合规监测 (catalog, summary, findings, rules, rule extraction, runs, rule sets, disposal orders). */

const Json = Type.Record(Type.String(), Type.Unknown());
const CodeTitle = Type.Object({ code: Type.String(), title: Type.String() });

// ———————————————————————————————— builder catalog, summary

export const CatalogField = Type.Object({
  name: Type.String(),
  title: Type.String(),
  type: Type.String(),
  typeTitle: Type.String(),
  codes: Type.Optional(Type.Array(Type.Object({ code: Type.String(), label: Type.String() }))),
});
export type CatalogField = Static<typeof CatalogField>;
export const BuilderCatalog = Type.Object({
  categories: Type.Array(CodeTitle),
  sources: Type.Array(
    Type.Object({
      name: Type.String(),
      title: Type.String(),
      fields: Type.Array(CatalogField),
      relations: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), to: Type.String(), cardinality: enumOf(['one', 'many'] as const) })),
    }),
  ),
});
export type BuilderCatalog = Static<typeof BuilderCatalog>;

const MonthCases = Type.Object({ month: Type.String(), cases: Type.Integer() });
export const CategoryCard = Type.Object({
  category: Type.String(),
  title: Type.String(),
  cases: Type.Integer(),
  monthCases: Type.Integer(),
  max: MonthCases,
  min: MonthCases,
  mom: nullable(Type.Number()),
  yoy: nullable(Type.Number()),
});
export type CategoryCard = Static<typeof CategoryCard>;
export const Summary = Type.Object({
  month: Type.String(),
  months: Type.Array(Type.String()),
  /** Today, while the reference month is still running: 同比/环比 then compare days 1 … today. */
  through: nullable(DateText),
  cards: Type.Array(CategoryCard),
});
export type Summary = Static<typeof Summary>;

// ———————————————————————————————— findings

export const Finding = Type.Object({
  id: Id,
  ruleId: Id,
  ruleVersion: Type.Integer(),
  ruleTitle: Type.String(),
  category: Type.String(),
  categoryTitle: Type.String(),
  source: Type.String(),
  objectKey: Type.String(),
  institutionId: Id,
  institution: nullable(Type.String()),
  districtCode: Type.String(),
  encounterId: nullable(Id),
  departmentId: nullable(Id),
  department: nullable(Type.String()),
  practitionerId: nullable(Id),
  practitioner: nullable(Type.String()),
  patient: nullable(Type.String()),
  items: nullable(Type.String()),
  amount: nullable(Type.Number()),
  foundOn: DateText,
  /** The rule's select items for this hit, by their names (free-form by rule). */
  detail: Json,
  runId: nullable(Id),
  foundAt: Instant,
  /** The rule version's sentence: why this is a finding. */
  reason: Type.String(),
});
export type Finding = Static<typeof Finding>;
export const FindingList = PageOf(Finding);

export const FindingDetail = Type.Object({
  ...Finding.properties,
  encounter: nullable(
    Type.Object({
      id: Id,
      kind: Type.String(),
      admittedOn: DateText,
      dischargedOn: nullable(DateText),
      patient: nullable(Type.String()),
      patientSex: nullable(Type.String()),
      institution: nullable(Type.String()),
      department: nullable(Type.String()),
      practitioner: nullable(Type.String()),
      feeLines: Type.Array(
        Type.Object({
          id: Id,
          itemCode: Type.String(),
          itemName: Type.String(),
          category: Type.String(),
          qty: Type.Number(),
          unitPrice: Type.Number(),
          amount: Type.Number(),
          chargedOn: DateText,
        }),
      ),
      diagnoses: Type.Array(Type.Object({ id: Id, icdCode: Type.String(), icdName: Type.String(), isPrimary: Type.Boolean() })),
      procedures: Type.Array(
        Type.Object({
          id: Id,
          procedureName: Type.String(),
          surgeryGrade: nullable(Type.Integer()),
          techCode: nullable(Type.String()),
          performedOn: DateText,
          surgeon: nullable(Type.String()),
        }),
      ),
    }),
  ),
});
export type FindingDetail = Static<typeof FindingDetail>;

// ———————————————————————————————— rules

/** A rule tree of the builder; `when` and the select expressions are rule-engine expressions (platform/rules Expr): open JSON here. */
export const RuleTree = Type.Object({
  source: Type.String(),
  /** Stored trees of the built-in rules carry their title too. */
  title: Type.Optional(Type.String()),
  when: Type.Unknown(),
  select: Type.Optional(Type.Array(Type.Object({ name: Type.String(), title: Type.Optional(Type.String()), expr: Type.Unknown() }))),
});
export type RuleTree = Static<typeof RuleTree>;

export const ComplianceRule = Type.Object({
  id: Id,
  code: nullable(Type.String()),
  category: Type.String(),
  categoryTitle: Type.String(),
  title: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  builtin: Type.Boolean(),
  source: Type.String(),
  sentence: Type.String(),
  rule: RuleTree,
  createdBy: Type.String(),
  updatedAt: Instant,
  /** The compiled SQL: city administrators only. */
  sql: Type.Optional(Type.String()),
});
export type ComplianceRule = Static<typeof ComplianceRule>;
export const RuleList = PageOf(ComplianceRule);
export const RuleDetail = Type.Object({
  ...ComplianceRule.properties,
  versions: Type.Array(Type.Object({ version: Type.Integer(), sentence: Type.String(), createdBy: Type.String(), createdAt: Instant })),
});
export type RuleDetail = Static<typeof RuleDetail>;

export const Preview = Type.Object({
  sentence: Type.String(),
  window: nullable(Type.Object({ from: DateText, to: DateText })),
  total: Type.Integer(),
  samples: Type.Array(
    Type.Object({
      key: Type.String(),
      /** The rule's select items by name (free-form by rule). */
      values: Json,
      institution: nullable(Type.String()),
      practitioner: nullable(Type.String()),
      patient: nullable(Type.String()),
      items: nullable(Type.String()),
      amount: nullable(Type.Number()),
      foundOn: DateText,
    }),
  ),
});
export type Preview = Static<typeof Preview>;

// ———————————————————————————————— rule extraction from policy documents

export const ExtractorOption = Type.Object({ name: Type.String(), title: Type.String(), default: Type.Boolean() });
export type ExtractorOption = Static<typeof ExtractorOption>;
export const ExtractorList = Type.Array(ExtractorOption);
export const RuleCandidate = Type.Object({
  key: Type.String(),
  pattern: Type.String(),
  patternTitle: Type.String(),
  category: Type.String(),
  categoryTitle: Type.String(),
  title: Type.String(),
  sentence: Type.String(),
  sentenceIndex: Type.Integer(),
  match: Type.Object({ start: Type.Integer(), end: Type.Integer() }),
  rule: nullable(RuleTree),
  description: nullable(Type.String()),
  confidence: Type.Number(),
  warnings: Type.Array(Type.String()),
});
export type RuleCandidate = Static<typeof RuleCandidate>;
export const ExtractResult = Type.Object({
  document: Type.Object({
    filename: Type.String(),
    kind: enumOf(['pdf', 'docx', 'txt'] as const),
    pageCount: nullable(Type.Integer()),
    chars: Type.Integer(),
    sentenceCount: Type.Integer(),
  }),
  extractor: Type.Object({ name: Type.String(), title: Type.String() }),
  candidates: Type.Array(RuleCandidate),
});
export type ExtractResult = Static<typeof ExtractResult>;

// ———————————————————————————————— runs and rule sets

export const RunStatus = enumOf(['queued', 'running', 'succeeded', 'failed'] as const);
export const RunRequested = Type.Object({ runId: Id, jobRunId: Id, existing: Type.Boolean() });
export const ComplianceRun = Type.Object({
  id: Id,
  jobRunId: nullable(Id),
  mode: enumOf(['full', 'incremental'] as const),
  status: RunStatus,
  ruleIds: nullable(Type.Array(Id)),
  requestedBy: Type.String(),
  ruleSetId: nullable(Id),
  ruleSetName: nullable(Type.String()),
  trigger: enumOf(['manual', 'schedule'] as const),
  progressDone: nullable(Type.Integer()),
  progressTotal: nullable(Type.Integer()),
  hits: Type.Integer(),
  inserted: Type.Integer(),
  startedAt: nullable(Instant),
  finishedAt: nullable(Instant),
  createdAt: Instant,
  rules: Type.Array(
    Type.Object({
      ruleId: Id,
      title: Type.String(),
      version: Type.Integer(),
      hits: Type.Integer(),
      inserted: Type.Integer(),
      ms: Type.Integer(),
      error: nullable(Type.String()),
    }),
  ),
});
export type ComplianceRun = Static<typeof ComplianceRun>;
export const RunList = PageOf(ComplianceRun);

/** 规则集: rules run together on a cron schedule or on demand, with their rules' titles and the latest run. */
export const RuleSet = Type.Object({
  id: Id,
  name: Type.String(),
  description: nullable(Type.String()),
  ruleIds: Type.Array(Id),
  cron: nullable(Type.String()),
  strategy: enumOf(['full', 'incremental'] as const),
  online: Type.Boolean(),
  nextRunAt: nullable(Instant),
  updatedBy: Type.String(),
  updatedAt: Instant,
  rules: Type.Array(Type.Object({ id: Id, title: Type.String(), enabled: Type.Boolean() })),
  lastRun: nullable(
    Type.Object({
      id: Id,
      status: RunStatus,
      mode: Type.String(),
      trigger: Type.String(),
      hits: Type.Integer(),
      inserted: Type.Integer(),
      startedAt: nullable(Instant),
      finishedAt: nullable(Instant),
    }),
  ),
});
export type RuleSet = Static<typeof RuleSet>;
export const RuleSetList = Type.Object({ items: Type.Array(RuleSet) });

// ———————————————————————————————— disposal orders (处置单)

export const DisposalStatus = enumOf(['draft', 'dispatched', 'explained', 'evaluated', 'closed'] as const);
export type DisposalStatus = Static<typeof DisposalStatus>;
export const DisposalAction = enumOf(['dispatch', 'explain', 'evaluate', 'close'] as const);
export type DisposalAction = Static<typeof DisposalAction>;

export const Disposal = Type.Object({
  id: Id,
  institutionId: Id,
  institution: nullable(Type.String()),
  districtCode: Type.String(),
  title: Type.String(),
  dueOn: DateText,
  status: DisposalStatus,
  statusTitle: Type.String(),
  overdue: Type.Boolean(),
  findingCount: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Instant,
  dispatchedBy: nullable(Type.String()),
  dispatchedAt: nullable(Instant),
  explanation: nullable(Type.String()),
  attachments: Type.Array(Type.Object({ name: Type.String(), url: Type.Optional(Type.String()) })),
  explainedBy: nullable(Type.String()),
  explainedAt: nullable(Instant),
  evaluation: nullable(Type.String()),
  evaluationResult: nullable(Type.String()),
  evaluatedBy: nullable(Type.String()),
  evaluatedAt: nullable(Instant),
  closeNote: nullable(Type.String()),
  closedBy: nullable(Type.String()),
  closedAt: nullable(Instant),
});
export type Disposal = Static<typeof Disposal>;
export const DisposalList = PageOf(Disposal);
export const DisposalDetail = Type.Object({
  ...Disposal.properties,
  findings: Type.Array(
    Type.Object({
      id: Id,
      category: Type.String(),
      ruleTitle: Type.String(),
      patient: nullable(Type.String()),
      items: nullable(Type.String()),
      amount: nullable(Type.Number()),
      foundOn: DateText,
    }),
  ),
  timeline: Type.Array(
    Type.Object({
      id: Id,
      action: Type.String(),
      from: nullable(Type.String()),
      to: Type.String(),
      actor: Type.String(),
      actorName: nullable(Type.String()),
      actorRole: nullable(Type.String()),
      note: nullable(Type.String()),
      at: Instant,
    }),
  ),
  actions: Type.Array(DisposalAction),
});
export type DisposalDetail = Static<typeof DisposalDetail>;
export const DisposalBoard = Type.Object({
  states: Type.Array(Type.Object({ status: DisposalStatus, title: Type.String(), count: Type.Integer(), overdue: Type.Integer() })),
  total: Type.Integer(),
  overdue: Type.Integer(),
});
export type DisposalBoard = Static<typeof DisposalBoard>;
export type RuleSetList = Static<typeof RuleSetList>;
