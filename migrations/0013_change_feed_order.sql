-- The change feed is read in commit-safe order. A sequence number is taken when a change is written,
-- not when it commits, so with concurrent writers on PostgreSQL a later number can become visible
-- before an earlier one, and a reader that had moved past the earlier one would never see it.
--
-- Each change now records its transaction id (xid8, which never wraps). Readers take only changes
-- whose transaction is older than their snapshot's xmin (every transaction below it has ended, so that
-- part of the feed is final) and walk it in (xid, seq) order. Any change written later belongs to a
-- transaction at or above that xmin, so it sorts after every position already read: none is skipped.
-- Existing changes were all committed long ago: they get xid 0 and keep their sequence order.
alter table evidence_changes add column xid xid8 not null default '0';
alter table evidence_changes alter column xid set default pg_current_xact_id();
create index evidence_changes_position on evidence_changes (xid, seq);

-- How far the feed was pruned, as a position in the same order.
alter table evidence_changes_pruned add column up_to_xid xid8 not null default '0';
