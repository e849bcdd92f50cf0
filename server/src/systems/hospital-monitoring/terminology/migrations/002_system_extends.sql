-- Local extensions (上海扩增码, 临床版编码库): a code system may extend another; its concepts are its own,
-- their parents may be codes of the base system, and reads see the base and the extension as one tree.
alter table term_system add column extends_id bigint references term_system(id);
