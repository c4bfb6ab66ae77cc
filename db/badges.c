/*
 * badges.c: NFC badges that sign their holder in. See badges.h.
 *
 * The UID is normalised as any HF tag UID marking is (marking/marking.h: upper-case hex,
 * no separators), so "04:a1:b2" typed by an admin and 04A1B2 read by the NFC driver are
 * one badge, then hashed with the database's badge_key. Lookups go by that hash.
 */
#include "db/badges.h"
#include "core/i18n.h"

#include "db/audit.h"
#include "db/settings.h"
#include "db/store-private.h"
#include "marking/marking.h"

static char *
badge_key(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT value FROM meta WHERE key = 'badge_key'", error);
  if (stmt == NULL)
    return NULL;
  char *key = sqlite3_step(stmt) == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (key == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED,
                _("This database has no badge key (migration 004 missing); open it with "
                  "this version of muster to upgrade it."));
  return key;
}

static char *
badge_hash(MusterStore *store, const char *uid, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *normal = muster_marking_normalise(MUSTER_MARKING_HF_UID, uid, &local);
  if (normal == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("'%s' is not a badge UID (%s). Tap the badge on an NFC reader, or give its "
                  "UID in hex, e.g. 04A1B2C3D4E5F6."),
                uid, local->message);
    return NULL;
  }
  g_autofree char *key = badge_key(store, error);
  if (key == NULL)
    return NULL;
  return g_compute_hmac_for_string(G_CHECKSUM_SHA256, (const guchar *)key, strlen(key), normal, -1);
}

/* The holder (user id) of the badge in force with hash, 0 when none, -1 on error. */
static gint64
holder_of(MusterStore *store, const char *hash, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT user_id FROM user_badge WHERE badge_hash = ? AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  gint64 id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Looking up the badge", error);
    return -1;
  }
  return id;
}

static gboolean
revoke_in_tx(MusterStore *store, const MusterUser *actor, gint64 user_id, gboolean *revoked,
             GError **error)
{
  g_autofree char *now = muster_now_iso();
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "UPDATE user_badge SET revoked_at = ?, revoked_by = ? WHERE user_id = ? AND "
      "revoked_at IS NULL",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, actor->id);
  sqlite3_bind_int64(stmt, 3, user_id);
  if (!muster_store_step_done(store, stmt, "Revoking the badge", error))
    return FALSE;
  *revoked = sqlite3_changes(muster_store_db(store)) > 0;
  return TRUE;
}

static gboolean
insert_badge(MusterStore *store, const MusterUser *actor, gint64 user_id, const char *hash,
             GError **error)
{
  g_autofree char *now = muster_now_iso();
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "INSERT INTO user_badge (user_id, badge_hash, assigned_at, assigned_by) "
                        "VALUES (?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, user_id);
  sqlite3_bind_text(stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 4, actor->id);
  return muster_store_step_done(store, stmt, "Storing the badge", error);
}

/* Refuses a badge someone else holds, naming them. */
static gboolean
check_free(MusterStore *store, const char *hash, const MusterUser *user, GError **error)
{
  gint64 holder = holder_of(store, hash, error);
  if (holder < 0)
    return FALSE;
  if (holder == 0 || holder == user->id)
    return TRUE;
  g_autoptr(MusterUser) other = muster_users_get_by_id(store, holder, error);
  if (other == NULL)
    return FALSE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
              _("This badge already belongs to %s. Take it back from them first "
                "('muster user badge --revoke %s')."),
              other->name, other->name);
  return FALSE;
}

gboolean
muster_badges_assign(MusterStore *store, const MusterUser *actor, const char *name, const char *uid,
                     MusterAuthenticity auth, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Giving a badge", error))
    return FALSE;
  if (auth == MUSTER_AUTH_NOT_GENUINE) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("This card failed the tag's authenticity check (a copy?); it cannot be a "
                  "badge. Use another card."));
    return FALSE;
  }
  g_autofree char *hash = badge_hash(store, uid, error);
  g_autoptr(MusterUser) user = hash != NULL ? muster_users_get(store, name, error) : NULL;
  if (user == NULL)
    return FALSE;
  if (!muster_store_begin(store, error))
    return FALSE;
  gboolean replaced = FALSE;
  g_autofree char *detail = NULL;
  if (!check_free(store, hash, user, error) ||
      !revoke_in_tx(store, actor, user->id, &replaced, error) ||
      !insert_badge(store, actor, user->id, hash, error) ||
      !muster_audit_append(
          store, actor->name, "user.badge_assign", user->uuid,
          detail = g_strdup_printf("{\"replaced\":%s}", replaced ? "true" : "false"), error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_badges_revoke(MusterStore *store, const MusterUser *actor, const char *name, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Taking a badge back",
                             error))
    return FALSE;
  g_autoptr(MusterUser) user = muster_users_get(store, name, error);
  if (user == NULL || !muster_store_begin(store, error))
    return FALSE;
  gboolean revoked = FALSE;
  if (!revoke_in_tx(store, actor, user->id, &revoked, error))
    goto fail;
  if (!revoked) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND, _("%s has no badge to take back."),
                name);
    goto fail;
  }
  if (!muster_audit_append(store, actor->name, "user.badge_revoke", user->uuid, NULL, error) ||
      !muster_store_commit(store, error))
    goto fail;
  return TRUE;
fail:
  muster_store_rollback(store);
  return FALSE;
}

gboolean
muster_badges_need_pin(MusterStore *store)
{
  return muster_settings_get(store, "badge_needs_pin") != 0;
}

/* Audits a refused tap (by nobody: the tapper is unknown or not signed in), then hands
 * the refusal on. Never loses the refusal's own error for a failing audit. */
static MusterUser *
refuse(MusterStore *store, const char *subject, const char *reason, GError *refusal, GError **error)
{
  g_autofree char *detail = g_strdup_printf("{\"reason\":\"%s\"}", reason);
  g_autoptr(GError) audit_error = NULL;
  gboolean ok = muster_store_begin(store, &audit_error);
  if (ok && (!muster_audit_append(store, NULL, "badge.refused", subject, detail, &audit_error) ||
             !muster_store_commit(store, &audit_error))) {
    muster_store_rollback(store);
    ok = FALSE;
  }
  if (!ok)
    g_warning("A refused badge tap could not be audited: %s", audit_error->message);
  g_propagate_error(error, refusal);
  return NULL;
}

MusterUser *
muster_badges_tap(MusterStore *store, const char *uid, MusterAuthenticity auth,
                  MusterBadgePurpose purpose, char **holder, GError **error)
{
  *holder = NULL;
  g_autofree char *hash = badge_hash(store, uid, error);
  if (hash == NULL)
    return NULL;
  /* The audit names a refused badge by a prefix of its hash: enough to tell taps of one
   * card apart, not the UID. */
  g_autofree char *subject = g_strdup_printf("badge:%.12s", hash);
  GError *refusal = NULL;
  if (auth == MUSTER_AUTH_NOT_GENUINE) {
    g_set_error(&refusal, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("This badge failed the tag's authenticity check (a copy?). It cannot sign "
                  "anyone in; report it to a supervisor."));
    return refuse(store, subject, "not_genuine", refusal, error);
  }
  gint64 id = holder_of(store, hash, error);
  if (id < 0)
    return NULL;
  if (id == 0) {
    g_set_error(&refusal, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                _("This badge belongs to nobody here. Sign in with your PIN, or ask an admin "
                  "to register the badge."));
    return refuse(store, subject, "unknown", refusal, error);
  }
  g_autoptr(MusterUser) user = muster_users_get_by_id(store, id, error);
  if (user == NULL)
    return NULL;
  if (!muster_user_may_sign_in(user, &refusal))
    return refuse(store, user->uuid, user->active ? "locked" : "inactive", refusal, error);
  if (muster_badges_need_pin(store)) {
    *holder = g_strdup(user->name);
    return NULL;
  }
  /* Alone, the tap is the only proof of who is there: a UID any blank card can copy
   * proves nothing unless the tag's originality signature was checked. */
  if (auth != MUSTER_AUTH_GENUINE) {
    g_set_error(&refusal, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("This badge could not be checked as genuine (no NXP originality "
                  "signature), so a tap alone cannot stand for a PIN. Use your PIN instead, or "
                  "a genuine NXP badge."));
    return refuse(store, subject, "not_verified", refusal, error);
  }
  static const char *const vouched_for[] = {"sign_in", "witness", "confirm"};
  gboolean sign_in = purpose == MUSTER_BADGE_FOR_SIGN_IN;
  g_autofree char *detail = sign_in ? g_strdup("{\"by\":\"badge\",\"where\":\"kiosk\"}")
                                    : g_strdup_printf("{\"for\":\"%s\"}", vouched_for[purpose]);
  if (!muster_users_note_session(store, user, sign_in ? "user.sign_in" : "user.badge_vouch", detail,
                                 error))
    return NULL;
  return g_steal_pointer(&user);
}
