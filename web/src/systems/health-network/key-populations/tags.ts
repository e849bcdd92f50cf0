/** The key-population tags (server: key-populations/rules.ts), for filters and labels. */
export const TAG_TITLE: Record<string, string> = {
  elderly: '65岁及以上老年人',
  maternal: '孕产妇',
  child: '0–6岁儿童',
  disabled: '残疾人',
  hypertension: '高血压患者',
  diabetes: '糖尿病患者',
  tuberculosis: '肺结核患者',
  fp_special_family: '计划生育特殊家庭',
  copd: '慢阻肺患者',
  colorectal_cancer: '大肠癌患者',
  change_rights: '变更签约年内有签约/解约权',
};

export const KEY_POPULATION_TAGS = Object.keys(TAG_TITLE).filter((t) => t !== 'change_rights');

export const TAG_OPTIONS = Object.entries(TAG_TITLE).map(([value, label]) => ({ value, label }));
