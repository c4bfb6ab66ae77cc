-- Migration 006: the sealed history of every state row (db/state-seal.c).
--
-- History tables (scan, item_event, resolution, ...) are append-only and sealed into the
-- audit chain as they grow. The state tables beside them (item, marking, app_user,
-- user_badge, setting, location, count_session, meta, sync_state) are updated in place,
-- so until now an UPDATE made straight in the file (an item set to 'destroyed', a user
-- promoted to admin) left no trace that `muster audit verify` could see.
--
-- Every time Muster writes a state row, the row's digest is appended here in the same
-- transaction, and this table is sealed into the audit chain like the other history
-- tables. The newest digest of each row is therefore the state Muster last wrote;
-- verification recomputes every row and names any that disagrees, and a count refuses
-- to freeze its expected list from an item whose row does.
--
-- digest is NULL when the row was deleted. Rows existing before this migration are
-- taken as they are, once, as a baseline (audit entry "state.baseline").
--
-- Written with IF NOT EXISTS, as 003, so that a re-run changes nothing.

CREATE TABLE IF NOT EXISTS row_state (
  id      INTEGER PRIMARY KEY,
  tbl     TEXT NOT NULL,
  row_id  INTEGER NOT NULL,
  digest  BLOB CHECK (digest IS NULL OR length(digest) = 32)
) STRICT;
CREATE INDEX IF NOT EXISTS row_state_row ON row_state (tbl, row_id, id);

CREATE TRIGGER IF NOT EXISTS row_state_no_update BEFORE UPDATE ON row_state
BEGIN SELECT RAISE(ABORT, 'sealed row states are append-only'); END;
CREATE TRIGGER IF NOT EXISTS row_state_no_delete BEFORE DELETE ON row_state
BEGIN SELECT RAISE(ABORT, 'sealed row states are append-only'); END;
