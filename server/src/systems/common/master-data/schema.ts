import { Type } from '@sinclair/typebox';

/** Shanghai's administrative codes and phone format (the master data's own formats). */
export const StreetCode = Type.String({ pattern: '^3101\\d{5}$', maxLength: 9 });
export const CommunityCode = Type.String({ pattern: '^3101\\d{8}$', maxLength: 12 });
export const DistrictCode = Type.String({ format: 'district-code', maxLength: 6 });
/** 手机或固话（区号-号码），存储前去掉分隔符。 */
export const Phone = Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$', maxLength: 20 });

export function normalizePhone(p: string): string {
  return p.replace(/[\s-]/g, '');
}
