-- The evidence change feed: every insert or update of a record appends its id here (a trigger, so
-- no write path can forget). Each app node's in-process index catches up from the last change it
-- applied; its snapshot file remembers that sequence number. On a PostgreSQL server the trigger
-- also announces the change (NOTIFY) so other nodes catch up at once.
create table evidence_changes (
  seq bigint generated always as identity primary key,
  record_id uuid not null,
  changed_at timestamptz not null default now()
);

create function evidence_record_changed() returns trigger language plpgsql as $$
begin
  insert into evidence_changes (record_id) values (new.id);
  perform pg_notify('evidence_changes', new.id::text);
  return new;
end;
$$;

create trigger evidence_records_changed
  after insert or update on evidence_records
  for each row execute function evidence_record_changed();
