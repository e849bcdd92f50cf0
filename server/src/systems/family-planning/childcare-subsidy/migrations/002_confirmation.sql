-- 申领确认: one application per child, created when the confirmation SMS is sent. The parent's one-time
-- link is stored only as the SM3 digest of its random part; the bank account is sealed (SM4) with a mask.
create table cs_application (
  id bigserial primary key,
  run_id bigint not null references cs_screening_run (id),
  child_person_id bigint not null unique,
  applicant_person_id bigint,
  district_code text,
  street_code text,
  child_name_mask text not null,
  birth_order int,
  birth_order_review boolean not null default false,
  parents_verified boolean not null default false,
  amount_yuan int not null,
  bank_account_enc text,
  bank_account_mask text,
  status text not null default 'sms_sent' check (status in ('sms_sent', 'manual_review', 'approved', 'rejected')),
  token_digest text unique,
  token_expires_at timestamptz not null,
  confirmed_at timestamptz,
  review_reasons text[] not null default '{}',
  decided_by text,
  decided_at timestamptz,
  decision_note text,
  outbox_message_id bigint,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cs_application_status on cs_application (status, id);
alter table cs_application enable row level security;
create policy cs_application_scope on cs_application
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));
