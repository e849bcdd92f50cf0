import { AppError } from '../../../platform/http/errors.ts';
import { CATEGORIES, complianceCatalog, FINDING_SOURCES } from './catalog.ts';
import type { RuleTree } from './repository.ts';
import type { ExtractInput, RawCandidate, RuleExtractor } from './rule-extract.ts';

/**
 * The optional extractor: an OpenAI-compatible chat-completions endpoint (a hosted model or a local
 * server such as vLLM/Ollama) proposes candidates in the same shape as the built-in one. Its trees are
 * checked like any other (rule-extract.ts), so a model can propose but never store an invalid rule.
 * Configured by WEIJIAN_LLM_BASE_URL (e.g. https://host/v1), WEIJIAN_LLM_API_KEY, WEIJIAN_LLM_MODEL.
 */
export interface LlmConfig {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmConfig | null {
  const baseUrl = env.WEIJIAN_LLM_BASE_URL?.trim();
  if (!baseUrl) return null;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey: env.WEIJIAN_LLM_API_KEY?.trim() || undefined,
    model: env.WEIJIAN_LLM_MODEL?.trim() || 'gpt-4o-mini',
    timeoutMs: Number(env.WEIJIAN_LLM_TIMEOUT_MS) > 0 ? Number(env.WEIJIAN_LLM_TIMEOUT_MS) : 60_000,
  };
}

/** The catalog as the model needs it: sources, fields with types and codes, relations. */
function catalogPrompt(): string {
  const lines: string[] = [];
  for (const name of FINDING_SOURCES) {
    const s = complianceCatalog.sources.get(name)!;
    lines.push(`数据源 ${s.name}（${s.title}）字段：`);
    for (const f of s.fields.values()) {
      const codes = f.codeList
        ? ` 代码：${Object.entries(f.codeList.codes ?? {})
            .map(([c, t]) => `${c}=${t}`)
            .join('，')}`
        : '';
      lines.push(`  - ${f.name} ${f.type} ${f.title}${codes}`);
    }
    for (const r of s.relations.values()) lines.push(`  关系 ${r.name} → ${r.to}（${r.cardinality === 'one' ? `一对一，可写 ${r.name}.字段` : '一对多'}）`);
  }
  return lines.join('\n');
}

const SYSTEM_PROMPT = () => `你是医疗服务合规监测规则分析助手。从用户给出的政策文件句子中找出可以自动监测的规则，输出 JSON。
规则是表达式树（JSON），可用节点：
{"kind":"lit","value":…}，{"kind":"field","name":"字段","path":["关系"]}，{"kind":"cmp","op":"=|<>|<|<=|>|>=","left":…,"right":…}，
{"kind":"and","args":[…]}，{"kind":"or","args":[…]}，{"kind":"not","arg":…}，{"kind":"in","arg":…,"values":[…]}，{"kind":"isNull","arg":…}，
{"kind":"agg","fn":"count|sum|min|max|countDistinct","by":[窗口键表达式],"where":…,"of":{"kind":"field","name":"…"}}（同一数据源中窗口键相同的行聚合），
{"kind":"trunc","arg":…,"unit":"month|year"}。规则命中即违规。
${catalogPrompt()}
监测类别（category）：${CATEGORIES.map(([c, t]) => `${c}=${t}`).join('，')}
只输出：{"candidates":[{"sentence":"原文句子（逐字）","title":"简短中文标题","category":"类别代码","confidence":0到1,"rule":{"source":"数据源","when":表达式}}]}。
无法用以上字段表达的句子，rule 填 null。`;

interface ModelCandidate {
  sentence?: unknown;
  title?: unknown;
  category?: unknown;
  confidence?: unknown;
  rule?: unknown;
}

const upstream = (message: string) => new AppError(502, 'LLM_FAILED', `大模型服务调用失败：${message}`);

export function llmExtractor(cfg: LlmConfig): RuleExtractor {
  return {
    name: 'llm',
    title: `大模型辅助识别（${cfg.model}）`,
    async extract({ sentences }: ExtractInput): Promise<RawCandidate[]> {
      let res: Response;
      try {
        res = await fetch(`${cfg.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {}) },
          body: JSON.stringify({
            model: cfg.model,
            temperature: 0,
            response_format: { type: 'json_object' },
            messages: [
              { role: 'system', content: SYSTEM_PROMPT() },
              {
                role: 'user',
                content: sentences
                  .map((s) => s.text)
                  .join('\n')
                  .slice(0, 60_000),
              },
            ],
          }),
          signal: AbortSignal.timeout(cfg.timeoutMs),
        });
      } catch (e) {
        throw upstream((e as Error).name === 'TimeoutError' ? '请求超时' : '无法连接');
      }
      if (!res.ok) throw upstream(`HTTP ${res.status}`);
      let parsed: { candidates?: ModelCandidate[] };
      try {
        const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
        const content = body.choices?.[0]?.message?.content ?? '';
        parsed = JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, ''));
      } catch {
        throw upstream('返回内容不是有效的 JSON');
      }
      if (!Array.isArray(parsed.candidates)) throw upstream('返回内容缺少 candidates');
      const out: RawCandidate[] = [];
      for (const c of parsed.candidates) {
        if (typeof c !== 'object' || c === null || typeof c.sentence !== 'string' || !c.sentence.trim()) continue;
        const quote = c.sentence.trim();
        // Only sentences that are really in the document: the model may paraphrase, we cite.
        const s = sentences.find((x) => x.text.includes(quote)) ?? sentences.find((x) => quote.includes(x.text) && x.text.length >= 6);
        if (!s) continue;
        const at = s.text.indexOf(quote);
        const rule = isTree(c.rule) ? (c.rule as RuleTree) : null;
        out.push({
          pattern: 'llm',
          category: (typeof c.category === 'string' ? c.category : 'reasonable_fee') as RawCandidate['category'],
          title: typeof c.title === 'string' && c.title.trim() ? c.title.trim() : s.text.slice(0, 30),
          sentence: s.text,
          sentenceIndex: s.index,
          match: at >= 0 ? { start: at, end: at + quote.length } : { start: 0, end: s.text.length },
          rule,
          confidence: typeof c.confidence === 'number' ? c.confidence : 0.5,
          warnings: rule ? ['由大模型生成，请核对条件'] : ['大模型未能给出可执行的条件，请在规则构建器中补充'],
        });
      }
      return out;
    },
  };
}

function isTree(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as RuleTree).source === 'string' && typeof (v as RuleTree).when === 'object';
}
