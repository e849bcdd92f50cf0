import { type Sentence, splitSentences } from '../../../platform/documents/index.ts';
import { checkRule, describeRule } from '../../../platform/rules/index.ts';
import { type Category, CATEGORY_CODES, CATEGORY_TITLE, complianceCatalog, FINDING_SOURCES } from './catalog.ts';
import type { RuleTree } from './repository.ts';
import { toRule } from './shapes.ts';

/**
 * Rules from policy documents (政策文件规则提取): an extractor reads the sentences of a document and
 * proposes candidate rules; nothing is stored until a person confirms one (rule-extract-routes.ts),
 * which creates a disabled draft through the ordinary rule-create service.
 */

/** Which recognised pattern produced a candidate. */
export const PATTERNS = {
  frequency_limit: '次数限制（每日/每次住院/每月不超过N次）',
  amount_limit: '金额限制（不超过N元）',
  exclusive: '互斥收费（不得同时收取A和B）',
  restricted_use: '限定使用（限…使用）',
  qualification: '资质要求（须具备…资质）',
  llm: '大模型识别',
} as const;
export type PatternCode = keyof typeof PATTERNS;

export interface RuleCandidate {
  /** Stable within one extraction: `<sentence index>-<n>`. */
  key: string;
  pattern: PatternCode;
  patternTitle: string;
  category: Category;
  categoryTitle: string;
  title: string;
  /** The source sentence and the span in it that matched (for highlighting). */
  sentence: string;
  sentenceIndex: number;
  match: { start: number; end: number };
  /** A rule tree the type checker accepts, or null when the sentence needs a person to build the condition. */
  rule: RuleTree | null;
  /** describeRule of the tree: how the rule reads in Chinese. */
  description: string | null;
  /** 0–1: how sure the extractor is that the tree says what the sentence says. */
  confidence: number;
  warnings: string[];
}

/** What an extractor returns before validation: the module checks every tree itself. */
export type RawCandidate = Omit<RuleCandidate, 'key' | 'patternTitle' | 'categoryTitle' | 'description'>;

export interface ExtractInput {
  text: string;
  sentences: Sentence[];
}

/** One interface for the built-in pattern extractor and the optional OpenAI-compatible one. */
export interface RuleExtractor {
  name: string;
  title: string;
  extract(input: ExtractInput): Promise<RawCandidate[]>;
}

/**
 * Runs an extractor and keeps only what it may say: a known category, a tree over the compliance
 * catalog that the type checker accepts (otherwise the tree is dropped and the problem becomes a
 * warning, so a person can still build it), a match inside its sentence; duplicates removed.
 */
export async function extractCandidates(extractor: RuleExtractor, text: string): Promise<{ sentences: Sentence[]; candidates: RuleCandidate[] }> {
  const sentences = splitSentences(text);
  const raw = await extractor.extract({ text, sentences });
  const seen = new Set<string>();
  const perSentence = new Map<number, number>();
  const out: RuleCandidate[] = [];
  for (const c of raw) {
    const category = (CATEGORY_CODES as string[]).includes(c.category) ? c.category : 'reasonable_fee';
    const warnings = [...c.warnings];
    let rule = c.rule;
    let description: string | null = null;
    if (rule) {
      const problem = treeProblem(rule, c.title);
      if (problem) {
        warnings.push(`候选规则未通过校验：${problem}`);
        rule = null;
      } else description = describeRule(complianceCatalog, toRule('candidate', 1, c.title, rule));
    }
    const dedupe = `${c.sentenceIndex}|${c.pattern}|${JSON.stringify(rule)}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const n = (perSentence.get(c.sentenceIndex) ?? 0) + 1;
    perSentence.set(c.sentenceIndex, n);
    const start = Math.max(0, Math.min(c.match.start, c.sentence.length));
    const end = Math.max(start, Math.min(c.match.end, c.sentence.length));
    out.push({
      ...c,
      key: `${c.sentenceIndex}-${n}`,
      patternTitle: PATTERNS[c.pattern],
      category,
      categoryTitle: CATEGORY_TITLE[category],
      title: c.title.slice(0, 100),
      match: { start, end },
      rule,
      description,
      confidence: Math.max(0, Math.min(1, c.confidence)),
      warnings,
    });
  }
  return { sentences, candidates: out };
}

/** The checker's first problem with a tree (zh-CN), or null when it is a valid compliance rule. */
function treeProblem(tree: RuleTree, title: string): string | null {
  if (typeof tree !== 'object' || tree === null || !(FINDING_SOURCES as readonly string[]).includes(tree.source)) return '数据源不是可产生监测结果的数据源';
  try {
    const problems = checkRule(complianceCatalog, toRule('candidate', 1, title || '候选规则', tree));
    return problems[0]?.message ?? null;
  } catch (e) {
    return (e as Error).message;
  }
}
