-- Migration 008: serials kept as written, matched by their key.
--
-- Until 008 the serial was stored normalised (upper-cased, NFC-composed): a serial
-- engraved in lower case, or one such as "'); DROP TABLE items;--", was shown and
-- exported other than it was written. From 008 on item.serial keeps the text as written
-- (trimmed), and serial_key beside it holds the form lookups and uniqueness use: the
-- engraved_serial normalisation of marking/marking.c, as every marking value is. "gl-1"
-- and "GL-1" of one manufacturer are one serial, recorded once.
--
-- Rows written before 008 are not rewritten: their serial was normalised when it was
-- written, so it is its own key, and their serial_key stays NULL. The unique index and
-- every lookup use coalesce(serial_key, serial), which covers both.
--
-- Unlike 003 and 005 this cannot be re-run over itself: ADD COLUMN has no IF NOT EXISTS.

ALTER TABLE item ADD COLUMN serial_key TEXT;
CREATE UNIQUE INDEX item_serial_key ON item (coalesce(serial_key, serial), manufacturer);
-- Lookups by serial go through item_serial_key now.
DROP INDEX IF EXISTS item_serial;
