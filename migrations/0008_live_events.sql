-- Live events for open pages across app nodes (PostgreSQL only). The node that publishes an event
-- writes it here and announces its id with NOTIFY; every other node reads it and pushes it to its
-- own open pages. A row is only needed for the moment it takes to relay, so old rows are deleted.
-- (NOTIFY payloads are limited to 8,000 bytes; a message with a long comment would not fit.)
create table live_events (
  id bigint generated always as identity primary key,
  node text not null,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index live_events_created_idx on live_events (created_at);
