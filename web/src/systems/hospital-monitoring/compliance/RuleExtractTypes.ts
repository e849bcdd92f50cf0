import type { RuleTree } from './types';

/** What POST /compliance/rule-extract answers (server: compliance/rule-extract.ts). */
export interface RuleCandidate {
  key: string;
  pattern: string;
  patternTitle: string;
  category: string;
  categoryTitle: string;
  title: string;
  sentence: string;
  sentenceIndex: number;
  match: { start: number; end: number };
  rule: RuleTree | null;
  description: string | null;
  confidence: number;
  warnings: string[];
}

export interface ExtractResult {
  document: { filename: string; kind: 'pdf' | 'docx' | 'txt'; pageCount: number | null; chars: number; sentenceCount: number };
  extractor: { name: string; title: string };
  candidates: RuleCandidate[];
}

export interface ExtractorOption {
  name: string;
  title: string;
  default: boolean;
}
