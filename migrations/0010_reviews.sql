-- Rapid evidence reviews. A review holds its own library (libraries.kind = 'review'), so its records,
-- import batches and duplicate pairs use the evidence library's code unchanged and never mix with the
-- main library. Screening decisions are append-only: a changed mind is a new row, and the row it
-- replaces stays with is_current = false, so the log replays the review exactly.
create sequence review_reference_seq;

create table reviews (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique default ('RV-' || lpad(nextval('review_reference_seq')::text, 4, '0')),
  title text not null check (length(title) between 1 and 300),
  need_id uuid references needs (id),
  library_id uuid not null unique references libraries (id),
  status text not null default 'planning' check (status in ('planning', 'screening', 'extraction', 'complete', 'archived')),
  question text not null check (length(question) between 1 and 4000),
  -- PICO, PEO or SPIDER: the framework's fields are kept by name in `framework_fields`.
  framework text not null default 'pico' check (framework in ('pico', 'peo', 'spider')),
  framework_fields jsonb not null default '{}'::jsonb,
  inclusion_criteria text not null default '',
  exclusion_criteria text not null default '',
  exclusion_reasons text[] not null,
  include_keywords text[] not null default '{}',
  exclude_keywords text[] not null default '{}',
  -- Dual screening: two independent decisions per record and stage; blinding hides each from the other.
  is_dual boolean not null default false,
  is_blind boolean not null default true,
  model text not null default 'nb' check (model in ('nb', 'logistic')),
  random_share real not null default 0 check (random_share >= 0 and random_share <= 0.5),
  -- Labels of the PRISMA 2020 diagram's boxes that the team has reworded, by box.
  prisma_labels jsonb not null default '{}'::jsonb,
  created_by_id uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table review_members (
  review_id uuid not null references reviews (id) on delete cascade,
  user_id uuid not null references users (id),
  -- lead: runs the review (protocol, records, team); screener: screens; arbiter: also resolves conflicts.
  role text not null check (role in ('lead', 'screener', 'arbiter')),
  added_at timestamptz not null default now(),
  primary key (review_id, user_id)
);

-- How each record came into the review, beyond import batches (which record their own file and hash).
create table review_additions (
  id uuid primary key default gen_random_uuid(),
  review_id uuid not null references reviews (id) on delete cascade,
  source text not null check (source in ('library', 'need_matches')),
  -- The record this review's copy was made from, and (for need matches) the need.
  from_record_id uuid references evidence_records (id),
  need_id uuid references needs (id),
  record_id uuid not null references evidence_records (id),
  added_by_id uuid references users (id),
  added_at timestamptz not null default now()
);
create index review_additions_review_idx on review_additions (review_id);

create table screening_decisions (
  id bigint generated always as identity primary key,
  review_id uuid not null references reviews (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  stage text not null check (stage in ('title_abstract', 'full_text')),
  screener_id uuid not null references users (id),
  decision text not null check (decision in ('include', 'exclude', 'maybe', 'not_retrieved')),
  reason text,
  -- The ranking model that put the record in front of the screener, and where it ranked it.
  model_version text,
  rank_position integer,
  is_current boolean not null default true,
  decided_at timestamptz not null default now(),
  check (decision <> 'exclude' or reason is not null),
  check (decision <> 'not_retrieved' or stage = 'full_text')
);
create unique index screening_decisions_current on screening_decisions (review_id, record_id, stage, screener_id) where is_current;
create index screening_decisions_review_idx on screening_decisions (review_id, stage);

-- A conflict between two screeners, settled by an arbiter; the settled decision is final.
create table screening_resolutions (
  review_id uuid not null references reviews (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  stage text not null check (stage in ('title_abstract', 'full_text')),
  decision text not null check (decision in ('include', 'exclude', 'not_retrieved')),
  reason text,
  resolved_by_id uuid not null references users (id),
  resolved_at timestamptz not null default now(),
  primary key (review_id, record_id, stage),
  check (decision <> 'exclude' or reason is not null)
);

create table review_notes (
  id uuid primary key default gen_random_uuid(),
  review_id uuid not null references reviews (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  author_id uuid not null references users (id),
  body text not null check (length(body) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index review_notes_record_idx on review_notes (review_id, record_id);

create table review_tags (
  review_id uuid not null references reviews (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  tag text not null check (length(tag) between 1 and 60),
  added_by_id uuid references users (id),
  primary key (review_id, record_id, tag)
);

-- Each retrained ranking model: what it was trained on, for the decision log.
create table review_models (
  review_id uuid not null references reviews (id) on delete cascade,
  version integer not null,
  model text not null,
  included integer not null,
  excluded integer not null,
  records integer not null,
  trained_ms integer not null,
  trained_at timestamptz not null default now(),
  primary key (review_id, version)
);

-- Data extraction: the team's form, and each included record's answers.
create table extraction_fields (
  id uuid primary key default gen_random_uuid(),
  review_id uuid not null references reviews (id) on delete cascade,
  position integer not null,
  label text not null check (length(label) between 1 and 200),
  kind text not null check (kind in ('text', 'number', 'choice', 'table')),
  -- choice: {"choices": [...]}; table: {"columns": [...]}
  options jsonb not null default '{}'::jsonb,
  is_required boolean not null default false
);
create index extraction_fields_review_idx on extraction_fields (review_id, position);

create table extraction_values (
  review_id uuid not null references reviews (id) on delete cascade,
  record_id uuid not null references evidence_records (id),
  field_id uuid not null references extraction_fields (id) on delete cascade,
  value jsonb not null,
  updated_by_id uuid references users (id),
  updated_at timestamptz not null default now(),
  primary key (review_id, record_id, field_id)
);
