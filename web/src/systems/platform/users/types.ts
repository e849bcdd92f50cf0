import type { Scope } from '../../../app/types';

export interface RolesInfo {
  roles: { code: string; name: string }[];
  scopeLevels: { code: Scope['level']; name: string }[];
}

export interface UserFormValues {
  username?: string;
  displayName: string;
  role: string;
  scope: Scope & { districtFilter?: string; institutionFilter?: number };
  password?: string;
}
