-- Expertise profiles: what a person (most often a researcher) knows about, matched to needs.
alter table people add column expertise text not null default '';
alter table people add column updated_at timestamptz not null default now();
