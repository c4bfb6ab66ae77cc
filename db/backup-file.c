/*
 * backup-file.c: checking a backup copy, and its manifest (see backup-file.h).
 */
#include "db/backup-file.h"
#include "core/json-member.h"
#include "core/sha256.h"
#include "db/audit.h"
#include "db/store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

void
muster_backup_manifest_clear(MusterBackupManifest *m)
{
  g_free(m->armoury_code);
  g_free(m->armoury_uuid);
  g_free(m->created_at);
  g_free(m->muster_version);
  g_free(m->head_hash);
  g_free(m->file);
  g_free(m->sha256);
  g_free(m->reason);
  memset(m, 0, sizeof *m);
}

void
muster_backup_json_int(JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name(b, name);
  json_builder_add_int_value(b, value);
}

char *
muster_backup_manifest_path(const char *backup_path)
{
  g_autofree char *stem =
      g_str_has_suffix(backup_path, MUSTER_BACKUP_SUFFIX)
          ? g_strndup(backup_path, strlen(backup_path) - strlen(MUSTER_BACKUP_SUFFIX))
          : g_strdup(backup_path);
  return g_strconcat(stem, ".manifest.json", NULL);
}

char *
muster_backup_manifest_to_json(const MusterBackupManifest *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  muster_backup_json_int(b, "format_version", MUSTER_BACKUP_MANIFEST_VERSION);
  muster_json_add_str(b, "armoury_code", m->armoury_code);
  muster_json_add_str(b, "armoury_uuid", m->armoury_uuid);
  muster_json_add_str(b, "created_at", m->created_at);
  muster_json_add_str(b, "muster_version", m->muster_version);
  muster_backup_json_int(b, "schema_version", m->schema_version);
  muster_backup_json_int(b, "audit_head_seq", m->head_seq);
  muster_json_add_str(b, "audit_head_hash", m->head_hash);
  muster_json_add_str(b, "file", m->file);
  muster_backup_json_int(b, "size", m->size);
  muster_json_add_str(b, "sha256", m->sha256);
  muster_backup_json_int(b, "items", m->items);
  muster_json_add_str(b, "reason", m->reason);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *text = json_to_string(root, TRUE);
  return g_strconcat(text, "\n", NULL);
}

gboolean
muster_backup_manifest_write(const char *path, const MusterBackupManifest *m, GError **error)
{
  g_autofree char *line = muster_backup_manifest_to_json(m);
  g_autoptr(GError) local = NULL;
  if (!g_file_set_contents_full(path, line, -1,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                &local)) {
    g_set_error(error, MUSTER_ERROR,
                g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ? MUSTER_ERROR_DISK_FULL
                                                                         : MUSTER_ERROR_IO,
                "Writing the backup's manifest %s failed: %s. Check that the disk has room and "
                "is writable.",
                path, local->message);
    return FALSE;
  }
  return TRUE;
}

static char *
dup_member(JsonObject *o, const char *name)
{
  return g_strdup(muster_json_str(o, name, NULL));
}

/* A count or a version from a manifest: a whole number from 0 to max, else FALSE. */
static gboolean
bounded_int(JsonObject *o, const char *name, gint64 max, gint64 *out)
{
  return muster_json_int(o, name, out) && *out >= 0 && *out <= max;
}

gboolean
muster_backup_manifest_parse(const char *text, gsize length, const char *shown,
                             MusterBackupManifest *m, GError **error)
{
  memset(m, 0, sizeof *m);
  g_autoptr(JsonParser) parser = json_parser_new();
  gint64 version = 0, schema = 0;
  /* An empty file maps to NULL: not a manifest either. */
  JsonNode *root = text != NULL && length > 0 && length <= G_MAXSSIZE &&
                           json_parser_load_from_data(parser, text, (gssize)length, NULL)
                       ? json_parser_get_root(parser)
                       : NULL;
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  if (o == NULL || !bounded_int(o, "format_version", G_MAXINT, &version) || version < 1 ||
      !bounded_int(o, "schema_version", G_MAXINT, &schema) ||
      !bounded_int(o, "audit_head_seq", G_MAXINT64, &m->head_seq) ||
      !bounded_int(o, "size", G_MAXINT64, &m->size) ||
      muster_json_str(o, "armoury_uuid", NULL) == NULL ||
      muster_json_str(o, "sha256", NULL) == NULL) {
    m->head_seq = m->size = 0;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is not a backup manifest written by Muster. Move it away from the backup, "
                "or give the backup's own manifest.",
                shown);
    return FALSE;
  }
  if (version > MUSTER_BACKUP_MANIFEST_VERSION) {
    m->head_seq = m->size = 0;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The manifest %s is of a newer format (%" G_GINT64_FORMAT "): restore it with "
                "the Muster version that wrote it.",
                shown, version);
    return FALSE;
  }
  m->format_version = (int)version;
  m->schema_version = (int)schema;
  m->items = muster_json_int_or(o, "items", 0);
  m->armoury_code = dup_member(o, "armoury_code");
  m->armoury_uuid = dup_member(o, "armoury_uuid");
  m->created_at = dup_member(o, "created_at");
  m->muster_version = dup_member(o, "muster_version");
  m->head_hash = dup_member(o, "audit_head_hash");
  m->file = dup_member(o, "file");
  m->sha256 = dup_member(o, "sha256");
  m->reason = dup_member(o, "reason");
  /* json-glib takes octal escapes ("\202"), which can make bytes that are not UTF-8: no
   * manifest Muster wrote has them, and they could be neither shown nor written again. */
  const char *texts[] = {m->armoury_code, m->armoury_uuid, m->created_at, m->muster_version,
                         m->head_hash,    m->file,         m->sha256,     m->reason};
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    if (texts[i] != NULL && !g_utf8_validate(texts[i], -1, NULL)) {
      muster_backup_manifest_clear(m);
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "%s is not a backup manifest written by Muster (text that is not UTF-8). "
                  "Move it away from the backup, or give the backup's own manifest.",
                  shown);
      return FALSE;
    }
  return TRUE;
}

/* A manifest is under a kilobyte; a file far larger beside a backup is not one. */
#define MANIFEST_MAX_BYTES (64 * 1024)

gboolean
muster_backup_manifest_read(const char *path, MusterBackupManifest *m, GError **error)
{
  g_autoptr(GError) local = NULL;
  memset(m, 0, sizeof *m);
  g_autoptr(GMappedFile) file = g_mapped_file_new(path, FALSE, &local);
  if (file == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The backup manifest %s cannot be read (%s). Give the backup's own manifest, "
                "beside it.",
                path, local->message);
    return FALSE;
  }
  gsize length = g_mapped_file_get_length(file);
  if (length > MANIFEST_MAX_BYTES) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s is not a backup manifest written by Muster (%" G_GSIZE_FORMAT " bytes; a "
                "manifest has under %d). Give the backup's own manifest, beside it.",
                path, length, MANIFEST_MAX_BYTES);
    return FALSE;
  }
  return muster_backup_manifest_parse(g_mapped_file_get_contents(file), length, path, m, error);
}

gboolean
muster_backup_file_digest(const char *path, char sha256[65], gint64 *size, GError **error)
{
  int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Cannot read %s: %s.", path,
                g_strerror(errno));
    return FALSE;
  }
  g_autoptr(MusterSha256) h = muster_sha256_new();
  g_autofree guint8 *buf = g_malloc(1 << 20);
  gssize n;
  *size = 0;
  while ((n = read(fd, buf, 1 << 20)) > 0) {
    muster_sha256_update(h, buf, (gsize)n);
    *size += n;
  }
  int saved = errno;
  close(fd);
  if (n < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Reading %s failed: %s.", path,
                g_strerror(saved));
    return FALSE;
  }
  guint8 digest[MUSTER_SHA256_BYTES];
  muster_sha256_final(h, digest);
  for (int i = 0; i < MUSTER_SHA256_BYTES; i++)
    g_snprintf(sha256 + 2 * i, 3, "%02x", digest[i]);
  return TRUE;
}

gboolean
muster_backup_sync_path(const char *path, GError **error)
{
  int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok = fd >= 0 && fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0)
    close(fd);
  if (!ok)
    g_set_error(error, MUSTER_ERROR, saved == ENOSPC ? MUSTER_ERROR_DISK_FULL : MUSTER_ERROR_IO,
                "Writing %s to the disk failed: %s. Check the disk and the system log.", path,
                g_strerror(saved));
  return ok;
}

/* SQLite's own check of every page and index. */
static gboolean
integrity_ok(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, "PRAGMA integrity_check(1)", error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  g_autofree char *answer = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Checking the copy's integrity", error);
  if (g_strcmp0(answer, "ok") != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_CORRUPT, "SQLite's integrity check says: %s",
                answer != NULL ? answer : "(nothing)");
    return FALSE;
  }
  return TRUE;
}

void
muster_backup_remove_file(const char *path)
{
  static const char *const companions[] = {"", "-wal", "-shm", "-journal"};
  for (guint i = 0; i < G_N_ELEMENTS(companions); i++) {
    g_autofree char *p = g_strconcat(path, companions[i], NULL);
    g_unlink(p);
  }
}

/* The chain of a copy of an older schema, checked as this program checks it: on a
 * scratch copy beside it, migrated (the copy itself stays as it was taken). */
static gboolean
verify_migrated_scratch(const char *path, MusterAuditReport *report, GError **error)
{
  g_autofree char *scratch = g_strconcat(path, ".check", NULL);
  g_autoptr(GFile) from = g_file_new_for_path(path);
  g_autoptr(GFile) to = g_file_new_for_path(scratch);
  muster_backup_remove_file(scratch);
  g_autoptr(GError) local = NULL;
  if (!g_file_copy(from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &local)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
                "Making a scratch copy %s to check the backup failed: %s. Check that the disk "
                "has room.",
                scratch, local->message);
    return FALSE;
  }
  g_autoptr(GError) migrating = NULL;
  MusterStore *store = muster_store_open(scratch, &migrating);
  if (store == NULL) {
    /* not the copy's fault: this version cannot bring it to its schema */
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "This version could not check the copy, which has an older schema: %s",
                migrating->message);
    memset(report, 0, sizeof *report);
  }
  gboolean ok = store != NULL && muster_audit_verify(store, report, error);
  muster_store_free(store);
  muster_backup_remove_file(scratch);
  return ok;
}

static gboolean
verify_copy(MusterStore *store, const char *path, MusterBackupManifest *m, GError **error)
{
  int latest = muster_store_schema_latest(error);
  /* the state seal's digest function and table: what verification reads */
  if (latest < 0 || !integrity_ok(store, error) || !muster_state_seal_attach(store, error))
    return FALSE;
  MusterAuditReport report;
  gboolean ok = muster_store_schema_version(store) < latest
                    ? verify_migrated_scratch(path, &report, error)
                    : muster_audit_verify(store, &report, error);
  if (ok) {
    m->head_seq = report.head_seq;
    m->head_hash = g_strdup(report.head_hash);
    m->items =
        muster_store_query_int(store, "SELECT count(*) FROM item", "Counting the items", error);
    ok = m->items >= 0;
  }
  muster_audit_report_clear(&report);
  return ok;
}

gboolean
muster_backup_check_copy(const char *path, const char *shown, MusterBackupManifest *m,
                         GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(MusterStore) store = muster_store_connect_as_is(path, TRUE, &local);
  if (store != NULL && verify_copy(store, path, m, &local)) {
    m->armoury_code = g_strdup(muster_store_armoury_code(store));
    m->armoury_uuid = g_strdup(muster_store_armoury_uuid(store));
    m->schema_version = muster_store_schema_version(store);
    return TRUE;
  }
  /* A disk that fails or fills up says nothing about the copy, nor does a migration
   * this version cannot apply. */
  if (g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_IO) ||
      g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_DISK_FULL) ||
      g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY) ||
      g_error_matches(local, MUSTER_ERROR, MUSTER_ERROR_STATE)) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  /* the copy would not even open as a database: SQLite's words about the copy's path,
   * with advice about --db, would only mislead */
  const char *why = store == NULL ? "SQLite cannot read it as a database" : local->message;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_CORRUPT,
              "%s is damaged: %s%s Choose another backup.", shown, why,
              g_str_has_suffix(why, ".") ? "" : ".");
  return FALSE;
}
