import { pinyin } from 'pinyin-pro';

/** Full pinyin (no tones, no spaces) and initials of a name; Latin letters and digits pass through lower-cased. */
export function pinyinKeys(text: string): { full: string; initials: string } {
  const t = text.toLowerCase();
  return {
    full: pinyin(t, { toneType: 'none', separator: '', nonZh: 'consecutive' }).replace(/[^a-z0-9]/g, ''),
    initials: pinyin(t, { pattern: 'first', toneType: 'none', separator: '', nonZh: 'consecutive' }).replace(/[^a-z0-9]/g, ''),
  };
}
