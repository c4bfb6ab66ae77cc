/*
 * users.c: roles, PINs and lockout.
 *
 * PINs are short, so the hash must be slow: argon2id through libsodium's
 * crypto_pwhash_str with the INTERACTIVE limits (about 0.1 s and 64 MiB per check on
 * the appliance), salted per user. The limits are stored inside each hash string, so
 * raising them later needs no migration. A run of wrong PINs locks the account (setting
 * lockout_attempts, default 5) until an admin unlocks it; every failure is audited, so
 * a PIN-guessing attempt leaves a trace.
 */
#include "db/users.h"
#include "db/audit.h"
#include "core/i18n.h"
#include "db/rows-private.h"
#include "db/settings.h"
#include "db/store-private.h"

#include <sodium.h>
#include <string.h>

#define USER_COLUMNS                                                               \
  "id, uuid, name, full_name, role, locked, active, failed_attempts, created_at, " \
  "EXISTS (SELECT 1 FROM user_badge b WHERE b.user_id = app_user.id AND b.revoked_at IS NULL)"

/* The roles: the name stored, and as a refusal names them in the reader's language:
 * what someone is, and who may ("needs a supervisor or an admin"). */
static const struct {
  const char *name;
  const char *word;
  const char *needed;
} roles[] = {
    [MUSTER_ROLE_STAFF] = {"staff", N_("staff"), N_("staff")},
    [MUSTER_ROLE_SUPERVISOR] = {"supervisor", N_("supervisor"), N_("a supervisor")},
    [MUSTER_ROLE_ADMIN] = {"admin", N_("admin"), N_("an admin")},
};

const MusterClosedList muster_role_list = MUSTER_CLOSED_LIST(roles);

const char *
muster_role_to_string(MusterRole role)
{
  return muster_closed_list_name(&muster_role_list, role);
}

gboolean
muster_role_from_string(const char *s, MusterRole *role, GError **error)
{
  int i = muster_closed_list_find(&muster_role_list, s);
  if (i >= 0) {
    *role = (MusterRole)i;
    return TRUE;
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              _("Unknown role '%s': use staff, supervisor or admin."), s ? s : "");
  return FALSE;
}

void
muster_user_free(MusterUser *user)
{
  if (user == NULL)
    return;
  g_free(user->uuid);
  g_free(user->name);
  g_free(user->full_name);
  g_free(user->created_at);
  g_free(user);
}

gboolean
muster_pin_valid(const char *pin, GError **error)
{
  size_t len = pin != NULL ? strlen(pin) : 0;
  gboolean digits = len > 0;
  for (size_t i = 0; i < len; i++)
    digits = digits && g_ascii_isdigit(pin[i]);
  if (!digits || len < 4 || len > 12) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, _("A PIN must be 4 to 12 digits."));
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_user_name_valid(const char *name, GError **error)
{
  size_t len = name != NULL ? strlen(name) : 0;
  gboolean ok = len >= 2 && len <= 32;
  for (size_t i = 0; ok && i < len; i++)
    ok = g_ascii_isalnum(name[i]) || name[i] == '.' || name[i] == '-' || name[i] == '_';
  if (!ok)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("User name '%s' is not valid: use 2 to 32 letters, digits, '.', '-' or '_'."),
                name ? name : "");
  return ok;
}

/* A MusterUser (a MusterRowNew). */
static gpointer
user_from_row(sqlite3_stmt *stmt)
{
  MusterUser *u = g_new0(MusterUser, 1);
  u->id = sqlite3_column_int64(stmt, 0);
  u->uuid = muster_column_dup(stmt, 1);
  u->name = muster_column_dup(stmt, 2);
  u->full_name = muster_column_dup(stmt, 3);
  muster_role_from_string((const char *)sqlite3_column_text(stmt, 4), &u->role, NULL);
  u->locked = sqlite3_column_int(stmt, 5) != 0;
  u->active = sqlite3_column_int(stmt, 6) != 0;
  u->failed_attempts = sqlite3_column_int(stmt, 7);
  u->created_at = muster_column_dup(stmt, 8);
  u->has_badge = sqlite3_column_int(stmt, 9) != 0;
  return u;
}

static MusterUser *
get_where(MusterStore *store, const char *sql, const char *name, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  MusterUser *u = rc == SQLITE_ROW ? user_from_row(stmt) : NULL;
  sqlite3_reset(stmt);
  if (rc == SQLITE_ROW)
    return u;
  if (rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Reading users", error);
    return NULL;
  }
  if (name != NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                _("No user named '%s'. 'muster user list' shows who exists."), name);
  else
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND, "No user with id %" G_GINT64_FORMAT,
                id);
  return NULL;
}

MusterUser *
muster_users_get(MusterStore *store, const char *name, GError **error)
{
  return get_where(store, "SELECT " USER_COLUMNS " FROM app_user WHERE name = ?", name, 0, error);
}

MusterUser *
muster_users_get_by_id(MusterStore *store, gint64 id, GError **error)
{
  return get_where(store, "SELECT " USER_COLUMNS " FROM app_user WHERE id = ?", NULL, id, error);
}

GPtrArray *
muster_users_list(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT " USER_COLUMNS " FROM app_user ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func((GDestroyNotify)muster_user_free);
  if (!muster_rows_collect(store, stmt, user_from_row, users, "Listing users", error))
    return NULL;
  return g_steal_pointer(&users);
}

/* When the audit log last recorded action about user, in local time to the minute as a
 * person reads it ("2026-03-14 09:26"), or NULL. */
static char *
last_audited(MusterStore *store, const MusterUser *user, const char *action)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT at FROM audit_log WHERE subject = ? AND action = ? ORDER BY seq DESC LIMIT 1",
      NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text(stmt, 1, user->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, action, -1, SQLITE_STATIC);
  g_autofree char *at = sqlite3_step(stmt) == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  g_autoptr(GDateTime) utc = at != NULL ? g_date_time_new_from_iso8601(at, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local(utc) : NULL;
  return local != NULL ? g_date_time_format(local, "%Y-%m-%d %H:%M") : NULL;
}

/* Why someone who signed in as user may act no more: deactivated or locked since, when
 * the audit log says when. */
static void
set_no_longer_allowed(MusterStore *store, const MusterUser *user, GError **error)
{
  g_autofree char *at = last_audited(store, user, user->active ? "user.locked" : "user.deactivate");
  if (at == NULL && !user->active)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s's account is deactivated. Ask an admin."), user->name);
  else if (at == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s's account is locked after too many wrong PINs. An admin must unlock it "
                  "('muster user unlock %s')."),
                user->name, user->name);
  else if (!user->active)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s was deactivated at %s; sign in again."),
                user->name, at);
  else
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s was locked at %s; sign in again."),
                user->name, at);
}

MusterUser *
muster_users_current(MusterStore *store, const MusterUser *actor, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(MusterUser) now = muster_users_get_by_id(store, actor->id, &local);
  if (now == NULL) {
    if (!g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND)) {
      g_propagate_error(error, g_steal_pointer(&local));
      return NULL;
    }
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s is not a user of this database; sign in again."), actor->name);
    return NULL;
  }
  if (!now->active || now->locked) {
    set_no_longer_allowed(store, now, error);
    return NULL;
  }
  return g_steal_pointer(&now);
}

/* what is an action in English ("Resolving a missing item"), translated here: callers
 * pass literals, which xgettext finds as this function's fourth argument. The actor is
 * checked as the store has them now, not as the caller's copy says: someone deactivated,
 * locked out or given another role since they signed in is refused at once. */
gboolean
muster_require_one_of(MusterStore *store, const MusterUser *actor, guint roles_mask,
                      const char *what, GError **error)
{
  const char *action = _(what);
  if (actor == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION, _("%s needs someone signed in."),
                action);
    return FALSE;
  }
  g_autoptr(MusterUser) now = muster_users_current(store, actor, error);
  if (now == NULL) {
    /* Translators: "Adding a user refused: ann was deactivated at ..." */
    g_prefix_error(error, _("%s refused: "), action);
    return FALSE;
  }
  if (roles_mask & MUSTER_ROLE_BIT(now->role))
    return TRUE;
  g_autoptr(GString) allowed = g_string_new(NULL);
  for (guint r = 0; r < G_N_ELEMENTS(roles); r++) {
    if (!(roles_mask & MUSTER_ROLE_BIT(r)))
      continue;
    if (allowed->len > 0)
      /* Translators: between two roles in "Resolving needs a supervisor or an admin" */
      g_string_append(allowed, _(" or "));
    g_string_append(allowed, _(roles[r].needed));
  }
  /* Translators: "Resolving a missing item needs a supervisor; bob is staff." */
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION, _("%s needs %s; %s is %s."), action,
              allowed->str, now->name, _(roles[now->role].word));
  return FALSE;
}

gboolean
muster_require_role(MusterStore *store, const MusterUser *actor, MusterRole at_least,
                    const char *what, GError **error)
{
  guint mask = 0;
  for (guint r = at_least; r < G_N_ELEMENTS(roles); r++)
    mask |= MUSTER_ROLE_BIT(r);
  return muster_require_one_of(store, actor, mask, what, error);
}

static char *
hash_pin(const char *pin, GError **error)
{
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED,
                _("Hashing the PIN ran out of memory (argon2id needs 64 MiB)."));
    return NULL;
  }
  return g_strdup(out);
}

static MusterUser *
insert_user(MusterStore *store, const char *actor_name, const char *name, const char *full_name,
            MusterRole role, const char *pin, GError **error)
{
  g_autofree char *hash = hash_pin(pin, error);
  if (hash == NULL)
    return NULL;
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "INSERT INTO app_user (uuid, name, full_name, role, pin_hash, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, full_name && *full_name ? full_name : name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, muster_role_to_string(role), -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 5, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 6, now, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                _("A user named '%s' already exists. Choose another name."), name);
    return NULL;
  }
  if (rc != SQLITE_DONE) {
    muster_store_fail(store, rc, "Adding the user", error);
    return NULL;
  }
  g_autofree char *detail =
      g_strdup_printf("{\"name\":\"%s\",\"role\":\"%s\"}", name, muster_role_to_string(role));
  if (!muster_audit_append(store, actor_name, "user.add", uuid, detail, error))
    return NULL;
  return muster_users_get(store, name, error);
}

static MusterUser *
add_checked(MusterStore *store, const char *actor_name, gboolean bootstrap, const char *name,
            const char *full_name, MusterRole role, const char *pin, GError **error)
{
  if (!muster_user_name_valid(name, error) || !muster_pin_valid(pin, error))
    return NULL;
  if (!muster_store_begin(store, error))
    return NULL;
  if (bootstrap) {
    g_autoptr(GPtrArray) existing = muster_users_list(store, error);
    if (existing == NULL) {
      muster_store_rollback(store);
      return NULL;
    }
    if (existing->len > 0) {
      muster_store_rollback(store);
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_EXISTS,
                  _("This database already has users; ask an admin to add you."));
      return NULL;
    }
  }
  g_autoptr(MusterUser) user = insert_user(store, actor_name, name, full_name, role, pin, error);
  if (user == NULL || !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return NULL;
  }
  return g_steal_pointer(&user);
}

MusterUser *
muster_users_bootstrap_admin(MusterStore *store, const char *name, const char *full_name,
                             const char *pin, GError **error)
{
  return add_checked(store, NULL, TRUE, name, full_name, MUSTER_ROLE_ADMIN, pin, error);
}

MusterUser *
muster_users_add(MusterStore *store, const MusterUser *actor, const char *name,
                 const char *full_name, MusterRole role, const char *pin, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Adding a user", error))
    return NULL;
  return add_checked(store, actor->name, FALSE, name, full_name, role, pin, error);
}

static gboolean
set_user_field(MusterStore *store, const char *sql, gint64 id, gint64 value, const char *text,
               GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text(stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64(stmt, 1, value);
  sqlite3_bind_int64(stmt, 2, id);
  return muster_store_step_done(store, stmt, "Updating the user", error);
}

/* Adds one to user's wrong PINs under the write lock, so wrong PINs typed at once on
 * several terminals all count; says how many there are now and whether the account was
 * already locked. */
static gboolean
count_failure(MusterStore *store, gint64 id, int *attempts, gboolean *was_locked, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store,
                                         "UPDATE app_user SET failed_attempts = failed_attempts + 1 "
                                         "WHERE id = ? RETURNING failed_attempts, locked",
                                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    *attempts = sqlite3_column_int(stmt, 0);
    *was_locked = sqlite3_column_int(stmt, 1) != 0;
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Counting the wrong PIN", error);
  return TRUE;
}

/* Records a wrong PIN in its own committed transaction: the count must survive even
 * though the caller gets an error. Counted, compared with the limit and locked in that
 * one transaction, never from what was read before it. */
static gboolean
record_failure_in_tx(MusterStore *store, MusterUser *user, GError **error)
{
  int attempts = 0;
  gboolean was_locked = FALSE;
  if (!count_failure(store, user->id, &attempts, &was_locked, error))
    return FALSE;
  gboolean lock = !was_locked && attempts >= muster_settings_get(store, "lockout_attempts");
  g_autofree char *detail = g_strdup_printf("{\"attempts\":%d,\"locked\":%s}", attempts,
                                            lock || was_locked ? "true" : "false");
  if ((lock && !set_user_field(store, "UPDATE app_user SET locked = ? WHERE id = ?", user->id, 1,
                               NULL, error)) ||
      !muster_audit_append(store, user->name, lock ? "user.locked" : "user.pin_failed", user->uuid,
                           detail, error) ||
      !muster_store_commit(store, error))
    return FALSE;
  user->failed_attempts = attempts;
  user->locked = lock || was_locked;
  return TRUE;
}

static gboolean
record_failure(MusterStore *store, MusterUser *user, GError **error)
{
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!record_failure_in_tx(store, user, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

static char *
stored_hash(MusterStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT pin_hash FROM app_user WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64(stmt, 1, id);
  char *hash = sqlite3_step(stmt) == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (hash == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, _("Reading the PIN hash failed"));
  return hash;
}

gboolean
muster_user_may_sign_in(const MusterUser *user, GError **error)
{
  if (!user->active) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                _("%s's account is deactivated. Ask an admin."), user->name);
    return FALSE;
  }
  if (user->locked) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT,
                _("%s's account is locked after too many wrong PINs. An admin must unlock it "
                  "('muster user unlock %s')."),
                user->name, user->name);
    return FALSE;
  }
  return TRUE;
}

/* A right PIN restarts the count, unless a wrong one locked the account meanwhile. */
static gboolean
reset_failures(MusterStore *store, MusterUser *user, GError **error)
{
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!set_user_field(store, "UPDATE app_user SET failed_attempts = ? WHERE id = ? AND locked = 0",
                      user->id, 0, NULL, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  gboolean reset = sqlite3_changes(muster_store_db(store)) > 0;
  if (!muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  user->locked = !reset;
  user->failed_attempts = reset ? 0 : user->failed_attempts;
  return muster_user_may_sign_in(user, error);
}

MusterUser *
muster_users_authenticate(MusterStore *store, const char *name, const char *pin, GError **error)
{
  g_autoptr(MusterUser) user = muster_users_get(store, name, error);
  if (user == NULL || !muster_user_may_sign_in(user, error))
    return NULL;
  g_autofree char *hash = stored_hash(store, user->id, error);
  if (hash == NULL)
    return NULL;
  if (pin == NULL || crypto_pwhash_str_verify(hash, pin, strlen(pin)) != 0) {
    if (!record_failure(store, user, error))
      return NULL;
    if (user->locked)
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_LOCKED_OUT,
                  _("Wrong PIN for %s. The account is now locked; an admin must unlock it."), name);
    else
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_AUTH, _("Wrong PIN for %s. Try again."), name);
    return NULL;
  }
  /* Read again after the slow check: a guess elsewhere may have locked the account. */
  g_clear_pointer(&user, muster_user_free);
  user = muster_users_get(store, name, error);
  if (user == NULL || !muster_user_may_sign_in(user, error))
    return NULL;
  if (user->failed_attempts > 0 && !reset_failures(store, user, error))
    return NULL;
  return g_steal_pointer(&user);
}

/* Runs one audited change to a user in its own transaction. */
static gboolean
change_user(MusterStore *store, const MusterUser *actor, const char *name, const char *sql,
            gint64 value, const char *text, const char *action, GError **error)
{
  g_autoptr(MusterUser) user = muster_users_get(store, name, error);
  if (user == NULL)
    return FALSE;
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!set_user_field(store, sql, user->id, value, text, error) ||
      !muster_audit_append(store, actor->name, action, user->uuid, NULL, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean
muster_users_unlock(MusterStore *store, const MusterUser *actor, const char *name, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN), "Unlocking a user", error))
    return FALSE;
  return change_user(store, actor, name,
                     "UPDATE app_user SET locked = ?, failed_attempts = 0 WHERE id = ?", 0, NULL,
                     "user.unlock", error);
}

gboolean
muster_users_set_active(MusterStore *store, const MusterUser *actor, const char *name,
                        gboolean active, GError **error)
{
  if (!muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN),
                             active ? "Reactivating a user" : "Deactivating a user", error))
    return FALSE;
  if (!active && g_strcmp0(actor->name, name) == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("%s cannot deactivate their own account; ask another admin."), name);
    return FALSE;
  }
  return change_user(store, actor, name, "UPDATE app_user SET active = ? WHERE id = ?",
                     active ? 1 : 0, NULL, active ? "user.activate" : "user.deactivate", error);
}

gboolean
muster_users_set_pin(MusterStore *store, const MusterUser *actor, const char *name,
                     const char *new_pin, GError **error)
{
  if (g_strcmp0(actor ? actor->name : NULL, name) != 0 &&
      !muster_require_one_of(store, actor, MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN),
                             "Changing someone else's PIN", error))
    return FALSE;
  if (!muster_require_role(store, actor, MUSTER_ROLE_STAFF, "Changing a PIN", error) ||
      !muster_pin_valid(new_pin, error))
    return FALSE;
  g_autofree char *hash = hash_pin(new_pin, error);
  if (hash == NULL)
    return FALSE;
  return change_user(store, actor, name, "UPDATE app_user SET pin_hash = ? WHERE id = ?", 0, hash,
                     "user.set_pin", error);
}

gboolean
muster_users_note_session(MusterStore *store, const MusterUser *user, const char *action,
                          const char *detail_json, GError **error)
{
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!muster_audit_append(store, user->name, action, user->uuid, detail_json, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

MusterUser *
muster_users_sign_in(MusterStore *store, const char *name, const char *pin, const char *where,
                     GError **error)
{
  g_autoptr(MusterUser) user = muster_users_authenticate(store, name, pin, error);
  if (user == NULL)
    return NULL;
  g_autofree char *detail = g_strdup_printf("{\"by\":\"pin\",\"where\":\"%s\"}", where);
  if (!muster_users_note_session(store, user, "user.sign_in", detail, error))
    return NULL;
  return g_steal_pointer(&user);
}

gboolean
muster_users_sign_out(MusterStore *store, const MusterUser *user, const char *why, GError **error)
{
  g_autofree char *detail = g_strdup_printf("{\"why\":\"%s\"}", why);
  return muster_users_note_session(store, user, "user.sign_out", detail, error);
}

MusterUser *
muster_user_copy(const MusterUser *user)
{
  MusterUser *c = g_memdup2(user, sizeof *user);
  c->uuid = g_strdup(user->uuid);
  c->name = g_strdup(user->name);
  c->full_name = g_strdup(user->full_name);
  c->created_at = g_strdup(user->created_at);
  return c;
}
