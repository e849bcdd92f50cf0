// 市大数据中心 data resource platform (simulated): 民政 marriage registrations, 公安 birth registrations
// (报出生户口) and the newborn population library (issue 6 items 9-10). Our side pulls, signed:
//   GET /api/v1/civil-affairs/marriages?date=YYYY-MM-DD&page&pageSize   民政婚姻登记 of one day
//   GET /api/v1/police/birth-registrations?month=YYYY-MM&page&pageSize  公安报出生户口 of one month
//   GET /api/v1/population/newborns?month=YYYY-MM&page&pageSize          新生儿人口库 of one month
//   GET /api/v1/police/death-deregistrations?month=YYYY-MM&page&pageSize 公安死亡注销户口 of one month
// each answering { page, pageSize, total, records } in the platform's own column names:
//   marriage: DJZH 登记证字号, YWLX 业务类型 (IA 结婚 / IB 离婚), DJRQ 登记日期, DJJGDM 登记机关区划, DJJGMC,
//             NFXM/NFZJHM/NFCSRQ/NFHJQH 男方姓名/证件号/出生日期/户籍区划, NVXM/NVZJHM/NVCSRQ/NVHJQH 女方
//   police:   CSDJH 出生登记号, XM, XB (1/2), CSRQ, GMSFHM 公民身份号码, SSPCSDM/SSPCSMC 派出所代码/名称,
//             MQXM/MQGMSFHM, FQXM/FQGMSFHM, DJRQ 登记日期
//   newborn:  CSDJH, XM, XB, CSRQ, CSYXZMBH 出生医学证明编号
//   death:    ZXBH 户口注销编号, GMSFHM 公民身份号码, XM, XB, CSRQ, SWRQ 死亡日期, ZXRQ 注销日期,
//             ZXYY 注销原因 (the feed carries 死亡 only), SSPCSDM/SSPCSMC 派出所代码/名称
// Tests load what they need with dataPlatformStore(sim).marriages.load(...) etc.; a day or month nobody
// loaded gets a small deterministic synthetic feed (with the odd planted flaw) so `npm run simulators`
// answers every request.
import { checkDigit } from '../../../util/resident-id.ts';
import { SeededRng } from '../../../world/rng.ts';
import { defineSimulator, type SimRequest, type Simulator } from '../simulator.ts';

export interface Feed {
  /** Records by key (a day YYYY-MM-DD for marriages, a month YYYY-MM for the others). */
  byKey: Map<string, Record<string, unknown>[]>;
  load(key: string, records: readonly Record<string, unknown>[]): void;
  pulls: number;
}
export interface DataPlatformStore {
  marriages: Feed;
  births: Feed;
  newborns: Feed;
  deaths: Feed;
}

const stores = new WeakMap<Simulator, DataPlatformStore>();
const feed = (): Feed => {
  const byKey = new Map<string, Record<string, unknown>[]>();
  return { byKey, pulls: 0, load: (key, records) => void byKey.set(key, [...(byKey.get(key) ?? []), ...records]) };
};

export function dataPlatformStore(sim: Simulator): DataPlatformStore {
  let s = stores.get(sim);
  if (!s) {
    s = { marriages: feed(), births: feed(), newborns: feed(), deaths: feed() };
    stores.set(sim, s);
  }
  return s;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '子涵梓轩浩然一诺欣怡雨桐宇航思远若曦明哲佳怡俊熙';
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310115'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function idNumber(rng: SeededRng, region: string, birthDate: string, female: boolean): string {
  const seq = rng.int(10, 99) * 10 + (female ? 2 * rng.int(0, 4) : 2 * rng.int(0, 4) + 1);
  const first17 = `${region}${birthDate.replace(/-/g, '')}${pad(seq, 3)}`;
  return first17 + checkDigit(first17);
}
const name = (rng: SeededRng) => SURNAMES[rng.int(0, SURNAMES.length - 1)]! + GIVEN[rng.int(0, GIVEN.length - 1)]! + GIVEN[rng.int(0, GIVEN.length - 1)]!;

/** A day of synthetic 民政 registrations (same for the same date); one has an impossible age. */
export function syntheticMarriages(date: string): Record<string, unknown>[] {
  const rng = new SeededRng(date, 'sim:data-platform:marriage');
  const year = Number(date.slice(0, 4));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rng.int(3, 7); i++) {
    const d = DISTRICTS[rng.int(0, DISTRICTS.length - 1)]!;
    const nf = `${year - rng.int(24, 40)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
    const nv = `${year - rng.int(22, 38)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
    out.push({
      DJZH: `J${d}-${date.slice(0, 4)}-${date.slice(5, 7)}${date.slice(8)}${pad(i + 1, 3)}`,
      YWLX: rng.chance(0.85) ? 'IA' : 'IB',
      DJRQ: date.replace(/-/g, ''),
      DJJGDM: d,
      DJJGMC: '区民政局婚姻登记处',
      NFXM: name(rng),
      NFZJHM: idNumber(rng, d, nf, false),
      NFCSRQ: nf,
      NFHJQH: d,
      NVXM: name(rng),
      NVZJHM: idNumber(rng, d, nv, true),
      NVCSRQ: nv,
      NVHJQH: d,
    });
  }
  out[0] = { ...out[0], NVCSRQ: `${year - 17}0101` };
  return out;
}

/** A month of synthetic 公安 registrations; one carries a 派出所 code nobody has mapped. */
export function syntheticBirths(month: string): Record<string, unknown>[] {
  const rng = new SeededRng(month, 'sim:data-platform:police');
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rng.int(4, 9); i++) {
    const d = DISTRICTS[rng.int(0, DISTRICTS.length - 1)]!;
    const birth = `${month}-${pad(rng.int(1, 28))}`;
    const female = rng.chance(0.48);
    out.push({
      CSDJH: `CS${month.replace('-', '')}${pad(i + 1, 5)}`,
      XM: name(rng),
      XB: female ? '2' : '1',
      CSRQ: birth,
      GMSFHM: idNumber(rng, d, birth, female),
      SSPCSDM: `${d}${pad(rng.int(1, 5), 3)}000`,
      SSPCSMC: `${rng.int(1, 5)}号派出所`,
      MQXM: name(rng),
      MQGMSFHM: '',
      FQXM: name(rng),
      FQGMSFHM: '',
      DJRQ: `${month}-28`,
    });
  }
  out.push({ ...out[0], CSDJH: `CS${month.replace('-', '')}99999`, SSPCSDM: '310199999000', SSPCSMC: '未知派出所' });
  return out;
}

export function syntheticNewborns(month: string): Record<string, unknown>[] {
  return syntheticBirths(month).map((r, i) => ({ CSDJH: r.CSDJH, XM: r.XM, XB: r.XB, CSRQ: r.CSRQ, CSYXZMBH: `S${month.replace('-', '')}${pad(i + 1, 4)}` }));
}

/** A month of synthetic 公安 death deregistrations (people nobody's index knows); one lacks its identity number. */
export function syntheticDeaths(month: string): Record<string, unknown>[] {
  const rng = new SeededRng(month, 'sim:data-platform:police-death');
  const year = Number(month.slice(0, 4));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rng.int(2, 5); i++) {
    const d = DISTRICTS[rng.int(0, DISTRICTS.length - 1)]!;
    const birth = `${year - rng.int(60, 95)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
    const female = rng.chance(0.5);
    const day = rng.int(1, 25);
    out.push({
      ZXBH: `ZX${month.replace('-', '')}${pad(i + 1, 5)}`,
      GMSFHM: idNumber(rng, d, birth, female),
      XM: name(rng),
      XB: female ? '2' : '1',
      CSRQ: birth.replace(/-/g, ''),
      SWRQ: `${month}-${pad(day)}`,
      ZXRQ: `${month}-${pad(day + rng.int(1, 3))}`,
      ZXYY: '死亡',
      SSPCSDM: `${d}${pad(rng.int(1, 5), 3)}000`,
      SSPCSMC: `${rng.int(1, 5)}号派出所`,
    });
  }
  out.push({ ...out[0], ZXBH: `ZX${month.replace('-', '')}99999`, GMSFHM: '' });
  return out;
}

function pageOf(req: SimRequest, all: Record<string, unknown>[]) {
  const page = Math.max(1, Number(req.query.page ?? 1) || 1);
  const pageSize = Math.min(1000, Math.max(1, Number(req.query.pageSize ?? 500) || 500));
  return { page, pageSize, total: all.length, records: all.slice((page - 1) * pageSize, page * pageSize) };
}

function monthly(url: string, pick: (s: DataPlatformStore) => Feed, synthetic: (month: string) => Record<string, unknown>[]) {
  return {
    method: 'GET' as const,
    url,
    handler: (req: SimRequest, sim: Simulator) => {
      const month = String(req.query.month ?? '');
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return { status: 400, body: { code: 'BAD_MONTH', message: '参数 month 应为 YYYY-MM' } };
      const f = pick(dataPlatformStore(sim));
      f.pulls++;
      return { body: { month, ...pageOf(req, f.byKey.get(month) ?? (f.byKey.size === 0 ? synthetic(month) : [])) } };
    },
  };
}

export const dataPlatformSimulator = defineSimulator({
  system: 'data-platform',
  reply: null,
  routes: [
    {
      method: 'GET',
      url: '/api/v1/civil-affairs/marriages',
      handler: (req, sim) => {
        const date = String(req.query.date ?? '');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { status: 400, body: { code: 'BAD_DATE', message: '参数 date 应为 YYYY-MM-DD' } };
        const f = dataPlatformStore(sim).marriages;
        f.pulls++;
        return { body: { date, ...pageOf(req, f.byKey.get(date) ?? (f.byKey.size === 0 ? syntheticMarriages(date) : [])) } };
      },
    },
    monthly('/api/v1/police/birth-registrations', (s) => s.births, syntheticBirths),
    monthly('/api/v1/population/newborns', (s) => s.newborns, syntheticNewborns),
    monthly('/api/v1/police/death-deregistrations', (s) => s.deaths, syntheticDeaths),
  ],
});
