/*
 * store-open.c: opening and creating an armoury's database, the seals included.
 *
 * store.c connects to the file, migrates it and runs transactions; this file puts the
 * seals on that connection before anything is written through it: the audit seal as a
 * transaction hook (db/audit.c) and the state seal's triggers and baseline
 * (db/state-seal.c), then reads the armoury's identity. Kept apart from store.c so
 * that the store sits below the audit log rather than beside it: audit.c uses the
 * store, and only this file uses both.
 */
#include "core/i18n.h"
#include "db/audit.h"
#include "db/state-seal.h"
#include "db/store-private.h"

#include <string.h>

static gboolean
baseline_in_tx(MusterStore *store, GError **error)
{
  gboolean wanted = FALSE;
  gint64 rows = 0;
  if (!muster_state_seal_baseline_wanted(store, &wanted, error))
    return FALSE;
  if (!wanted)
    return TRUE; /* another program took it meanwhile */
  if (!muster_state_seal_queue_all(store, &rows, error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf("{\"rows\":%" G_GINT64_FORMAT "}", rows);
  return muster_audit_append(store, NULL, "state.baseline", "", detail, error);
}

/* The state rows that have no sealed digest yet are sealed as they are, once per
 * database, in one audited transaction. */
static gboolean
seal_baseline(MusterStore *store, GError **error)
{
  gboolean wanted = FALSE;
  if (!muster_state_seal_baseline_wanted(store, &wanted, error))
    return FALSE;
  if (!wanted)
    return TRUE;
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!baseline_in_tx(store, error) || !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, "Sealing the state of the records as they are: ");
    return FALSE;
  }
  return TRUE;
}

/* Every transaction from now on is sealed into the audit chain, and every state row
 * written gets its digest; an older database gets its baseline now. */
static gboolean
attach_seals(MusterStore *store, GError **error)
{
  muster_audit_attach(store);
  return muster_state_seal_attach(store, error) && seal_baseline(store, error);
}

MusterStore *
muster_store_open(const char *path, GError **error)
{
  g_autoptr(MusterStore) store = muster_store_connect_existing(path, error);
  if (store == NULL || !attach_seals(store, error) ||
      !muster_store_load_identity(store, error))
    return NULL;
  return g_steal_pointer(&store);
}

gboolean
muster_store_code_valid(const char *code, GError **error)
{
  gboolean ok = code != NULL && *code != '\0' && strlen(code) <= 32;
  for (const char *p = code; ok && *p; p++)
    ok = g_ascii_isalnum(*p) || *p == '-' || *p == '_';
  if (!ok)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Armoury code '%s' is not valid: use 1 to 32 letters, digits, '-' or '_'."),
                code ? code : "");
  return ok;
}

static gboolean
insert_meta(MusterStore *store, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "INSERT INTO meta (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
  return muster_store_step_done(store, stmt, "Recording the armoury", error);
}

static gboolean
seed_armoury(MusterStore *store, const char *code, const char *name, GError **error)
{
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *loc_uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  if (!insert_meta(store, "armoury_code", code, error) ||
      !insert_meta(store, "armoury_name", name, error) ||
      !insert_meta(store, "armoury_uuid", uuid, error) ||
      !insert_meta(store, "created_at", now, error))
    return FALSE;
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "INSERT INTO location (uuid, parent_id, kind, code, path, name, created_at) "
      "VALUES (?, NULL, 'armoury', ?, '', ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, loc_uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!muster_store_step_done(store, stmt, "Recording the armoury", error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf("{\"code\":\"%s\",\"uuid\":\"%s\"}", code, uuid);
  return muster_audit_append(store, NULL, "armoury.create", uuid, detail, error);
}

/* The seals and the armoury's identity, in the new database connect_new made. */
static gboolean
store_fill(MusterStore *store, const char *armoury_code, const char *armoury_name,
           GError **error)
{
  if (!attach_seals(store, error) || !muster_store_begin(store, error))
    return FALSE;
  if (!seed_armoury(store, armoury_code, armoury_name ? armoury_name : armoury_code, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  return muster_store_commit(store, error) && muster_store_load_identity(store, error);
}

MusterStore *
muster_store_create(const char *path, const char *armoury_code, const char *armoury_name,
                    GError **error)
{
  if (!muster_store_code_valid(armoury_code, error))
    return NULL;
  MusterStore *store = muster_store_connect_new(path, error);
  if (store == NULL)
    return NULL;
  if (!store_fill(store, armoury_code, armoury_name, error)) {
    muster_store_discard_new(store);
    return NULL;
  }
  return store;
}
