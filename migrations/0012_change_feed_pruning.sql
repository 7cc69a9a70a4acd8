-- The evidence change feed is pruned: changes older than a retention period are deleted, and the
-- highest sequence number deleted is kept here. A node (or snapshot) that last applied a change
-- before it has missed changes it can no longer read, and rebuilds its index from the records.
create table evidence_changes_pruned (
  id boolean primary key default true check (id),
  up_to_seq bigint not null
);
insert into evidence_changes_pruned (id, up_to_seq) values (true, 0);
