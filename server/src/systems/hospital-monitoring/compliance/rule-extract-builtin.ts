import type { Sentence } from '../../../platform/documents/index.ts';
import { type Expr, rb } from '../../../platform/rules/index.ts';
import { ITEM_CODES, TECH_CODES } from './catalog.ts';
import type { RuleTree } from './repository.ts';
import type { ExtractInput, RawCandidate, RuleExtractor } from './rule-extract.ts';

const { and, or, not, eq, ne, gt, lt, isNull, isIn, count, sum, ref, lit, trunc } = rb;

/**
 * The built-in extractor: regular patterns of Chinese medical-fee policy wording, mapped onto the
 * compliance catalog. Item names the catalog's code list knows (or common short forms of them) become
 * item_code tests; any other quoted or recognisable item name becomes a test on the fee line's item
 * name, so the rule still runs and a person can refine it.
 */

/** Short forms used in policy texts for catalog items and technologies (longest match wins). */
const ITEM_ALIASES: Record<string, string> = { B超: 'B001', CT: 'X001', 输液: 'T001', 血常规检查: 'L001', 肝功能检查: 'L002', 特护: 'N002', 床位: 'W001' };
const TECH_ALIASES: Record<string, string> = { 肿瘤消融: 'RT01', 心室辅助: 'RT02', 人工智能辅助治疗: 'RT03', 胰岛移植: 'RT04' };

function lexicon(codes: Record<string, string>, aliases: Record<string, string>): [string, string][] {
  return [...Object.entries(codes).map(([code, name]): [string, string] => [name, code]), ...Object.entries(aliases)].sort((a, b) => b[0].length - a[0].length);
}
const ITEMS = lexicon(ITEM_CODES, ITEM_ALIASES);
const TECHS = lexicon(TECH_CODES, TECH_ALIASES);

export interface ItemRef {
  name: string;
  code?: string;
}

/** Catalog items named in a text, in order of appearance, longest names first at each place. */
export function findKnown(text: string, lex: [string, string][] = ITEMS): ItemRef[] {
  const hits: { at: number; ref: ItemRef }[] = [];
  const taken: boolean[] = [];
  for (const [name, code] of lex) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      if (taken.slice(at, at + name.length).some(Boolean)) continue;
      for (let i = at; i < at + name.length; i++) taken[i] = true;
      hits.push({ at, ref: { name, code } });
    }
  }
  const seen = new Set<string>();
  return hits
    .sort((a, b) => a.at - b.at)
    .map((h) => h.ref)
    .filter((r) => !seen.has(r.code!) && seen.add(r.code!));
}

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** '3', '３', '三', '两', '十二', '二十', '九十九' → number (null when not a count). */
export function parseCount(s: string): number | null {
  const ascii = s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (/^\d+(\.\d+)?$/.test(ascii)) return Number(ascii);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  if (!m[2]) return m[3] ? null : CN_DIGIT[m[1]!]!;
  return (m[1] ? CN_DIGIT[m[1]]! : 1) * 10 + (m[3] ? CN_DIGIT[m[3]]! : 0);
}

const NUM = '([0-9０-９]+(?:\\.[0-9]+)?|[一二两三四五六七八九十]{1,3})';
const LIMIT = '(?:不得超过|不应超过|不能超过|不宜超过|不超过|最多(?:收取|收费|计收)?|至多|限(?:收|收取|计收)?)';
const CLAUSE_END = /[，,。；;！!？?：:]/;

/** Prefixes and suffixes around an item name in a clause that are not part of the name. */
const NAME_PREFIX = /^(?:其中|对于|对|凡|同一患者|同一病人|同一住院患者|每位患者|每名患者|患者|各级医疗机构|医疗机构|医院|开展|使用|收取|实施|进行|计收|的)+/;
const NAME_SUFFIX = /(?:项目|收费|费用|计费|的|每日|每天|同日|同一天|当日|每次住院|住院期间|每月|每个月|每周|均|应|须|需|必须|只能|仅)+$/;

function cleanName(s: string): string | null {
  const n = s
    .replace(/[“”"「」『』《》【】\s]/g, '')
    .replace(NAME_PREFIX, '')
    .replace(NAME_SUFFIX, '')
    .replace(NAME_PREFIX, '');
  return n.length >= 2 && n.length <= 20 && /[\u4e00-\u9fffA-Za-z]/.test(n) ? n : null;
}

/** The clause (between punctuation) of a sentence around a position. */
function clauseAround(text: string, at: number): { start: number; text: string } {
  let s = at;
  while (s > 0 && !CLAUSE_END.test(text[s - 1]!)) s--;
  let e = at;
  while (e < text.length && !CLAUSE_END.test(text[e]!)) e++;
  return { start: s, text: text.slice(s, e) };
}

/**
 * The items a rule is about: quoted names first (policy texts quote item names), then catalog names
 * anywhere in the given part of the sentence, then the clause's subject before the pattern keyword.
 */
function subjectItems(sentence: string, matchStart: number): ItemRef[] {
  const quoted = [...sentence.matchAll(/[“"「『]([^”"」』]{2,20})[”"」』]/g)].map((m) => m[1]!);
  if (quoted.length) return quoted.map((q) => findKnown(q)[0] ?? { name: cleanName(q) ?? q });
  const clause = clauseAround(sentence, matchStart);
  const before = sentence.slice(clause.start, matchStart);
  const known = findKnown(before);
  if (known.length) return known;
  const inClause = findKnown(clause.text);
  if (inClause.length) return inClause;
  const name = cleanName(before.replace(/(?:每日|每天|同日|同一天|当日|每次住院|住院期间|每月|每个月).*$/, ''));
  return name ? [{ name }] : [];
}

/** The test "this fee line is one of these items". */
export function itemCondition(items: ItemRef[]): Expr {
  const codes = items.filter((i) => i.code).map((i) => i.code!);
  const names = items.filter((i) => !i.code).map((i) => i.name);
  const parts: Expr[] = [];
  if (codes.length === 1) parts.push(eq(ref('item_code'), lit(codes[0]!)));
  else if (codes.length > 1) parts.push(isIn(ref('item_code'), codes));
  if (names.length) parts.push(isIn(ref('item_name'), names));
  return parts.length === 1 ? parts[0]! : or(...parts);
}

const itemsLabel = (items: ItemRef[]) => items.map((i) => i.name).join('、');
const unknownWarning = (items: ItemRef[]) =>
  items.some((i) => !i.code)
    ? [
        `「${items
          .filter((i) => !i.code)
          .map((i) => i.name)
          .join('、')}」不在收费项目代码表中，已按项目名称匹配，请核对名称`,
      ]
    : [];
const confidenceOf = (items: ItemRef[]) => (items.every((i) => i.code) ? 0.9 : 0.6);

type Window = { label: string; by: Expr[] };
function windowOf(word: string | undefined): Window {
  if (word && /每次住院|住院期间|同一次住院/.test(word)) return { label: '每次住院', by: [ref('encounter_id')] };
  if (word && /每月|每个月/.test(word)) return { label: '每月', by: [ref('encounter.person_id'), trunc(ref('charged_on'), 'month')] };
  return { label: '同一患者同一天', by: [ref('encounter.person_id'), ref('charged_on')] };
}

/** List numbering at the start of a match is not part of the rule's wording: not highlighted. */
const LEADING_NUMBER = /^(?:第[一二三四五六七八九十百\d]+条\s*|[一二三四五六七八九十]+、|\d+[.、．]\s*|[（(][一二三四五六七八九十\d]+[）)])/;

function candidate(
  s: Sentence,
  pattern: RawCandidate['pattern'],
  category: RawCandidate['category'],
  title: string,
  m: { index: number; 0: string },
  rule: RuleTree | null,
  confidence: number,
  warnings: string[],
): RawCandidate {
  const skip = LEADING_NUMBER.exec(m[0])?.[0].length ?? 0;
  return {
    pattern,
    category,
    title,
    sentence: s.text,
    sentenceIndex: s.index,
    match: { start: m.index + skip, end: m.index + m[0].length },
    rule,
    confidence,
    warnings,
  };
}

/** 每日不超过N次 / 每次住院最多收取N次 / 每月不得超过N次 */
function frequencyLimit(s: Sentence): RawCandidate[] {
  // The window word is required: a bare "不超过N次" has no period to count in.
  const re = new RegExp(`(每日|每天|同日|同一天|当日|每次住院|住院期间|同一次住院|每月|每个月)[^，,。；;！？]{0,16}?${LIMIT}\\s*${NUM}\\s*次`, 'g');
  const out: RawCandidate[] = [];
  for (const m of s.text.matchAll(re)) {
    const n = parseCount(m[2]!);
    const items = subjectItems(s.text, m.index);
    if (n === null) continue;
    const w = windowOf(m[1]);
    if (!items.length) {
      out.push(candidate(s, 'frequency_limit', 'reasonable_fee', `${w.label}收费超过 ${n} 次`, m, null, 0.3, ['未识别出收费项目，请在规则构建器中选择项目']));
      continue;
    }
    const isItem = itemCondition(items);
    const times = count({ by: w.by, where: isItem });
    out.push(
      candidate(
        s,
        'frequency_limit',
        'reasonable_fee',
        `${itemsLabel(items)}${w.label}收费超过 ${n} 次`,
        m,
        {
          source: 'fee_line',
          when: and(isItem, gt(times, n)),
          select: [{ name: 'times', title: `${w.label}次数`, expr: times }],
        },
        confidenceOf(items),
        unknownWarning(items),
      ),
    );
  }
  return out;
}

/** 单次收费不超过N元 / 每日费用不超过N元 */
function amountLimit(s: Sentence): RawCandidate[] {
  const re = new RegExp(`[^，,。；;]{0,12}?(?:收费|费用|金额|价格|收取)?(?:最高)?${LIMIT}\\s*([0-9０-９]+(?:\\.[0-9]+)?)\\s*元`, 'g');
  const out: RawCandidate[] = [];
  for (const m of s.text.matchAll(re)) {
    const n = parseCount(m[1]!);
    const items = subjectItems(s.text, m.index);
    if (n === null || !items.length) continue;
    const isItem = itemCondition(items);
    let when: Expr;
    let label: string;
    const period = /每日|每天|同一天|每次住院|住院期间/.exec(m[0])?.[0];
    if (period) {
      const w = windowOf(period);
      label = `${w.label}金额超过 ${n} 元`;
      when = and(isItem, gt(sum('amount', { by: w.by, where: isItem }), n));
    } else {
      label = `单次收费超过 ${n} 元`;
      when = and(isItem, gt(ref('amount'), n));
    }
    out.push(
      candidate(
        s,
        'amount_limit',
        'reasonable_fee',
        `${itemsLabel(items)}${label}`,
        m,
        { source: 'fee_line', when },
        confidenceOf(items),
        unknownWarning(items),
      ),
    );
  }
  return out;
}

/** 不得同时收取A和B / A与B不得同日收取 / A不得与B同时收取 */
function exclusive(s: Sentence): RawCandidate[] {
  const out: RawCandidate[] = [];
  const verb = '(?:收取|收费|计费|计收)';
  const forms: RegExp[] = [
    new RegExp(`不得(?:同时|同日|重复)${verb}([^，,。；;]{2,40}?)(?:费用)?(?=[，,。；;]|$)`, 'g'),
    new RegExp(`([^，,。；;]{2,40}?)不得(?:同时|同日|重复)${verb}`, 'g'),
    new RegExp(`([^，,。；;]{2,20}?)不得与([^，,。；;]{2,20}?)(?:同时|同日)${verb}`, 'g'),
  ];
  for (const [fi, re] of forms.entries()) {
    for (const m of s.text.matchAll(re)) {
      const names = fi === 2 ? [m[1]!, m[2]!] : m[1]!.split(/和|与|及|、|或/);
      let items = names.flatMap((n) => {
        const known = findKnown(n);
        if (known.length) return known;
        const c = cleanName(n);
        return c ? [{ name: c }] : [];
      });
      const seen = new Set<string>();
      items = items.filter((i) => !seen.has(i.code ?? i.name) && seen.add(i.code ?? i.name));
      if (items.length < 2) continue;
      const [a, b] = items as [ItemRef, ItemRef, ...ItemRef[]]; // at least two (above)
      const perStay = /住院期间|同一次住院|每次住院/.test(s.text);
      const by = perStay ? [ref('encounter_id')] : [ref('encounter_id'), ref('charged_on')];
      const A = itemCondition([a]);
      const B = itemCondition([b]);
      const rule: RuleTree = { source: 'fee_line', when: or(and(A, gt(count({ by, where: B }), 0)), and(B, gt(count({ by, where: A }), 0))) };
      out.push(
        candidate(
          s,
          'exclusive',
          'reasonable_fee',
          `${a.name}与${b.name}${perStay ? '同次住院' : '同日'}重复收取`,
          m,
          rule,
          Math.min(confidenceOf([a]), confidenceOf([b])),
          unknownWarning([a, b]),
        ),
      );
    }
  }
  return out;
}

const SENIOR_TITLES = ['主任医师', '副主任医师'];

/** A restriction phrase ("住院患者", "女性", "副主任医师及以上") as the condition that breaks it. */
function violationOf(phrase: string, prefix: string): { cond: Expr; label: string; category: RawCandidate['category'] } | null {
  const kind = (codes: string[]) => ({ cond: not(isIn(ref(`${prefix}kind`), codes)), category: 'reasonable_treatment' as const });
  if (/门急诊/.test(phrase)) return { ...kind(['outpatient', 'emergency']), label: '非门急诊患者使用' };
  if (/住院/.test(phrase)) return { ...kind(['inpatient']), label: '非住院患者使用' };
  if (/门诊/.test(phrase)) return { ...kind(['outpatient']), label: '非门诊患者使用' };
  if (/急诊/.test(phrase)) return { ...kind(['emergency']), label: '非急诊患者使用' };
  if (/男性|男患者/.test(phrase)) return { cond: ne(ref(`${prefix}patient_sex`), lit('M')), label: '非男性患者使用', category: 'reasonable_treatment' };
  if (/女性|女患者|妇女|孕产妇/.test(phrase))
    return { cond: ne(ref(`${prefix}patient_sex`), lit('F')), label: '非女性患者使用', category: 'reasonable_treatment' };
  if (/副主任医师|副高|高级职称/.test(phrase))
    return { cond: not(isIn(ref('practitioner.title'), SENIOR_TITLES)), label: '非副主任医师及以上职称医师开具', category: 'practitioner_qualification' };
  if (/主任医师|正高/.test(phrase))
    return { cond: not(isIn(ref('practitioner.title'), ['主任医师'])), label: '非主任医师开具', category: 'practitioner_qualification' };
  return null;
}

/** 限住院患者使用 / 限女性患者 / 限副主任医师及以上职称医师开具 */
function restrictedUse(s: Sentence): RawCandidate[] {
  const out: RawCandidate[] = [];
  const re = /(?:仅)?限(?:于)?([^，,。；;]{1,24}?)(?:使用|开展|收取|开具|应用|申报)/g;
  for (const m of s.text.matchAll(re)) {
    const items = subjectItems(s.text, m.index);
    if (!items.length) continue;
    const v = violationOf(m[1]!, 'encounter.');
    if (!v) {
      out.push(
        candidate(s, 'restricted_use', 'reasonable_treatment', `${itemsLabel(items)}限${m[1]}使用`, m, null, 0.3, [
          `限定条件「${m[1]}」在数据目录中没有对应字段，请在规则构建器中补充条件`,
        ]),
      );
      continue;
    }
    const rule: RuleTree = { source: 'fee_line', when: and(itemCondition(items), v.cond) };
    out.push(candidate(s, 'restricted_use', v.category, `${itemsLabel(items)}${v.label}`, m, rule, confidenceOf(items) - 0.1, unknownWarning(items)));
  }
  return out;
}

const authLapsed = (k: 'tech_auth' | 'grade_auth') =>
  or(isNull(ref(`${k}.auth_key`)), lt(ref(`${k}.valid_to`), ref('performed_on')), gt(ref(`${k}.valid_from`), ref('performed_on')));
const GRADE: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };

/** 开展X技术须具备相应资质 / 四级手术须取得相应授权 / 须具备副主任医师及以上资格 */
function qualification(s: Sentence): RawCandidate[] {
  const re = /(?:须|需|必须|应当|应)(?:具备|具有|取得|持有|获得)([^，,。；;]{0,24}?)(?:资质|资格|授权|准入|执业证书)/g;
  const out: RawCandidate[] = [];
  for (const m of s.text.matchAll(re)) {
    const techs = findKnown(s.text, TECHS);
    const grade = /([一二三四1-4])级手术/.exec(s.text);
    if (techs.length) {
      const isTech =
        techs.length === 1
          ? eq(ref('tech_code'), lit(techs[0]!.code!))
          : isIn(
              ref('tech_code'),
              techs.map((t) => t.code!),
            );
      out.push(
        candidate(
          s,
          'qualification',
          'restricted_tech',
          `未获授权开展${itemsLabel(techs)}`,
          m,
          { source: 'procedure', when: and(isTech, authLapsed('tech_auth')) },
          0.9,
          [],
        ),
      );
    } else if (/限制类(?:医疗)?技术/.test(s.text)) {
      out.push(
        candidate(
          s,
          'qualification',
          'restricted_tech',
          '术者未获授权开展限制类技术',
          m,
          { source: 'procedure', when: and(not(isNull(ref('tech_code'))), authLapsed('tech_auth')) },
          0.85,
          [],
        ),
      );
    } else if (grade || /手术/.test(s.text)) {
      const g = grade ? GRADE[grade[1]!] : null;
      const over = or(isNull(ref('grade_auth.max_grade')), gt(ref('surgery_grade'), ref('grade_auth.max_grade')));
      const when = g ? and(eq(ref('surgery_grade'), g), over) : and(not(isNull(ref('surgery_grade'))), over);
      out.push(
        candidate(
          s,
          'qualification',
          'surgery_authorization',
          g ? `${grade![1]}级手术超出术者授权级别` : '手术级别超出术者授权级别',
          m,
          { source: 'procedure', when },
          0.8,
          [],
        ),
      );
    } else {
      const v = violationOf(m[1]!, 'encounter.');
      const items = subjectItems(s.text, m.index);
      if (v && v.category === 'practitioner_qualification' && items.length) {
        out.push(
          candidate(
            s,
            'qualification',
            v.category,
            `${itemsLabel(items)}由${v.label.replace(/^非|开具$/g, '')}以外的医师开具`,
            m,
            { source: 'fee_line', when: and(itemCondition(items), v.cond) },
            confidenceOf(items) - 0.1,
            unknownWarning(items),
          ),
        );
      } else {
        out.push(
          candidate(s, 'qualification', 'practitioner_qualification', `须具备${m[1] || '相应'}资质`, m, null, 0.3, [
            `资质「${m[1] || s.text}」在数据目录中没有对应字段，请在规则构建器中补充条件`,
          ]),
        );
      }
    }
  }
  return out;
}

const PATTERN_FNS = [frequencyLimit, amountLimit, exclusive, restrictedUse, qualification];

export const builtinExtractor: RuleExtractor = {
  name: 'builtin',
  title: '内置规则模式识别',
  async extract({ sentences }: ExtractInput) {
    return sentences.flatMap((s) => PATTERN_FNS.flatMap((f) => f(s)));
  },
};
