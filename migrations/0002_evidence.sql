-- Evidence library: libraries, import batches (provenance, append-only), records, their sources,
-- duplicate candidates, and a staging area that makes each file's import all-or-nothing.

create table libraries (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  kind text not null check (kind in ('main', 'review')),
  created_at timestamptz not null default now()
);
-- A workspace has exactly one main library; reviews (a later issue) hold their own.
create unique index libraries_one_main on libraries (kind) where kind = 'main';
insert into libraries (name, kind) values ('Main library', 'main');

create table import_batches (
  id uuid primary key default gen_random_uuid(),
  library_id uuid not null references libraries (id),
  file_name text not null,
  format text not null,
  file_sha256 text not null,
  source_database text,
  search_query text,
  parsed_count integer not null,
  imported_count integer not null,
  duplicate_count integer not null,
  invalid_count integer not null,
  imported_by_id uuid references users (id),
  created_at timestamptz not null default now()
);
create index import_batches_library_idx on import_batches (library_id, created_at);

create table evidence_records (
  id uuid primary key default gen_random_uuid(),
  library_id uuid not null references libraries (id),
  title text not null,
  abstract text,
  authors text[] not null default '{}',
  year integer,
  journal text,
  volume text,
  issue text,
  pages text,
  doi text,
  pmid text,
  pmcid text,
  url text,
  language text,
  publication_types text[] not null default '{}',
  keywords text[] not null default '{}',
  mesh_terms text[] not null default '{}',
  source_databases text[] not null default '{}',
  issn text,
  publisher text,
  reference_type text,
  study_design text not null default 'other' check (study_design in (
    'guideline', 'systematic_review', 'rct', 'cohort', 'case_control', 'cross_sectional', 'qualitative',
    'economic_evaluation', 'case_report', 'editorial', 'other')),
  evidence_level integer check (evidence_level between 1 and 6),
  -- De-duplication keys, derived from the fields by core/evidence/dedupe.ts.
  title_key text not null,
  author_key text,
  block_keys text[] not null default '{}',
  first_batch_id uuid references import_batches (id),
  -- A record merged into another stays for the audit trail but is hidden from the library.
  merged_into_id uuid references evidence_records (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index evidence_records_library_idx on evidence_records (library_id, created_at) where merged_into_id is null;
create index evidence_records_doi_idx on evidence_records (library_id, doi) where doi is not null;
create index evidence_records_pmid_idx on evidence_records (library_id, pmid) where pmid is not null;
create index evidence_records_title_key_idx on evidence_records (library_id, title_key);
create index evidence_records_block_keys_idx on evidence_records using gin (block_keys);
create index evidence_records_year_idx on evidence_records (library_id, year);
create index evidence_records_design_idx on evidence_records (library_id, study_design, evidence_level);

-- Every time a record arrived, with the fields as that source gave them: merges remember every source.
create table record_sources (
  id uuid primary key default gen_random_uuid(),
  record_id uuid not null references evidence_records (id) on delete cascade,
  batch_id uuid references import_batches (id),
  line integer,
  source_database text,
  fields jsonb not null,
  created_at timestamptz not null default now()
);
create index record_sources_record_idx on record_sources (record_id);
create index record_sources_batch_idx on record_sources (batch_id);

-- Uncertain pairs for a fellow to merge or keep apart. record_id < other_id keeps one row per pair.
create table duplicate_candidates (
  id uuid primary key default gen_random_uuid(),
  library_id uuid not null references libraries (id),
  record_id uuid not null references evidence_records (id) on delete cascade,
  other_id uuid not null references evidence_records (id) on delete cascade,
  score real not null,
  reasons text[] not null default '{}',
  status text not null default 'open' check (status in ('open', 'merged', 'kept_apart')),
  decided_by_id uuid references users (id),
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  check (record_id < other_id),
  unique (record_id, other_id)
);
create index duplicate_candidates_open_idx on duplicate_candidates (library_id, status, score desc);

-- Rows of a file being imported, written in small transactions while the file streams in and then
-- promoted to records in one transaction, or deleted: readers never see half a file. Each row knows
-- the id it will have (is_new) or the record it duplicates, and its uncertain pairs.
create table import_staging (
  import_id uuid not null,
  seq integer not null,
  line integer not null,
  record_id uuid not null,
  is_new boolean not null,
  fields jsonb not null,
  candidates jsonb not null default '[]',
  created_at timestamptz not null default now(),
  primary key (import_id, seq)
);
