export const ID_TYPES: Record<string, string> = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_macao_pass: '港澳居民来往内地通行证',
  taiwan_pass: '台湾居民来往大陆通行证',
  foreign_permanent: '外国人永久居留身份证',
  other: '其他证件',
};

export const STATUS: Record<string, { text: string; color: string }> = {
  alive: { text: '在册', color: 'green' },
  dead: { text: '已故', color: 'default' },
};
