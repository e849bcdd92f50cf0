-- Sign-in bookkeeping: when a user last signed in, and wrong TOTP codes per session (5 → session revoked).
alter table app_user add column last_login_at timestamptz;
alter table app_session add column totp_failures int not null default 0;
create index app_session_expires on app_session (expires_at);
