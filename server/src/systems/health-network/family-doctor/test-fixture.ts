import { deflateSync } from 'node:zlib';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { residentBody, seedDivisions } from '../../common/resident-index/test-fixture.ts';

/**
 * Two community health service centres of 徐汇 (天平路 A, 湖南路 B) with family doctors and teams, two
 * district and two city hospitals, and residents registered through the resident index (天平路街道, so
 * centre A manages them).
 */
export const IDS = {
  chcA: 7001,
  chcB: 7002,
  dh1: 7011,
  dh2: 7012,
  ch1: 7021,
  ch2: 7022,
  docA1: 7101,
  docA2: 7102,
  docB1: 7103,
  nurseA: 7104,
  teamA1: 7201,
  teamA2: 7202,
  teamB1: 7203,
} as const;

export async function seedNetwork(t: TestApp): Promise<void> {
  await seedDivisions(t);
  const I = IDS;
  await t.kernel.db.exec(`
    insert into institution (id, code, name, kind, level, district_code, street_code) values
      (${I.chcA}, 'FD-CHC-A', '天平街道社区卫生服务中心', 'chc', 1, '310104', '310104003'),
      (${I.chcB}, 'FD-CHC-B', '湖南街道社区卫生服务中心', 'chc', 1, '310104', '310104004'),
      (${I.dh1}, 'FD-DH-1', '徐汇区中心医院', 'district_hospital', 2, '310104', null),
      (${I.dh2}, 'FD-DH-2', '徐汇区大华医院', 'district_hospital', 2, '310104', null),
      (${I.ch1}, 'FD-CH-1', '市第六人民医院', 'city_hospital', 3, '310104', null),
      (${I.ch2}, 'FD-CH-2', '中山医院', 'city_hospital', 3, '310104', null);
    insert into practitioner (id, institution_id, name, sex, district_code, street_code, is_family_doctor) values
      (${I.docA1}, ${I.chcA}, '王医生', 'F', '310104', '310104003', true),
      (${I.docA2}, ${I.chcA}, '李医生', 'M', '310104', '310104003', true),
      (${I.docB1}, ${I.chcB}, '赵医生', 'F', '310104', '310104004', true),
      (${I.nurseA}, ${I.chcA}, '钱护士', 'F', '310104', '310104003', false);
    insert into team (id, institution_id, name, leader_id, district_code, street_code) values
      (${I.teamA1}, ${I.chcA}, '王医生团队', ${I.docA1}, '310104', '310104003'),
      (${I.teamA2}, ${I.chcA}, '李医生团队', ${I.docA2}, '310104', '310104003'),
      (${I.teamB1}, ${I.chcB}, '赵医生团队', ${I.docB1}, '310104', '310104004');
    insert into team_member (team_id, practitioner_id, member_role) values
      (${I.teamA1}, ${I.docA1}, 'leader'), (${I.teamA1}, ${I.nurseA}, 'nurse'), (${I.teamA2}, ${I.docA2}, 'leader'), (${I.teamB1}, ${I.docB1}, 'leader');
  `);
}

type Res = Awaited<ReturnType<TestApp['call']>>;

export interface Fd {
  t: TestApp;
  admin: TestSession;
  resident(birth?: string, over?: Record<string, unknown>): Promise<number>;
  sign(personId: number, over?: Record<string, unknown>, s?: TestSession): Promise<Res>;
  post(url: string, payload: object, s?: TestSession): Promise<Res>;
  get(url: string, s?: TestSession): Promise<Res>;
  /** Moves a contract's dates (tests of time-bound rules), as the superuser. */
  setDates(contractId: number, cols: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export const signBody = (personId: number, over: Record<string, unknown> = {}) => ({
  personId,
  institutionId: IDS.chcA,
  teamId: IDS.teamA1,
  doctorId: IDS.docA1,
  districtHospitalId: IDS.dh1,
  cityHospitalId: IDS.ch1,
  channel: 'offline',
  emergencyContacts: [{ name: '张小三', phone: '13900001111', relation: '子女' }],
  ...over,
});

export async function fdApp(): Promise<Fd> {
  const t = await testApp();
  const admin = await t.loginAs('city_admin');
  await seedNetwork(t);
  const call = (s: TestSession, o: Parameters<TestApp['call']>[1]) => t.call(s, o);
  return {
    t,
    admin,
    async resident(birth = '1980-05-17', over = {}) {
      const r = await call(admin, { method: 'POST', url: '/api/v1/residents', payload: residentBody(over, birth) });
      if (r.statusCode !== 201) throw new Error(`resident: ${r.statusCode} ${r.body}`);
      return r.json().id;
    },
    sign: (personId, over = {}, s = admin) => call(s, { method: 'POST', url: '/api/v1/family-doctor/contracts', payload: signBody(personId, over) }),
    post: (url, payload, s = admin) => call(s, { method: 'POST', url: `/api/v1/family-doctor${url}`, payload }),
    get: (url, s = admin) => call(s, { method: 'GET', url: `/api/v1/family-doctor${url}` }),
    async setDates(contractId, cols) {
      const keys = Object.keys(cols);
      await t.kernel.db.query(`update fd_contract set ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} where id = $1`, [
        contractId,
        ...keys.map((k) => cols[k]),
      ]);
    },
    close: () => t.close(),
  };
}

/** A real PNG (w × h, one colour), base64: what a signature pad would upload. */
export function pngBase64(w = 8, h = 4, grey = 0): string {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) raw.fill(grey, y * (w + 1) + 1, (y + 1) * (w + 1));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}
