import { type Static, Type } from '@sinclair/typebox';
import { enumOf, Instant } from '../http/schema.ts';
import { ScopeLevel } from '../auth/responses.ts';

export const MenuItem = Type.Object({ path: Type.String(), title: Type.String(), icon: Type.Union([Type.String(), Type.Null()]) });
export type MenuItem = Static<typeof MenuItem>;
/** One system of the navigation (platform/module.ts SystemCode) with the items the principal may open. */
export const MenuSystem = Type.Object({ code: Type.String(), title: Type.String(), items: Type.Array(MenuItem) });
export type MenuSystem = Static<typeof MenuSystem>;
export const Menu = Type.Object({ systems: Type.Array(MenuSystem) });
export type Menu = Static<typeof Menu>;

const CodeName = Type.Object({ code: Type.String(), name: Type.String() });
export const RolesAndScopes = Type.Object({
  roles: Type.Array(CodeName),
  scopeLevels: Type.Array(Type.Object({ code: ScopeLevel, name: Type.String() })),
});
export type RolesAndScopes = Static<typeof RolesAndScopes>;

export const SystemInfo = Type.Object({ name: Type.String(), version: Type.String(), database: enumOf(['pglite', 'postgres'] as const) });
export type SystemInfo = Static<typeof SystemInfo>;

export const PartnerPing = Type.Object({ ok: Type.Boolean(), client: Type.String(), name: Type.String(), time: Instant });
export type PartnerPing = Static<typeof PartnerPing>;
