// 市妇幼保健中心 (simulated): the daily birth source channel (issue 6 item 8). Our side pulls one day at
// a time: GET /api/v1/births?date=YYYY-MM-DD&page=N&pageSize=M → { date, page, pageSize, total, records },
// records in the interface's own column names (CSYXZMBH 出生医学证明编号, XSEXM 新生儿姓名, XSEXB 性别,
// CSRQ 出生日期, CSTZ 体重, JSJGMC 接生机构, HC 孩次, MQXM/MQZJHM 母亲, FQXM/FQZJHM 父亲, JZDZ 地址,
// JZJDDM 居住地街道代码), with the untidiness the real feed has (spaces, full-width digits, mixed date
// formats, the odd invalid row).
//
//
// The same channel carries the centre's death reports (儿童死亡报告卡 for children under five, 孕产妇死亡报告卡),
// by report day: GET /api/v1/deaths?date=YYYY-MM-DD&page&pageSize → { date, page, pageSize, total, records },
// records: BGKBH 报告卡编号, SWLB 死亡类别 (1 五岁以下儿童 / 2 孕产妇), XM 姓名, XB, ZJHM 证件号码 (a newborn
// may have none yet), CSYXZMBH 出生医学证明编号 (children), CSRQ, SWRQ 死亡日期, BGRQ 报告日期, BGJGMC 报告机构.
// Tests load them with maternalChildStore(sim).loadDeaths(records, day).
//
// Tests load the records of the days they need with maternalChildStore(sim).load(records) (grouped by
// the day of CSRQ, or put under an explicit day); a day nobody loaded gets a small synthetic feed,
// the same for the same date, so `npm run simulators` answers every day.
import { checkDigit } from '../../../util/resident-id.ts';
import { SeededRng } from '../../../world/rng.ts';
import { defineSimulator, type SimRequest, type Simulator } from '../simulator.ts';

export interface MaternalChildStore {
  days: Map<string, Record<string, unknown>[]>;
  /** Adds records under their birth day (CSRQ normalised to YYYY-MM-DD) or under `day`. */
  load(records: readonly Record<string, unknown>[], day?: string): void;
  /** Pull requests served (page requests). */
  pulls: number;
  /** Death reports by report day. */
  deathDays: Map<string, Record<string, unknown>[]>;
  /** Adds death reports under their report day (BGRQ) or under `day`. */
  loadDeaths(records: readonly Record<string, unknown>[], day?: string): void;
}

const stores = new WeakMap<Simulator, MaternalChildStore>();

export function dayOf(v: unknown): string | null {
  const m = /^(\d{4})\D?(\d{1,2})\D?(\d{1,2})/.exec(
    String(v ?? '')
      .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .trim(),
  );
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : null;
}

export function maternalChildStore(sim: Simulator): MaternalChildStore {
  let s = stores.get(sim);
  if (!s) {
    const days = new Map<string, Record<string, unknown>[]>();
    const deathDays = new Map<string, Record<string, unknown>[]>();
    s = {
      days,
      deathDays,
      pulls: 0,
      loadDeaths(records, day) {
        for (const r of records) {
          const d = day ?? dayOf(r.BGRQ) ?? 'unknown';
          deathDays.set(d, [...(deathDays.get(d) ?? []), r]);
        }
      },
      load(records, day) {
        for (const r of records) {
          const d = day ?? dayOf(r.CSRQ) ?? 'unknown';
          days.set(d, [...(days.get(d) ?? []), r]);
        }
      },
    };
    stores.set(sim, s);
  }
  return s;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '子涵梓轩浩然一诺欣怡雨桐宇航思远若曦明哲佳怡俊熙';
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310115'];

function idNumber(rng: SeededRng, birthDate: string, female: boolean): string {
  const seq = rng.int(10, 99) * 10 + (female ? 2 * rng.int(0, 4) : 2 * rng.int(0, 4) + 1);
  const first17 = `${DISTRICTS[rng.int(0, DISTRICTS.length - 1)]}${birthDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

/** A small, deterministic day of synthetic births (for a day no test loaded). */
export function syntheticDay(date: string): Record<string, unknown>[] {
  const rng = new SeededRng(date, 'sim:maternal-child');
  const n = rng.int(4, 9);
  const out: Record<string, unknown>[] = [];
  const year = Number(date.slice(0, 4));
  for (let i = 0; i < n; i++) {
    const surname = SURNAMES[rng.int(0, SURNAMES.length - 1)];
    const given = () => GIVEN[rng.int(0, GIVEN.length - 1)]! + GIVEN[rng.int(0, GIVEN.length - 1)]!;
    const district = DISTRICTS[rng.int(0, DISTRICTS.length - 1)];
    const motherBirth = `${year - rng.int(23, 40)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const fatherBirth = `${year - rng.int(24, 45)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    out.push({
      CSYXZMBH: `S${date.replace(/-/g, '')}${String(i + 1).padStart(4, '0')}`,
      XSEXM: surname + given(),
      XSEXB: rng.chance(0.52) ? '1' : '2',
      CSRQ: rng.chance(0.5) ? date.replace(/-/g, '') : date,
      CSTZ: String(rng.int(2500, 4200)),
      JSJGMC: '上海市第一妇婴保健院',
      HC: String(rng.chance(0.7) ? 1 : 2),
      MQXM: `${SURNAMES[rng.int(0, SURNAMES.length - 1)]} ${given()}`,
      MQZJHM: idNumber(rng, motherBirth, true),
      FQXM: surname + given(),
      FQZJHM: idNumber(rng, fatherBirth, false),
      JZDZ: '上海市某路1号',
      JZJDDM: `${district}00${rng.int(1, 5)}`,
    });
  }
  // The feed's usual flaw: a row without the mother's identity number.
  out.push({ ...out[0], CSYXZMBH: `S${date.replace(/-/g, '')}9999`, MQZJHM: '' });
  return out;
}

/**
 * A day of synthetic death reports (for a day no test loaded): mostly none, now and then a child's — of a
 * child nobody's index knows (the demo world plants its own in fp's world feed).
 */
export function syntheticDeaths(date: string): Record<string, unknown>[] {
  const rng = new SeededRng(date, 'sim:maternal-child:death');
  if (!rng.chance(0.2)) return [];
  const birth = new Date(Date.parse(`${date}T00:00:00Z`) - rng.int(20, 900) * 86_400_000).toISOString().slice(0, 10);
  const female = rng.chance(0.5);
  return [
    {
      BGKBH: `ETSW${date.replace(/-/g, '')}0001`,
      SWLB: '1',
      XM: SURNAMES[rng.int(0, SURNAMES.length - 1)]! + GIVEN[rng.int(0, GIVEN.length - 1)]! + GIVEN[rng.int(0, GIVEN.length - 1)]!,
      XB: female ? '2' : '1',
      ZJHM: idNumber(rng, birth, female),
      CSYXZMBH: '',
      CSRQ: birth.replace(/-/g, ''),
      SWRQ: new Date(Date.parse(`${date}T00:00:00Z`) - rng.int(1, 5) * 86_400_000).toISOString().slice(0, 10),
      BGRQ: date,
      BGJGMC: '上海市儿童医院',
    },
  ];
}

function paged(req: SimRequest, date: string, all: Record<string, unknown>[]) {
  const page = Math.max(1, Number(req.query.page ?? 1) || 1);
  const pageSize = Math.min(1000, Math.max(1, Number(req.query.pageSize ?? 500) || 500));
  return { body: { date, page, pageSize, total: all.length, records: all.slice((page - 1) * pageSize, page * pageSize) } };
}

export const maternalChildSimulator = defineSimulator({
  system: 'maternal-child',
  reply: null,
  routes: [
    {
      method: 'GET',
      url: '/api/v1/births',
      handler: (req, sim) => {
        const date = String(req.query.date ?? '');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { status: 400, body: { code: 'BAD_DATE', message: '参数 date 应为 YYYY-MM-DD' } };
        const store = maternalChildStore(sim);
        store.pulls++;
        return paged(req, date, store.days.get(date) ?? (store.days.size === 0 ? syntheticDay(date) : []));
      },
    },
    {
      method: 'GET',
      url: '/api/v1/deaths',
      handler: (req, sim) => {
        const date = String(req.query.date ?? '');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { status: 400, body: { code: 'BAD_DATE', message: '参数 date 应为 YYYY-MM-DD' } };
        const store = maternalChildStore(sim);
        // Tests that load births but no deaths get none (a made-up death would be noise in their counts).
        return paged(req, date, store.deathDays.get(date) ?? (store.days.size === 0 && store.deathDays.size === 0 ? syntheticDeaths(date) : []));
      },
    },
  ],
});
