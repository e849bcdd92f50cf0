-- The one place data scope is decided. Every scoped table's row-level-security policy calls this
-- with its own columns (null where a column does not apply). The settings are set per transaction
-- by the kernel (platform/db scopeStatements) from the signed-in user's scope.
create or replace function wj_scope_ok(p_district text, p_street text, p_inst bigint, p_team bigint, p_doctor bigint)
returns boolean language sql stable as $$
  select case current_setting('weijian.level', true)
    when 'city' then true
    when 'district' then p_district is not null and p_district = current_setting('weijian.district', true)
    when 'street' then p_street is not null and p_street = current_setting('weijian.street', true)
    when 'institution' then p_inst is not null and p_inst = nullif(current_setting('weijian.inst', true), '')::bigint
    when 'team' then p_team is not null and p_team = nullif(current_setting('weijian.team', true), '')::bigint
    when 'own' then p_doctor is not null and p_doctor = nullif(current_setting('weijian.doctor', true), '')::bigint
    else false
  end
$$;
