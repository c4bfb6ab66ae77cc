-- Migration 004: badges, for signing in at the kiosk by tapping an NFC card.
--
-- A badge is known only by a keyed hash of its UID (HMAC-SHA256 with badge_key below):
-- a UID is no secret (any reader reads it), but a backup, an export or a stolen disk
-- should not hand out the list of UIDs to clone. The key is random per database.
--
-- Badges are history like everything else: giving someone a new badge or taking one
-- back never deletes a row; revoked_at is set once, and a trigger refuses any other
-- change. At most one badge in force per person and one person per badge.
--
-- Written with IF NOT EXISTS (see 003) so that a re-run changes nothing.

INSERT OR IGNORE INTO meta (key, value) VALUES ('badge_key', lower(hex(randomblob(32))));

CREATE TABLE IF NOT EXISTS user_badge (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES app_user(id),
  badge_hash  TEXT NOT NULL,              -- hex HMAC-SHA256(badge_key, normalised UID)
  assigned_at TEXT NOT NULL,
  assigned_by INTEGER NOT NULL REFERENCES app_user(id),
  revoked_at  TEXT,
  revoked_by  INTEGER REFERENCES app_user(id)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS user_badge_in_force ON user_badge (badge_hash)
  WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS user_badge_one_per_user ON user_badge (user_id)
  WHERE revoked_at IS NULL;

CREATE TRIGGER IF NOT EXISTS user_badge_no_delete BEFORE DELETE ON user_badge
BEGIN SELECT RAISE(ABORT, 'badges are history; revoke a badge instead'); END;
CREATE TRIGGER IF NOT EXISTS user_badge_revoke_only BEFORE UPDATE ON user_badge
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.revoked_by IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.user_id IS NOT OLD.user_id
  OR NEW.badge_hash IS NOT OLD.badge_hash OR NEW.assigned_at IS NOT OLD.assigned_at
  OR NEW.assigned_by IS NOT OLD.assigned_by
BEGIN SELECT RAISE(ABORT, 'a badge can only be revoked, once'); END;
