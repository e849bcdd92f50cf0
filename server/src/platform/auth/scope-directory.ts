import type { Tx } from '../db/types.ts';

/** Where an institution, team or practitioner sits (district, street, institution). */
export interface ScopeKeyPlace {
  districtCode: string;
  streetCode: string | null;
  institutionId: number;
}

export type ScopeKeyKind = 'institution' | 'team' | 'practitioner';

/** Declared by the module owning institutions, teams and doctors (master data, `scopeLocator`); null: no such key. */
export type ScopeLocator = (tx: Tx, kind: ScopeKeyKind, id: number) => Promise<ScopeKeyPlace | null>;

let locator: ScopeLocator | null = null;

/** Set on start from the registry (auth module's onStart): the kernel names none of master data's tables. */
export function useScopeLocator(l: ScopeLocator | null): void {
  locator = l;
}

/** undefined when no module locates scope keys (master data not installed): the key is then taken as given. */
export async function locateScopeKey(tx: Tx, kind: ScopeKeyKind, id: number): Promise<ScopeKeyPlace | null | undefined> {
  return locator ? locator(tx, kind, id) : undefined;
}
