/** What the rule-extraction routes answer (server: compliance/responses.ts). */
import type { ExtractorOption, ExtractResult, RuleCandidate } from '@server/systems/hospital-monitoring/compliance/responses.ts';

export type { ExtractorOption, ExtractResult, RuleCandidate };
