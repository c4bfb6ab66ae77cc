-- Migration 003: the appliance's side of the registry sync (sync/, docs/sync-protocol.md).
--
-- The outbox (001) says what the registry must receive; these tables say how far it has
-- got. Sequence numbers, never timestamps, decide order: acked_seq is the highest outbox
-- seq the registry has acknowledged, pulled_version the highest registry change applied
-- here. Both only grow (a trigger refuses to move them back), so a replayed or stale
-- answer can never make the appliance resend or re-apply what is done.
--
-- Written with IF NOT EXISTS so that re-running it over a database whose user_version
-- was set back (as tests/unit/test-store.c does) changes nothing.

-- One row: where the registry is, how far sync has got, and how the last attempt went.
CREATE TABLE IF NOT EXISTS sync_state (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  registry_url     TEXT,                  -- https://host:port, NULL until configured
  registry_ca      TEXT,                  -- CA bundle to verify it by (NULL: system CAs)
  registry_key     TEXT,                  -- the registry's Ed25519 public key, base64
  acked_seq        INTEGER NOT NULL DEFAULT 0,
  pulled_version   INTEGER NOT NULL DEFAULT 0,
  last_success_at  TEXT,
  last_attempt_at  TEXT,
  last_error       TEXT,                  -- NULL after a success
  failures         INTEGER NOT NULL DEFAULT 0  -- in a row: drives the backoff
) STRICT;
INSERT OR IGNORE INTO sync_state (id) VALUES (1);

CREATE TRIGGER IF NOT EXISTS sync_state_monotonic BEFORE UPDATE ON sync_state
WHEN NEW.acked_seq < OLD.acked_seq OR NEW.pulled_version < OLD.pulled_version
BEGIN SELECT RAISE(ABORT, 'sync progress never moves back'); END;

-- Every registry change applied here, once: version is the registry's number for it, so
-- a change delivered twice (a retried pull, an answer file imported twice) is skipped.
CREATE TABLE IF NOT EXISTS registry_change (
  version     INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  item_uuid   TEXT,
  payload     TEXT NOT NULL,              -- JSON object, as the registry sent it
  applied_at  TEXT NOT NULL,
  outcome     TEXT NOT NULL               -- applied, conflict (see the protocol), skipped
) STRICT;

CREATE TRIGGER IF NOT EXISTS registry_change_no_update BEFORE UPDATE ON registry_change
BEGIN SELECT RAISE(ABORT, 'applied registry changes are append-only'); END;
CREATE TRIGGER IF NOT EXISTS registry_change_no_delete BEFORE DELETE ON registry_change
BEGIN SELECT RAISE(ABORT, 'applied registry changes are append-only'); END;
