import type { ScopeLevel } from '@server/platform/auth/responses.ts';

/**
 * Console-side helpers. The server's response shapes are not copied here: import them as types from the
 * modules' responses.ts files (`@server/...`).
 */

export type { ScopeLevel };

/** A data scope as the user forms edit it (the create/update body's scope; every key optional). */
export interface Scope {
  level: ScopeLevel;
  districtCode?: string | null;
  streetCode?: string | null;
  institutionId?: number | null;
  teamId?: number | null;
  practitionerId?: number | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}
