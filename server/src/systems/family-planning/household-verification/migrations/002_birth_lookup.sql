-- The 公安 registration of one birth, for the street verifying that birth (出生监测核实 task form).
-- A registration is scoped to the street of its 派出所, a verification task to the street where the mother
-- lives; they often differ. Security definer on purpose: the caller (birth-verification) has already loaded
-- the task under row-level security and passes only that task's certificate number, name, birth date and
-- mother's name, so it learns only the registration of a birth it may see.
-- Matched as the monthly pull matched it: the newborn library's 出生医学证明编号 on the registration; else
-- the child's name, birth date and mother's name together.
create index fp_hv_registration_certificate on fp_hv_registration ((newborn->>'certificateNo'));
create index fp_hv_registration_birth on fp_hv_registration (birth_date, child_name);

create function fp_hv_registration_for_birth(p_certificate text, p_child_name text, p_birth date, p_mother_name text)
returns setof fp_hv_registration language sql stable security definer set search_path = public as $$
  select * from fp_hv_registration where newborn->>'certificateNo' = p_certificate
  union all
  select * from fp_hv_registration
   where birth_date = p_birth and child_name = p_child_name and mother_name = p_mother_name
     and newborn->>'certificateNo' is distinct from p_certificate
  order by 1 limit 10
$$;
