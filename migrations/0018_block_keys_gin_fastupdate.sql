-- De-duplication looks each imported record's blocking keys up in this index. With GIN's fast update, the keys of
-- records just imported wait in a pending list that every lookup reads through, which made each lookup take
-- milliseconds after a large import until a vacuum merged the list. Written straight into the index instead, each
-- lookup stays a few microseconds (docs/decisions/0005).
alter index evidence_records_block_keys_idx set (fastupdate = off);
select gin_clean_pending_list('evidence_records_block_keys_idx');
