import { type Static, Type } from '@sinclair/typebox';
import { enumOf, Id, Instant, nullable, PageOf } from '../http/schema.ts';

/** The data-scope levels (platform/scope/scope.ts SCOPE_LEVELS). */
export const ScopeLevel = enumOf(['city', 'district', 'street', 'institution', 'team', 'own'] as const);
export type ScopeLevel = Static<typeof ScopeLevel>;

/** A user's data scope: every key present, null where the level does not need it. */
export const UserScope = Type.Object({
  level: ScopeLevel,
  districtCode: nullable(Type.String()),
  streetCode: nullable(Type.String()),
  institutionId: nullable(Id),
  teamId: nullable(Id),
  practitionerId: nullable(Id),
});
export type UserScope = Static<typeof UserScope>;

/** The signed-in user as the console sees it (never the password hash or TOTP secret). */
export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  /** A role code of platform/auth/roles.ts. */
  role: Type.String(),
  roleName: Type.String(),
  scope: UserScope,
  scopeLabel: Type.String(),
  permissions: Type.Array(Type.String()),
});
export type User = Static<typeof User>;

/** A user in the administrators' list: the account state besides. */
export const ManagedUser = Type.Object({
  ...User.properties,
  disabled: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  lockedUntil: nullable(Instant),
  lastLoginAt: nullable(Instant),
});
export type ManagedUser = Static<typeof ManagedUser>;
export const ManagedUserPage = PageOf(ManagedUser);
export type ManagedUserPage = Static<typeof ManagedUserPage>;

export const PasswordChangeReason = enumOf(['reset', 'expired', 'weak'] as const);
export type PasswordChangeReason = Static<typeof PasswordChangeReason>;

export const LoginResult = Type.Object({
  token: Type.String(),
  csrfToken: Type.String(),
  mfa: enumOf(['enroll', 'verify'] as const),
  /** New accounts and administrator resets: a new password is due right after sign-in. */
  mustChangePassword: Type.Boolean(),
  /** Why: reset by an administrator, expired (password age), or no longer allowed by the policy. */
  passwordChangeReason: nullable(PasswordChangeReason),
  user: User,
});
export type LoginResult = Static<typeof LoginResult>;

export const TotpEnrolment = Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrDataUrl: Type.String() });
export type TotpEnrolment = Static<typeof TotpEnrolment>;

export const TotpVerified = Type.Object({ user: User });
export type TotpVerified = Static<typeof TotpVerified>;

export const Me = Type.Object({ user: User, mfaPending: Type.Boolean(), mustChangePassword: Type.Boolean(), csrfToken: Type.Optional(Type.String()) });
export type Me = Static<typeof Me>;

/** GET /auth/session: signedIn false and nothing else without a session; the fields of /auth/me with one. */
export const SessionProbe = Type.Object({
  signedIn: Type.Boolean(),
  user: Type.Optional(User),
  mfaPending: Type.Optional(Type.Boolean()),
  mustChangePassword: Type.Optional(Type.Boolean()),
  csrfToken: Type.Optional(Type.String()),
});
export type SessionProbe = Static<typeof SessionProbe>;

export const ApiClient = Type.Object({
  id: Id,
  clientId: Type.String(),
  name: Type.String(),
  permissions: Type.Array(Type.String()),
  scope: Type.Object({ level: ScopeLevel, districtCode: nullable(Type.String()) }),
  disabled: Type.Boolean(),
  createdAt: Instant,
});
export type ApiClient = Static<typeof ApiClient>;
export const ApiClientPage = PageOf(ApiClient);
export type ApiClientPage = Static<typeof ApiClientPage>;
/** A new partner system with its secret, shown this once. */
export const ApiClientCreated = Type.Object({ ...ApiClient.properties, secret: Type.String() });
export type ApiClientCreated = Static<typeof ApiClientCreated>;
