import { demoTeam, demoTeamCommunities } from '../../../platform/demo/panel.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { sealContacts } from './contacts.ts';
import { addDays, addYears, ageOn, cycleEnd, daysBetween } from './rules.ts';
import { AGREEMENT_COLUMNS, generateWorldAgreements } from './world-agreements.ts';

/**
 * Demo-world stage of family-doctor contracting: contracts for about 37% of residents (two in three of
 * those aged 65 and over), each with a doctor of a team of the community health service centre of the
 * residence street, plausible histories (renewals, some transfers inside the community, changes of
 * hospitals, changes of doctor to another centre, terminations, deaths, lapsed red contracts) and visits
 * at community centres. Deterministic from the seed; residents are read and written in batches, so
 * memory stays flat whatever the size of the world.
 */
export const familyDoctorWorld: WorldStage = {
  name: 'family-doctor',
  order: 30,
  title: '家庭医生签约',
  tables: [
    {
      table: 'fd_contract',
      orderBy: 'id',
      columns: [
        'id',
        'person_id',
        'institution_id',
        'doctor_id',
        'team_id',
        'district_hospital_id',
        'city_hospital_id',
        'district_code',
        'street_code',
        'signed_on',
        'cycle_start',
        'cycle_end',
        'cycle_years',
        'doctor_since',
        'doctor_changes',
        'hospital_changes',
        'channel',
        'status',
        'terminated_on',
        'termination_initiator',
        'termination_reason',
        'tags',
        'previous_id',
        'emergency_contacts',
        'health_assessment_url',
        'physical_exam_url',
        'operator_name',
        'emergency_contacts_enc',
      ],
      sealed: ['emergency_contacts_enc'],
    },
    {
      table: 'fd_contract_event',
      orderBy: 'id',
      columns: [
        'id',
        'contract_id',
        'person_id',
        'kind',
        'initiator',
        'reason',
        'channel',
        'tags',
        'detail',
        'on_date',
        'operator_name',
        'district_code',
        'street_code',
        'institution_id',
        'team_id',
        'doctor_id',
      ],
    },
    { table: 'fd_visit', orderBy: 'id', columns: ['id', 'person_id', 'institution_id', 'visit_date', 'district_code', 'street_code'] },
    // The agreement of each contract's current cycle (world-agreements.ts): without it 协议书 stays empty until regenerated.
    { table: 'fd_agreement', orderBy: 'id', columns: AGREEMENT_COLUMNS },
  ],
  // The 镜像库 (migration 011) copies contracts and events by trigger: a reset world must take its copies along.
  derived: ['fd_mirror.contract_event', 'fd_mirror.contract'],
  run: generateContracts,
};

const STAGE = 'family-doctor';
const BATCH = 50_000;

const CONTRACT_COLUMNS = [
  'id',
  'person_id',
  'institution_id',
  'doctor_id',
  'team_id',
  'district_hospital_id',
  'city_hospital_id',
  'district_code',
  'street_code',
  'signed_on',
  'cycle_start',
  'cycle_end',
  'cycle_years',
  'doctor_since',
  'doctor_changes',
  'hospital_changes',
  'channel',
  'status',
  'terminated_on',
  'termination_initiator',
  'termination_reason',
  'tags',
  'previous_id',
  'emergency_contacts',
  'health_assessment_url',
  'physical_exam_url',
  'operator_name',
  'emergency_contacts_enc',
] as const;
const EVENT_COLUMNS = [
  'id',
  'contract_id',
  'person_id',
  'kind',
  'initiator',
  'reason',
  'channel',
  'tags',
  'detail',
  'on_date',
  'operator_name',
  'at',
  'district_code',
  'street_code',
  'institution_id',
  'team_id',
  'doctor_id',
] as const;
const VISIT_COLUMNS = ['id', 'person_id', 'institution_id', 'visit_date', 'district_code', 'street_code'] as const;

interface Team {
  id: number;
  chc: number;
  doctors: number[];
}

interface PersonIn {
  id: number;
  birth_date: string;
  residence_district: string;
  residence_street: string | null;
  managing_institution_id: number | null;
  residence_community: string | null;
  death_date: string | null;
}

const TERMINATION_REASONS: readonly (readonly [string, 'resident' | 'doctor' | 'system'])[] = [
  ['迁出本市', 'resident'],
  ['搬迁至外区', 'resident'],
  ['居民主动解约', 'resident'],
  ['长期联系不上', 'doctor'],
  ['长期在外地居住', 'doctor'],
  ['重复签约核查', 'system'],
];

/** The later of two dates. */
const later = (a: string, b: string) => (a >= b ? a : b);

/** A text[] literal for COPY (the CSV encoder would write JSON). */
const pgArray = (xs: readonly string[]) => `{${xs.join(',')}}`;

async function generateContracts(ctx: WorldContext): Promise<void> {
  const { db } = ctx;
  const rng = ctx.rng(STAGE);
  const asOf = ctx.asOf;

  const teamRows = await db.query<{ team_id: number; chc: number; doctor_id: number }>(
    `select t.id as team_id, t.institution_id as chc, m.practitioner_id as doctor_id
       from team t join team_member m on m.team_id = t.id join practitioner p on p.id = m.practitioner_id
      where t.active and p.active and p.is_family_doctor
      order by t.id, m.practitioner_id`,
  );
  const teamsByChc = new Map<number, Team[]>();
  const teamById = new Map<number, Team>();
  for (const r of teamRows) {
    let t = teamById.get(r.team_id);
    if (!t) {
      t = { id: r.team_id, chc: r.chc, doctors: [] };
      teamById.set(r.team_id, t);
      teamsByChc.set(r.chc, [...(teamsByChc.get(r.chc) ?? []), t]);
    }
    t.doctors.push(r.doctor_id);
  }
  const hospitals = await db.query<{ id: number; kind: string; district_code: string }>(
    "select id, kind, district_code from institution where kind in ('district_hospital', 'city_hospital', 'chc') and active order by id",
  );
  const districtHospitals = new Map<string, number[]>();
  const chcsOfDistrict = new Map<string, number[]>();
  const cityHospitals: number[] = [];
  for (const h of hospitals) {
    if (h.kind === 'district_hospital') districtHospitals.set(h.district_code, [...(districtHospitals.get(h.district_code) ?? []), h.id]);
    else if (h.kind === 'city_hospital') cityHospitals.push(h.id);
    else if (teamsByChc.has(h.id)) chcsOfDistrict.set(h.district_code, [...(chcsOfDistrict.get(h.district_code) ?? []), h.id]);
  }

  // The demo doctor's 居委 (platform/demo/panel.ts): most residents there are signed with the demo team, in the
  // demo doctor's name, so the family_doctor account has a panel of a few hundred. Own stream: other draws unchanged.
  const demo = await demoTeam(db);
  const demoTeamRow = demo ? teamById.get(demo.team_id) : undefined;
  const demoCodes = new Set(demo && demoTeamRow ? await demoTeamCommunities(db, demo.team_id) : []);
  const demoRng = ctx.rng(`${STAGE}/demo-panel`);

  const next = async (table: string) => (await db.query<{ n: number }>(`select (coalesce(max(id), 0) + 1)::int as n from ${table}`))[0]!.n;
  let contractId = await next('fd_contract');
  let eventId = await next('fd_contract_event');
  let visitId = await next('fd_visit');
  const { n: total } = (await db.query<{ n: number }>('select count(*)::int as n from person'))[0]!;
  let done = 0;
  let lastId = 0;

  for (;;) {
    const people = await db.query<PersonIn>(
      `select id, birth_date, residence_district, residence_street, managing_institution_id, residence_community, death_date
         from person where id > $1 order by id limit ${BATCH}`,
      [lastId],
    );
    if (people.length === 0) break;
    lastId = people[people.length - 1]!.id;
    const contracts: unknown[][] = [];
    const events: unknown[][] = [];
    const visits: unknown[][] = [];
    const care: [number, number, number][] = [];

    for (const p of people) {
      const age = ageOn(p.birth_date, p.death_date ?? asOf);
      const teams = p.managing_institution_id ? teamsByChc.get(p.managing_institution_id) : undefined;
      let signs = teams && rng.chance(age >= 65 ? 0.66 : age < 18 ? 0.22 : 0.3);
      const inDemo = demoTeamRow !== undefined && p.managing_institution_id === demoTeamRow.chc && demoCodes.has(p.residence_community ?? '');
      if (inDemo) signs = demoRng.chance(age >= 65 ? 0.85 : age < 18 ? 0.4 : 0.55);
      const scope = { district: p.residence_district, street: p.residence_street };

      if (!signs || !teams) {
        // The unsigned visit their community centre now and then too.
        if (p.managing_institution_id && rng.chance(0.15)) {
          visits.push([visitId++, p.id, p.managing_institution_id, addDays(asOf, -rng.int(1, 700)), scope.district, scope.street]);
        }
        continue;
      }

      const chc = p.managing_institution_id as number;
      let team = rng.pick(teams);
      let doctor = rng.pick(team.doctors);
      if (inDemo && demo && demoTeamRow) {
        team = demoTeamRow;
        doctor = demoRng.chance(0.85) && team.doctors.includes(demo.doctor_id) ? demo.doctor_id : demoRng.pick(team.doctors);
      }
      const dh = districtHospitals.get(p.residence_district);
      const combination = { chc, team: team.id, doctor, dh: dh?.length ? rng.pick(dh) : null, ch: cityHospitals.length ? rng.pick(cityHospitals) : null };
      const end = p.death_date ?? asOf;

      // The contract in force now: where its cycle ends decides its colour.
      const roll = rng.next();
      let cycleEndOn: string;
      if (roll < 0.8) cycleEndOn = addDays(asOf, rng.int(61, 360));
      else if (roll < 0.93) cycleEndOn = addDays(asOf, rng.int(-90, 60));
      else cycleEndOn = addDays(asOf, -rng.int(91, 900));
      const years = roll < 0.8 && age >= 65 && rng.chance(0.15) ? rng.int(2, 3) : 1;
      let cycleStart = addDays(addYears(cycleEndOn, -years), 1);
      if (cycleStart > end) cycleStart = addDays(end, -rng.int(30, 300));
      if (cycleEndOn < cycleStart) cycleEndOn = cycleEnd(cycleStart, 1);
      const renewals = rng.chance(0.7) ? rng.int(1, 5) : 0;
      const signedOn = addYears(cycleStart, -renewals);
      const channel = rng.chance(0.35) ? 'online' : 'offline';
      const operator = channel === 'online' ? '随申办' : '签约医生';

      const history: unknown[][] = [];
      const ev = (
        cid: number,
        c: typeof combination,
        kind: string,
        initiator: string,
        on: string,
        extra: { reason?: string; tags?: string[]; detail?: unknown } = {},
      ) =>
        history.push([
          eventId++,
          cid,
          p.id,
          kind,
          initiator,
          extra.reason ?? null,
          channel,
          pgArray(extra.tags ?? []),
          extra.detail ?? null,
          on,
          operator,
          `${on}T09:00:00+08:00`,
          scope.district,
          scope.street,
          c.chc,
          c.team,
          c.doctor,
        ]);

      // A change of doctor from another centre of the district, a while ago (about 4%).
      let previousId: number | null = null;
      const doctorChanges: string[] = [];
      let doctorSince = signedOn;
      const otherChcs = (chcsOfDistrict.get(p.residence_district) ?? []).filter((x) => x !== chc);
      if (otherChcs.length && rng.chance(0.04) && daysBetween(signedOn, cycleStart) >= 0) {
        const oldChc = rng.pick(otherChcs);
        const oldTeam = rng.pick(teamsByChc.get(oldChc) as Team[]);
        const old = { ...combination, chc: oldChc, team: oldTeam.id, doctor: rng.pick(oldTeam.doctors) };
        const oldSigned = addDays(signedOn, -rng.int(200, 900));
        previousId = contractId++;
        contracts.push([
          previousId,
          p.id,
          old.chc,
          old.doctor,
          old.team,
          old.dh,
          old.ch,
          scope.district,
          scope.street,
          oldSigned,
          oldSigned,
          cycleEnd(oldSigned, 1),
          1,
          oldSigned,
          '{}',
          '{}',
          'offline',
          'terminated',
          signedOn,
          'resident',
          '更换家庭医生：居住地变更',
          pgArray(['线下变更签约']),
          null,
          '[]',
          null,
          null,
          operator,
          null,
        ]);
        ev(previousId, old, 'sign', 'doctor', oldSigned);
        ev(previousId, old, 'terminate', 'resident', signedOn, { reason: '更换家庭医生：居住地变更', tags: ['线下变更签约'] });
        doctorChanges.push(signedOn);
      }

      const id = contractId++;
      ev(
        id,
        combination,
        previousId ? 'change_doctor' : 'sign',
        previousId ? 'resident' : channel === 'online' ? 'resident' : 'doctor',
        signedOn,
        previousId ? { reason: '居住地变更', tags: ['线下变更签约'] } : {},
      );
      for (let k = 1; k <= renewals; k++) {
        const on = addDays(addYears(signedOn, k), -rng.int(1, 50));
        if (on <= end) ev(id, combination, 'renew', 'doctor', on, { detail: { years: 1 } });
      }
      // Transfers inside the community (about 6%): the current doctor since then.
      if (team.doctors.length > 1 && rng.chance(0.06)) {
        const on = addDays(signedOn, rng.int(30, Math.max(31, daysBetween(signedOn, end))));
        if (on < end) {
          doctorSince = on;
          ev(id, combination, 'transfer_in_community', 'doctor', on, { reason: '团队调整' });
        }
      }
      // Changes of the upper-level hospitals (about 5%).
      const hospitalChanges: string[] = [];
      if (rng.chance(0.05)) {
        const on = addDays(end, -rng.int(10, 500));
        if (on > signedOn) {
          hospitalChanges.push(on);
          ev(id, combination, 'change_hospitals', 'resident', on, { reason: '就医方便' });
        }
      }

      let status = 'active';
      let terminatedOn: string | null = null;
      let initiator: string | null = null;
      let reason: string | null = null;
      if (p.death_date) {
        status = 'terminated';
        terminatedOn = later(p.death_date, signedOn);
        initiator = 'system';
        reason = '居民死亡';
      } else if (rng.chance(0.04)) {
        const [r, who] = rng.pick(TERMINATION_REASONS);
        status = 'terminated';
        terminatedOn = addDays(asOf, -rng.int(1, 400));
        if (terminatedOn < cycleStart) terminatedOn = cycleStart;
        initiator = who;
        reason = r;
      }
      if (terminatedOn) ev(id, combination, 'terminate', initiator as string, terminatedOn, { reason: reason as string });

      const elderly = age >= 65;
      // Sealed like every phone (contacts.ts): the masked list in clear, the numbers in the SM4 token.
      const contacts = sealContacts(
        ctx.keys,
        rng.chance(0.6)
          ? [{ name: '家属', phone: `139${String(rng.int(0, 99_999_999)).padStart(8, '0')}`, relation: rng.pick(['配偶', '子女', '父母', '其他']) }]
          : [],
      );
      contracts.push([
        id,
        p.id,
        chc,
        doctor,
        team.id,
        combination.dh,
        combination.ch,
        scope.district,
        scope.street,
        signedOn,
        cycleStart,
        cycleEndOn,
        years,
        doctorSince,
        pgArray(doctorChanges),
        pgArray(hospitalChanges),
        channel,
        status,
        terminatedOn,
        initiator,
        reason,
        pgArray(previousId ? ['线下变更签约'] : []),
        previousId,
        contacts.emergency_contacts,
        rng.chance(0.3) ? `https://reports.weijian.example/ha/${id}.pdf` : null,
        elderly && rng.chance(0.5) ? `https://reports.weijian.example/pe/${id}.pdf` : null,
        operator,
        contacts.emergency_contacts_enc,
      ]);
      events.push(...history);
      if (status === 'active') care.push([p.id, team.id, doctor]);

      // Visits at the contracted centre over the last two years: more for the old.
      const n = Math.min(12, Math.floor(-Math.log(1 - rng.next()) * (elderly ? 3 : 1.2)));
      for (let k = 0; k < n; k++) {
        const on = addDays(end, -rng.int(0, 730));
        visits.push([visitId++, p.id, chc, on, scope.district, scope.street]);
      }
    }

    await db.copyRows('fd_contract', CONTRACT_COLUMNS, contracts);
    await db.copyRows('fd_contract_event', EVENT_COLUMNS, events);
    await db.copyRows('fd_visit', VISIT_COLUMNS, visits);
    await assignCareBulk(ctx, care);
    done += people.length;
    ctx.progress('家庭医生签约', done, total);
  }
  for (const t of ['fd_contract', 'fd_contract_event', 'fd_visit']) {
    await db.query(`select setval(pg_get_serial_sequence('${t}', 'id'), greatest((select max(id) from ${t}), 1))`);
  }
  await generateWorldAgreements(ctx);
}

/**
 * The resident index's care assignment (person.team_id / doctor_id) for the contracts in force, in one
 * statement per batch. The request path uses resident-index `assignCare`; the generator needs a set-based
 * form of it — to move behind a resident-index service (`assignCareBulk`) when that module offers one.
 */
async function assignCareBulk(ctx: WorldContext, care: [number, number, number][]): Promise<void> {
  if (care.length === 0) return;
  await ctx.db.query(
    `update person p set team_id = c.team_id, doctor_id = c.doctor_id
       from unnest($1::bigint[], $2::bigint[], $3::bigint[]) as c(person_id, team_id, doctor_id)
      where p.id = c.person_id`,
    [care.map((c) => c[0]), care.map((c) => c[1]), care.map((c) => c[2])],
  );
}
