-- Migration 002: indexes for tracing and for reconciliation.
--
-- Tracing must be timely: the history of one weapon looks up every count that found or
-- expected it, which without these indexes reads the whole of count_find and
-- count_expected (millions of rows after a few full counts).
CREATE INDEX count_find_item ON count_find (item_id);
CREATE INDEX count_expected_item ON count_expected (item_id);

-- Reconciliation only needs the scans that can be findings; a partial index keeps them
-- apart from the million ordinary accepted or repeated reads of a big count. (Written
-- without NOT IN for the reason given in 001; db/reconcile.c repeats this condition
-- word for word so that the planner uses the index.)
CREATE INDEX scan_notable ON scan (count_id)
  WHERE check_group IS NOT NULL
     OR (outcome <> 'accepted' AND outcome <> 'duplicate' AND outcome <> 'unreadable');
