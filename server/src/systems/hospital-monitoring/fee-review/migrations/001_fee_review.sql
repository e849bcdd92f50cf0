-- 费用偏离病例专家核查: hospitals upload the case file (PDF) of a case whose cost deviates from its group's
-- standard, with their explanation; experts review it along the check dimensions and conclude.
-- States: uploaded → under_review → concluded.

-- The check dimensions (核查维度): admin-editable, never deleted (reviews keep code and title).
create table fr_dimension (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  title text not null,
  description text,
  sort_order int not null default 0,
  active boolean not null default true,
  updated_by text,
  updated_at timestamptz not null default now()
);
insert into fr_dimension (code, title, description, sort_order) values
  ('diagnosis', '合理诊断', '主要诊断选择与编码是否准确，有无高套、低套或漏填其他诊断', 1),
  ('examination', '合理检查', '检查检验是否有指征，有无重复、过度或无关检查', 2),
  ('medication', '合理用药', '用药是否符合适应证、用法用量及限定支付范围，有无超范围、超剂量用药', 3),
  ('treatment', '合理治疗', '治疗与手术操作是否必要、规范，住院天数是否合理', 4),
  ('charging', '合理收费', '有无重复收费、分解收费、超标准收费、串换项目收费', 5),
  ('record', '病案质量', '病历书写是否完整、及时，病程与医嘱、费用清单是否一致', 6);

-- The sections a case file is split into, recognised by their headings (title or an alias).
create table fr_section_def (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  title text not null,
  aliases text[] not null default '{}',
  sort_order int not null default 0,
  active boolean not null default true,
  updated_by text,
  updated_at timestamptz not null default now()
);
insert into fr_section_def (code, title, aliases, sort_order) values
  ('front_page', '病案首页', '{住院病案首页}', 1),
  ('admission', '入院记录', '{入院病历,入院病史}', 2),
  ('progress', '病程记录', '{首次病程记录,日常病程记录,病程录}', 3),
  ('surgery', '手术记录', '{手术操作记录,麻醉记录}', 4),
  ('orders', '医嘱', '{医嘱单,长期医嘱,临时医嘱,长期医嘱单,临时医嘱单}', 5),
  ('reports', '检查检验报告', '{检查报告,检验报告,化验报告,影像报告}', 6),
  ('fee_list', '费用清单', '{费用明细,住院费用清单,费用明细清单,收费清单}', 7),
  ('discharge', '出院记录', '{出院小结,出院记录单}', 8);

create table fr_case (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  district_code text not null,
  case_no text not null,                                   -- 病案号
  patient_mask text,                                       -- masked name (王*明), never the full name
  discharged_on date,
  total_amount numeric(12, 2),
  deviation_kind text check (deviation_kind in ('high', 'low')),   -- 高倍率 / 低倍率
  explanation text not null,                               -- 医院说明
  filename text not null,
  pdf bytea not null,
  pdf_bytes int not null,
  page_count int,
  text text not null,
  sections jsonb not null default '[]',                   -- [{ code, title, heading, start, end }]
  status text not null default 'uploaded' check (status in ('uploaded', 'under_review', 'concluded')),
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  reviewer text,
  review_started_at timestamptz,
  conclusion text check (conclusion in ('reasonable', 'partly_reasonable', 'unreasonable')),
  conclusion_note text,
  concluded_at timestamptz,
  updated_at timestamptz not null default now()
);
create index fr_case_inst on fr_case (institution_id, uploaded_at);
create index fr_case_district on fr_case (district_code, status);
create unique index fr_case_open_no on fr_case (institution_id, case_no) where status <> 'concluded';

create table fr_case_finding (
  case_id bigint not null references fr_case(id),
  dimension_code text not null references fr_dimension(code),
  dimension_title text not null,
  result text not null check (result in ('compliant', 'issue', 'not_applicable')),
  note text,
  institution_id bigint not null,
  district_code text not null,
  primary key (case_id, dimension_code)
);

alter table fr_case enable row level security;
create policy fr_case_scope on fr_case using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table fr_case_finding enable row level security;
create policy fr_case_finding_scope on fr_case_finding using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
