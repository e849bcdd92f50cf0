import { WeightedTable } from './rng.ts';
import type { Rng } from './types.ts';

/**
 * Chinese personal names for the demo world: common surnames with rough frequencies (Shanghai's own
 * — 张 王 陈 徐 朱 周 沈 陆 顾 — weighted up for 户籍 people), and given-name characters that shift with
 * the decade of birth (建国 and 秀英 are old, 梓轩 and 欣怡 are young).
 */
const COMMON_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 70],
  ['张', 68],
  ['刘', 55],
  ['陈', 50],
  ['杨', 35],
  ['黄', 25],
  ['赵', 23],
  ['吴', 21],
  ['周', 20],
  ['徐', 18],
  ['孙', 16],
  ['马', 15],
  ['朱', 14],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['高', 11],
  ['林', 11],
  ['罗', 10],
  ['郑', 10],
  ['梁', 9],
  ['谢', 8],
  ['宋', 8],
  ['唐', 8],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 7],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 6],
  ['董', 6],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
  ['余', 5],
  ['杜', 5],
  ['叶', 5],
  ['程', 5],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 4],
  ['姚', 4],
  ['卢', 4],
  ['姜', 4],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 3],
  ['韦', 3],
  ['付', 3],
  ['方', 3],
  ['白', 3],
  ['邹', 3],
  ['孟', 3],
  ['熊', 3],
  ['秦', 3],
  ['邱', 3],
  ['江', 3],
  ['尹', 3],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 2],
  ['覃', 1],
  ['武', 1],
  ['戴', 2],
  ['莫', 1],
  ['孔', 1],
  ['向', 1],
  ['汤', 1],
  ['施', 1],
  ['倪', 1],
  ['费', 1],
  ['殷', 1],
  ['季', 1],
  ['浦', 0.5],
  ['盛', 1],
  ['俞', 1],
  ['屠', 0.5],
  ['瞿', 0.5],
];

const SHANGHAI_BOOST: Readonly<Record<string, number>> = {
  张: 1.2,
  王: 1.1,
  陈: 1.3,
  徐: 2.2,
  朱: 2,
  周: 1.8,
  沈: 3,
  陆: 3.5,
  顾: 4,
  钱: 2.5,
  施: 3,
  俞: 2.5,
  浦: 3,
  瞿: 3,
  倪: 2.5,
  蔡: 1.5,
  金: 2,
  吴: 1.6,
  杨: 1.2,
  曹: 1.5,
  姚: 1.6,
  盛: 2,
  费: 2,
  季: 2,
  殷: 1.5,
  戴: 1.5,
  屠: 3,
  李: 0.8,
  刘: 0.6,
};

const surnames = new WeightedTable(COMMON_SURNAMES);
const shanghaiSurnames = new WeightedTable(COMMON_SURNAMES.map(([s, w]) => [s, w * (SHANGHAI_BOOST[s] ?? 1)] as const));

type Generation = 'old' | 'middle' | 'young';

const GIVEN: Record<Generation, Record<'M' | 'F', string>> = {
  old: {
    M: '建国华明国强伟忠德福根林庆荣祥军兴海生宝龙平志富金春立章民祖昌法水仁义发',
    F: '秀英兰桂珍芳凤玉梅华丽英萍琴娣妹珠娥莲素云翠花月芬宝仙菊凤美彩',
  },
  middle: {
    M: '伟军勇杰涛斌强磊峰刚健辉明俊海波超亮华东鹏飞宇文晓建平敏军志毅',
    F: '丽敏静燕红霞艳玲芳娟婷雯颖洁晓琳慧蓉莉倩瑾璐佳文君英萍蕾',
  },
  young: {
    M: '浩宇轩子涵博文睿杰晨泽昊辰煜铭皓俊熙嘉航逸然弈彦霖瑞奕宸安',
    F: '欣怡诗涵雨萱梓琪可馨佳怡思彤悦瑶婉清若曦语桐梦琪雅静心妍嫣然',
  },
};

function generationOf(birthYear: number): Generation {
  if (birthYear < 1965) return 'old';
  if (birthYear < 1995) return 'middle';
  return 'young';
}

/** A full name. Shanghai-born people draw from the locally weighted surnames. */
export function personName(rng: Rng, sex: 'M' | 'F', birthYear: number, shanghai: boolean): string {
  const surname = (shanghai ? shanghaiSurnames : surnames).draw(rng);
  const chars = GIVEN[generationOf(birthYear)][sex];
  const first = chars[Math.floor(rng.next() * chars.length)];
  // Two-character given names dominate; single ones were commoner for people born 1970–1995.
  const single = rng.next() < (birthYear >= 1970 && birthYear < 1995 ? 0.35 : 0.15);
  if (single) return surname + first;
  let second = chars[Math.floor(rng.next() * chars.length)];
  if (second === first && rng.next() < 0.7) second = chars[Math.floor(rng.next() * chars.length)];
  return surname + first + second;
}
