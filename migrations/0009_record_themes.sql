-- Research themes on evidence records, so that the library, search and matching can filter by theme.
-- A fellow sets them on the record page, an import can tag its whole file, and pinning a record to a
-- need adds the need's themes.
create table record_themes (
  record_id uuid not null references evidence_records (id) on delete cascade,
  theme_id uuid not null references themes (id) on delete cascade,
  added_by_id uuid references users (id),
  added_at timestamptz not null default now(),
  primary key (record_id, theme_id)
);
create index record_themes_theme_idx on record_themes (theme_id);

-- A record's themes are part of what the evidence index holds (a filter), so changing them appends
-- the record to the change feed and announces it, as 0003 does for the record itself. Per statement,
-- over the transition tables: tagging a whole import appends each record once, not once per theme.
create function record_themes_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' or tg_op = 'UPDATE' then
    insert into evidence_changes (record_id) select distinct record_id from new_rows;
    perform pg_notify('evidence_changes', changed.record_id::text) from (select distinct record_id from new_rows) changed;
  end if;
  if tg_op = 'DELETE' or tg_op = 'UPDATE' then
    insert into evidence_changes (record_id) select distinct record_id from old_rows;
    perform pg_notify('evidence_changes', changed.record_id::text) from (select distinct record_id from old_rows) changed;
  end if;
  return null;
end;
$$;

create trigger record_themes_inserted
  after insert on record_themes
  referencing new table as new_rows
  for each statement execute function record_themes_changed();

create trigger record_themes_updated
  after update on record_themes
  referencing old table as old_rows new table as new_rows
  for each statement execute function record_themes_changed();

create trigger record_themes_deleted
  after delete on record_themes
  referencing old table as old_rows
  for each statement execute function record_themes_changed();
