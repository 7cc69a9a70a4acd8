-- Staff correct a record's study design by hand (the record page, POST /api/evidence/records/{id}/study-design):
-- migration 0015's flag now says who chose the design and when, so the record page can show it and a
-- merge of two records that both have one keeps the later choice. Clearing the choice (back to the
-- automatic grade) clears all three.
alter table evidence_records
  add column study_design_set_by_id uuid references users (id),
  add column study_design_set_at timestamptz;

-- Nothing set a design by hand before this migration; any row marked so behind the app's back is dated
-- by its last change.
update evidence_records set study_design_set_at = updated_at where study_design_set_by_hand;

alter table evidence_records add constraint evidence_records_design_set_by_hand_check
  check (study_design_set_by_hand = (study_design_set_at is not null));
