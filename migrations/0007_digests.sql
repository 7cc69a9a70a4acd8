-- Email digests of new evidence: opt-in per account (and per saved search). Each digest is kept:
-- sent through SMTP when the server has an SMTP_URL, otherwise left for a fellow to send by hand.
alter table users add column wants_digest boolean not null default false;

create table digests (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  subject text not null,
  body text not null,
  alert_count integer not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  sent_via text check (sent_via in ('smtp', 'by_hand')),
  sent_by_id uuid references users (id)
);
create index digests_unsent_idx on digests (created_at) where sent_at is null;
