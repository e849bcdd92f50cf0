import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | null = null;

/** Full-width → half-width, lower case, punctuation and spaces dropped: the form every index compares. */
export function normalize(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase()
    .replace(/[\s,，.。;；:：、()（）[\]【】"“”'‘’!?！？/\\\-_—~·<>《》+*]/g, '');
}

/** Words of a Chinese phrase (jieba, loaded once on first use), normalised, without empties. */
export function words(s: string): string[] {
  jieba ??= Jieba.withDict(dict);
  return jieba.cut(s, false).map(normalize).filter(Boolean);
}

/** Character n-grams (1..n) of a normalised string, with repeats. */
export function charNgrams(s: string, max = 3): string[] {
  const out: string[] = [];
  // Names are in the Basic Multilingual Plane; astral characters fall back to code points.
  const chars = /[\ud800-\udfff]/.test(s) ? [...s] : null;
  const len = chars ? chars.length : s.length;
  for (let n = 1; n <= max; n++) {
    for (let i = 0; i + n <= len; i++) out.push(chars ? chars.slice(i, i + n).join('') : s.substring(i, i + n));
  }
  return out;
}
