-- Evidence a fellow pins to a need: the records the answer will draw on.
create table need_evidence (
  need_id uuid not null references needs (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  pinned_by_id uuid not null references users (id),
  note text not null default '',
  pinned_at timestamptz not null default now(),
  primary key (need_id, record_id)
);
create index need_evidence_record_idx on need_evidence (record_id);
