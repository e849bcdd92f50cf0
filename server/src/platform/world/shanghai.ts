import type { Rng } from './types.ts';

/**
 * Facts about Shanghai the demo world is drawn from: the 16 districts with their resident population
 * (2020 census, 万人), whether they are central (中心城区), an approximate centre for map points, the
 * codes their people's identity numbers carry (old districts and counties merged since), and the names of
 * their 街道/镇. Street codes in the world are synthesized (source 'world'); when real divisions have been
 * imported (`weijian import divisions`) those streets are used instead.
 */
export interface DistrictFacts {
  code: string;
  name: string;
  /** For usernames and slugs. */
  slug: string;
  population: number;
  central: boolean;
  lng: number;
  lat: number;
  /** Region codes in identity numbers issued before a merger: [code, born before year]. */
  oldCodes: readonly (readonly [string, number])[];
  /** 街道 and 镇 (the suffix says which). */
  streets: readonly string[];
}

export const SHANGHAI_CITY_CODE = '310000';

export const DISTRICTS: readonly DistrictFacts[] = [
  {
    code: '310101', name: '黄浦区', slug: 'huangpu', population: 66.2, central: true, lng: 121.484, lat: 31.231,
    oldCodes: [['310102', 2000], ['310103', 2011]],
    streets: ['南京东路街道', '外滩街道', '半淞园路街道', '小东门街道', '豫园街道', '老西门街道', '五里桥街道', '打浦桥街道', '淮海中路街道', '瑞金二路街道'],
  },
  {
    code: '310104', name: '徐汇区', slug: 'xuhui', population: 111.3, central: true, lng: 121.437, lat: 31.179,
    oldCodes: [],
    streets: ['天平路街道', '湖南路街道', '斜土路街道', '枫林路街道', '长桥街道', '田林街道', '虹梅路街道', '康健新村街道', '徐家汇街道', '凌云路街道', '龙华街道', '漕河泾街道', '华泾镇'],
  },
  {
    code: '310105', name: '长宁区', slug: 'changning', population: 69.3, central: true, lng: 121.424, lat: 31.220,
    oldCodes: [],
    streets: ['华阳路街道', '江苏路街道', '新华路街道', '周家桥街道', '天山路街道', '仙霞新村街道', '虹桥街道', '程家桥街道', '北新泾街道', '新泾镇'],
  },
  {
    code: '310106', name: '静安区', slug: 'jingan', population: 97.6, central: true, lng: 121.448, lat: 31.229,
    oldCodes: [['310108', 2016]],
    streets: ['江宁路街道', '石门二路街道', '南京西路街道', '静安寺街道', '曹家渡街道', '天目西路街道', '北站街道', '宝山路街道', '共和新路街道', '大宁路街道', '彭浦新村街道', '临汾路街道', '芷江西路街道', '彭浦镇'],
  },
  {
    code: '310107', name: '普陀区', slug: 'putuo', population: 124.0, central: true, lng: 121.397, lat: 31.250,
    oldCodes: [],
    streets: ['曹杨新村街道', '长风新村街道', '长寿路街道', '甘泉路街道', '石泉路街道', '宜川路街道', '万里街道', '真如镇街道', '长征镇', '桃浦镇'],
  },
  {
    code: '310109', name: '虹口区', slug: 'hongkou', population: 75.7, central: true, lng: 121.505, lat: 31.265,
    oldCodes: [],
    streets: ['欧阳路街道', '曲阳路街道', '广中路街道', '嘉兴路街道', '凉城新村街道', '四川北路街道', '北外滩街道', '江湾镇街道'],
  },
  {
    code: '310110', name: '杨浦区', slug: 'yangpu', population: 124.2, central: true, lng: 121.526, lat: 31.270,
    oldCodes: [],
    streets: ['定海路街道', '平凉路街道', '江浦路街道', '四平路街道', '控江路街道', '长白新村街道', '延吉新村街道', '殷行街道', '大桥街道', '五角场街道', '新江湾城街道', '长海路街道'],
  },
  {
    code: '310112', name: '闵行区', slug: 'minhang', population: 265.3, central: false, lng: 121.381, lat: 31.113,
    oldCodes: [['310221', 1993]],
    streets: ['江川路街道', '古美路街道', '新虹街道', '浦锦街道', '莘庄镇', '七宝镇', '颛桥镇', '华漕镇', '虹桥镇', '梅陇镇', '吴泾镇', '马桥镇', '浦江镇'],
  },
  {
    code: '310113', name: '宝山区', slug: 'baoshan', population: 223.5, central: false, lng: 121.489, lat: 31.398,
    oldCodes: [['310223', 1989]],
    streets: ['友谊路街道', '吴淞街道', '张庙街道', '罗店镇', '大场镇', '杨行镇', '月浦镇', '罗泾镇', '顾村镇', '高境镇', '庙行镇', '淞南镇'],
  },
  {
    code: '310114', name: '嘉定区', slug: 'jiading', population: 183.4, central: false, lng: 121.250, lat: 31.383,
    oldCodes: [['310222', 1993]],
    streets: ['新成路街道', '真新街道', '嘉定镇街道', '南翔镇', '安亭镇', '马陆镇', '徐行镇', '华亭镇', '外冈镇', '江桥镇', '菊园新区'],
  },
  {
    code: '310115', name: '浦东新区', slug: 'pudong', population: 568.2, central: false, lng: 121.567, lat: 31.205,
    oldCodes: [['310224', 1993], ['310225', 2002]],
    streets: [
      '潍坊新村街道', '陆家嘴街道', '周家渡街道', '塘桥街道', '上钢新村街道', '南码头路街道', '沪东新村街道', '金杨新村街道', '洋泾街道',
      '浦兴路街道', '东明路街道', '花木街道', '川沙新镇', '高桥镇', '北蔡镇', '合庆镇', '唐镇', '曹路镇', '金桥镇', '高行镇', '高东镇',
      '张江镇', '三林镇', '惠南镇', '周浦镇', '新场镇', '大团镇', '康桥镇', '航头镇', '祝桥镇', '泥城镇', '宣桥镇', '书院镇', '万祥镇',
      '老港镇', '南汇新城镇',
    ],
  },
  {
    code: '310116', name: '金山区', slug: 'jinshan', population: 82.3, central: false, lng: 121.342, lat: 30.742,
    oldCodes: [['310228', 1997]],
    streets: ['石化街道', '朱泾镇', '枫泾镇', '张堰镇', '亭林镇', '吕巷镇', '廊下镇', '金山卫镇', '漕泾镇', '山阳镇'],
  },
  {
    code: '310117', name: '松江区', slug: 'songjiang', population: 190.9, central: false, lng: 121.228, lat: 31.032,
    oldCodes: [['310227', 1998]],
    streets: ['岳阳街道', '永丰街道', '方松街道', '中山街道', '广富林街道', '九里亭街道', '泗泾镇', '佘山镇', '车墩镇', '新桥镇', '洞泾镇', '九亭镇', '泖港镇', '石湖荡镇', '新浜镇', '叶榭镇', '小昆山镇'],
  },
  {
    code: '310118', name: '青浦区', slug: 'qingpu', population: 127.1, central: false, lng: 121.124, lat: 31.150,
    oldCodes: [['310229', 1999]],
    streets: ['夏阳街道', '盈浦街道', '香花桥街道', '朱家角镇', '练塘镇', '金泽镇', '赵巷镇', '徐泾镇', '华新镇', '重固镇', '白鹤镇'],
  },
  {
    code: '310120', name: '奉贤区', slug: 'fengxian', population: 114.1, central: false, lng: 121.474, lat: 30.918,
    oldCodes: [['310226', 2001]],
    streets: ['南桥镇', '奉浦街道', '西渡街道', '金海街道', '金汇镇', '四团镇', '青村镇', '柘林镇', '庄行镇', '海湾镇', '奉城镇'],
  },
  {
    code: '310151', name: '崇明区', slug: 'chongming', population: 63.7, central: false, lng: 121.397, lat: 31.623,
    oldCodes: [['310230', 2016]],
    streets: ['城桥镇', '堡镇', '新河镇', '庙镇', '竖新镇', '向化镇', '三星镇', '港沿镇', '中兴镇', '陈家镇', '绿华镇', '港西镇', '建设镇', '新海镇', '东平镇', '长兴镇', '新村乡', '横沙乡'],
  },
];

export const DISTRICT_BY_CODE: ReadonlyMap<string, DistrictFacts> = new Map(DISTRICTS.map((d) => [d.code, d]));

/** 街道 / 镇 / 乡 from a street's name. */
export function streetKind(name: string): string {
  if (name.endsWith('街道')) return '街道';
  if (name.endsWith('乡')) return '乡';
  if (name.endsWith('镇')) return '镇';
  return '其他';
}

/**
 * Where people without Shanghai 户籍 come from (share of the 外来常住人口, roughly the 2020 census), with
 * prefecture codes (first 4 digits of an identity number) of that province.
 */
export const ORIGIN_PROVINCES: readonly { code: string; name: string; share: number; prefectures: readonly string[] }[] = [
  { code: '34', name: '安徽省', share: 29, prefectures: ['3401', '3402', '3403', '3404', '3405', '3406', '3407', '3408', '3410', '3411', '3412', '3413', '3415', '3416', '3417', '3418'] },
  { code: '32', name: '江苏省', share: 16, prefectures: ['3201', '3202', '3203', '3204', '3205', '3206', '3207', '3208', '3209', '3210', '3211', '3212', '3213'] },
  { code: '41', name: '河南省', share: 9, prefectures: ['4101', '4103', '4105', '4107', '4113', '4114', '4115', '4116', '4117'] },
  { code: '51', name: '四川省', share: 6, prefectures: ['5101', '5107', '5113', '5116', '5117', '5119'] },
  { code: '36', name: '江西省', share: 6, prefectures: ['3601', '3604', '3607', '3609', '3610', '3611'] },
  { code: '33', name: '浙江省', share: 5, prefectures: ['3301', '3302', '3303', '3304', '3305', '3306', '3310'] },
  { code: '37', name: '山东省', share: 4, prefectures: ['3701', '3702', '3703', '3708', '3713', '3714'] },
  { code: '42', name: '湖北省', share: 4, prefectures: ['4201', '4206', '4209', '4210', '4211'] },
  { code: '43', name: '湖南省', share: 3, prefectures: ['4301', '4304', '4305', '4307', '4309'] },
  { code: '35', name: '福建省', share: 3, prefectures: ['3501', '3502', '3503', '3505', '3509'] },
  { code: '50', name: '重庆市', share: 2.5, prefectures: ['5001', '5002'] },
  { code: '13', name: '河北省', share: 1.5, prefectures: ['1301', '1304', '1306', '1309'] },
  { code: '45', name: '广西壮族自治区', share: 1, prefectures: ['4501', '4503', '4505'] },
  { code: '52', name: '贵州省', share: 1.5, prefectures: ['5201', '5203', '5205'] },
  { code: '53', name: '云南省', share: 1, prefectures: ['5301', '5303', '5306'] },
  { code: '62', name: '甘肃省', share: 1, prefectures: ['6201', '6204', '6211'] },
  { code: '61', name: '陕西省', share: 1, prefectures: ['6101', '6103', '6104'] },
  { code: '14', name: '山西省', share: 0.8, prefectures: ['1401', '1404', '1408'] },
  { code: '23', name: '黑龙江省', share: 1, prefectures: ['2301', '2302', '2308'] },
  { code: '22', name: '吉林省', share: 0.5, prefectures: ['2201', '2202'] },
  { code: '21', name: '辽宁省', share: 0.8, prefectures: ['2101', '2102', '2106'] },
  { code: '44', name: '广东省', share: 0.8, prefectures: ['4401', '4403', '4405'] },
  { code: '11', name: '北京市', share: 0.5, prefectures: ['1101'] },
  { code: '12', name: '天津市', share: 0.3, prefectures: ['1201'] },
  { code: '15', name: '内蒙古自治区', share: 0.4, prefectures: ['1501', '1502'] },
  { code: '65', name: '新疆维吾尔自治区', share: 0.3, prefectures: ['6501', '6502'] },
  { code: '46', name: '海南省', share: 0.2, prefectures: ['4601'] },
];

/** County parts of a region code: a prefecture code plus one of these is a plausible 6-digit code. */
export const COUNTY_SUFFIXES = ['02', '03', '04', '05', '11', '21', '22', '23', '24', '25', '26', '81', '82'] as const;

const ROAD_PARTS = [
  '中山', '延安', '复兴', '建国', '长寿', '淮海', '武宁', '曹杨', '天山', '虹桥', '龙华', '漕溪', '浦东', '张杨', '世纪', '锦绣', '沪南', '金桥', '川沙',
  '华夏', '申江', '兰村', '宝杨', '牡丹江', '友谊', '城中', '博乐', '塔城', '人民', '新城', '园中', '沪太', '松汇', '公园', '青松', '解放', '南桥',
  '八一', '环城', '新松', '华漕', '七莘', '莘松', '沪闵', '银都', '江川', '剑川', '共和', '广中', '四平', '控江', '殷行', '凉城', '水电', '灵石',
];
const ROAD_SUFFIXES = ['路', '路', '路', '东路', '西路', '南路', '北路', '中路', '大道', '公路'];

/** A plausible road name (中山北路, 世纪大道 …). */
export function roadName(rng: Rng): string {
  return ROAD_PARTS[Math.floor(rng.next() * ROAD_PARTS.length)]! + ROAD_SUFFIXES[Math.floor(rng.next() * ROAD_SUFFIXES.length)]!;
}
