-- The reference registry's PostgreSQL schema, version 2 (registry/registry-db.c applies
-- it at start-up, under an advisory lock, when schema_version lacks the version). Every
-- statement is re-runnable, so a version 1 database is brought up to date in place.
--
-- Every armoury appliance sends the events of its outbox; each is stored once, keyed by
-- (armoury, seq): the primary key is the last line of defence of exactly-once delivery.
-- Times from appliances are stored as given (text) and flagged when the appliance's
-- clock looked wrong; order comes from seq within an armoury and from the registry's own
-- receive time across armouries, never from a time an appliance claims.
--
-- Distribution (docs/sync-protocol.md, "Scaling"): every big table carries armoury_id
-- and is keyed by it first, so that Citus can distribute event, batch and change by
-- armoury_id and keep armoury a reference table; marking_index is distributed by value.

CREATE TABLE IF NOT EXISTS schema_version (
  version    integer PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- The armouries the registry knows, with the key each signs its batches with.
CREATE TABLE IF NOT EXISTS armoury (
  id             serial PRIMARY KEY,
  uuid           text NOT NULL UNIQUE,
  code           text NOT NULL,
  name           text,
  public_key     text NOT NULL,             -- Ed25519, base64
  acked_seq      bigint NOT NULL DEFAULT 0, -- events 1..acked_seq are stored
  pulled_version bigint NOT NULL DEFAULT 0, -- the appliance has applied changes up to here
  enrolled_at    timestamptz NOT NULL DEFAULT now(),
  last_batch_at  timestamptz,
  clock_skew_s   double precision           -- of the last batch: sent_at minus our time
);
-- The newest audit anchor stored for the armoury, stated (signed) in every batch answer:
-- the appliance keeps these receipts to say since when its history is unanchored.
ALTER TABLE armoury ADD COLUMN IF NOT EXISTS anchor_audit_seq bigint;
ALTER TABLE armoury ADD COLUMN IF NOT EXISTS anchor_audit_hash text;
ALTER TABLE armoury ADD COLUMN IF NOT EXISTS anchor_stored_at timestamptz;
-- The newest pull request's sent_at: an older one is refused even if never seen.
ALTER TABLE armoury ADD COLUMN IF NOT EXISTS last_pull_sent_at timestamptz;
-- A code names one armoury: two armouries under one code would pass for each other in
-- tracing answers and anchors.
CREATE UNIQUE INDEX IF NOT EXISTS armoury_code ON armoury (code);

-- Which armoury holds each item: the one that created it, or the one the registry last
-- assigned it to. An armoury's item events (status, location, markings, corrections)
-- are stored only for items it holds, so one compromised appliance cannot rewrite the
-- history of another armoury's weapons.
CREATE TABLE IF NOT EXISTS item_holder (
  item_uuid  text PRIMARY KEY,
  armoury_id integer NOT NULL REFERENCES armoury(id),
  since      timestamptz NOT NULL DEFAULT now()
);

-- Every pull request answered, by its nonce: a replayed request (an old USB export, a
-- captured request) is refused rather than answered with what changed since.
CREATE TABLE IF NOT EXISTS pull_request (
  armoury_id  integer NOT NULL REFERENCES armoury(id),
  nonce       text NOT NULL,
  sent_at     text NOT NULL,               -- the appliance's clock, as given
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (armoury_id, nonce)
);

-- One row per batch stored: what it covered, its digest and signature (the evidence).
CREATE TABLE IF NOT EXISTS batch (
  armoury_id    integer NOT NULL REFERENCES armoury(id),
  first_seq     bigint NOT NULL,
  last_seq      bigint NOT NULL,
  stored_from   bigint NOT NULL,             -- first seq this batch added (overlaps skipped)
  sha256        bytea NOT NULL,
  signature     text NOT NULL,
  sent_at       text NOT NULL,               -- the appliance's clock, as given
  received_at   timestamptz NOT NULL DEFAULT now(),
  clock_skew_s  double precision,
  clock_suspect boolean NOT NULL DEFAULT false,
  PRIMARY KEY (armoury_id, stored_from)
);

CREATE TABLE IF NOT EXISTS event (
  armoury_id    integer NOT NULL REFERENCES armoury(id),
  seq           bigint NOT NULL,
  at            text NOT NULL,               -- the appliance's clock, as given
  kind          text NOT NULL,
  entity_uuid   text NOT NULL,
  payload       jsonb NOT NULL,
  clock_suspect boolean NOT NULL DEFAULT false,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (armoury_id, seq)
);
CREATE INDEX IF NOT EXISTS event_entity ON event (entity_uuid);

-- Holders of the items stored before version 2: the creator, then the newest central
-- assignment.
INSERT INTO item_holder (item_uuid, armoury_id)
  SELECT DISTINCT ON (entity_uuid) entity_uuid, armoury_id FROM event
  WHERE kind = 'item.created' ORDER BY entity_uuid, received_at, armoury_id, seq
  ON CONFLICT DO NOTHING;

-- Every marking (and serial) ever seen on an item, from any armoury: the tracing key.
CREATE TABLE IF NOT EXISTS marking_index (
  value      text NOT NULL,
  item_uuid  text NOT NULL,
  armoury_id integer NOT NULL REFERENCES armoury(id),
  PRIMARY KEY (value, item_uuid, armoury_id)
);

-- Changes made centrally for one armoury, numbered by version (registry-wide).
CREATE TABLE IF NOT EXISTS change (
  version    bigserial PRIMARY KEY,
  armoury_id integer NOT NULL REFERENCES armoury(id),
  kind       text NOT NULL CHECK (kind IN ('item.assigned', 'item.status', 'marking.assigned')),
  item_uuid  text,
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text
);
CREATE INDEX IF NOT EXISTS change_armoury ON change (armoury_id, version);
CREATE INDEX IF NOT EXISTS change_item ON change (item_uuid);
INSERT INTO item_holder (item_uuid, armoury_id)
  SELECT DISTINCT ON (item_uuid) item_uuid, armoury_id FROM change
  WHERE kind = 'item.assigned' AND item_uuid IS NOT NULL ORDER BY item_uuid, version DESC
  ON CONFLICT (item_uuid) DO UPDATE SET armoury_id = EXCLUDED.armoury_id;

-- Stored history is never edited or deleted (corrections are new events).
CREATE OR REPLACE FUNCTION muster_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the registry''s % table is append-only', TG_TABLE_NAME;
END $$;
DROP TRIGGER IF EXISTS event_append_only ON event;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
  FOR EACH ROW EXECUTE FUNCTION muster_append_only();
DROP TRIGGER IF EXISTS batch_append_only ON batch;
CREATE TRIGGER batch_append_only BEFORE UPDATE OR DELETE ON batch
  FOR EACH ROW EXECUTE FUNCTION muster_append_only();

INSERT INTO schema_version (version) VALUES (2) ON CONFLICT DO NOTHING;
