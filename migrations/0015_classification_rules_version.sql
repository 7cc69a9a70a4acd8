-- Stored study designs follow the classification rules (core/evidence/classify.ts). The rules carry a
-- version (classificationRulesVersion); this row says which version the workspace's stored designs
-- follow. When the app starts with rules newer than it, it reclassifies every record in the background,
-- in short batches, and then raises it (`mobilise evidence reclassify` does the same on demand).
-- 0: classified before the rules had a version.
--
-- Kept for the workspace rather than on each record: stamping a version on a record whose design
-- did not change would still be an update, and every update of a record goes to the change feed
-- (migration 0003), so each node would re-index and re-match the whole library for nothing.
create table classification_state (
  id boolean primary key default true check (id),
  rules_version integer not null check (rules_version >= 0)
);
insert into classification_state (id, rules_version) values (true, 0);

-- A design a person chose by hand: reclassification never changes it (nor does a merge). Nothing sets
-- a design by hand yet, so every existing record's design is the rules' (false).
alter table evidence_records add column study_design_set_by_hand boolean not null default false;
