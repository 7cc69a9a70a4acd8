-- A saved search keeps how its results were ranked: `boosted` (higher evidence levels and recent work
-- first, the default) or `plain` (BM25F alone), so its alerts follow the order the user saw.
alter table saved_searches add column ranking text not null default 'boosted' check (ranking in ('boosted', 'plain'));
