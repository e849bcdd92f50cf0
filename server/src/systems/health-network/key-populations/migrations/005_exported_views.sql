-- What other modules may read of this module (docs/architecture.md "Module boundaries"): the family-doctor
-- contract list reads the per-tag contract counts through this view, not the table. security_invoker: the
-- reader's row-level security applies as on the table.
create view kp_contract_tag_count_v with (security_invoker = true) as select * from kp_contract_tag_count;
