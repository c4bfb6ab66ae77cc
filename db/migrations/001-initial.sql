-- Migration 001: the initial record store of one armoury.
--
-- Rules that hold for every table below:
--  * Times are UTC, ISO 8601 with milliseconds ("2026-11-25T20:14:57.123Z").
--  * Identifiers that leave the appliance are UUIDs (column uuid); rowids stay local.
--  * History is append-only. Tables that hold history refuse UPDATE and DELETE through
--    triggers; a correction is a new row that points at what it corrects. The few
--    "current state" projections (item, count_session, app_user) may be updated, and
--    every such update is mirrored by an append-only event row and an audit entry.
--  * Enumerations are checked as "x = 'a' OR x = 'b' ...", not "x IN ('a', 'b', ...)":
--    SQLite builds a temporary table for an IN list of more than two values on every
--    row inserted, which made a scan insert five times slower.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Policy settings (overdue_days, lockout_attempts, ...). Changes are audited.
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- armoury -> room -> rack -> slot. path is relative to the armoury ("R1/A/03"); the
-- armoury itself has the empty path.
CREATE TABLE location (
  id         INTEGER PRIMARY KEY,
  uuid       TEXT NOT NULL UNIQUE,
  parent_id  INTEGER REFERENCES location(id),
  kind       TEXT NOT NULL CHECK (kind = 'armoury' OR kind = 'room' OR kind = 'rack'
                 OR kind = 'slot'),
  code       TEXT NOT NULL,
  path       TEXT NOT NULL UNIQUE,
  name       TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (parent_id, code)
) STRICT;

CREATE TABLE app_user (
  id              INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL UNIQUE,
  full_name       TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role = 'staff' OR role = 'supervisor' OR role = 'admin'),
  pin_hash        TEXT NOT NULL,          -- argon2id, libsodium crypto_pwhash_str
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked          INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at      TEXT NOT NULL
) STRICT;

-- The current state of each weapon. Every change to it is an item_event row.
CREATE TABLE item (
  id                     INTEGER PRIMARY KEY,
  uuid                   TEXT NOT NULL UNIQUE,
  manufacturer           TEXT NOT NULL,
  country_of_manufacture TEXT NOT NULL CHECK (length(country_of_manufacture) = 2),
  serial                 TEXT NOT NULL,
  model                  TEXT NOT NULL,
  category               TEXT NOT NULL,
  calibre                TEXT,
  year                   INTEGER,
  import_country         TEXT CHECK (import_country IS NULL OR length(import_country) = 2),
  import_year            INTEGER,
  state_marking          TEXT,
  frame_material         TEXT,
  status                 TEXT NOT NULL CHECK (status = 'in_store' OR status = 'issued' OR status = 'in_repair'
                 OR status = 'in_transit' OR status = 'lost' OR status = 'stolen'
                 OR status = 'destroyed' OR status = 'seized'),
  location_id            INTEGER REFERENCES location(id),
  custodian              TEXT,
  created_at             TEXT NOT NULL,
  UNIQUE (manufacturer, serial)
) STRICT;
CREATE INDEX item_serial ON item (serial);
CREATE INDEX item_location ON item (location_id, status);

-- Append-only history of each item: creation, status, location and custody changes,
-- corrections. The tracing answer is built from these rows.
CREATE TABLE item_event (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES item(id),
  at           TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind = 'created' OR kind = 'status' OR kind = 'location'
                 OR kind = 'custody' OR kind = 'marking' OR kind = 'correction'
                 OR kind = 'registry'),
  old_value    TEXT,
  new_value    TEXT,
  user_id      INTEGER REFERENCES app_user(id),
  reason       TEXT,
  corrects_id  INTEGER REFERENCES item_event(id)
) STRICT;
CREATE INDEX item_event_item ON item_event (item_id, id);

CREATE TABLE marking (
  id          INTEGER PRIMARY KEY,
  item_id     INTEGER NOT NULL REFERENCES item(id),
  kind        TEXT NOT NULL CHECK (kind = 'engraved_serial' OR kind = 'barcode' OR kind = 'datamatrix_uii'
                 OR kind = 'hf_uid' OR kind = 'uhf_epc' OR kind = 'ndef'),
  component   TEXT NOT NULL CHECK (component = 'frame' OR component = 'barrel' OR component = 'slide'
                 OR component = 'bolt' OR component = 'cylinder'),
  value       TEXT NOT NULL,              -- normalised, see marking/marking.c
  created_at  TEXT NOT NULL,
  retired_at  TEXT,                       -- a marking is retired, never deleted
  UNIQUE (item_id, kind, component, value)
) STRICT;
CREATE INDEX marking_value ON marking (value);

CREATE TABLE count_session (
  id              INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL UNIQUE,
  counter_id      INTEGER NOT NULL REFERENCES app_user(id),
  witness_id      INTEGER NOT NULL REFERENCES app_user(id),
  blind           INTEGER NOT NULL CHECK (blind IN (0, 1)),
  state           TEXT NOT NULL CHECK (state = 'open' OR state = 'closed' OR state = 'reconciled'
                 OR state = 'signed_off'),
  started_at      TEXT NOT NULL,
  closed_at       TEXT,
  reconciled_at   TEXT,
  signed_off_at   TEXT,
  signed_off_by   INTEGER REFERENCES app_user(id),
  signoff_note    TEXT,
  CHECK (counter_id <> witness_id)
) STRICT;

CREATE TABLE count_scope (
  count_id    INTEGER NOT NULL REFERENCES count_session(id),
  location_id INTEGER NOT NULL REFERENCES location(id),
  PRIMARY KEY (count_id, location_id)
) STRICT, WITHOUT ROWID;

-- What the count expects, frozen when it starts: in-store items inside its scope.
-- Reconciliation reads this snapshot, so it gives the same answer however often it runs.
CREATE TABLE count_expected (
  count_id    INTEGER NOT NULL REFERENCES count_session(id),
  item_id     INTEGER NOT NULL REFERENCES item(id),
  location_id INTEGER REFERENCES location(id),
  PRIMARY KEY (count_id, item_id)
) STRICT, WITHOUT ROWID;

-- Every scan, exactly as read. outcome is decided by ingest when it is stored.
CREATE TABLE scan (
  id             INTEGER PRIMARY KEY,
  count_id       INTEGER NOT NULL REFERENCES count_session(id),
  reader         TEXT NOT NULL,
  reader_kind    TEXT NOT NULL,
  symbology      TEXT,
  raw            BLOB NOT NULL,
  text           TEXT,
  marking_kind   TEXT,
  marking_value  TEXT,
  check_group    TEXT,                  -- scans of one physical item check
  component      TEXT,
  location_id    INTEGER REFERENCES location(id),
  read_at        TEXT NOT NULL,
  stored_at      TEXT NOT NULL,
  authenticity   TEXT NOT NULL CHECK (authenticity = 'unknown' OR authenticity = 'genuine' OR authenticity = 'not_genuine'),
  outcome        TEXT NOT NULL CHECK (outcome = 'accepted' OR outcome = 'duplicate' OR outcome = 'unknown'
                 OR outcome = 'wrong_location' OR outcome = 'status_conflict' OR outcome = 'not_genuine'
                 OR outcome = 'unreadable' OR outcome = 'ambiguous'),
  item_id        INTEGER REFERENCES item(id),
  item_status    TEXT                   -- the item's status when it was scanned
) STRICT;
CREATE INDEX scan_count ON scan (count_id);

-- First find of each item in a count: the dedupe key of ingest.
CREATE TABLE count_find (
  count_id    INTEGER NOT NULL REFERENCES count_session(id),
  item_id     INTEGER NOT NULL REFERENCES item(id),
  scan_id     INTEGER NOT NULL REFERENCES scan(id),
  location_id INTEGER REFERENCES location(id),
  PRIMARY KEY (count_id, item_id)
) STRICT, WITHOUT ROWID;

-- Found, counted, carries no marking: a finding in its own right.
CREATE TABLE unmarked_item (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  count_id    INTEGER NOT NULL REFERENCES count_session(id),
  description TEXT NOT NULL,
  location_id INTEGER REFERENCES location(id),
  recorded_by INTEGER NOT NULL REFERENCES app_user(id),
  recorded_at TEXT NOT NULL,
  photo_path  TEXT
) STRICT;

CREATE TABLE discrepancy (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  count_id    INTEGER NOT NULL REFERENCES count_session(id),
  kind        TEXT NOT NULL CHECK (kind = 'missing' OR kind = 'wrong_location' OR kind = 'unknown_marking'
                 OR kind = 'unmarked_item' OR kind = 'status_conflict' OR kind = 'duplicate_marking'
                 OR kind = 'component_mismatch' OR kind = 'marking_mismatch' OR kind = 'overdue'
                 OR kind = 'not_genuine'),
  subject     TEXT NOT NULL,              -- deterministic key: same finding, same row
  item_id     INTEGER REFERENCES item(id),
  other_item_id INTEGER REFERENCES item(id),
  scan_id     INTEGER REFERENCES scan(id),
  location_id INTEGER REFERENCES location(id),
  detail      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  UNIQUE (count_id, kind, subject)
) STRICT;

-- Resolutions are appended; the newest one of a discrepancy is in force.
CREATE TABLE resolution (
  id             INTEGER PRIMARY KEY,
  uuid           TEXT NOT NULL UNIQUE,
  discrepancy_id INTEGER NOT NULL REFERENCES discrepancy(id),
  action         TEXT NOT NULL CHECK (action = 'found' OR action = 'recorded' OR action = 'corrected'
                 OR action = 'written_off' OR action = 'reported' OR action = 'accepted'
                 OR action = 'reopened'),
  reason         TEXT NOT NULL CHECK (length(reason) > 0),
  resolved_by    INTEGER NOT NULL REFERENCES app_user(id),
  confirmed_by   INTEGER REFERENCES app_user(id),
  resolved_at    TEXT NOT NULL,
  supersedes_id  INTEGER REFERENCES resolution(id)
) STRICT;
CREATE INDEX resolution_discrepancy ON resolution (discrepancy_id, id);

-- Hash-chained audit log: hash = SHA-256(prev_hash | seq | at | user | action | subject
-- | detail). See db/audit.c.
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  user_name TEXT,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;

-- What the national registry must receive, in order. Sync progress lives elsewhere.
CREATE TABLE outbox (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL,
  entity_uuid TEXT NOT NULL,
  payload     TEXT NOT NULL               -- JSON object
) STRICT;

CREATE TRIGGER item_event_no_update BEFORE UPDATE ON item_event
BEGIN SELECT RAISE(ABORT, 'item history is append-only'); END;
CREATE TRIGGER item_event_no_delete BEFORE DELETE ON item_event
BEGIN SELECT RAISE(ABORT, 'item history is append-only'); END;
CREATE TRIGGER item_no_delete BEFORE DELETE ON item
BEGIN SELECT RAISE(ABORT, 'items are never deleted; record a status change'); END;
CREATE TRIGGER location_no_delete BEFORE DELETE ON location
BEGIN SELECT RAISE(ABORT, 'locations are never deleted'); END;
CREATE TRIGGER app_user_no_delete BEFORE DELETE ON app_user
BEGIN SELECT RAISE(ABORT, 'users are never deleted; deactivate them'); END;
CREATE TRIGGER marking_no_delete BEFORE DELETE ON marking
BEGIN SELECT RAISE(ABORT, 'markings are never deleted; retire them'); END;
CREATE TRIGGER marking_retire_only BEFORE UPDATE ON marking
WHEN OLD.retired_at IS NOT NULL OR NEW.value IS NOT OLD.value OR NEW.item_id IS NOT OLD.item_id
  OR NEW.kind IS NOT OLD.kind OR NEW.component IS NOT OLD.component
BEGIN SELECT RAISE(ABORT, 'a marking can only be retired'); END;
CREATE TRIGGER scan_no_update BEFORE UPDATE ON scan
BEGIN SELECT RAISE(ABORT, 'scans are append-only'); END;
CREATE TRIGGER scan_no_delete BEFORE DELETE ON scan
BEGIN SELECT RAISE(ABORT, 'scans are append-only'); END;
CREATE TRIGGER count_find_no_update BEFORE UPDATE ON count_find
BEGIN SELECT RAISE(ABORT, 'finds are append-only'); END;
CREATE TRIGGER count_find_no_delete BEFORE DELETE ON count_find
BEGIN SELECT RAISE(ABORT, 'finds are append-only'); END;
CREATE TRIGGER count_expected_no_update BEFORE UPDATE ON count_expected
BEGIN SELECT RAISE(ABORT, 'the expected list of a count is frozen'); END;
CREATE TRIGGER count_expected_no_delete BEFORE DELETE ON count_expected
BEGIN SELECT RAISE(ABORT, 'the expected list of a count is frozen'); END;
CREATE TRIGGER count_scope_no_change BEFORE DELETE ON count_scope
BEGIN SELECT RAISE(ABORT, 'the scope of a count is frozen'); END;
CREATE TRIGGER count_session_no_delete BEFORE DELETE ON count_session
BEGIN SELECT RAISE(ABORT, 'counts are never deleted'); END;
CREATE TRIGGER count_session_signed_off BEFORE UPDATE ON count_session
WHEN OLD.state = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'a signed-off count cannot be reopened'); END;
CREATE TRIGGER unmarked_no_update BEFORE UPDATE ON unmarked_item
BEGIN SELECT RAISE(ABORT, 'unmarked-item records are append-only'); END;
CREATE TRIGGER unmarked_no_delete BEFORE DELETE ON unmarked_item
BEGIN SELECT RAISE(ABORT, 'unmarked-item records are append-only'); END;
CREATE TRIGGER discrepancy_no_update BEFORE UPDATE ON discrepancy
BEGIN SELECT RAISE(ABORT, 'discrepancies are append-only'); END;
CREATE TRIGGER discrepancy_no_delete BEFORE DELETE ON discrepancy
BEGIN SELECT RAISE(ABORT, 'discrepancies are append-only'); END;
CREATE TRIGGER resolution_no_update BEFORE UPDATE ON resolution
BEGIN SELECT RAISE(ABORT, 'resolutions are append-only; add a new one'); END;
CREATE TRIGGER resolution_no_delete BEFORE DELETE ON resolution
BEGIN SELECT RAISE(ABORT, 'resolutions are append-only; add a new one'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
