import { demoPanelResidents, demoTeam, demoTeamCommunities } from '../../../platform/demo/panel.ts';
import { maskPhone, maskResidentId } from '../../../platform/util/resident-id.ts';
import { dateOfDay, dayNumber, mobilePhone, originRegion, ResidentIdIssuer, shanghaiBirthRegion } from '../../../platform/world/identity.ts';
import { personName } from '../../../platform/world/names.ts';
import { WeightedTable } from '../../../platform/world/rng.ts';
import { DISTRICT_BY_CODE, DISTRICTS, type DistrictFacts, roadName, SHANGHAI_CITY_CODE } from '../../../platform/world/shanghai.ts';
import type { Rng, WorldContext, WorldStage } from '../../../platform/world/types.ts';

/**
 * Demo-world stage of the resident master index: `ctx.residents` people living in the 居委 of the master
 * data, with Shanghai's old age pyramid, about 60% Shanghai 户籍, valid and unique identity numbers, sealed
 * identity numbers and phones, and the community health centre of their 居委 as managing institution.
 * Streams the rows into COPY: memory stays flat whatever the number of residents.
 */
export const residentIndexWorld: WorldStage = {
  name: 'residents',
  order: 20,
  title: '居民主索引',
  tables: [
    {
      table: 'person',
      orderBy: 'id',
      columns: [
        'id',
        'id_type',
        'id_number_enc',
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
        'phone_enc',
        'phone_mask',
        'insurance_card_no',
        'insured_place',
        'status',
        'death_date',
        'managing_institution_id',
      ],
      sealed: ['id_number_enc', 'phone_enc'],
    },
  ],
  run: generateResidents,
};

const STAGE = 'residents';

/**
 * Shanghai's resident population by 5-year age group (per cent, shaped after the 2020 census: few
 * births, a broad band of 30–44 year-old newcomers, about 24% aged 60+ and 16% aged 65+), with the share
 * of men in each group (more women among the old).
 */
export const AGE_PYRAMID: readonly (readonly [number, number, number])[] = [
  // [from age, per cent, share of men]
  [0, 3.5, 0.52],
  [5, 4.0, 0.52],
  [10, 3.6, 0.52],
  [15, 3.3, 0.53],
  [20, 5.0, 0.54],
  [25, 6.8, 0.53],
  [30, 8.6, 0.52],
  [35, 8.5, 0.52],
  [40, 7.6, 0.52],
  [45, 7.4, 0.51],
  [50, 7.2, 0.5],
  [55, 7.5, 0.5],
  [60, 7.6, 0.49],
  [65, 6.2, 0.48],
  [70, 4.2, 0.47],
  [75, 2.4, 0.45],
  [80, 1.6, 0.42],
  [85, 1.0, 0.38],
  [90, 0.45, 0.33],
  [95, 0.12, 0.28],
];

/** Chance of Shanghai 户籍 by age: the old are mostly natives, the young working population mostly newcomers. */
function hukouChance(age: number): number {
  if (age < 18) return 0.55;
  if (age < 30) return 0.38;
  if (age < 45) return 0.45;
  if (age < 60) return 0.65;
  return 0.88;
}

/** Chance of having died within the last three years, by age. */
function deathChance(age: number): number {
  if (age < 60) return 0.002;
  if (age < 75) return 0.01;
  if (age < 85) return 0.04;
  return 0.1;
}

interface Community {
  code: string;
  name: string;
  street: string;
  district: DistrictFacts;
  village: boolean;
  chc: number | null;
}

const COLUMNS = [
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
  'phone_enc',
  'phone_bi',
  'phone_mask',
  'insurance_card_no',
  'insured_place',
  'status',
  'death_date',
  'managing_institution_id',
] as const;

async function generateResidents(ctx: WorldContext): Promise<void> {
  const { db, keys } = ctx;
  const rng = ctx.rng(STAGE);
  const communities = await loadCommunities(ctx);
  const byDistrict = new Map<DistrictFacts, Community[]>();
  for (const c of communities) byDistrict.set(c.district, [...(byDistrict.get(c.district) ?? []), c]);
  if (byDistrict.size === 0) throw new Error('没有居委数据：请先生成主数据（master-data 阶段）');
  const districts = new WeightedTable([...byDistrict.keys()].map((d) => [d, d.population] as const));
  const hukouElsewhere = new WeightedTable(DISTRICTS.map((d) => [d, d.population * (d.central ? 2 : 1)] as const));
  const ages = new WeightedTable(AGE_PYRAMID.map((g) => [g, g[1]] as const));

  const { n: firstId } = (await db.query<{ n: number }>('select (coalesce(max(id), 0) + 1)::int as n from person'))[0]!;
  const total = ctx.residents;
  const asOfDay = dayNumber(ctx.asOf);
  const ids = new ResidentIdIssuer();

  // The demo family doctor's 居委 get extra residents (a panel of a few hundred: platform/demo/panel.ts), from a
  // stream of their own so the draws of everyone else stay as they were.
  const team = await demoTeam(db);
  const demoCodes = new Set(team ? await demoTeamCommunities(db, team.team_id) : []);
  const demoCommunities = communities.filter((c) => demoCodes.has(c.code));
  const demoRng = ctx.rng(`${STAGE}/demo-panel`);
  const demoShare = demoCommunities.length ? demoPanelResidents(total) / total : 0;

  // Planted anomalies: a few people whose insurance card number is someone else's (at fixed positions,
  // so the number planted depends only on the size of the world).
  const planted = Math.max(total >= 100 ? 3 : 0, Math.round(total * 0.0005));
  const plantAt = new Set(Array.from({ length: planted }, (_, k) => Math.floor(((k + 1) * total) / (planted + 1))));
  const recentCards: { id: number; card: string }[] = [];
  let owed = 0;
  const truths: { id: number; card: string; place: string; other: number }[] = [];

  function* rows(): Generator<unknown[]> {
    for (let i = 0; i < total; i++) {
      const id = firstId + i;
      let district = districts.draw(rng);
      const list = byDistrict.get(district) as Community[];
      let c = list[Math.floor(rng.next() * list.length)]!;
      if (demoShare && demoRng.next() < demoShare) {
        c = demoCommunities[Math.floor(demoRng.next() * demoCommunities.length)]!;
        district = c.district;
      }
      const [from, , men] = ages.draw(rng);
      const age = from + Math.floor(rng.next() * 5);
      const sex: 'M' | 'F' = rng.next() < men ? 'M' : 'F';
      const birthDay = asOfDay - Math.floor((age + rng.next()) * 365.2425);
      const birthDate = dateOfDay(Math.min(birthDay, asOfDay));
      const birthYear = Number(birthDate.slice(0, 4));

      const local = rng.next() < Math.min(0.97, hukouChance(age) * (district.central ? 1.15 : 0.92));
      let region: string;
      let hukouDistrict: string | null = null;
      let hukouPlace: string | null = null;
      let otherPlace: string | null = null;
      if (local) {
        const hukou = rng.next() < 0.2 ? hukouElsewhere.draw(rng) : district;
        hukouDistrict = hukou.code;
        region = shanghaiBirthRegion(rng, hukou, birthYear);
      } else {
        const origin = originRegion(rng);
        region = origin.region;
        hukouPlace = origin.prefecture;
        otherPlace = origin.prefecture;
      }
      const idNumber = ids.issue(rng, region, birthDate, sex);
      const name = personName(rng, sex, birthYear, local);

      const phoneChance = age < 14 ? 0.6 : age >= 85 ? 0.7 : 0.97;
      const phone = rng.next() < phoneChance ? mobilePhone(rng) : null;

      let place: string | null = local || rng.next() < 0.82 ? SHANGHAI_CITY_CODE : otherPlace;
      let card: string | null = null;
      if (rng.next() < 0.985) card = cardNumber(place as string, id);
      else place = null;
      // A planted duplicate takes the card of a recent person insured in Shanghai too; when this person is
      // not insured in Shanghai the plant moves on to the next one who is.
      if (plantAt.has(i)) owed++;
      if (owed > 0 && place === SHANGHAI_CITY_CODE && recentCards.length > 0) {
        // Taken out of the pool: each planted duplicate is a pair of its own.
        const other = recentCards.splice(Math.floor(rng.next() * recentCards.length), 1)[0]!;
        card = other.card;
        truths.push({ id, card, place, other: other.id });
        owed--;
      } else if (card && place === SHANGHAI_CITY_CODE) {
        recentCards.push({ id, card });
        if (recentCards.length > 256) recentCards.shift();
      }

      const dead = rng.next() < deathChance(age);
      const deathDate = dead ? dateOfDay(Math.max(birthDay + 1, asOfDay - Math.floor(rng.next() * 3 * 365))) : null;
      const address = addressOf(rng, c);

      yield [
        id,
        'resident_id',
        keys.encryptField(idNumber),
        keys.blindIndex(idNumber, 'person.id_number'),
        maskResidentId(idNumber),
        name,
        sex,
        birthDate,
        hukouDistrict,
        hukouPlace,
        district.code,
        c.street,
        c.code,
        address,
        phone ? keys.encryptField(phone) : null,
        phone ? keys.blindIndex(phone, 'person.phone') : null,
        phone ? maskPhone(phone) : null,
        card,
        place,
        dead ? 'dead' : 'alive',
        deathDate,
        c.chc,
      ];
      if ((i + 1) % 10_000 === 0) ctx.progress('居民', i + 1, total);
    }
  }

  await db.copyRows('person', COLUMNS, rows());
  await db.query(`select setval(pg_get_serial_sequence('person', 'id'), greatest((select max(id) from person), 1))`);
  ctx.progress('居民', total, total);
  for (const t of truths) {
    await ctx.truth(STAGE, 'duplicate_insurance_card', 'person', String(t.id), { insuranceCardNo: t.card, insuredPlace: t.place, sharedWith: String(t.other) });
  }
}

/**
 * A unique card number per person: the person's id scrambled by an odd multiplier modulo 10^10 (a
 * bijection, so no two people share a number unless planted on purpose). Shanghai cards start with 'S'.
 */
function cardNumber(place: string, personId: number): string {
  const scrambled = (personId * 7_368_787 + 1_234_567) % 10_000_000_000;
  const digits = String(scrambled).padStart(10, '0');
  return place === SHANGHAI_CITY_CODE ? `S${digits}` : `${place.slice(0, 4)}${digits}`;
}

function addressOf(rng: Rng, c: Community): string {
  if (c.village) {
    const village = c.name.replace(/(村民委员会|村委会)$/, '');
    return `上海市${c.district.name}${village}${rng.int(1, 12)}组${rng.int(1, 200)}号`;
  }
  return `上海市${c.district.name}${roadName(rng)}${rng.int(1, 2000)}弄${rng.int(1, 60)}号${rng.int(1, 18)}0${rng.int(1, 6)}室`;
}

/** Every 居委 with its street, district and managing community health centre (via its family-doctor team). */
async function loadCommunities(ctx: WorldContext): Promise<Community[]> {
  const rows = await ctx.db.query<{ code: string; name: string; street_code: string; district_code: string; kind: string | null; chc: number | null }>(
    `select r.code, r.name, r.street_code, r.district_code, r.kind,
            coalesce(
              (select t.institution_id from team_community tc join team t on t.id = tc.team_id where tc.community_code = r.code order by t.id limit 1),
              (select i.id from institution i where i.kind = 'chc' and i.street_code = r.street_code order by i.id limit 1),
              (select i.id from institution i where i.kind = 'chc' and i.district_code = r.district_code order by i.id limit 1)
            )::int as chc
       from region r
      where r.level = 'community'
      order by r.code collate "C"`,
  );
  const out: Community[] = [];
  for (const r of rows) {
    const district = DISTRICT_BY_CODE.get(r.district_code);
    if (!district || !r.street_code) continue;
    out.push({ code: r.code, name: r.name, street: r.street_code, district, village: r.kind === '村委' || /村(民委员会|委会)$/.test(r.name), chc: r.chc });
  }
  return out;
}
