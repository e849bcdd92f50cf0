-- What other modules may read of the family-doctor data (module exports, docs/architecture.md "Module
-- boundaries"): views, so the tables stay this module's to change. security_invoker: the reader's row-level
-- security applies exactly as if it read the table (a plain view would run with its owner's rights).
create view fd_contract_v with (security_invoker = true) as select * from fd_contract;
create view fd_contract_event_v with (security_invoker = true) as select * from fd_contract_event;
create view fd_visit_v with (security_invoker = true) as select * from fd_visit;
create view fd_setting_v with (security_invoker = true) as select * from fd_setting;
