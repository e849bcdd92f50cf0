import type { Queryable } from '../../../platform/db/types.ts';
import { dateOfDay, dayNumber, landline, mobilePhone, originRegion, ResidentIdIssuer, shanghaiBirthRegion } from '../../../platform/world/identity.ts';
import { personName } from '../../../platform/world/names.ts';
import { shuffled, uniform, WeightedTable } from '../../../platform/world/rng.ts';
import { DISTRICTS, type DistrictFacts, roadName, SHANGHAI_CITY_CODE, streetKind } from '../../../platform/world/shanghai.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { maskPhone, maskResidentId } from '../../../platform/util/resident-id.ts';

/**
 * Demo-world stage of the master data: streets (imported ones when present), 居委, about 250 community
 * health service centres, about 300 hospitals, their departments, about 12,000 practitioners and the
 * family-doctor teams of every centre with the 居委 each team looks after.
 */
export const masterDataWorld: WorldStage = {
  name: 'master-data',
  order: 10,
  title: '主数据（街镇、居委、医疗机构、医务人员、家庭医生团队）',
  tables: [
    {
      table: 'region',
      orderBy: 'code collate "C"',
      columns: ['code', 'name', 'level', 'parent_code', 'district_code', 'street_code', 'kind', 'source'],
      where: "source = 'world'",
    },
    {
      table: 'institution',
      orderBy: 'id',
      columns: [
        'id',
        'code',
        'name',
        'short_name',
        'kind',
        'level',
        'grade',
        'category',
        'ownership',
        'parent_id',
        'district_code',
        'street_code',
        'address',
        'phone',
        'lng',
        'lat',
        'active',
      ],
    },
    { table: 'department', orderBy: 'id', columns: ['id', 'institution_id', 'code', 'name', 'district_code'] },
    {
      table: 'practitioner',
      orderBy: 'id',
      columns: [
        'id',
        'institution_id',
        'department_id',
        'name',
        'sex',
        'birth_date',
        'id_number_enc',
        'id_number_mask',
        'qualification_no',
        'practice_cert_no',
        'practice_category',
        'practice_scope',
        'title',
        'is_family_doctor',
        'phone_enc',
        'phone_mask',
        'district_code',
        'street_code',
        'active',
      ],
      sealed: ['id_number_enc', 'phone_enc'],
    },
    { table: 'team', orderBy: 'id', columns: ['id', 'institution_id', 'name', 'leader_id', 'district_code', 'street_code', 'active'] },
    { table: 'team_member', orderBy: 'team_id, practitioner_id', columns: ['team_id', 'practitioner_id', 'member_role'] },
    { table: 'team_community', orderBy: 'team_id, community_code', columns: ['team_id', 'community_code'] },
  ],
  run: generateMasterData,
};

const STAGE = 'master-data';
/** About this many practitioners in the whole world, whatever the number of residents. */
export const PRACTITIONER_TARGET = 12_000;
/** About this many community health service centres (Shanghai has ~250). */
const CHC_TARGET = 250;

interface Street {
  code: string;
  name: string;
  district: DistrictFacts;
  kind: string;
  /** Relative population inside the district. */
  weight: number;
  communities: string[];
  chcs: Inst[];
}

interface Inst {
  id: number;
  code: string;
  name: string;
  shortName: string;
  kind: 'chc' | 'district_hospital' | 'city_hospital' | 'specialist_hospital' | 'other';
  level: number | null;
  grade: string | null;
  category: string;
  ownership: string;
  parentId: number | null;
  district: DistrictFacts;
  street: Street;
  /** Department template. */
  depts: readonly DeptKey[];
  /** Practitioners before scaling. */
  staff: number;
  /** CHC: the 居委 it serves. */
  communities: string[];
}

// ———————————————————————————————————————— departments ————————————————————————————————————————

interface DeptDef {
  code: string;
  name: string;
  scope: string;
  category: '临床' | '中医' | '口腔' | '公共卫生';
  /** Relative headcount. */
  size: number;
}

/** 诊疗科目 (codes after the national 医疗机构诊疗科目名录) with the 执业范围 of the doctors working there. */
const DEPTS = {
  gp: { code: '02', name: '全科医学科', scope: '全科医学专业', category: '临床', size: 3 },
  prevention: { code: '01', name: '预防保健科', scope: '公共卫生类别专业', category: '公共卫生', size: 1 },
  internal: { code: '03', name: '内科', scope: '内科专业', category: '临床', size: 5 },
  resp: { code: '03.01', name: '呼吸内科', scope: '内科专业', category: '临床', size: 3 },
  gastro: { code: '03.02', name: '消化内科', scope: '内科专业', category: '临床', size: 3 },
  neuro: { code: '03.03', name: '神经内科', scope: '内科专业', category: '临床', size: 3 },
  cardio: { code: '03.04', name: '心血管内科', scope: '内科专业', category: '临床', size: 4 },
  hema: { code: '03.05', name: '血液内科', scope: '内科专业', category: '临床', size: 2 },
  nephro: { code: '03.06', name: '肾内科', scope: '内科专业', category: '临床', size: 2 },
  endo: { code: '03.07', name: '内分泌科', scope: '内科专业', category: '临床', size: 2 },
  surgery: { code: '04', name: '外科', scope: '外科专业', category: '临床', size: 4 },
  general_surgery: { code: '04.01', name: '普外科', scope: '外科专业', category: '临床', size: 4 },
  neurosurgery: { code: '04.02', name: '神经外科', scope: '外科专业', category: '临床', size: 2 },
  ortho: { code: '04.03', name: '骨科', scope: '外科专业', category: '临床', size: 3 },
  urology: { code: '04.04', name: '泌尿外科', scope: '外科专业', category: '临床', size: 2 },
  thoracic: { code: '04.05', name: '胸外科', scope: '外科专业', category: '临床', size: 2 },
  cardiac_surgery: { code: '04.06', name: '心脏大血管外科', scope: '外科专业', category: '临床', size: 2 },
  obgyn: { code: '05', name: '妇产科', scope: '妇产科专业', category: '临床', size: 3 },
  gyn: { code: '05.01', name: '妇科', scope: '妇产科专业', category: '临床', size: 3 },
  obstetrics: { code: '05.02', name: '产科', scope: '妇产科专业', category: '临床', size: 3 },
  family_planning: { code: '05.03', name: '计划生育科', scope: '妇产科专业', category: '临床', size: 1 },
  women_health: { code: '06', name: '妇女保健科', scope: '妇产科专业', category: '临床', size: 1 },
  pediatrics: { code: '07', name: '儿科', scope: '儿科专业', category: '临床', size: 3 },
  neonatal: { code: '07.01', name: '新生儿科', scope: '儿科专业', category: '临床', size: 2 },
  ped_surgery: { code: '08', name: '小儿外科', scope: '外科专业', category: '临床', size: 2 },
  child_health: { code: '09', name: '儿童保健科', scope: '儿科专业', category: '临床', size: 1 },
  ophthalmology: { code: '10', name: '眼科', scope: '眼耳鼻咽喉科专业', category: '临床', size: 2 },
  ent: { code: '11', name: '耳鼻咽喉科', scope: '眼耳鼻咽喉科专业', category: '临床', size: 2 },
  dental: { code: '12', name: '口腔科', scope: '口腔专业', category: '口腔', size: 2 },
  dental_internal: { code: '12.01', name: '口腔内科', scope: '口腔专业', category: '口腔', size: 3 },
  oral_surgery: { code: '12.02', name: '口腔颌面外科', scope: '口腔专业', category: '口腔', size: 2 },
  prosthodontics: { code: '12.03', name: '口腔修复科', scope: '口腔专业', category: '口腔', size: 2 },
  orthodontics: { code: '12.04', name: '口腔正畸科', scope: '口腔专业', category: '口腔', size: 2 },
  dermatology: { code: '13', name: '皮肤科', scope: '皮肤病与性病专业', category: '临床', size: 2 },
  psychiatry: { code: '15', name: '精神科', scope: '精神卫生专业', category: '临床', size: 5 },
  psychology: { code: '15.01', name: '临床心理科', scope: '精神卫生专业', category: '临床', size: 1 },
  infectious: { code: '16', name: '感染科', scope: '内科专业', category: '临床', size: 2 },
  tuberculosis: { code: '17', name: '结核病科', scope: '内科专业', category: '临床', size: 2 },
  oncology: { code: '19', name: '肿瘤科', scope: '肿瘤专业', category: '临床', size: 3 },
  radiotherapy: { code: '19.01', name: '放射治疗科', scope: '医学影像和放射治疗专业', category: '临床', size: 2 },
  emergency: { code: '20', name: '急诊科', scope: '急救医学专业', category: '临床', size: 3 },
  rehab: { code: '21', name: '康复医学科', scope: '康复医学专业', category: '临床', size: 1 },
  anesthesia: { code: '26', name: '麻醉科', scope: '外科专业', category: '临床', size: 3 },
  icu: { code: '28', name: '重症医学科', scope: '重症医学专业', category: '临床', size: 2 },
  lab: { code: '30', name: '检验科', scope: '医学检验、病理专业', category: '临床', size: 1 },
  pathology: { code: '31', name: '病理科', scope: '医学检验、病理专业', category: '临床', size: 1 },
  imaging: { code: '32', name: '医学影像科', scope: '医学影像和放射治疗专业', category: '临床', size: 2 },
  tcm: { code: '50', name: '中医科', scope: '中医专业', category: '中医', size: 2 },
  tcm_internal: { code: '50.01', name: '中医内科', scope: '中医专业', category: '中医', size: 5 },
  tcm_surgery: { code: '50.02', name: '中医外科', scope: '中医专业', category: '中医', size: 2 },
  tcm_gyn: { code: '50.03', name: '中医妇科', scope: '中医专业', category: '中医', size: 2 },
  tcm_ped: { code: '50.04', name: '中医儿科', scope: '中医专业', category: '中医', size: 2 },
  tcm_bone: { code: '50.10', name: '中医骨伤科', scope: '中医专业', category: '中医', size: 2 },
  acupuncture: { code: '50.12', name: '针灸科', scope: '中医专业', category: '中医', size: 2 },
  tuina: { code: '50.13', name: '推拿科', scope: '中医专业', category: '中医', size: 2 },
  integrative: { code: '52', name: '中西医结合科', scope: '中西医结合专业', category: '中医', size: 2 },
  geriatrics: { code: '03.12', name: '老年医学科', scope: '内科专业', category: '临床', size: 3 },
} as const satisfies Record<string, DeptDef>;

type DeptKey = keyof typeof DEPTS;

const TEMPLATES = {
  general3: [
    'cardio',
    'resp',
    'gastro',
    'neuro',
    'endo',
    'nephro',
    'hema',
    'geriatrics',
    'general_surgery',
    'ortho',
    'neurosurgery',
    'urology',
    'thoracic',
    'cardiac_surgery',
    'gyn',
    'obstetrics',
    'pediatrics',
    'ophthalmology',
    'ent',
    'dental',
    'dermatology',
    'infectious',
    'oncology',
    'emergency',
    'icu',
    'anesthesia',
    'rehab',
    'tcm',
    'gp',
    'imaging',
    'lab',
    'pathology',
  ],
  general2: [
    'internal',
    'cardio',
    'surgery',
    'ortho',
    'obgyn',
    'pediatrics',
    'ophthalmology',
    'ent',
    'dental',
    'dermatology',
    'emergency',
    'anesthesia',
    'rehab',
    'tcm',
    'gp',
    'imaging',
    'lab',
  ],
  general1: ['internal', 'surgery', 'gp', 'tcm', 'rehab', 'imaging', 'lab'],
  tcm: ['tcm_internal', 'tcm_surgery', 'tcm_gyn', 'tcm_ped', 'tcm_bone', 'acupuncture', 'tuina', 'integrative', 'emergency', 'imaging', 'lab'],
  integrative: ['integrative', 'tcm_internal', 'cardio', 'general_surgery', 'ortho', 'gyn', 'acupuncture', 'emergency', 'icu', 'imaging', 'lab'],
  mch: ['gyn', 'obstetrics', 'family_planning', 'women_health', 'pediatrics', 'neonatal', 'child_health', 'anesthesia', 'imaging', 'lab'],
  psych: ['psychiatry', 'psychology', 'geriatrics', 'lab'],
  chest: ['thoracic', 'resp', 'cardio', 'oncology', 'cardiac_surgery', 'anesthesia', 'icu', 'imaging', 'lab', 'pathology'],
  cancer: ['oncology', 'general_surgery', 'thoracic', 'gyn', 'radiotherapy', 'anesthesia', 'imaging', 'lab', 'pathology'],
  children: ['pediatrics', 'neonatal', 'ped_surgery', 'child_health', 'emergency', 'icu', 'anesthesia', 'imaging', 'lab'],
  women: ['gyn', 'obstetrics', 'family_planning', 'neonatal', 'anesthesia', 'imaging', 'lab', 'pathology'],
  eent: ['ophthalmology', 'ent', 'anesthesia', 'imaging', 'lab'],
  eye: ['ophthalmology', 'lab'],
  oral: ['dental_internal', 'oral_surgery', 'prosthodontics', 'orthodontics', 'imaging'],
  lung: ['resp', 'tuberculosis', 'thoracic', 'icu', 'imaging', 'lab', 'pathology'],
  skin: ['dermatology', 'lab'],
  infection: ['infectious', 'tuberculosis', 'icu', 'resp', 'imaging', 'lab'],
  bone: ['ortho', 'rehab', 'anesthesia', 'imaging'],
  rehab: ['rehab', 'geriatrics', 'tcm'],
  nursing: ['geriatrics', 'internal', 'rehab', 'tcm'],
  heart: ['cardio', 'cardiac_surgery', 'anesthesia', 'icu', 'imaging', 'lab'],
  chc: ['gp', 'tcm', 'prevention', 'rehab', 'dental', 'imaging'],
} as const satisfies Record<string, readonly DeptKey[]>;

// ———————————————————————————————————————— names ————————————————————————————————————————

/** Invented names for the large general hospitals (any likeness to a real one is by chance). */
const CITY_GENERAL = ['春申', '申江', '浦江', '淞沪', '明珠', '海上', '东海', '江海', '云间', '沪滨', '申城', '华亭', '长江', '黄歇'];
const UNIVERSITIES = ['申城医科大学附属', '沪江大学医学院附属', '华东医学院附属', '东海大学附属'];
const CITY_SPECIALIST: readonly (readonly [string, keyof typeof TEMPLATES, string])[] = [
  ['胸科医院', 'chest', '专科'],
  ['肿瘤医院', 'cancer', '专科'],
  ['儿童医院', 'children', '妇幼'],
  ['儿童医学中心', 'children', '妇幼'],
  ['妇产科医院', 'women', '妇幼'],
  ['第一妇婴保健院', 'women', '妇幼'],
  ['国际妇幼保健院', 'women', '妇幼'],
  ['眼耳鼻喉科医院', 'eent', '专科'],
  ['精神卫生中心', 'psych', '精神'],
  ['口腔医院', 'oral', '专科'],
  ['肺科医院', 'lung', '专科'],
  ['皮肤病医院', 'skin', '专科'],
  ['公共卫生临床中心', 'infection', '专科'],
  ['胸痛中心医院', 'heart', '专科'],
  ['老年医学中心', 'nursing', '护理'],
  ['眼病防治中心', 'eye', '专科'],
  ['康复医学中心', 'rehab', '康复'],
];
const CITY_TCM = ['岐黄中医医院', '春申中医医院', '浦江中医医院', '申江中西医结合医院'];
const BRANCH_SIDES = ['北院', '南院', '东院', '西院', '新城分院', '临港院区'];
const PRIVATE_BRANDS = [
  '康华',
  '安和',
  '博爱',
  '永慈',
  '德济',
  '天佑',
  '恒康',
  '明德',
  '同康',
  '福寿',
  '惠民',
  '济华',
  '仁和',
  '瑞安',
  '嘉禾',
  '泰和',
  '寿康',
  '慈航',
  '宏康',
  '长乐',
  '益寿',
  '爱康',
  '民康',
  '新华康',
  '华康',
  '安贞',
  '健桥',
  '宁康',
  '颐和',
  '静德',
  '春晖',
  '锦康',
  '美仁',
  '万康',
  '博康',
  '永和',
];
const PRIVATE_SPECIALTIES: readonly (readonly [string, keyof typeof TEMPLATES, string, number])[] = [
  ['眼科医院', 'eye', '专科', 3],
  ['口腔医院', 'oral', '专科', 4],
  ['骨科医院', 'bone', '专科', 2],
  ['妇产医院', 'women', '妇幼', 2],
  ['康复医院', 'rehab', '康复', 3],
  ['护理院', 'nursing', '护理', 4],
  ['肿瘤医院', 'cancer', '专科', 1],
  ['心血管病医院', 'heart', '专科', 1],
  ['中医医院', 'tcm', '中医', 2],
  ['皮肤病医院', 'skin', '专科', 1],
  ['儿科医院', 'children', '妇幼', 1],
  ['耳鼻喉医院', 'eent', '专科', 1],
  ['精神病医院', 'psych', '精神', 1],
];

const COMMUNITY_A = [
  '康',
  '乐',
  '华',
  '新',
  '民',
  '安',
  '福',
  '和',
  '平',
  '东',
  '南',
  '西',
  '北',
  '中',
  '兴',
  '龙',
  '锦',
  '绿',
  '荣',
  '盛',
  '泰',
  '嘉',
  '宁',
  '德',
  '春',
  '秋',
  '梅',
  '兰',
  '竹',
  '菊',
  '桂',
  '枫',
  '丽',
  '翠',
  '景',
  '明',
  '光',
  '金',
  '银',
  '宝',
  '瑞',
  '祥',
  '云',
  '海',
  '江',
  '虹',
  '湖',
  '林',
  '桥',
  '园',
  '永',
  '长',
  '富',
  '顺',
  '百',
  '万',
  '清',
  '星',
  '阳',
  '晨',
];
const COMMUNITY_SUFFIX = ['新村', '苑', '花园', '小区', '坊', '里', '家园', '公寓', '城', '路', '一村', '二村', '三村', '居'];
const VILLAGE_A = [
  '张',
  '王',
  '李',
  '陆',
  '沈',
  '顾',
  '朱',
  '徐',
  '周',
  '钱',
  '姚',
  '施',
  '蔡',
  '杨',
  '金',
  '黄',
  '新',
  '红',
  '联',
  '胜',
  '光',
  '永',
  '民',
  '向',
  '东',
  '南',
  '西',
  '北',
  '中',
  '建',
  '合',
  '兴',
  '丰',
  '裕',
  '华',
  '港',
  '泾',
  '浜',
  '塘',
  '桥',
];
const VILLAGE_B = ['家', '宅', '浜', '桥', '泾', '港', '星', '明', '利', '丰', '庄', '村', '湾', '圩', '墩', '埭', '角', '园', '华', '兴'];

function baseName(street: string): string {
  return street.replace(/(街道|镇|乡)$/, '');
}

/** Where streets are 开发区/工业区/农场 units of the statistics list, nobody lives (in the demo world). */
function habitable(name: string, kind: string): boolean {
  return kind !== '其他' || !/(开发区|工业区|园区|农场|经济区|保税区|管委会)$/.test(name);
}

// ———————————————————————————————————————— the stage ————————————————————————————————————————

async function generateMasterData(ctx: WorldContext): Promise<void> {
  const { db } = ctx;
  await db.transaction(async (tx) => {
    const streets = await regions(ctx, tx);
    const insts = institutions(ctx, streets, await nextId(tx, 'institution'));
    await writeInstitutions(ctx, tx, insts);
    ctx.progress('医疗机构', insts.length, insts.length);
    const depts = await writeDepartments(tx, insts, await nextId(tx, 'department'));
    const staff = await writePractitioners(ctx, tx, insts, depts, await nextId(tx, 'practitioner'));
    await writeTeams(ctx, tx, insts, staff, await nextId(tx, 'team'));
    for (const t of ['institution', 'department', 'practitioner', 'team']) {
      await tx.query(`select setval(pg_get_serial_sequence('${t}', 'id'), greatest((select max(id) from ${t}), 1))`);
    }
  });
}

async function nextId(tx: Queryable, table: string): Promise<number> {
  const [r] = await tx.query<{ n: number }>(`select (coalesce(max(id), 0) + 1)::int as n from ${table}`);
  return r!.n;
}

/** City and districts (built in, normally already there), streets and 居委; returns the habitable streets. */
async function regions(ctx: WorldContext, tx: Queryable): Promise<Street[]> {
  const rng = ctx.rng(`${STAGE}/regions`);
  await tx.query(
    `insert into region (code, name, level, parent_code, district_code, source)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     on conflict (code) do nothing`,
    [
      [SHANGHAI_CITY_CODE, ...DISTRICTS.map((d) => d.code)],
      ['上海市', ...DISTRICTS.map((d) => d.name)],
      ['city', ...DISTRICTS.map(() => 'district')],
      [null, ...DISTRICTS.map(() => SHANGHAI_CITY_CODE)],
      [null, ...DISTRICTS.map((d) => d.code)],
      ['builtin', ...DISTRICTS.map(() => 'builtin')],
    ],
  );
  const known = await tx.query<{ code: string; name: string; district_code: string; kind: string | null }>(
    `select code, name, district_code, kind from region where level = 'street' order by code collate "C"`,
  );
  const knownCommunities = await tx.query<{ code: string; street_code: string }>(
    `select code, street_code from region where level = 'community' order by code collate "C"`,
  );
  const communitiesOf = new Map<string, string[]>();
  for (const c of knownCommunities) communitiesOf.set(c.street_code, [...(communitiesOf.get(c.street_code) ?? []), c.code]);

  const rows: unknown[][] = [];
  const streets: Street[] = [];
  for (const d of DISTRICTS) {
    const imported = known.filter((s) => s.district_code === d.code);
    const list = imported.length
      ? imported.map((s) => ({ code: s.code, name: s.name, kind: s.kind ?? streetKind(s.name) }))
      : d.streets.map((name, i) => ({ code: `${d.code}0${String(i + 1).padStart(2, '0')}`, name, kind: streetKind(name) }));
    for (const s of list) {
      if (!imported.length) rows.push([s.code, s.name, 'street', d.code, d.code, s.code, s.kind, 'world']);
      if (!habitable(s.name, s.kind)) continue;
      // Towns in the suburbs are larger than the old inner-city 街道; 乡 (on the islands) are small.
      const weight = s.kind === '乡' ? uniform(rng, 0.25, 0.5) : s.kind === '镇' && !d.central ? uniform(rng, 0.9, 2.4) : uniform(rng, 0.6, 1.5);
      streets.push({ code: s.code, name: s.name, district: d, kind: s.kind, weight, communities: communitiesOf.get(s.code) ?? [], chcs: [] });
    }
  }
  // 居委 (and 村委 in the towns) for the streets that have none yet.
  for (const s of streets) {
    if (s.communities.length) continue;
    const n = Math.max(4, Math.min(25, Math.round(s.weight * uniform(rng, 7, 12))));
    const villages = s.kind === '乡' ? n : s.kind === '镇' && !s.district.central ? Math.round(n * uniform(rng, 0.3, 0.7)) : 0;
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const village = i >= n - villages;
      let name = '';
      for (let tries = 0; tries < 50 && (!name || used.has(name)); tries++) {
        name = village
          ? `${rng.pick(VILLAGE_A)}${rng.pick(VILLAGE_B)}村村民委员会`
          : `${rng.pick(COMMUNITY_A)}${rng.pick(COMMUNITY_A)}${rng.pick(COMMUNITY_SUFFIX)}居民委员会`;
      }
      used.add(name);
      // NBS-style: 001… for 居委, 201… for 村委.
      const code = `${s.code}${village ? String(201 + i - (n - villages)) : String(i + 1).padStart(3, '0')}`;
      s.communities.push(code);
      rows.push([code, name, 'community', s.code, s.district.code, s.code, village ? '村委' : '居委', 'world']);
    }
  }
  await tx.copyRows('region', ['code', 'name', 'level', 'parent_code', 'district_code', 'street_code', 'kind', 'source'], rows);
  ctx.progress('街镇与居委', rows.length, rows.length);
  return streets;
}

const LEVEL_TITLES: Record<string, readonly (readonly [string, number])[]> = {
  '3': [
    ['主任医师', 12],
    ['副主任医师', 22],
    ['主治医师', 38],
    ['医师', 28],
  ],
  '2': [
    ['主任医师', 6],
    ['副主任医师', 18],
    ['主治医师', 42],
    ['医师', 34],
  ],
  '1': [
    ['主任医师', 1],
    ['副主任医师', 10],
    ['主治医师', 50],
    ['医师', 39],
  ],
};
const NURSE_TITLES: readonly (readonly [string, number])[] = [
  ['副主任护师', 4],
  ['主管护师', 36],
  ['护师', 40],
  ['护士', 20],
];
const TITLE_AGE: Record<string, readonly [number, number]> = {
  主任医师: [45, 64],
  副主任医师: [38, 60],
  主治医师: [30, 52],
  医师: [24, 36],
  副主任护师: [42, 58],
  主管护师: [30, 55],
  护师: [24, 42],
  护士: [20, 30],
};

function institutions(ctx: WorldContext, streets: Street[], firstId: number): Inst[] {
  const rng = ctx.rng(`${STAGE}/institutions`);
  const out: Inst[] = [];
  const seq = new Map<string, number>();
  let id = firstId;
  const streetsOf = (d: DistrictFacts) => streets.filter((s) => s.district === d);
  const add = (
    p: Omit<Inst, 'id' | 'code' | 'communities' | 'ownership' | 'parentId' | 'shortName'> & Partial<Pick<Inst, 'ownership' | 'parentId' | 'shortName'>>,
  ) => {
    const kindDigit = { chc: 1, city_hospital: 2, district_hospital: 3, specialist_hospital: 4, other: 5 }[p.kind];
    const n = (seq.get(p.district.code) ?? 0) + 1;
    seq.set(p.district.code, n);
    const inst: Inst = {
      id: id++,
      code: `${p.district.code}${kindDigit}${String(n).padStart(4, '0')}`,
      ownership: '公立',
      parentId: null,
      shortName: p.name.replace(/^上海市?/, ''),
      communities: [],
      ...p,
    };
    out.push(inst);
    return inst;
  };

  // Community health service centres: one for every habitable street, a second in the most populous ones.
  const extra = new Set(
    [...streets]
      .sort((a, b) => (b.weight * b.district.population) / streetsOf(b.district).length - (a.weight * a.district.population) / streetsOf(a.district).length)
      .slice(0, Math.max(0, CHC_TARGET - streets.length))
      .filter((s) => s.communities.length >= 4),
  );
  for (const s of streets) {
    const centres = extra.has(s) ? 2 : 1;
    for (let k = 0; k < centres; k++) {
      const name = `上海市${s.district.name}${s.name}${k === 0 ? '' : '第二'}社区卫生服务中心`;
      const c = add({
        name,
        shortName: `${baseName(s.name)}${k === 0 ? '' : '第二'}社区卫生服务中心`,
        kind: 'chc',
        level: 1,
        grade: '未定',
        category: '综合',
        district: s.district,
        street: s,
        depts: TEMPLATES.chc,
        staff: 0,
      });
      // Split the street's 居委 between its centres (contiguous halves).
      const half = Math.ceil(s.communities.length / centres);
      c.communities = s.communities.slice(k * half, (k + 1) * half);
      c.staff = Math.max(8, Math.round(c.communities.length * uniform(rng, 1.1, 1.6)) + 6);
      s.chcs.push(c);
    }
  }

  const central = DISTRICTS.filter((d) => d.central);
  const suburban = DISTRICTS.filter((d) => !d.central);
  const cityDistrict = () =>
    rng.chance(0.85)
      ? rng.weighted(central.map((d) => [d, d.population] as const))
      : rng.pick(suburban.filter((d) => ['310112', '310113', '310115'].includes(d.code)));
  const streetIn = (d: DistrictFacts) => rng.pick(streetsOf(d));

  // City hospitals (市级医院): mostly 三级甲等 in the central districts; some with a branch in the suburbs.
  const generals: Inst[] = [];
  for (const [i, n] of CITY_GENERAL.entries()) {
    const d = cityDistrict();
    const name = i % 3 === 0 ? `${UNIVERSITIES[i % UNIVERSITIES.length]}${n}医院` : `上海市${n}医院`;
    generals.push(
      add({
        name,
        shortName: `${n}医院`,
        kind: 'city_hospital',
        level: 3,
        grade: '甲',
        category: '综合',
        district: d,
        street: streetIn(d),
        depts: TEMPLATES.general3,
        staff: 150,
      }),
    );
  }
  for (const n of CITY_TCM) {
    const d = cityDistrict();
    add({
      name: `上海市${n}`,
      kind: 'city_hospital',
      level: 3,
      grade: '甲',
      category: n.includes('中西医') ? '中西医结合' : '中医',
      district: d,
      street: streetIn(d),
      depts: n.includes('中西医') ? TEMPLATES.integrative : TEMPLATES.tcm,
      staff: 90,
    });
  }
  for (const [n, t, category] of CITY_SPECIALIST) {
    const d = cityDistrict();
    add({
      name: `上海市${n}`,
      kind: 'city_hospital',
      level: 3,
      grade: rng.chance(0.85) ? '甲' : '乙',
      category,
      district: d,
      street: streetIn(d),
      depts: TEMPLATES[t],
      staff: 70,
    });
  }
  const sides = shuffled(rng, BRANCH_SIDES);
  for (const [i, g] of shuffled(rng, generals).slice(0, 10).entries()) {
    const d = rng.pick(suburban);
    const side = sides[i % sides.length];
    add({
      name: `${g.name}${side}`,
      shortName: `${g.shortName}${side}`,
      kind: 'city_hospital',
      level: 3,
      grade: '甲',
      category: '综合',
      parentId: g.id,
      district: d,
      street: streetIn(d),
      depts: TEMPLATES.general2,
      staff: 50,
    });
  }

  // District hospitals (区属医院): a centre hospital (suburbs: two), TCM, 妇幼, mental health, dental, elderly care.
  for (const d of DISTRICTS) {
    const short = d.name.replace(/(新区|区)$/, '');
    const hospitals = d.central ? 1 : 2;
    for (let k = 0; k < hospitals; k++) {
      const level3 = !d.central && k === 0 && rng.chance(0.6);
      const name = k === 0 ? `上海市${d.name}中心医院` : `上海市${d.name}人民医院`;
      add({
        name,
        kind: 'district_hospital',
        level: level3 ? 3 : 2,
        grade: level3 ? '乙' : '甲',
        category: '综合',
        district: d,
        street: streetIn(d),
        depts: level3 ? TEMPLATES.general3 : TEMPLATES.general2,
        staff: level3 ? 80 : 55,
      });
    }
    add({
      name: `上海市${d.name}中医医院`,
      kind: 'district_hospital',
      level: rng.chance(0.3) ? 3 : 2,
      grade: '甲',
      category: '中医',
      district: d,
      street: streetIn(d),
      depts: TEMPLATES.tcm,
      staff: 35,
    });
    add({
      name: `上海市${d.name}妇幼保健院`,
      kind: 'district_hospital',
      level: 2,
      grade: '甲',
      category: '妇幼',
      district: d,
      street: streetIn(d),
      depts: TEMPLATES.mch,
      staff: 25,
    });
    add({
      name: `上海市${d.name}精神卫生中心`,
      kind: 'district_hospital',
      level: 2,
      grade: rng.chance(0.7) ? '甲' : '乙',
      category: '精神',
      district: d,
      street: streetIn(d),
      depts: TEMPLATES.psych,
      staff: 18,
    });
    add({
      name: `上海市${d.name}牙病防治所`,
      kind: 'other',
      level: 1,
      grade: '未定',
      category: '专科',
      district: d,
      street: streetIn(d),
      depts: TEMPLATES.oral,
      staff: 8,
    });
    if (rng.chance(0.6))
      add({
        name: `上海市${short}区老年医院`,
        kind: 'district_hospital',
        level: 2,
        grade: '乙',
        category: '护理',
        district: d,
        street: streetIn(d),
        depts: TEMPLATES.nursing,
        staff: 10,
      });
    // Suburban towns keep a hospital of their own (一级 or 二级乙等).
    if (!d.central) {
      for (const s of shuffled(
        rng,
        streetsOf(d).filter((s) => s.kind === '镇'),
      ).slice(0, rng.int(1, 3))) {
        const second = rng.chance(0.35);
        add({
          name: `上海市${d.name}${baseName(s.name)}医院`,
          kind: 'district_hospital',
          level: second ? 2 : 1,
          grade: second ? '乙' : '未定',
          category: '综合',
          district: d,
          street: s,
          depts: second ? TEMPLATES.general2 : TEMPLATES.general1,
          staff: second ? 25 : 12,
        });
      }
    }
  }

  // Privately run hospitals (社会办医) up to about 300 hospitals in all.
  const hospitals = () => out.filter((i) => i.kind !== 'chc').length;
  const usedNames = new Set(out.map((i) => i.name));
  const specialties = new WeightedTable(PRIVATE_SPECIALTIES.map((s) => [s, s[3]] as const));
  while (hospitals() < 300) {
    const d = rng.weighted(DISTRICTS.map((x) => [x, x.population] as const));
    const brand = rng.pick(PRIVATE_BRANDS);
    if (rng.chance(0.3)) {
      const name = `上海${brand}医院`;
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      const second = rng.chance(0.4);
      add({
        name,
        kind: 'other',
        level: second ? 2 : 1,
        grade: second ? '乙' : '未定',
        category: '综合',
        ownership: '民营',
        district: d,
        street: streetIn(d),
        depts: second ? TEMPLATES.general2 : TEMPLATES.general1,
        staff: second ? 20 : 10,
      });
    } else {
      const [spec, t, category] = specialties.draw(rng);
      const name = `上海${brand}${spec}`;
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      const level = spec === '护理院' ? null : rng.chance(0.3) ? 2 : 1;
      add({
        name,
        kind: 'specialist_hospital',
        level,
        grade: level === 2 ? '乙' : level === 1 ? '未定' : null,
        category,
        ownership: '民营',
        district: d,
        street: streetIn(d),
        depts: TEMPLATES[t],
        staff: 7,
      });
    }
  }
  return out;
}

async function writeInstitutions(ctx: WorldContext, tx: Queryable, insts: Inst[]): Promise<void> {
  // Locations get their own stream, so adding an institution type does not move every map point.
  const rng = ctx.rng(`${STAGE}/locations`);
  const rows = insts.map((i) => {
    const spread = i.district.central ? 0.025 : 0.07;
    const lng = Math.min(122.15, Math.max(120.85, i.district.lng + uniform(rng, -spread, spread)));
    const lat = Math.min(31.85, Math.max(30.65, i.district.lat + uniform(rng, -spread, spread)));
    const address = `上海市${i.district.name}${roadName(rng)}${rng.int(1, 2000)}号`;
    return [
      i.id,
      i.code,
      i.name,
      i.shortName,
      i.kind,
      i.level,
      i.grade,
      i.category,
      i.ownership,
      i.parentId,
      i.district.code,
      i.street.code,
      address,
      landline(rng),
      Math.round(lng * 1e6) / 1e6,
      Math.round(lat * 1e6) / 1e6,
      true,
    ];
  });
  await tx.copyRows(
    'institution',
    [
      'id',
      'code',
      'name',
      'short_name',
      'kind',
      'level',
      'grade',
      'category',
      'ownership',
      'parent_id',
      'district_code',
      'street_code',
      'address',
      'phone',
      'lng',
      'lat',
      'active',
    ],
    rows,
  );
}

interface Dept {
  id: number;
  key: DeptKey;
}

async function writeDepartments(tx: Queryable, insts: Inst[], firstId: number): Promise<Map<number, Dept[]>> {
  let id = firstId;
  const rows: unknown[][] = [];
  const byInst = new Map<number, Dept[]>();
  for (const i of insts) {
    const list = i.depts.map((key) => ({ id: id++, key }));
    byInst.set(i.id, list);
    for (const d of list) rows.push([d.id, i.id, DEPTS[d.key].code, DEPTS[d.key].name, i.district.code]);
  }
  await tx.copyRows('department', ['id', 'institution_id', 'code', 'name', 'district_code'], rows);
  return byInst;
}

type StaffRole = 'family_doctor' | 'nurse' | 'public_health' | 'doctor';

interface Staff {
  id: number;
  name: string;
  role: StaffRole;
}

const PRACTITIONER_COLUMNS = [
  'id',
  'institution_id',
  'department_id',
  'name',
  'sex',
  'birth_date',
  'id_number_enc',
  'id_number_bi',
  'id_number_mask',
  'qualification_no',
  'practice_cert_no',
  'practice_category',
  'practice_scope',
  'title',
  'is_family_doctor',
  'phone_enc',
  'phone_mask',
  'district_code',
  'street_code',
  'active',
] as const;

const CATEGORY_DIGIT: Record<string, number> = { 临床: 1, 中医: 2, 口腔: 3, 公共卫生: 4 };

/** Writes the practitioners; returns each community health centre's staff (for the teams). */
async function writePractitioners(ctx: WorldContext, tx: Queryable, insts: Inst[], depts: Map<number, Dept[]>, firstId: number): Promise<Map<number, Staff[]>> {
  const rng = ctx.rng(`${STAGE}/practitioners`);
  const ids = new ResidentIdIssuer();
  const asOfDay = dayNumber(ctx.asOf);
  const asOfYear = Number(ctx.asOf.slice(0, 4));
  const factor = PRACTITIONER_TARGET / insts.reduce((n, i) => n + i.staff, 0);
  const chcStaff = new Map<number, Staff[]>();
  const total = insts.reduce((n, i) => n + Math.max(2, Math.round(i.staff * factor)), 0);
  let id = firstId;
  let certSeq = 0;

  function* rows(): Generator<unknown[]> {
    for (const inst of insts) {
      const n = Math.max(2, Math.round(inst.staff * factor));
      const level = String(inst.level ?? 1);
      const list = depts.get(inst.id) ?? [];
      const byKey = new Map(list.map((d) => [d.key, d]));
      // Who works here: a community centre is family doctors and nurses first; a hospital spreads its
      // doctors over its departments by their usual size.
      const plan: { dept: Dept; role: StaffRole }[] = [];
      if (inst.kind === 'chc') {
        const gp = byKey.get('gp') as Dept;
        const fds = Math.max(2, Math.round(n * 0.5));
        for (let k = 0; k < fds; k++) plan.push({ dept: gp, role: 'family_doctor' });
        for (let k = 0; k < Math.max(1, Math.round(n * 0.08)); k++) plan.push({ dept: byKey.get('tcm') as Dept, role: 'doctor' });
        for (let k = 0; k < Math.max(1, Math.round(n * 0.07)); k++) plan.push({ dept: byKey.get('prevention') as Dept, role: 'public_health' });
        if (n >= 10) plan.push({ dept: byKey.get('dental') as Dept, role: 'doctor' });
        if (n >= 12) plan.push({ dept: byKey.get('rehab') as Dept, role: 'doctor' });
        if (n >= 16) plan.push({ dept: byKey.get('imaging') as Dept, role: 'doctor' });
        while (plan.length < n || plan.filter((p) => p.role === 'nurse').length < 2) plan.push({ dept: gp, role: 'nurse' });
      } else {
        const table = new WeightedTable(list.map((d) => [d, DEPTS[d.key].size] as const));
        // Every department has at least one doctor when the hospital is big enough.
        for (const d of list) if (plan.length < n) plan.push({ dept: d, role: 'doctor' });
        while (plan.length < n) plan.push({ dept: table.draw(rng), role: 'doctor' });
      }
      const staff: Staff[] = [];
      for (const { dept, role } of plan) {
        const def = DEPTS[dept.key];
        const nurse = role === 'nurse';
        const title = rng.weighted(nurse ? NURSE_TITLES : LEVEL_TITLES[level]!);
        const [minAge, maxAge] = TITLE_AGE[title]!;
        const age = rng.int(minAge, maxAge);
        const birthDate = dateOfDay(asOfDay - age * 365 - rng.int(0, 364));
        const birthYear = Number(birthDate.slice(0, 4));
        const womenHeavy = nurse ? 0.95 : def.scope === '妇产科专业' ? 0.8 : def.scope === '儿科专业' ? 0.65 : 0.52;
        const sex = rng.chance(womenHeavy) ? 'F' : 'M';
        const local = rng.chance(0.65);
        const region = local ? shanghaiBirthRegion(rng, rng.weighted(DISTRICTS.map((d) => [d, d.population] as const)), birthYear) : originRegion(rng).region;
        const idNumber = ids.issue(rng, region, birthDate, sex);
        const name = personName(rng, sex, birthYear, local);
        const phone = mobilePhone(rng);
        const qualYear = Math.min(asOfYear, birthYear + rng.int(23, 27));
        certSeq++;
        const cat = nurse ? null : def.category;
        const qualification = nurse
          ? null
          : `${qualYear}${title === '医师' && rng.chance(0.1) ? 2 : 1}${CATEGORY_DIGIT[def.category]}31${String(certSeq).padStart(7, '0')}`;
        const cert = nurse
          ? `${qualYear}31${String(certSeq).padStart(6, '0')}`
          : `1${CATEGORY_DIGIT[def.category]}3100${qualYear}${String(certSeq).padStart(5, '0')}`;
        const pid = id++;
        // A few hospital doctors have left or retired (kept, inactive).
        const active = inst.kind === 'chc' || !rng.chance(0.01);
        yield [
          pid,
          inst.id,
          dept.id,
          name,
          sex,
          birthDate,
          ctx.keys.encryptField(idNumber),
          ctx.keys.blindIndex(idNumber, 'practitioner.id_number'),
          maskResidentId(idNumber),
          qualification,
          cert,
          nurse ? '护理' : cat,
          nurse ? '护理专业' : def.scope,
          title,
          role === 'family_doctor',
          ctx.keys.encryptField(phone),
          maskPhone(phone),
          inst.district.code,
          inst.street.code,
          active,
        ];
        if (inst.kind === 'chc') staff.push({ id: pid, name, role });
        if ((id - firstId) % 1000 === 0) ctx.progress('医务人员', id - firstId, total);
      }
      if (inst.kind === 'chc') chcStaff.set(inst.id, staff);
    }
  }
  const n = await tx.copyRows('practitioner', PRACTITIONER_COLUMNS, rows());
  ctx.progress('医务人员', n, n);
  return chcStaff;
}

/** Family-doctor teams: a family doctor leads, with a second doctor, a nurse and sometimes public health; each 居委 has one team. */
async function writeTeams(ctx: WorldContext, tx: Queryable, insts: Inst[], staff: Map<number, Staff[]>, firstId: number): Promise<void> {
  const rng = ctx.rng(`${STAGE}/teams`);
  const teams: unknown[][] = [];
  const members: unknown[][] = [];
  const communities: unknown[][] = [];
  let id = firstId;
  for (const inst of insts) {
    if (inst.kind !== 'chc') continue;
    const s = staff.get(inst.id) ?? [];
    const fds = s.filter((x) => x.role === 'family_doctor');
    const nurses = s.filter((x) => x.role === 'nurse');
    const ph = s.filter((x) => x.role === 'public_health');
    const count = Math.ceil(fds.length / 2);
    const ids: number[] = [];
    for (let k = 0; k < count; k++) {
      const leader = fds[2 * k]!;
      const tid = id++;
      ids.push(tid);
      teams.push([tid, inst.id, `${leader.name}家庭医生团队`, leader.id, inst.district.code, inst.street.code, true]);
      members.push([tid, leader.id, 'leader']);
      if (fds[2 * k + 1]) members.push([tid, fds[2 * k + 1]!.id, 'doctor']);
      if (nurses.length) members.push([tid, nurses[k % nurses.length]!.id, 'nurse']);
      if (ph.length && rng.chance(0.4)) members.push([tid, ph[k % ph.length]!.id, 'public_health']);
    }
    for (const [j, code] of inst.communities.entries()) communities.push([ids[j % ids.length], code]);
  }
  await tx.copyRows('team', ['id', 'institution_id', 'name', 'leader_id', 'district_code', 'street_code', 'active'], teams);
  await tx.copyRows('team_member', ['team_id', 'practitioner_id', 'member_role'], members);
  await tx.copyRows('team_community', ['team_id', 'community_code'], communities);
  ctx.progress('家庭医生团队', teams.length, teams.length);
}
