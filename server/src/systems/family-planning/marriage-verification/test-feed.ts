import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';

/**
 * Tests: the world's marriages (fp_marriage) as the 民政 platform would send them (its columns,
 * identity numbers in clear). `where` filters fp_marriage m (trusted SQL, never user input).
 */
export async function marriageFeedOf(db: Queryable, keys: KeyRing, where = 'true', limit = 1000): Promise<Record<string, unknown>[]> {
  const rows = await db.query<Record<string, string | null>>(
    `select m.id, m.registered_on::text as reg, m.district_code, h.name as h_name, h.id_number_enc as h_id, h.birth_date::text as h_birth, h.hukou_district as h_hukou,
            w.name as w_name, w.id_number_enc as w_id, w.birth_date::text as w_birth, w.hukou_district as w_hukou
       from fp_marriage m join person h on h.id = m.husband_person_id join person w on w.id = m.wife_person_id
      where (${where}) order by m.id limit ${limit}`,
  );
  return rows.map((r) => ({
    DJZH: `J${r.district_code}-${String(r.reg).slice(0, 4)}-${String(r.id).padStart(7, '0')}`,
    YWLX: 'IA',
    DJRQ: String(r.reg).replace(/-/g, ''),
    DJJGDM: r.district_code,
    DJJGMC: '区民政局婚姻登记处',
    NFXM: r.h_name,
    NFZJHM: keys.decryptField(String(r.h_id)),
    NFCSRQ: r.h_birth,
    NFHJQH: r.h_hukou ?? '',
    NVXM: r.w_name,
    NVZJHM: keys.decryptField(String(r.w_id)),
    NVCSRQ: r.w_birth,
    NVHJQH: r.w_hukou ?? '',
  }));
}
