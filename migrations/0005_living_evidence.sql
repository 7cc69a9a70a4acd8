-- Living needs and saved searches: each keeps its current top matches; a record that newly enters
-- them becomes an alert for the people who follow it. Alerts are created exactly once even with
-- several app nodes: only the node whose insert into search_matches succeeds creates them.
create table saved_searches (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id) on delete cascade,
  -- A need's own living search (one per need); otherwise a user's saved search.
  need_id uuid unique references needs (id) on delete cascade,
  name text not null,
  query text not null,
  filters jsonb not null default '{}',
  wants_email boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index saved_searches_owner_idx on saved_searches (owner_id);

create table search_matches (
  saved_search_id uuid not null references saved_searches (id) on delete cascade,
  record_id uuid not null references evidence_records (id) on delete cascade,
  score real not null,
  matched_at timestamptz not null default now(),
  primary key (saved_search_id, record_id)
);

create table alerts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  saved_search_id uuid not null references saved_searches (id) on delete cascade,
  record_id uuid not null references evidence_records (id) on delete cascade,
  created_at timestamptz not null default now(),
  seen_at timestamptz,
  emailed_at timestamptz,
  unique (user_id, saved_search_id, record_id)
);
create index alerts_user_idx on alerts (user_id, seen_at, created_at desc);
