import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';

/**
 * The world's 市妇幼 birth records as the 市妇幼 interface would send them (its column names, the
 * parents' identity numbers in clear, the mother's residence street): what the demo world and the
 * tests feed through the intake. `where` filters fp_birth_record r (trusted SQL, never user input).
 */
export async function mchFeedOf(db: Queryable, keys: KeyRing, where = 'true'): Promise<Record<string, unknown>[]> {
  const rows = await db.query<Record<string, string | number | null>>(
    `select r.certificate_no, r.child_name, c.sex, r.birth_date, r.hospital, r.claimed_birth_order,
            m.name as m_name, m.id_number_enc as m_id, m.residence_street as street, m.address,
            f.name as f_name, f.id_number_enc as f_id
       from fp_birth_record r join person c on c.id = r.child_person_id join person m on m.id = r.mother_person_id
       left join person f on f.id = r.father_person_id
      where r.source = 'mch' and (${where}) order by r.id`,
  );
  return rows.map((r) => ({
    CSYXZMBH: r.certificate_no,
    XSEXM: r.child_name,
    XSEXB: r.sex === 'M' ? '1' : '2',
    CSRQ: r.birth_date,
    CSTZ: '3300',
    JSJGMC: r.hospital,
    HC: r.claimed_birth_order === null ? '' : String(r.claimed_birth_order),
    MQXM: r.m_name,
    MQZJHM: keys.decryptField(String(r.m_id)),
    FQXM: r.f_name ?? '',
    FQZJHM: r.f_id ? keys.decryptField(String(r.f_id)) : '',
    JZDZ: r.address ?? '',
    JZJDDM: r.street ?? '',
  }));
}
