import type { RolesAndScopes } from '@server/platform/system/responses.ts';
import type { Scope } from '../../../app/types';

/** GET /system/roles. */
export type RolesInfo = RolesAndScopes;

export interface UserFormValues {
  username?: string;
  displayName: string;
  role: string;
  scope: Scope & { districtFilter?: string; institutionFilter?: number };
  password?: string;
}
