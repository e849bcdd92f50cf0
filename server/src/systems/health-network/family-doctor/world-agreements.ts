import type { Queryable } from '../../../platform/db/types.ts';
import type { WorldContext } from '../../../platform/world/types.ts';
import { namesOf } from '../../common/master-data/service.ts';
import { agreementSnapshot, currentTemplate } from './agreement.ts';
import type { ContractRow } from './repository.ts';

const BATCH = 20_000;

export const AGREEMENT_COLUMNS = [
  'id',
  'contract_id',
  'person_id',
  'seq',
  'cycle_start',
  'cycle_end',
  'template_id',
  'reason',
  'snapshot',
  'created_by_name',
  'district_code',
  'street_code',
  'institution_id',
  'team_id',
  'doctor_id',
] as const;

type Row = Pick<
  ContractRow,
  | 'id'
  | 'person_id'
  | 'institution_id'
  | 'team_id'
  | 'doctor_id'
  | 'district_hospital_id'
  | 'city_hospital_id'
  | 'district_code'
  | 'street_code'
  | 'signed_on'
  | 'cycle_start'
  | 'cycle_end'
  | 'cycle_years'
  | 'channel'
  | 'operator_name'
> & { name: string | null; id_number_mask: string | null };

/**
 * Demo world: every generated contract gets the agreement of its current cycle (seq 1; 续约生成 when the
 * cycle began after signing), as the request path would have made it — a snapshot row only, the PDF is
 * drawn on download. Ids follow the contract ids, so the world stays deterministic.
 */
export async function generateWorldAgreements(ctx: WorldContext): Promise<number> {
  const db: Queryable = ctx.db;
  const t = await currentTemplate(db);
  const { n: total } = (await db.query<{ n: number }>('select count(*)::int as n from fd_contract'))[0]!;
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = await db.query<Row>(
      `select c.id, c.person_id, c.institution_id, c.team_id, c.doctor_id, c.district_hospital_id, c.city_hospital_id, c.district_code, c.street_code,
              c.signed_on::text as signed_on, c.cycle_start::text as cycle_start, c.cycle_end::text as cycle_end, c.cycle_years, c.channel, c.operator_name,
              p.name, p.id_number_mask
         from fd_contract c left join person p on p.id = c.person_id
        where c.id > $1 order by c.id limit $2`,
      [after, BATCH],
    );
    if (rows.length === 0) break;
    const names = await namesOf(
      { tx: db },
      {
        institutions: rows.flatMap((r) => [r.institution_id, r.district_hospital_id, r.city_hospital_id]),
        teams: rows.map((r) => r.team_id),
        practitioners: rows.map((r) => r.doctor_id),
      },
    );
    const inst = (id: number | null) => (id == null ? null : (names.institutions.get(Number(id)) ?? null));
    const out = rows.map((r) => {
      const snapshot = agreementSnapshot(t, r, {
        residentName: r.name,
        idNumberMasked: r.id_number_mask,
        institutionName: inst(r.institution_id),
        teamName: r.team_id == null ? null : (names.teams.get(Number(r.team_id)) ?? null),
        doctorName: names.practitioners.get(Number(r.doctor_id)) ?? null,
        districtHospitalName: inst(r.district_hospital_id),
        cityHospitalName: inst(r.city_hospital_id),
      });
      return [
        r.id,
        r.id,
        r.person_id,
        1,
        r.cycle_start,
        r.cycle_end,
        t.id,
        r.cycle_start > r.signed_on ? 'renew' : 'sign',
        JSON.stringify(snapshot),
        r.operator_name,
        r.district_code,
        r.street_code,
        r.institution_id,
        r.team_id,
        r.doctor_id,
      ] as const;
    });
    await ctx.db.copyRows('fd_agreement', AGREEMENT_COLUMNS, out);
    after = Number(rows[rows.length - 1]!.id);
    done += rows.length;
    ctx.progress('家庭医生协议书', done, total);
  }
  await db.query(`select setval(pg_get_serial_sequence('fd_agreement', 'id'), greatest((select max(id) from fd_agreement), 1))`);
  return done;
}
