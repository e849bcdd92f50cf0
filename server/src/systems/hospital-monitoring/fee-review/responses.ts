import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/** Responses of 费用偏离病例核查 (cases.ts, review.ts, config.ts, stats.ts). */

export const CaseStatus = enumOf(['uploaded', 'under_review', 'concluded'] as const);
export type CaseStatus = Static<typeof CaseStatus>;
export const Conclusion = enumOf(['reasonable', 'partly_reasonable', 'unreasonable'] as const);
export type Conclusion = Static<typeof Conclusion>;
export const FindingResult = enumOf(['compliant', 'issue', 'not_applicable'] as const);
export type FindingResult = Static<typeof FindingResult>;

/** A check dimension (核查维度). */
export const Dimension = Type.Object({
  code: Type.String(),
  title: Type.String(),
  description: nullable(Type.String()),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
});
export type Dimension = Static<typeof Dimension>;
export const DimensionList = Type.Array(Dimension);

/** A record section the upload recognises by its heading (title or an alias). */
export const SectionDef = Type.Object({
  code: Type.String(),
  title: Type.String(),
  aliases: Type.Array(Type.String()),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
});
export type SectionDef = Static<typeof SectionDef>;
export const SectionDefList = Type.Array(SectionDef);

const CaseFields = {
  id: Id,
  institutionId: Id,
  institutionName: Type.String(),
  districtCode: Type.String(),
  caseNo: Type.String(),
  patientMask: nullable(Type.String()),
  dischargedOn: nullable(DateText),
  totalAmount: nullable(Type.Number()),
  deviationKind: nullable(enumOf(['high', 'low'] as const)),
  explanation: Type.String(),
  filename: Type.String(),
  pdfBytes: Type.Integer(),
  pageCount: nullable(Type.Integer()),
  status: CaseStatus,
  statusTitle: Type.String(),
  uploadedBy: Type.String(),
  uploadedAt: Instant,
  reviewer: nullable(Type.String()),
  reviewStartedAt: nullable(Instant),
  conclusion: nullable(Conclusion),
  conclusionTitle: nullable(Type.String()),
  conclusionNote: nullable(Type.String()),
  concludedAt: nullable(Instant),
};

/** A case in a list: its sections by name only, no text. */
export const FeeCase = Type.Object({ ...CaseFields, sections: Type.Array(Type.Object({ code: Type.String(), title: Type.String() })) });
export type FeeCase = Static<typeof FeeCase>;
export const FeeCaseList = PageOf(FeeCase);

/** A case with its sections' text (start/end: character offsets in the extracted text), findings, the active dimensions and the caller's next actions. */
export const FeeCaseDetail = Type.Object({
  ...CaseFields,
  sections: Type.Array(
    Type.Object({
      code: Type.String(),
      title: Type.String(),
      heading: nullable(Type.String()),
      start: Type.Integer(),
      end: Type.Integer(),
      text: Type.String(),
    }),
  ),
  textLength: Type.Integer(),
  findings: Type.Array(
    Type.Object({
      dimensionCode: Type.String(),
      dimensionTitle: Type.String(),
      result: FindingResult,
      resultTitle: Type.String(),
      note: nullable(Type.String()),
    }),
  ),
  dimensions: Type.Array(Dimension),
  actions: Type.Array(enumOf(['start_review', 'conclude'] as const)),
});
export type FeeCaseDetail = Static<typeof FeeCaseDetail>;

const CountFields = {
  total: Type.Integer(),
  uploaded: Type.Integer(),
  underReview: Type.Integer(),
  concluded: Type.Integer(),
  reasonable: Type.Integer(),
  partlyReasonable: Type.Integer(),
  unreasonable: Type.Integer(),
};
export const Counts = Type.Object(CountFields);
export type Counts = Static<typeof Counts>;
export const FeeReviewStats = Type.Object({
  totals: Counts,
  byInstitution: Type.Array(Type.Object({ institutionId: Id, institutionName: Type.String(), ...CountFields })),
  /** issueRate: per cent of the reviewed cases with a problem found, one decimal (null: none reviewed). */
  byDimension: Type.Array(
    Type.Object({ code: Type.String(), title: Type.String(), reviewed: Type.Integer(), issues: Type.Integer(), issueRate: nullable(Type.Number()) }),
  ),
  byMonth: Type.Array(Type.Object({ month: Type.String(), ...CountFields })),
});
export type FeeReviewStats = Static<typeof FeeReviewStats>;
