-- Masked copies for lists, so a practitioner list never needs to decrypt identity numbers or phones.
alter table practitioner add column id_number_mask text, add column phone_mask text;
create index practitioner_district on practitioner (district_code) where active;
