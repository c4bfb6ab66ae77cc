-- Migration 005: photos of unmarked items, kept in the record store itself.
--
-- unmarked_item.photo_path (001) names a file, and a file can vanish or be edited: that is
-- no record to keep for twenty years. A photo is stored here as its bytes, with their
-- SHA-256, appended in the same transaction as the item it shows (db/unmarked-photos.c).
-- The table is sealed into the audit chain like the other history tables (db/audit.c),
-- and the SHA-256 is in the audit entry and the outbox event of the item, so an altered
-- photo is found by `muster audit verify` and the registry holds its digest.
--
-- Only PNG and JPEG (checked by their magic bytes before insertion), at most 8 MiB: a
-- kiosk camera frame is well under 1 MiB, a phone's JPEG a few MiB.
--
-- Written with IF NOT EXISTS, as 003, so that re-running it over a database whose
-- user_version was set back changes nothing.

CREATE TABLE IF NOT EXISTS unmarked_photo (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  unmarked_id INTEGER NOT NULL REFERENCES unmarked_item(id),
  media_type  TEXT NOT NULL CHECK (media_type = 'image/png' OR media_type = 'image/jpeg'),
  bytes       BLOB NOT NULL CHECK (length(bytes) > 0 AND length(bytes) <= 8388608),
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),  -- lowercase hex of bytes
  width       INTEGER CHECK (width IS NULL OR width > 0),  -- NULL when the header
  height      INTEGER CHECK (height IS NULL OR height > 0), -- does not say
  taken_at    TEXT NOT NULL,
  taken_by    INTEGER NOT NULL REFERENCES app_user(id)
) STRICT;
CREATE INDEX IF NOT EXISTS unmarked_photo_item ON unmarked_photo (unmarked_id, id);

CREATE TRIGGER IF NOT EXISTS unmarked_photo_no_update BEFORE UPDATE ON unmarked_photo
BEGIN SELECT RAISE(ABORT, 'photos of unmarked items are append-only'); END;
CREATE TRIGGER IF NOT EXISTS unmarked_photo_no_delete BEFORE DELETE ON unmarked_photo
BEGIN SELECT RAISE(ABORT, 'photos of unmarked items are append-only'); END;
