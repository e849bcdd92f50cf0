import type { TestApp, TestSession } from '../../../test/harness.ts';
import { importDivisions } from '../master-data/import-divisions.ts';
import { makeResidentId } from '../master-data/test-support.ts';

/** A few streets and 居委 of 黄浦 and 徐汇, and a 社区卫生服务中心 for 天平路街道. */
export const DIVISIONS = `code,name,parent_code
310101002,南京东路街道,310101
310101013,外滩街道,310101
310104003,天平路街道,310104
310104004,湖南路街道,310104
310101002001,贵州居委会,310101002
310104003001,东湖居委会,310104003
`;

export async function seedDivisions(t: TestApp): Promise<void> {
  await t.kernel.db.transaction((tx) => importDivisions(tx, DIVISIONS));
}

export async function seedChc(t: TestApp, admin: TestSession, street = '310104003'): Promise<number> {
  const r = await t.call(admin, {
    method: 'POST',
    url: '/api/v1/institutions',
    payload: { code: `CHC${street}`, name: '天平街道社区卫生服务中心', kind: 'chc', level: 1, districtCode: street.slice(0, 6), streetCode: street },
  });
  if (r.statusCode !== 201) throw new Error(`seed chc: ${r.statusCode} ${r.body}`);
  return r.json().id;
}

let seq = 100;
/** A fresh resident body with a valid ID number (birth 1980-05-17 unless given). */
export function residentBody(over: Record<string, unknown> = {}, birth = '1980-05-17', male = true) {
  seq += 2;
  const s = String(male ? seq + 1 : seq).padStart(3, '0');
  const idNumber = makeResidentId('310104', birth, s);
  return {
    idNumber,
    name: '张三',
    sex: male ? 'M' : 'F',
    birthDate: birth,
    residenceDistrict: '310104',
    residenceStreet: '310104003',
    phone: `139${String(10_000_000 + seq).slice(-8)}`,
    address: '天平路 100 弄 5 号 301 室',
    ...over,
  };
}
