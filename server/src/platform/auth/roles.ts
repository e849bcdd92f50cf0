/** Staff roles of the tender (every one a staff role: all need the TOTP second factor). */
export const ROLES = {
  city_admin: '市级管理员',
  district_admin: '区级管理员',
  shenkang_admin: '申康管理员',
  hospital_admin: '医院管理员',
  hospital_user: '医院用户',
  community_admin: '社区管理员',
  family_doctor: '家庭医生',
  doctor_assistant: '家医助理',
  expert: '专家',
  auditor: '审计员',
} as const;

export type RoleCode = keyof typeof ROLES;
export const ROLE_CODES = Object.keys(ROLES) as RoleCode[];

export const ADMIN_ROLES: RoleCode[] = ['city_admin', 'district_admin', 'shenkang_admin', 'hospital_admin', 'community_admin'];
export const ALL_ROLES: RoleCode[] = ROLE_CODES;
