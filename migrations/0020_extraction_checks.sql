-- A second member of the team checks a record's extracted data (rapid reviews: one person extracts, another checks
-- for correctness and completeness; Garritty et al., Cochrane Rapid Reviews Methods Group, 2021). `basis` is the
-- fingerprint of the answers that were checked: answers saved since no longer count as checked.
create table extraction_checks (
  review_id uuid not null references reviews (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  checked_by_id uuid not null references users (id),
  checked_at timestamptz not null default now(),
  basis text not null,
  primary key (review_id, record_id)
);
