-- Migration 009: the marking values recorded on more than one item, kept as markings are
-- written.
--
-- Reconciliation reports a marking on two records (duplicate_marking) and used to find
-- the candidates by reading the whole marking_value index at every reconcile: a million
-- and a half entries, as much work again as finding the missing items. A marking row is
-- never deleted and its value and item never change (001's triggers), so the set of
-- values on two or more items only ever grows, by an insert: the trigger below notes it
-- there, at the cost of one index probe a marking. db/reconcile.c checks the candidates
-- exactly (active markings, items of the count), so a retired marking here is harmless.
--
-- The table is derived, not a record: it is not sealed. Each reconciliation records a
-- digest of the list it read in its count.reconcile entry, and sign-off checks that the
-- list holds every value the marking table repeats and that the digest matches the list
-- the sealed markings gave then (db/reconcile.c, muster_reconcile_check_register()).
--
-- Like 003 and 005 this can run over itself: it fills in what is missing.

CREATE TABLE IF NOT EXISTS marking_repeat (
  value TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT INTO marking_repeat (value)
  SELECT value FROM marking GROUP BY value HAVING count(DISTINCT item_id) > 1
  EXCEPT SELECT value FROM marking_repeat;

CREATE TRIGGER IF NOT EXISTS marking_repeat_note AFTER INSERT ON marking
WHEN EXISTS (SELECT 1 FROM marking m WHERE m.value = NEW.value AND m.item_id <> NEW.item_id)
BEGIN
  -- not INSERT OR IGNORE: an outer INSERT OR REPLACE would turn that into a REPLACE
  INSERT INTO marking_repeat (value) SELECT NEW.value
    WHERE NOT EXISTS (SELECT 1 FROM marking_repeat WHERE value = NEW.value);
END;

CREATE TRIGGER IF NOT EXISTS marking_repeat_no_update BEFORE UPDATE ON marking_repeat
BEGIN SELECT RAISE(ABORT, 'marking_repeat is kept by its trigger'); END;
CREATE TRIGGER IF NOT EXISTS marking_repeat_no_delete BEFORE DELETE ON marking_repeat
BEGIN SELECT RAISE(ABORT, 'marking_repeat is kept by its trigger'); END;
