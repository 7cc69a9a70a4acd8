-- A review's overview lists the briefings started from it (briefings.review_id), as a need's page lists
-- its own through briefings_need_idx.
create index briefings_review_idx on briefings (review_id);
