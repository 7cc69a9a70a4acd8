-- Briefings and the rest of the loop: delivery, follow-up and impact (issue #6).
-- A briefing's text lives in versions: every save is a new version, so any two can be compared and
-- nothing written is lost. Citations in a section's text are `[@n]`, n being the record's place in
-- the briefing's evidence list (briefing_records).
create sequence briefing_reference_seq;

create table briefings (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique default ('BR-' || lpad(nextval('briefing_reference_seq')::text, 4, '0')),
  need_id uuid references needs (id),
  review_id uuid references reviews (id),
  template text not null check (template in ('decision', 'practitioner', 'public', 'board')),
  title text not null check (length(title) between 1 and 300),
  status text not null default 'draft' check (status in ('draft', 'in_review', 'approved', 'delivered')),
  citation_style text not null default 'vancouver' check (citation_style in ('vancouver', 'harvard')),
  is_public boolean not null default false,
  -- The address of the public page of an output marked public (random, unguessable).
  public_slug text unique,
  current_version integer not null default 1,
  created_by_id uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index briefings_need_idx on briefings (need_id);

create table briefing_versions (
  briefing_id uuid not null references briefings (id) on delete cascade,
  version integer not null,
  -- [{key, heading, body}] in the template's order.
  sections jsonb not null,
  note text not null default '',
  created_by_id uuid not null references users (id),
  created_at timestamptz not null default now(),
  primary key (briefing_id, version)
);

create table briefing_records (
  briefing_id uuid not null references briefings (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  position integer not null,
  primary key (briefing_id, record_id),
  unique (briefing_id, position)
);

-- Comments while a briefing is in review, by a second fellow or a public contributor.
create table briefing_comments (
  id uuid primary key default gen_random_uuid(),
  briefing_id uuid not null references briefings (id) on delete cascade,
  version integer not null,
  section_key text,
  author_id uuid not null references users (id),
  body text not null check (length(body) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index briefing_comments_idx on briefing_comments (briefing_id, created_at);

create table briefing_events (
  id bigint generated always as identity primary key,
  briefing_id uuid not null references briefings (id) on delete cascade,
  from_status text,
  to_status text not null,
  actor_id uuid not null references users (id),
  at timestamptz not null default now()
);

-- Follow-ups after delivery (1, 3, 6 and 12 months by default): a short form reached by a link with
-- a random token (only its SHA-256 is stored), no account needed.
create table followups (
  id uuid primary key default gen_random_uuid(),
  need_id uuid not null references needs (id),
  briefing_id uuid references briefings (id),
  months integer not null check (months between 1 and 60),
  due_on date not null,
  token_sha256 text not null unique,
  recipient_email text,
  sent_at timestamptz,
  sent_via text check (sent_via in ('smtp', 'by_hand')),
  answered_at timestamptz,
  created_at timestamptz not null default now(),
  unique (need_id, briefing_id, months)
);
create index followups_due_idx on followups (due_on) where sent_at is null;

-- What difference the work made: one record per follow-up answer (or logged by a fellow).
create table impact_records (
  id uuid primary key default gen_random_uuid(),
  need_id uuid not null references needs (id),
  briefing_id uuid references briefings (id),
  followup_id uuid unique references followups (id),
  kinds text[] not null,
  uses text[] not null,
  detail text not null default '',
  not_used_reason text,
  fellow_ids uuid[] not null default '{}',
  recorded_by_id uuid references users (id),
  created_at timestamptz not null default now(),
  check (kinds <@ array['instrumental', 'conceptual', 'capacity_building', 'culture_change']::text[]),
  check (uses <@ array['informed_decision', 'changed_service', 'shared', 'not_used']::text[])
);
create index impact_records_need_idx on impact_records (need_id);

-- Everything fellows do, with partner, theme and hours; needs and outputs log theirs automatically.
create table activities (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('evidence_review', 'briefing', 'collaboration', 'ppi_codesign', 'evaluation_advice', 'health_data', 'training')),
  title text not null check (length(title) between 1 and 300),
  occurred_on date not null,
  hours numeric(6, 2) not null default 0 check (hours >= 0 and hours <= 1000),
  organisation_id uuid references organisations (id),
  theme_id uuid references themes (id),
  need_id uuid references needs (id),
  briefing_id uuid references briefings (id),
  fellow_id uuid not null references users (id),
  notes text not null default '',
  is_automatic boolean not null default false,
  created_at timestamptz not null default now()
);
create index activities_fellow_idx on activities (fellow_id, occurred_on);
create index activities_occurred_idx on activities (occurred_on);
