-- Mobilise foundation: the workspace, accounts, organisations, themes, people and knowledge needs.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.

create table workspace (
  id boolean primary key default true check (id),
  name text not null,
  created_at timestamptz not null default now()
);

create table organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  type text not null check (type in (
    'health_innovation_network', 'academic_health_partnership', 'integrated_care_system',
    'integrated_care_board', 'local_authority', 'vcse', 'provider', 'community_group',
    'patients_and_public', 'university')),
  website text,
  created_at timestamptz not null default now()
);
create unique index organisations_name_key on organisations (lower(name));

create table themes (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  description text not null default '',
  created_at timestamptz not null default now()
);
create unique index themes_name_key on themes (lower(name));

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  role text not null check (role in ('requester', 'fellow', 'researcher', 'contributor', 'lead', 'admin')),
  organisation_id uuid references organisations (id),
  password_hash text not null,
  password_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table people (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  email text,
  job_title text,
  organisation_id uuid references organisations (id),
  user_id uuid unique references users (id),
  created_at timestamptz not null default now()
);
create index people_organisation_idx on people (organisation_id);

create table person_themes (
  person_id uuid not null references people (id) on delete cascade,
  theme_id uuid not null references themes (id),
  primary key (person_id, theme_id)
);

-- Sessions and tokens are stored as SHA-256 hashes: a database leak does not leak live credentials.
create table sessions (
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  prefix text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

create table login_attempts (
  id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  succeeded boolean not null,
  created_at timestamptz not null
);
create index login_attempts_email_idx on login_attempts (email, created_at);
create index login_attempts_ip_idx on login_attempts (ip, created_at);

create sequence need_reference_seq;

create table needs (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique default ('KN-' || lpad(nextval('need_reference_seq')::text, 4, '0')),
  title text not null check (length(title) between 1 and 200),
  question text not null,
  decision text not null,
  decision_maker text not null default '',
  population text not null default '',
  setting text not null default '',
  tried_so_far text not null default '',
  deadline_on date,
  urgency text not null check (urgency in ('routine', 'soon', 'urgent')),
  audiences text[] not null default '{}',
  organisation_id uuid references organisations (id),
  is_public boolean not null default false,
  share_with_arcs boolean not null default false,
  status text not null default 'submitted'
    check (status in ('submitted', 'triaged', 'in_progress', 'delivered', 'closed')),
  tier text check (tier in ('quick_answer', 'rapid_review', 'partnership')),
  support_kinds text[] not null default '{}',
  resolution text check (resolution in ('completed', 'declined', 'merged', 'withdrawn')),
  decline_reason text,
  merged_into_id uuid references needs (id),
  requester_id uuid references users (id),
  created_by_id uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index needs_status_deadline_idx on needs (status, deadline_on);
create index needs_organisation_idx on needs (organisation_id);
create index needs_requester_idx on needs (requester_id);

create table need_themes (
  need_id uuid not null references needs (id) on delete cascade,
  theme_id uuid not null references themes (id),
  primary key (need_id, theme_id)
);
create index need_themes_theme_idx on need_themes (theme_id);

create table need_fellows (
  need_id uuid not null references needs (id) on delete cascade,
  user_id uuid not null references users (id),
  assigned_by_id uuid not null references users (id),
  assigned_at timestamptz not null default now(),
  primary key (need_id, user_id)
);
create index need_fellows_user_idx on need_fellows (user_id);

-- Append-only history: who changed what, and when.
create table need_events (
  id uuid primary key default gen_random_uuid(),
  need_id uuid not null references needs (id) on delete cascade,
  kind text not null check (kind in ('submitted', 'edited', 'triaged', 'assigned', 'status_changed', 'declined', 'merged')),
  actor_id uuid not null references users (id),
  from_status text,
  to_status text,
  detail jsonb not null default '{}',
  created_at timestamptz not null default clock_timestamp()
);
create index need_events_need_idx on need_events (need_id, created_at);

create table need_comments (
  id uuid primary key default gen_random_uuid(),
  need_id uuid not null references needs (id) on delete cascade,
  author_id uuid not null references users (id),
  body text not null check (length(body) between 1 and 10000),
  is_internal boolean not null default false,
  created_at timestamptz not null default clock_timestamp()
);
create index need_comments_need_idx on need_comments (need_id, created_at);
