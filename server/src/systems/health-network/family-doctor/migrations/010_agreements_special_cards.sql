-- Agreements (协议书), signatures, special-case signing (特殊原因新签), authorization codes (授权码签约) and
-- insurance-card format rules. Numbered 010 so other helpers' 003… in this folder never collide.

-- Versioned agreement templates: every save is a new version; the highest version is the current one.
-- Read by everyone, written city-wide only (like fd_setting).
create table fd_agreement_template (
  id bigserial primary key,
  version int not null unique,
  title text not null,
  body text not null,                      -- text with {{placeholders}} (agreement.ts lists them)
  note text,
  created_by bigint,
  created_by_name text,
  created_at timestamptz not null default now()
);
alter table fd_agreement_template enable row level security;
create policy fd_agreement_template_read on fd_agreement_template for select using (true);
create policy fd_agreement_template_write on fd_agreement_template for insert
  with check (current_setting('weijian.level', true) = 'city');
insert into fd_agreement_template (version, title, body, note, created_by_name) values (1, '上海市家庭医生签约服务协议书',
'甲方（居民）：{{residentName}}，身份证号：{{idNumberMasked}}
乙方（家庭医生）：{{doctorName}}（{{teamName}}），签约机构：{{institutionName}}
签约组合：{{institutionName}} + {{districtHospitalName}} + {{cityHospitalName}}

一、甲方自愿选择乙方作为家庭医生，签约周期自 {{cycleStart}} 至 {{cycleEnd}}（{{cycleYears}} 年）。
二、乙方为甲方提供基本医疗、公共卫生和健康管理服务；签约组合内的区级、市级医院为甲方提供优先就诊、优先检查、优先住院（“三优先”）服务。
三、变更签约年内，甲方可跨社区更换家庭医生一次，社区内转签不受次数限制；上级医院可更换两次。
四、签约期满前，甲方可办理续约；符合条件的可选择弹性续约。
五、本协议一式两份，经双方签名（电子签名）后生效。

签约渠道：{{channel}}    签约日期：{{signedOn}}', '初始版本', '系统');

-- Signature images (PNG). Rows are never changed: a new upload is a new row, so an older agreement
-- re-renders with the signature it was made with.
create table fd_signature (
  id bigserial primary key,
  kind text not null check (kind in ('doctor', 'resident')),
  practitioner_id bigint,                  -- kind = doctor
  contract_id bigint references fd_contract (id), -- kind = resident
  image bytea not null,
  sha256 text not null,
  uploaded_by bigint,
  uploaded_by_name text,
  uploaded_at timestamptz not null default now(),
  district_code text,
  street_code text,
  institution_id bigint,
  team_id bigint,
  doctor_id bigint,
  check ((kind = 'doctor') = (practitioner_id is not null)),
  check ((kind = 'resident') = (contract_id is not null))
);
create index fd_signature_doctor on fd_signature (practitioner_id, id) where kind = 'doctor';
create index fd_signature_contract on fd_signature (contract_id, id) where kind = 'resident';
alter table fd_signature enable row level security;
-- A doctor's signature row is scoped to the doctor's centre (district null: district admins see their
-- centres through the contract rows they render); the resident's like the contract.
create policy fd_signature_scope on fd_signature
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- One generated agreement: a snapshot of what it says and which signatures it carries; the PDF is
-- rendered from the snapshot on download (cheap to regenerate, identical every time).
create table fd_agreement (
  id bigserial primary key,
  contract_id bigint not null references fd_contract (id),
  person_id bigint not null,
  seq int not null,                        -- 1, 2 … per contract (each regeneration)
  cycle_start date not null,               -- the management cycle it belongs to
  cycle_end date not null,
  template_id bigint not null references fd_agreement_template (id),
  reason text not null check (reason in ('sign', 'signature_update', 'transfer', 'renew', 'manual')),
  snapshot jsonb not null,
  doctor_signature_id bigint references fd_signature (id),
  resident_signature_id bigint references fd_signature (id),
  created_by bigint,
  created_by_name text,
  created_at timestamptz not null default now(),
  district_code text not null,
  street_code text,
  institution_id bigint not null,
  team_id bigint,
  doctor_id bigint not null,
  unique (contract_id, seq)
);
create index fd_agreement_person on fd_agreement (person_id, cycle_start);
alter table fd_agreement enable row level security;
create policy fd_agreement_scope on fd_agreement
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- Proof attachments of a special-case signing (特殊原因新签).
create table fd_attachment (
  id bigserial primary key,
  contract_id bigint not null references fd_contract (id),
  kind text not null check (kind in ('special_proof')),
  filename text not null,
  mime text not null,
  content bytea not null,
  sha256 text not null,
  uploaded_by bigint,
  uploaded_by_name text,
  uploaded_at timestamptz not null default now(),
  district_code text not null,
  street_code text,
  institution_id bigint not null,
  team_id bigint,
  doctor_id bigint not null
);
create index fd_attachment_contract on fd_attachment (contract_id);
alter table fd_attachment enable row level security;
create policy fd_attachment_scope on fd_attachment
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- 授权码: issued by a community admin for an emergency signing at that centre; single use, expiring.
-- Only the SM3 hash of the code is kept.
create table fd_auth_code (
  id bigserial primary key,
  code_hash text not null unique,
  code_hint text not null,                 -- last 2 characters, to tell codes apart on screen
  institution_id bigint not null,
  district_code text not null,
  person_id bigint,                        -- optional: only for this resident
  reason text not null,
  expires_at timestamptz not null,
  issued_by bigint,
  issued_by_name text,
  issued_at timestamptz not null default now(),
  used_at timestamptz,
  used_by bigint,
  used_by_name text,
  used_contract_id bigint,
  revoked_at timestamptz
);
create index fd_auth_code_inst on fd_auth_code (institution_id, issued_at);
alter table fd_auth_code enable row level security;
create policy fd_auth_code_scope on fd_auth_code
  using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));

-- A doctor of another centre may type a code that is not theirs: the lookup tells "wrong centre" from
-- "no such code" without revealing anything else; the code is consumed once, atomically.
create function fd_auth_code_lookup(p_hash text) returns table (id bigint, institution_id bigint, person_id bigint, expires_at timestamptz, used_at timestamptz, revoked_at timestamptz)
language sql stable security definer set search_path = public as $$
  select id, institution_id, person_id, expires_at, used_at, revoked_at from fd_auth_code where code_hash = p_hash
$$;
create function fd_auth_code_consume(p_id bigint, p_user bigint, p_user_name text, p_contract bigint) returns boolean
language sql volatile security definer set search_path = public as $$
  with u as (
    update fd_auth_code set used_at = now(), used_by = p_user, used_by_name = p_user_name, used_contract_id = p_contract
     where id = p_id and used_at is null and revoked_at is null and expires_at > now() returning 1)
  select exists (select 1 from u)
$$;

-- Insurance-card number formats per insured place (参保地), maintained by the city.
create table fd_card_rule (
  insured_place text primary key check (insured_place ~ '^[0-9]{6}$'),
  pattern text not null,
  title text not null,
  example text,
  updated_by bigint,
  updated_by_name text,
  updated_at timestamptz not null default now()
);
alter table fd_card_rule enable row level security;
create policy fd_card_rule_read on fd_card_rule for select using (true);
create policy fd_card_rule_write on fd_card_rule for all
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');
insert into fd_card_rule (insured_place, pattern, title, example, updated_by_name) values
  ('310000', '^S[0-9]{10}$', '上海市医保卡：S + 10 位数字', 'S0123456789', '系统');

-- Who holds a card number (insured place + number identifies one resident): checked city-wide whatever
-- the caller's scope, answering only ids and places (the caller sees no one's data through it).
create function fd_card_holders(p_card text) returns table (person_id bigint, insured_place text)
language sql stable security definer set search_path = public as $$
  select id, insured_place from person where insurance_card_no = p_card
$$;

-- Rendering an agreement the caller may see needs the signatures it names, whatever their own scope (a
-- team-level user does not see the doctor's signature row): the image by id, called only with ids read
-- from an agreement row fetched under the caller's row-level security.
create function fd_signature_image(p_id bigint) returns bytea
language sql stable security definer set search_path = public as $$
  select image from fd_signature where id = p_id
$$;
