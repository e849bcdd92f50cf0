-- Session cache invalidation (see session-cache.ts): every change that must end or alter a user's live
-- sessions (sign-out, password change/reset, role/scope change, disable, TOTP reset, lockout) takes a new
-- value from this sequence for that user and announces it with NOTIFY weijian_auth. A cached session
-- built at an older generation is no longer used. No row-level security: it holds no personal data.
create sequence auth_generation_seq;
create table auth_generation (
  user_id bigint primary key references app_user(id),
  generation bigint not null
);
