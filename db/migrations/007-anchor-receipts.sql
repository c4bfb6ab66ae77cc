-- Migration 007: what the registry has signed for, and which requests went out on media
-- (docs/sync-protocol.md, issue 10).
--
-- anchor_receipt: every batch answer states, signed, the newest audit anchor the registry
-- stores for this armoury. Each distinct statement is kept here with the signed answer it
-- came in, so the appliance can say since when its history is not anchored elsewhere,
-- and show the registry's own words for what it holds. Append-only.
--
-- sync_request: the nonces of the requests written to a sync file. An answer file is
-- accepted only for requests this appliance wrote: an answer made for another armoury,
-- or for a request never made here, is refused before anything is applied.
--
-- Both are history, append-only. sync_request is sealed into the audit chain
-- (db/audit.c); a receipt needs no seal, since it carries the registry's signature, and
-- `muster audit verify` checks each one against the chain (db/audit-anchors.c).
--
-- Written with IF NOT EXISTS so that re-running it changes nothing.

CREATE TABLE IF NOT EXISTS anchor_receipt (
  id           INTEGER PRIMARY KEY,
  audit_seq    INTEGER NOT NULL,          -- the anchored audit entry
  audit_hash   TEXT NOT NULL,
  registry_at  TEXT NOT NULL,             -- when the registry stored the anchor (its clock)
  received_at  TEXT NOT NULL,             -- when the answer reached this appliance
  answer       TEXT NOT NULL,             -- the registry's answer, as signed
  signature    TEXT NOT NULL,             -- base64, by the configured registry key
  UNIQUE (audit_seq, audit_hash)
) STRICT;

CREATE TRIGGER IF NOT EXISTS anchor_receipt_no_update BEFORE UPDATE ON anchor_receipt
BEGIN SELECT RAISE(ABORT, 'anchor receipts are append-only'); END;
CREATE TRIGGER IF NOT EXISTS anchor_receipt_no_delete BEFORE DELETE ON anchor_receipt
BEGIN SELECT RAISE(ABORT, 'anchor receipts are append-only'); END;

CREATE TABLE IF NOT EXISTS sync_request (
  nonce      TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('batch', 'pull')),
  file       TEXT NOT NULL,               -- the sync file it was written to
  made_at    TEXT NOT NULL
) STRICT;

CREATE TRIGGER IF NOT EXISTS sync_request_no_update BEFORE UPDATE ON sync_request
BEGIN SELECT RAISE(ABORT, 'recorded sync requests are append-only'); END;
CREATE TRIGGER IF NOT EXISTS sync_request_no_delete BEFORE DELETE ON sync_request
BEGIN SELECT RAISE(ABORT, 'recorded sync requests are append-only'); END;
