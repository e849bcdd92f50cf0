/** Enumerations of master data, with the zh-CN labels the imports also accept. */
export const INSTITUTION_KINDS = ['chc', 'district_hospital', 'city_hospital', 'specialist_hospital', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];
export const INSTITUTION_KIND_NAMES: Record<InstitutionKind, string> = {
  chc: '社区卫生服务中心',
  district_hospital: '区属医院',
  city_hospital: '市级医院',
  specialist_hospital: '专科医院',
  other: '其他机构',
};

export const GRADES = ['甲', '乙', '丙', '未定'] as const;
export const CATEGORIES = ['综合', '中医', '中西医结合', '专科', '妇幼', '康复', '护理', '精神', '其他'] as const;
export const OWNERSHIPS = ['公立', '民营', '其他'] as const;

/** 执业类别（医师、护士、药师、技师）. */
export const PRACTICE_CATEGORIES = ['临床', '中医', '口腔', '公共卫生', '护理', '药学', '医技', '其他'] as const;

/** 专业技术职称. */
export const TITLES = [
  '主任医师',
  '副主任医师',
  '主治医师',
  '医师',
  '医士',
  '主任护师',
  '副主任护师',
  '主管护师',
  '护师',
  '护士',
  '主任药师',
  '副主任药师',
  '主管药师',
  '药师',
  '药士',
  '主任技师',
  '副主任技师',
  '主管技师',
  '技师',
  '技士',
  '其他',
] as const;

export const TEAM_ROLES = ['leader', 'doctor', 'nurse', 'assistant', 'public_health', 'other'] as const;
