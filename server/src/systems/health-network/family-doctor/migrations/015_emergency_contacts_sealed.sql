-- Emergency-contact phones are personal data like the resident's own phone (docs/security.md): the full
-- contacts are kept SM4-sealed in emergency_contacts_enc (one token over the JSON array), and
-- emergency_contacts keeps only what lists show — name, relation and the masked phone. Rows written before
-- this migration still hold plaintext phones in emergency_contacts: the job family-doctor.seal-contacts
-- seals them (SQL cannot, the keys live in the application).
alter table fd_contract add column emergency_contacts_enc text;
