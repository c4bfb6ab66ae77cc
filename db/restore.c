/*
 * restore.c: refusing what must not be restored, and swapping in what may (see
 * restore.h).
 */
#include "db/restore.h"
#include "core/json-member.h"
#include "db/audit-anchors.h"
#include "db/audit.h"
#include "db/rows-private.h"
#include "db/store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

/* The first bytes of every SQLite database, and where its application_id lies. */
static const char sqlite_magic[16] = "SQLite format 3";
#define APPLICATION_ID_OFFSET 68
static const guint8 muster_app_id[4] = {'M', 'U', 'S', 'T'};

/* An audit entry the registry holds: the restored history must contain it. */
typedef struct {
  gint64 seq;
  char *hash;
  const char *source; /* where it was learnt */
} Anchor;

/* What the live database says, when it can be read at all. */
typedef struct {
  gboolean readable;
  char *problem; /* why not */
  char *uuid;
  gint64 head_seq;
  char *head_hash;
  Anchor receipt; /* seq 0: none */
} Live;

struct _MusterRestore {
  char *live_path;
  char *file;
  char *copy_path;
  char *replaced_path;
  MusterRestoreOptions options;
  char *anchors_json;
  MusterBackupManifest backup;
  char sha256[65];
  Live live;
  Anchor registry; /* from the anchors file; seq 0: none */
  MusterStore *store;
  gboolean committed;
};

void
muster_restore_free(MusterRestore *r)
{
  if (r == NULL)
    return;
  muster_store_free(r->store);
  if (!r->committed && r->copy_path != NULL)
    muster_backup_remove_file(r->copy_path);
  muster_backup_manifest_clear(&r->backup);
  g_free(r->live.problem);
  g_free(r->live.uuid);
  g_free(r->live.head_hash);
  g_free(r->live.receipt.hash);
  g_free(r->registry.hash);
  g_free(r->anchors_json);
  g_free(r->live_path);
  g_free(r->file);
  g_free(r->copy_path);
  g_free(r->replaced_path);
  g_free(r);
}

MusterStore *
muster_restore_store(MusterRestore *r)
{
  return r->store;
}
const MusterBackupManifest *
muster_restore_backup(MusterRestore *r)
{
  return &r->backup;
}
const char *
muster_restore_replaced_path(MusterRestore *r)
{
  return r->replaced_path;
}

static gboolean
foreign(const char *file, const char *why, GError **error)
{
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FOREIGN,
              "%s is not a Muster backup (%s). Nothing was changed: give a .muster-backup "
              "file that 'muster backup' wrote.",
              file, why);
  return FALSE;
}

/* A Muster database by its header: SQLite's magic and Muster's application_id. */
static gboolean
check_header(const char *file, GError **error)
{
  if (!g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "%s is not a file. Give the path of a backup file.", file);
    return FALSE;
  }
  guint8 head[100];
  int fd = g_open(file, O_RDONLY | O_CLOEXEC, 0);
  gssize n = fd >= 0 ? read(fd, head, sizeof head) : -1;
  int saved = errno;
  if (fd >= 0)
    close(fd);
  if (n < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Cannot read %s: %s.", file,
                g_strerror(saved));
    return FALSE;
  }
  if (n < (gssize)sizeof head || memcmp(head, sqlite_magic, sizeof sqlite_magic) != 0)
    return foreign(file, "it is not an SQLite database", error);
  if (memcmp(head + APPLICATION_ID_OFFSET, muster_app_id, sizeof muster_app_id) != 0)
    return foreign(file, "it is another program's SQLite database", error);
  return TRUE;
}

/* The file against its manifest, when one lies beside it. */
static gboolean
check_manifest(MusterRestore *r, GError **error)
{
  g_autofree char *path = muster_backup_manifest_path(r->file);
  gint64 size = 0;
  if (!muster_backup_file_digest(r->file, r->sha256, &size, error))
    return FALSE;
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    return TRUE;
  MusterBackupManifest m;
  if (!muster_backup_manifest_read(path, &m, error))
    return FALSE;
  gboolean same = m.size == size && g_strcmp0(m.sha256, r->sha256) == 0;
  muster_backup_manifest_clear(&m);
  if (!same)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_CORRUPT,
                "%s is damaged: it is not the file its manifest %s describes (its size or "
                "SHA-256 differs). Nothing was changed: choose another backup.",
                r->file, path);
  return same;
}

/* The backup, copied beside the live database (the rename that restores it must not
 * cross file systems), synced. */
static gboolean
copy_beside(MusterRestore *r, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(r->live_path);
  g_autofree char *base = g_path_get_basename(r->live_path);
  g_autofree char *name = g_strdup_printf(".%s.restoring", base);
  r->copy_path = g_build_filename(dir, name, NULL);
  muster_backup_remove_file(r->copy_path);
  g_autoptr(GFile) from = g_file_new_for_path(r->file);
  g_autoptr(GFile) to = g_file_new_for_path(r->copy_path);
  g_autoptr(GError) local = NULL;
  if (!g_file_copy(from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &local) ||
      g_chmod(r->copy_path, 0600) != 0) {
    g_set_error(error, MUSTER_ERROR,
                g_error_matches(local, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ? MUSTER_ERROR_DISK_FULL
                                                                        : MUSTER_ERROR_IO,
                "Copying %s to %s failed: %s. Nothing was changed; check that the folder is "
                "writable and has room.",
                r->file, r->copy_path, local != NULL ? local->message : g_strerror(errno));
    return FALSE;
  }
  return muster_backup_sync_path(r->copy_path, error);
}

/* One receipt: its anchor, as the registry signed it, when newer than a's. One that does
 * not verify is passed over: only someone who edited this file can have made it, to
 * stop a restore (a forged newer anchor) or to allow one (an older entry vouched for). */
static gboolean
newer_signed_anchor(sqlite3_stmt *stmt, gpointer data, GError **error)
{
  Anchor *a = data;
  gint64 seq = 0;
  g_autofree char *hash = NULL;
  if (muster_audit_receipt_anchor((const char *)sqlite3_column_text(stmt, 2),
                                  (const char *)sqlite3_column_text(stmt, 0),
                                  (const char *)sqlite3_column_text(stmt, 1), &seq, &hash) &&
      seq > a->seq) {
    a->seq = seq;
    g_free(a->hash);
    a->hash = g_steal_pointer(&hash);
    a->source = "the registry's receipts kept in the live database";
  }
  return TRUE;
}

/* The newest anchor the registry signed a receipt of, from the live file (none before
 * schema 7). */
static gboolean
read_receipt(MusterStore *store, Anchor *a, GError **error)
{
  if (muster_store_schema_version(store) < 7)
    return TRUE;
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT answer, signature, (SELECT registry_key FROM sync_state WHERE id = 1)"
      " FROM anchor_receipt",
      error);
  return stmt != NULL && muster_rows_foreach(store, stmt, newer_signed_anchor, a,
                                             "Reading the registry's receipts", error);
}

static gboolean
read_live_facts(MusterStore *store, Live *live, GError **error)
{
  live->uuid = g_strdup(muster_store_armoury_uuid(store));
  live->head_seq = muster_store_query_int(store, "SELECT coalesce(max(seq), 0) FROM audit_log",
                                          "Reading the audit log", error);
  if (live->head_seq < 0 || !read_receipt(store, &live->receipt, error))
    return FALSE;
  g_autoptr(GError) local = NULL;
  live->head_hash = muster_audit_entry_hash(store, live->head_seq, &local);
  if (local != NULL) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  return live->uuid != NULL;
}

/* The live database as far as it can be read; a damaged one is why people restore. */
static void
read_live(MusterRestore *r)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(MusterStore) store = muster_store_connect_as_is(r->live_path, FALSE, &local);
  r->live.readable = store != NULL && read_live_facts(store, &r->live, &local);
  if (!r->live.readable)
    r->live.problem = g_strdup(local != NULL ? local->message : "its identity is missing");
}

/* The newest anchor in the registry's list, checked to be this backup's armoury's. */
static gboolean
read_registry_anchors(MusterRestore *r, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonNode *root = json_parser_load_from_data(parser, r->anchors_json, -1, NULL)
                       ? json_parser_get_root(parser)
                       : NULL;
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  JsonNode *list = o != NULL ? json_object_get_member(o, "anchors") : NULL;
  const char *armoury = o != NULL ? muster_json_str(o, "armoury", NULL) : NULL;
  if (armoury == NULL || list == NULL || !JSON_NODE_HOLDS_ARRAY(list)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "These are not audit anchors from the registry: give the output of "
                "'muster-registry anchors ARMOURY'.");
    return FALSE;
  }
  if (g_strcmp0(armoury, r->backup.armoury_uuid) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_OTHER_ARMOURY,
                "%s is a backup of armoury %s (%s), but the registry's anchors are for armoury "
                "%s. Nothing was changed: restore a backup of this armoury.",
                r->file, r->backup.armoury_code, r->backup.armoury_uuid, armoury);
    return FALSE;
  }
  JsonArray *a = json_node_get_array(list);
  for (guint i = 0; i < json_array_get_length(a); i++) {
    JsonNode *n = json_array_get_element(a, i);
    JsonObject *e = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
    gint64 seq = 0;
    const char *hash = e != NULL ? muster_json_str(e, "audit_hash", NULL) : NULL;
    if (hash != NULL && muster_json_int(e, "audit_seq", &seq) && seq > r->registry.seq) {
      g_free(r->registry.hash);
      r->registry.seq = seq;
      r->registry.hash = g_strdup(hash);
      r->registry.source = "the registry's anchors";
    }
  }
  return TRUE;
}

static gboolean
check_armoury(MusterRestore *r, GError **error)
{
  if (!r->live.readable || g_strcmp0(r->live.uuid, r->backup.armoury_uuid) == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_OTHER_ARMOURY,
              "%s is a backup of another armoury (%s, %s) than the database %s (%s). Nothing "
              "was changed: restore a backup of this armoury.",
              r->file, r->backup.armoury_code, r->backup.armoury_uuid, r->live_path, r->live.uuid);
  return FALSE;
}

/* The backup holds the anchored entry, with the hash the registry holds. */
static gboolean
check_anchor(MusterRestore *r, MusterStore *copy, const Anchor *a, GError **error)
{
  if (a->seq == 0)
    return TRUE;
  g_autoptr(GError) local = NULL;
  g_autofree char *have = muster_audit_entry_hash(copy, a->seq, &local);
  if (local != NULL) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  if (g_strcmp0(have, a->hash) == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_BEHIND_ANCHOR,
              "%s ends at audit entry %" G_GINT64_FORMAT
              ", but the registry holds entry %" G_GINT64_FORMAT
              " (from %s)%s: restoring it would silently drop history the registry has. "
              "Nothing was changed: restore a newer backup.",
              r->file, r->backup.head_seq, a->seq, a->source,
              have != NULL ? ", and the backup's entry there differs" : "");
  return FALSE;
}

/* The backup's history is the start of the live one's, or the live one is the start of
 * the backup's: anything else is a fork, one of the two rewritten. */
static gboolean
check_ancestry(MusterRestore *r, MusterStore *copy, GError **error)
{
  if (!r->live.readable || r->live.head_seq == 0)
    return TRUE;
  gint64 seq = MIN(r->live.head_seq, r->backup.head_seq);
  g_autoptr(MusterStore) live = muster_store_connect_as_is(r->live_path, FALSE, NULL);
  g_autofree char *live_hash = live != NULL ? muster_audit_entry_hash(live, seq, NULL) : NULL;
  g_autofree char *backup_hash = muster_audit_entry_hash(copy, seq, error);
  if (backup_hash == NULL)
    return FALSE;
  if (live_hash == NULL || g_strcmp0(live_hash, backup_hash) == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
              "The history in %s and in %s part at audit entry %" G_GINT64_FORMAT " or "
              "before: one of them was rewritten. Nothing was changed: keep both files as "
              "evidence and report it to the registry.",
              r->file, r->live_path, seq);
  return FALSE;
}

static gboolean
check_history(MusterRestore *r, GError **error)
{
  if (!r->live.readable && r->anchors_json == NULL && !r->options.no_registry_anchor) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The live database %s cannot be read (%s), so its registry receipts cannot say "
                "how much history the registry holds. Nothing was changed: give the registry's "
                "anchors ('muster-registry anchors ARMOURY' > FILE, then --anchors FILE), or, "
                "with no registry, --no-registry-anchor (recorded in the audit log).",
                r->live_path, r->live.problem);
    return FALSE;
  }
  g_autoptr(MusterStore) copy = muster_store_connect_as_is(r->copy_path, TRUE, error);
  return copy != NULL && check_anchor(r, copy, &r->live.receipt, error) &&
         check_anchor(r, copy, &r->registry, error) && check_ancestry(r, copy, error);
}

static gboolean
prepare(MusterRestore *r, GError **error)
{
  if (!check_header(r->file, error) || !check_manifest(r, error) || !copy_beside(r, error) ||
      !muster_backup_check_copy(r->copy_path, r->file, &r->backup, error))
    return FALSE;
  read_live(r);
  if (!check_armoury(r, error) || (r->anchors_json != NULL && !read_registry_anchors(r, error)) ||
      !check_history(r, error))
    return FALSE;
  r->store = muster_store_open(r->copy_path, error);
  return r->store != NULL;
}

MusterRestore *
muster_restore_prepare(const char *live_path, const char *file, const MusterRestoreOptions *o,
                       GError **error)
{
  g_autoptr(MusterRestore) r = g_new0(MusterRestore, 1);
  r->live_path = g_strdup(live_path);
  r->file = g_canonicalize_filename(file, NULL);
  r->options = *o;
  r->anchors_json = g_strdup(o->anchors_json);
  r->options.anchors_json = r->anchors_json;
  if (!prepare(r, error)) {
    g_prefix_error(error, "Restore of %s: ", live_path);
    return NULL;
  }
  return g_steal_pointer(&r);
}

static char *
restore_detail(MusterRestore *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  muster_json_add_str(b, "file", r->file);
  muster_json_add_str(b, "sha256", r->sha256);
  muster_backup_json_int(b, "backup_head_seq", r->backup.head_seq);
  muster_json_add_str(b, "backup_head_hash", r->backup.head_hash);
  muster_json_add_str(b, "replaced_file", r->replaced_path);
  json_builder_set_member_name(b, "replaced_head_seq");
  if (r->live.readable)
    json_builder_add_int_value(b, r->live.head_seq);
  else
    json_builder_add_null_value(b);
  muster_json_add_str(b, "replaced_head_hash", r->live.head_hash);
  muster_json_add_str(b, "replaced_unreadable", r->live.problem);
  muster_backup_json_int(b, "anchored_seq", MAX(r->live.receipt.seq, r->registry.seq));
  json_builder_set_member_name(b, "no_registry_anchor");
  json_builder_add_boolean_value(b, r->options.no_registry_anchor);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

/* The restore entry in the copy, which is then left in rollback-journal mode and
 * closed, so that nothing of it stays in a -wal the rename would leave behind. */
static gboolean
record_and_close(MusterRestore *r, const MusterUser *admin, GError **error)
{
  g_autofree char *detail = restore_detail(r);
  g_autofree char *subject = g_path_get_basename(r->file);
  if (!muster_store_begin(r->store, error))
    return FALSE;
  if (!muster_audit_append(r->store, admin->name, "store.restore", subject, detail, error) ||
      !muster_store_commit(r->store, error)) {
    muster_store_rollback(r->store);
    return FALSE;
  }
  gboolean ok = muster_store_exec(r->store, "PRAGMA journal_mode=DELETE", error);
  g_clear_pointer(&r->store, muster_store_free);
  return ok;
}

/* The last connection to close folds the -wal into a live database that still opens
 * and removes the -wal and -shm. When they are still there after this one closed,
 * another program (the kiosk, the sync) has the database open, and would go on writing
 * to the file moved aside. */
static gboolean
live_released(MusterRestore *r, GError **error)
{
  g_autoptr(MusterStore) live = muster_store_connect_as_is(r->live_path, FALSE, NULL);
  if (live == NULL)
    return TRUE; /* damaged: nothing can tell */
  g_clear_pointer(&live, muster_store_free);
  g_autofree char *shm = g_strconcat(r->live_path, "-shm", NULL);
  if (!g_file_test(shm, G_FILE_TEST_EXISTS))
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY,
              "Another program (the kiosk, the sync, a muster command) has %s open. Nothing "
              "was changed: stop it (systemctl stop muster-kiosk muster-sync) and restore "
              "again.",
              r->live_path);
  return FALSE;
}

/* The live database and whatever SQLite keeps beside it, moved to replaced_path. */
static gboolean
move_live_aside(MusterRestore *r, GError **error)
{
  static const char *const companions[] = {"", "-wal", "-shm", "-journal"};
  if (r->replaced_path == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS(companions); i++) {
    g_autofree char *from = g_strconcat(r->live_path, companions[i], NULL);
    g_autofree char *to = g_strconcat(r->replaced_path, companions[i], NULL);
    if (g_file_test(from, G_FILE_TEST_EXISTS) && g_rename(from, to) != 0) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
                  "Moving %s aside to %s failed: %s. Check the folder's permissions.", from, to,
                  g_strerror(errno));
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
muster_restore_commit(MusterRestore *r, const MusterUser *admin, GError **error)
{
  g_return_val_if_fail(r->store != NULL && !r->committed, FALSE);
  if (!muster_require_role(r->store, admin, MUSTER_ROLE_ADMIN, "Restoring a backup", error))
    return FALSE;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%SZ");
  if (g_file_test(r->live_path, G_FILE_TEST_EXISTS))
    r->replaced_path = g_strdup_printf("%s.replaced-%s", r->live_path, stamp);
  g_autofree char *dir = g_path_get_dirname(r->live_path);
  if ((r->replaced_path != NULL && !live_released(r, error)) ||
      !record_and_close(r, admin, error) || !muster_backup_sync_path(r->copy_path, error) ||
      !move_live_aside(r, error))
    return FALSE;
  if (g_rename(r->copy_path, r->live_path) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
                "Putting the restored database in place (%s to %s) failed: %s. The replaced "
                "one is at %s.",
                r->copy_path, r->live_path, g_strerror(errno), r->replaced_path);
    return FALSE;
  }
  r->committed = TRUE;
  return muster_backup_sync_path(dir, error);
}
