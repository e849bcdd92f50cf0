import { maskResidentId } from '../../../platform/util/resident-id.ts';
import { dateOfDay, dayNumber, originRegion, ResidentIdIssuer, shanghaiBirthRegion } from '../../../platform/world/identity.ts';
import { personName } from '../../../platform/world/names.ts';
import { shuffled } from '../../../platform/world/rng.ts';
import { DISTRICT_BY_CODE } from '../../../platform/world/shanghai.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { type BirthRecordFact, type BirthSource, computeBirthOrder } from './birth-order.ts';

/**
 * Demo-world stage of birth verification: births of the last 4 years in proportion to the world
 * (Shanghai ≈ 100,000 a year for 24.9 million people), children as new resident rows (sealed identity
 * number, blind index and mask, as the resident stage writes them) born to adult residents, their birth
 * records from up to three sources, marriages (some dissolved, fathers with children of a previous
 * marriage), and planted inconsistencies recorded as ground truth (kinds in PLANTED_KINDS).
 */
export const STAGE = 'family-planning.births';
export const BIRTHS_PER_PERSON_YEAR = 100_000 / 24_900_000;
export const PLANTED_KINDS = ['child_no_hukou', 'dead_child', 'duplicate_birth_record', 'wrong_birth_order_claim', 'name_mismatch', 'missing_hukou'] as const;
/** Days after birth by which a Shanghai 户籍 family has registered the child (报出生户口); the precheck uses the same. */
export const REGISTERED_WITHIN_DAYS = 60;

/**
 * Births over the 4 years: in proportion to the world (about 100,000 a year at Shanghai's 24.9 million),
 * or WEIJIAN_WORLD_BIRTHS_PER_YEAR when set (capped by the mothers the world has: one family per mother).
 */
export function birthTarget(residents: number, env: NodeJS.ProcessEnv = process.env): number {
  const perYear = Number(env.WEIJIAN_WORLD_BIRTHS_PER_YEAR);
  if (Number.isFinite(perYear) && perYear > 0) return Math.round(perYear * 4);
  return Math.max(1, Math.round(residents * BIRTHS_PER_PERSON_YEAR * 4));
}

export const birthsWorld: WorldStage = {
  name: STAGE,
  order: 50,
  title: '出生与婚姻登记',
  tables: [
    {
      table: 'fp_birth_record',
      orderBy: 'id',
      columns: [
        'id',
        'child_person_id',
        'mother_person_id',
        'father_person_id',
        'birth_date',
        'certificate_no',
        'hospital',
        'child_name',
        'source',
        'claimed_birth_order',
        'district_code',
        'street_code',
        'registered_on',
      ],
    },
    {
      table: 'fp_marriage',
      orderBy: 'id',
      columns: ['id', 'husband_person_id', 'wife_person_id', 'registered_on', 'dissolved_on', 'district_code', 'street_code'],
    },
  ],
  run: generateBirths,
};

interface Adult {
  id: number;
  name: string;
  hukou_district: string | null;
  hukou_place: string | null;
  residence_district: string;
  residence_street: string | null;
  residence_community: string | null;
  address: string | null;
  managing_institution_id: number | null;
}

interface Child {
  id: number;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  mother: Adult;
  father: Adult | null;
  hukouDistrict: string | null;
  hukouPlace: string | null;
  idNumber: string;
  dead: boolean;
  deathDate: string | null;
  hospital: string;
  cert: string;
}

const HOSPITALS = [
  '上海市第一妇婴保健院',
  '中国福利会国际和平妇幼保健院',
  '复旦大学附属妇产科医院',
  '上海交通大学医学院附属仁济医院',
  '上海市第六人民医院',
  '上海市第十人民医院',
  '区妇幼保健院',
];

const PERSON_COLUMNS = [
  'id',
  'id_type',
  'id_number_enc',
  'id_number_bi',
  'id_number_mask',
  'name',
  'sex',
  'birth_date',
  'hukou_district',
  'hukou_place',
  'residence_district',
  'residence_street',
  'residence_community',
  'address',
  'status',
  'death_date',
  'managing_institution_id',
] as const;
const RECORD_COLUMNS = [
  'child_person_id',
  'mother_person_id',
  'father_person_id',
  'birth_date',
  'certificate_no',
  'hospital',
  'child_name',
  'source',
  'claimed_birth_order',
  'district_code',
  'street_code',
  'registered_on',
] as const;

async function adults(ctx: WorldContext, sex: 'M' | 'F', minAge: number, maxAge: number): Promise<Adult[]> {
  const asOf = dayNumber(ctx.asOf);
  return ctx.db.query<Adult>(
    `select id::int as id, name, hukou_district, hukou_place, residence_district, residence_street, residence_community, address, managing_institution_id::int as managing_institution_id
       from person where status = 'alive' and sex = $1 and birth_date between $2 and $3 order by id`,
    [sex, dateOfDay(asOf - Math.round(maxAge * 365.25)), dateOfDay(asOf - Math.round(minAge * 365.25))],
  );
}

function plantCount(n: number, rate: number): number {
  return Math.min(Math.floor(n / 6), Math.max(3, Math.round(n * rate)));
}

async function generateBirths(ctx: WorldContext): Promise<void> {
  const rng = ctx.rng(STAGE);
  const asOfDay = dayNumber(ctx.asOf);
  const windowStart = asOfDay - Math.round(4 * 365.25) + 1;
  const target = birthTarget(ctx.residents);
  const mothers = shuffled(rng, await adults(ctx, 'F', 22, 44));
  const fathers = shuffled(rng, await adults(ctx, 'M', 23, 50));
  if (mothers.length === 0) return;

  const taken = new Set(
    (await ctx.db.query<{ bi: string }>('select id_number_bi as bi from person where birth_date >= $1', [dateOfDay(windowStart)])).map((r) => r.bi),
  );
  const issuer = new ResidentIdIssuer();
  const { n: firstId } = (await ctx.db.query<{ n: number }>('select (coalesce(max(id), 0) + 1)::int as n from person'))[0]!;
  let nextId = firstId;
  let certSeq = 0;
  const children: Child[] = [];
  const marriages: { husband: Adult; wife: Adult; registered: number; dissolved: number | null }[] = [];
  const previous: { father: Adult; marriage: (typeof marriages)[number] | null }[] = [];

  const issueId = (region: string, birthDate: string, sex: 'M' | 'F'): string => {
    for (;;) {
      const id = issuer.issue(rng, region, birthDate, sex);
      const bi = ctx.keys.blindIndex(id, 'person.id_number');
      if (!taken.has(bi)) {
        taken.add(bi);
        return id;
      }
    }
  };

  let mi = 0;
  let fi = 0;
  while (children.length < target && mi < mothers.length) {
    const mother = mothers[mi++]!;
    let father: Adult | null = null;
    let remarried = false;
    if (previous.length > 0 && rng.chance(0.05)) {
      // A father with children of an earlier marriage marries again.
      const p = previous.splice(Math.floor(rng.next() * previous.length), 1)[0]!;
      father = p.father;
      remarried = true;
      if (p.marriage && p.marriage.dissolved === null) p.marriage.dissolved = -1;
    } else if (fi < fathers.length && rng.chance(0.9)) father = fathers[fi++]!;

    const births = rng.weighted<number>([
      [1, 72],
      [2, 24],
      [3, 4],
    ]);
    let day = windowStart + Math.floor(rng.next() * (asOfDay - windowStart + 1) * (births > 1 ? 0.5 : 1));
    if (remarried) day = Math.max(day, asOfDay - 500 + Math.floor(rng.next() * 500));
    const firstDay = day;
    const familyKids: Child[] = [];
    for (let b = 0; b < births && day <= asOfDay && children.length < target; b++) {
      const twins = rng.chance(0.025) ? 2 : 1;
      const hospital = rng.chance(0.7)
        ? HOSPITALS[Math.floor(rng.next() * (HOSPITALS.length - 1))]!
        : `${DISTRICT_BY_CODE.get(mother.residence_district)?.name ?? ''}妇幼保健院`;
      for (let k = 0; k < twins; k++) {
        const sex: 'M' | 'F' = rng.chance(0.52) ? 'M' : 'F';
        const birthDate = dateOfDay(day);
        const year = Number(birthDate.slice(0, 4));
        const hukouDistrict = mother.hukou_district ?? father?.hukou_district ?? null;
        let region: string;
        let hukouPlace: string | null = null;
        const facts = hukouDistrict ? DISTRICT_BY_CODE.get(hukouDistrict) : undefined;
        if (facts) region = shanghaiBirthRegion(rng, facts, year);
        else {
          const o = originRegion(rng);
          region = o.region;
          hukouPlace = mother.hukou_place ?? o.prefecture;
        }
        const surname = (father ?? mother).name.slice(0, 1);
        const name = surname + personName(rng, sex, year, hukouDistrict !== null).slice(1);
        const child: Child = {
          id: nextId++,
          name,
          sex,
          birthDate,
          mother,
          father,
          hukouDistrict: facts ? hukouDistrict : null,
          hukouPlace,
          idNumber: issueId(region, birthDate, sex),
          dead: false,
          deathDate: null,
          hospital,
          cert: `P${String(310_000_001 + certSeq++)}`,
        };
        children.push(child);
        familyKids.push(child);
      }
      day += 400 + Math.floor(rng.next() * 500);
    }
    if (father) {
      let marriage: (typeof marriages)[number] | null = null;
      if (rng.chance(0.9)) {
        marriage = { husband: father, wife: mother, registered: firstDay - 150 - Math.floor(rng.next() * 1800), dissolved: null };
        marriages.push(marriage);
      }
      // A dissolved earlier marriage of a remarried father ends before this one starts.
      if (remarried) {
        for (const m of marriages)
          if (m.husband.id === father.id && m.dissolved === -1)
            m.dissolved = Math.max(m.registered + 30, (marriage?.registered ?? firstDay) - 30 - Math.floor(rng.next() * 600));
      }
      if (!remarried && familyKids.length > 0) previous.push({ father, marriage });
    }
  }
  for (const m of marriages) if (m.dissolved === -1) m.dissolved = Math.min(asOfDay, m.registered + 365);

  // Records: 市妇幼 always, 公安 for most Shanghai 户籍 children, 出生"一件事" for some.
  type Rec = BirthRecordFact & { hospital: string; districtCode: string; streetCode: string | null; registeredOn: string | null };
  let recId = 0;
  const recs: Rec[] = [];
  const scopeOf = (c: Child) => {
    const district = c.hukouDistrict ?? c.mother.residence_district;
    return { districtCode: district, streetCode: district === c.mother.residence_district ? c.mother.residence_street : null };
  };
  const recOf = (c: Child, source: BirthSource, over: Partial<Rec> = {}): Rec => ({
    id: ++recId,
    childPersonId: c.id,
    motherPersonId: c.mother.id,
    fatherPersonId: c.father?.id ?? null,
    birthDate: c.birthDate,
    certificateNo: c.cert,
    childName: c.name,
    source,
    claimedBirthOrder: null,
    hospital: c.hospital,
    registeredOn: null,
    ...scopeOf(c),
    ...over,
  });
  for (const c of children) {
    recs.push(recOf(c, 'mch'));
    // 户籍登记 (公安 报出生户口): every Shanghai 户籍 child once the registration period is over, half of the younger ones.
    const age = asOfDay - dayNumber(c.birthDate);
    if (c.hukouDistrict && (age >= REGISTERED_WITHIN_DAYS || rng.chance(0.5))) {
      recs.push(
        recOf(c, 'police', { registeredOn: dateOfDay(dayNumber(c.birthDate) + Math.min(age, 3 + Math.floor(rng.next() * (REGISTERED_WITHIN_DAYS - 10)))) }),
      );
    }
    if (rng.chance(0.45)) recs.push(recOf(c, 'one_thing'));
  }
  // The sources declare the true order (computed before anything is planted).
  const byParent = new Map<number, Rec[]>();
  for (const r of recs) for (const p of [r.motherPersonId, r.fatherPersonId]) if (p !== null) byParent.set(p, [...(byParent.get(p) ?? []), r]);
  const trueOrder = new Map<number, number>();
  for (const c of children) {
    const family = new Set<Rec>([...(byParent.get(c.mother.id) ?? []), ...(c.father ? (byParent.get(c.father.id) ?? []) : [])]);
    trueOrder.set(c.id, computeBirthOrder(c.id, [...family])?.birthOrder ?? 1);
  }
  for (const r of recs) if (r.source !== 'police') r.claimedBirthOrder = trueOrder.get(r.childPersonId) ?? null;

  // Planted inconsistencies, each on children of their own.
  const pool = shuffled(
    rng,
    children.filter((c) => c.hukouDistrict !== null),
  );
  const take = (rate: number) => pool.splice(0, Math.min(pool.length, plantCount(children.length, rate)));
  const truths: [string, Child, unknown][] = [];
  for (const c of take(0.01)) {
    c.dead = true;
    const born = dayNumber(c.birthDate);
    c.deathDate = dateOfDay(Math.min(asOfDay, born + 1 + Math.floor(rng.next() * Math.max(1, asOfDay - born))));
  }
  for (const c of take(0.02)) {
    const dup = recOf(c, 'mch', { certificateNo: `P${String(310_000_001 + certSeq++)}`, claimedBirthOrder: trueOrder.get(c.id) ?? null });
    recs.push(dup);
    truths.push(['duplicate_birth_record', c, { certificateNos: [c.cert, dup.certificateNo] }]);
  }
  for (const c of take(0.03)) {
    const mch = recs.find((r) => r.childPersonId === c.id && r.source === 'mch') as Rec;
    mch.claimedBirthOrder = (trueOrder.get(c.id) ?? 1) + 1;
    truths.push(['wrong_birth_order_claim', c, { claimed: mch.claimedBirthOrder, actual: trueOrder.get(c.id) }]);
  }
  for (const c of take(0.02)) {
    const alias = c.name.slice(0, -1) + (c.name.endsWith('宇') ? '雨' : '宇');
    const police = recs.find((r) => r.childPersonId === c.id && r.source === 'police');
    if (police) police.childName = alias;
    else recs.push(recOf(c, 'police', { childName: alias, registeredOn: c.birthDate }));
    truths.push(['name_mismatch', c, { names: [c.name, alias] }]);
  }

  // 应落户未落户: a Shanghai 户籍 family that never registered the child (no 公安 record, no 户籍 on the person).
  const missing: Child[] = [];
  for (const c of pool.filter((x) => asOfDay - dayNumber(x.birthDate) >= REGISTERED_WITHIN_DAYS).slice(0, plantCount(children.length, 0.01))) {
    pool.splice(pool.indexOf(c), 1);
    for (let i = recs.length - 1; i >= 0; i--) if (recs[i]!.childPersonId === c.id && recs[i]!.source === 'police') recs.splice(i, 1);
    c.hukouDistrict = null;
    c.hukouPlace = c.mother.hukou_place;
    for (const r of recs) if (r.childPersonId === c.id) Object.assign(r, scopeOf(c));
    missing.push(c);
  }

  function* personRows(): Generator<unknown[]> {
    for (const c of children) {
      const m = c.mother;
      yield [
        c.id,
        'resident_id',
        ctx.keys.encryptField(c.idNumber),
        ctx.keys.blindIndex(c.idNumber, 'person.id_number'),
        maskResidentId(c.idNumber),
        c.name,
        c.sex,
        c.birthDate,
        c.hukouDistrict,
        c.hukouPlace,
        m.residence_district,
        m.residence_street,
        m.residence_community,
        m.address,
        c.dead ? 'dead' : 'alive',
        c.deathDate,
        m.managing_institution_id,
      ];
    }
  }
  await ctx.db.copyRows('person', PERSON_COLUMNS, personRows());
  await ctx.db.query(`select setval(pg_get_serial_sequence('person', 'id'), greatest((select max(id) from person), 1))`);
  ctx.progress('出生儿童', children.length, children.length);

  recs.sort((a, b) => a.id - b.id);
  await ctx.db.copyRows(
    'fp_birth_record',
    RECORD_COLUMNS,
    recs.map((r) => [
      r.childPersonId,
      r.motherPersonId,
      r.fatherPersonId,
      r.birthDate,
      r.certificateNo,
      r.hospital,
      r.childName,
      r.source,
      r.claimedBirthOrder,
      r.districtCode,
      r.streetCode,
      r.registeredOn,
    ]),
  );
  await ctx.db.copyRows(
    'fp_marriage',
    ['husband_person_id', 'wife_person_id', 'registered_on', 'dissolved_on', 'district_code', 'street_code'],
    marriages.map((m) => [
      m.husband.id,
      m.wife.id,
      dateOfDay(m.registered),
      m.dissolved === null ? null : dateOfDay(m.dissolved),
      m.wife.residence_district,
      m.wife.residence_street,
    ]),
  );
  ctx.progress('出生记录', recs.length, recs.length);

  for (const c of children) {
    if (c.hukouDistrict === null) await ctx.truth(STAGE, 'child_no_hukou', 'person', String(c.id), { hukouPlace: c.hukouPlace });
    if (c.dead) await ctx.truth(STAGE, 'dead_child', 'person', String(c.id), { deathDate: c.deathDate });
  }
  for (const [kind, c, detail] of truths) await ctx.truth(STAGE, kind, 'person', String(c.id), detail);
  // Also child_no_hukou above (the subsidy sees a child without 户籍); the verification flags the omission.
  for (const c of missing)
    await ctx.truth(STAGE, 'missing_hukou', 'person', String(c.id), { motherHukou: c.mother.hukou_district, fatherHukou: c.father?.hukou_district ?? null });
}

/** For tests: a world-sized number of children. */
export function expectedChildren(residents: number): number {
  return birthTarget(residents);
}
