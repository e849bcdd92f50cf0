export type Metric = 'institutions' | 'practitioners' | 'residents';

export const METRICS: Record<Metric, string> = {
  institutions: '医疗机构数',
  practitioners: '医务人员数',
  residents: '居民数',
};

export const INSTITUTION_KINDS: Record<string, string> = {
  chc: '社区卫生服务中心',
  district_hospital: '区属医院',
  city_hospital: '市级医院',
  specialist_hospital: '专科医院',
  other: '其他机构',
};

export function levelText(level?: number | null, grade?: string | null): string {
  if (!level) return '—';
  const l = ['', '一级', '二级', '三级'][level] ?? `${level}级`;
  return grade && grade !== '未定' ? `${l}${grade}等` : l;
}
