-- Per-stay windows ("sum of amounts per encounter > N", "lines per encounter > N") read only the
-- encounter id and the amount: with the amount in the index they are an index-only scan in encounter
-- order instead of a visit to every heap row. It replaces the plain encounter index (same leading column).
create index hm_fee_line_encounter_amount on hm_fee_line (encounter_id) include (amount);
drop index hm_fee_line_encounter;
