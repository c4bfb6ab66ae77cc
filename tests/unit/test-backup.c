/*
 * test-backup.c: backups (db/backup.h), restores (db/restore.h) and the upgrade's
 * migrate step (db/migrate.h), on real files: copies taken while another connection
 * commits scans, generations, every refusal of a restore, and a failed migration that
 * must leave the file's bytes as they were.
 */
#include "test-util.h"

#include "core/log-event.h"
#include "db/audit.h"
#include "db/backup.h"
#include "db/counts.h"
#include "db/ingest.h"
#include "db/migrate.h"
#include "db/restore.h"
#include "db/store-private.h" /* white-box: the copies are read behind the engine's back */
#include "db/sync-state.h"
#include "scan/scan.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* "EVENT MESSAGE_ID FIELD", one a journal event logged (as in test-log-event.c). */
static GPtrArray *events;

static GLogWriterOutput
writer(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  const char *event = test_log_field(fields, n, "MUSTER_EVENT");
  if (g_str_equal(event, "-"))
    return g_log_writer_default(level, fields, n, data);
  const char *where = test_log_field(
      fields, n, g_str_equal(event, "backup-done") ? "MUSTER_BACKUP" : "MUSTER_BACKUP_DIR");
  g_ptr_array_add(
      events, g_strdup_printf("%s %s %s", event, test_log_field(fields, n, "MESSAGE_ID"), where));
  return G_LOG_WRITER_HANDLED;
}

typedef struct {
  TestDb db;
  char *backups; /* db.dir/backups */
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
  g_ptr_array_set_size(events, 0);
  test_db_setup(&f->db, data);
  f->backups = g_build_filename(f->db.dir, "backups", NULL);
  g_assert_cmpint(g_mkdir(f->backups, 0700), ==, 0);
}

static void
teardown(Fixture *f, gconstpointer data)
{
  test_db_teardown(&f->db, data);
  g_free(f->backups);
}

/* A backup of the fixture's database into its backups folder, which must succeed. */
static void
take(Fixture *f, guint keep, MusterBackupResult *r)
{
  g_autoptr(GError) error = NULL;
  MusterBackupOptions o = {.dir = f->backups, .keep = keep, .muster_version = "test"};
  gboolean ok = muster_backup_take(f->db.path, &o, r, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
}

/* One integer from a database file, opened on a connection of its own. */
static gint64
file_int(const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  gint64 v = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return v;
}

static char *
file_sha(const char *path)
{
  char sha[65];
  gint64 size = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_backup_file_digest(path, sha, &size, &error));
  return g_strdup(sha);
}

static guint
files_in(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  guint n = 0;
  while (d != NULL && g_dir_read_name(d) != NULL)
    n++;
  return n;
}

static char *
list_dir(const char *dir)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  for (const char *n; d != NULL && (n = g_dir_read_name(d)) != NULL;)
    g_string_append_printf(out, "%s ", n);
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
test_backup_checked_and_named(Fixture *f, gconstpointer data)
{
  muster_user_free(test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR));
  gint64 head = test_sql_int(&f->db, "SELECT max(seq) FROM audit_log");
  MusterBackupResult r;
  take(f, 3, &r);
  g_autofree char *base = g_path_get_basename(r.path);
  g_autofree char *tail = g_strdup_printf("-seq%" G_GINT64_FORMAT ".muster-backup", head);
  g_assert_true(g_str_has_prefix(base, "TEST-"));
  g_assert_true(g_str_has_suffix(base, tail));
  /* the manifest says what the file is, and the file is what it says */
  MusterBackupManifest m;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_backup_manifest_read(r.manifest_path, &m, &error));
  g_autofree char *sha = file_sha(r.path);
  g_assert_cmpstr(m.sha256, ==, sha);
  g_assert_cmpstr(m.armoury_uuid, ==, muster_store_armoury_uuid(f->db.store));
  g_assert_cmpstr(m.armoury_code, ==, "TEST");
  g_assert_cmpint(m.head_seq, ==, head);
  g_autofree char *hash =
      test_sql_text_arg(&f->db, "SELECT hash FROM audit_log WHERE seq = ?", head);
  g_assert_cmpstr(m.head_hash, ==, hash);
  g_assert_cmpint(m.schema_version, ==, muster_store_schema_version(f->db.store));
  g_assert_cmpstr(m.reason, ==, "manual");
  muster_backup_manifest_clear(&m);
  /* a copy that stands alone: no -wal beside it, and SQLite finds it whole */
  g_autofree char *wal = g_strconcat(r.path, "-wal", NULL);
  g_assert_false(g_file_test(wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint(file_int(r.path, "SELECT count(*) FROM app_user WHERE name = 'sue'"), ==, 1);
  g_assert_cmpint(files_in(f->backups), ==, 2);
  /* in the journal, under its MESSAGE_ID */
  g_assert_cmpuint(events->len, ==, 1);
  g_autofree char *logged = g_strdup_printf(
      "backup-done %s %s", muster_events[MUSTER_EVENT_BACKUP_DONE].message_id, r.path);
  g_assert_cmpstr(g_ptr_array_index(events, 0), ==, logged);
  /* recorded as done by the system */
  g_assert_true(muster_backup_record(f->db.store, NULL, &r, &error));
  g_assert_no_error(error);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM audit_log WHERE action = "
                                       "'backup.taken' AND user_name IS NULL"),
                  ==, 1);
  muster_backup_result_clear(&r);
}

/* ---- a backup while a count commits scans ------------------------------------------- */

typedef struct {
  const char *path;
  gint64 count_id;
  gint committed; /* scans committed so far */
  gint stop;
} Writer;

static gpointer
write_scans(gpointer p)
{
  Writer *w = p;
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = muster_store_open(w->path, &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) admin = muster_users_authenticate(store, "admin", "123456", &error);
  g_autoptr(MusterIngest) ingest = muster_ingest_new(store, admin, w->count_id, &error);
  g_assert_no_error(error);
  for (int i = 0; !g_atomic_int_get(&w->stop); i++) {
    for (int k = 0; k < 20; k++) {
      g_autofree char *line = g_strdup_printf("UNKNOWN-%06d", i * 20 + k);
      char *loc = NULL;
      g_autoptr(MusterScan) scan = muster_scan_parse_line(line, strlen(line), "test", &loc, NULL);
      muster_ingest_add(ingest, scan);
    }
    g_assert_true(muster_ingest_flush(ingest, NULL, &error));
    g_atomic_int_add(&w->committed, 20);
  }
  return NULL;
}

/* SHA-256 over the scans up to max_id as one file holds them. */
static char *
scans_digest(const char *path, gint64 max_id)
{
  g_autofree char *sql = g_strdup_printf(
      "SELECT group_concat(id || ':' || marking_value || ':' || stored_at, ',') FROM "
      "(SELECT * FROM scan WHERE id <= %" G_GINT64_FORMAT " ORDER BY id)",
      max_id);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  char *d = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
                                          (const char *)sqlite3_column_text(stmt, 0), -1);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return d;
}

static void
test_backup_while_scans_commit(Fixture *f, gconstpointer data)
{
  /* pages enough for the online backup to take several steps */
  test_sql_exec(&f->db, "CREATE TABLE IF NOT EXISTS ballast (b BLOB) STRICT");
  test_sql_exec(&f->db,
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                "INSERT INTO ballast SELECT randomblob(4000) FROM n");
  Writer w = {.path = f->db.path, .count_id = test_db_start_count(&f->db, "")};
  GThread *thread = g_thread_new("scans", write_scans, &w);
  while (g_atomic_int_get(&w.committed) < 200)
    g_usleep(1000);
  gint before = g_atomic_int_get(&w.committed);
  MusterBackupResult r;
  take(f, 3, &r);
  gint after = g_atomic_int_get(&w.committed);
  g_atomic_int_set(&w.stop, 1);
  g_thread_join(thread);
  g_test_message("scans committed: %d before the backup, %d after it", before, after);
  g_assert_cmpint(after, >, before); /* the count went on while the copy was made */
  /* the copy holds a prefix of the scans, exactly as the live file holds them */
  gint64 copied = file_int(r.path, "SELECT count(*) FROM scan");
  g_assert_cmpint(copied, ==, file_int(r.path, "SELECT coalesce(max(id), 0) FROM scan"));
  g_assert_cmpint(copied, >=, before);
  g_assert_cmpint(copied, <, test_sql_int(&f->db, "SELECT count(*) FROM scan"));
  g_autofree char *in_copy = scans_digest(r.path, copied);
  g_autofree char *in_live = scans_digest(f->db.path, copied);
  g_assert_cmpstr(in_copy, ==, in_live);
  muster_backup_result_clear(&r);
}

/* ---- generations ------------------------------------------------------------------- */

static void
write_file(const char *dir, const char *name, const char *text)
{
  g_autofree char *p = g_build_filename(dir, name, NULL);
  g_assert_true(g_file_set_contents(p, text, -1, NULL));
}

static void
test_generations_keep_newest_of_this_armoury(Fixture *f, gconstpointer data)
{
  /* not ours: a note, and another armoury's backup with its manifest */
  write_file(f->backups, "notes.txt", "keep me");
  write_file(f->backups, "OTHER-20200101T000000Z-seq5.muster-backup", "other");
  write_file(f->backups, "OTHER-20200101T000000Z-seq5.manifest.json",
             "{\"format_version\":1,\"armoury_uuid\":\"someone-else\",\"schema_version\":9,"
             "\"audit_head_seq\":5,\"size\":5,\"sha256\":\"x\",\"created_at\":\"2000-01-01\","
             "\"file\":\"OTHER-20200101T000000Z-seq5.muster-backup\"}");
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  for (int i = 0; i < 4; i++) {
    MusterBackupResult r;
    take(f, 2, &r);
    g_ptr_array_add(taken, g_strdup(r.path));
    g_assert_cmpuint(r.pruned->len, ==, i < 2 ? 0 : 1);
    g_assert_true(muster_backup_record(f->db.store, NULL, &r, &error));
    muster_backup_result_clear(&r);
  }
  for (guint i = 0; i < taken->len; i++) {
    const char *p = g_ptr_array_index(taken, i);
    g_autofree char *manifest = muster_backup_manifest_path(p);
    g_assert_cmpint(g_file_test(p, G_FILE_TEST_EXISTS), ==, i >= 2);
    g_assert_cmpint(g_file_test(manifest, G_FILE_TEST_EXISTS), ==, i >= 2);
  }
  /* the two newest (file and manifest) and the three that are not ours */
  g_assert_cmpint(files_in(f->backups), ==, 4 + 3);
}

/* ---- refusals of a backup ------------------------------------------------------------ */

static void
test_backup_refuses_missing_folder(Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename(f->db.dir, "no-such-medium", NULL);
  MusterBackupOptions o = {.dir = missing};
  MusterBackupResult r;
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_backup_take(f->db.path, &o, &r, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(error->message, "no-such-medium"));
  g_assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));
  g_assert_cmpuint(events->len, ==, 1);
  g_autofree char *logged = g_strdup_printf(
      "backup-failed %s %s", muster_events[MUSTER_EVENT_BACKUP_FAILED].message_id, missing);
  g_assert_cmpstr(g_ptr_array_index(events, 0), ==, logged);
}

static void
test_backup_refuses_unknown_reason(Fixture *f, gconstpointer data)
{
  MusterBackupOptions o = {.dir = f->backups, .reason = "whim"};
  MusterBackupResult r;
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_backup_take(f->db.path, &o, &r, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_cmpint(files_in(f->backups), ==, 0);
}

/* ---- restore -------------------------------------------------------------------------- */

/* What a restore of file over the fixture's database says: NULL on success. */
static GError *
restore_error(Fixture *f, const char *file, const MusterRestoreOptions *o)
{
  static const MusterRestoreOptions none = {0};
  GError *error = NULL;
  g_autoptr(MusterRestore) r = muster_restore_prepare(f->db.path, file, o ? o : &none, &error);
  if (r == NULL)
    return error;
  g_autoptr(MusterUser) admin =
      muster_users_authenticate(muster_restore_store(r), "admin", "123456", &error);
  g_assert_no_error(error);
  if (!muster_restore_commit(r, admin, &error))
    return error;
  return NULL;
}

/* A restore refused with code, naming words, leaves the live file as it was and no
 * copy beside it. */
static void
assert_refused(Fixture *f, const char *file, const MusterRestoreOptions *o, int code,
               const char *words)
{
  g_autofree char *before = file_sha(f->db.path);
  g_autoptr(GError) error = restore_error(f, file, o);
  g_assert_nonnull(error);
  if (!g_error_matches(error, MUSTER_ERROR, code) || strstr(error->message, words) == NULL)
    g_error("expected code %d and '%s', got %d: %s", code, words, error->code, error->message);
  g_autofree char *after = file_sha(f->db.path);
  g_assert_cmpstr(before, ==, after);
  g_autofree char *listing = list_dir(f->db.dir);
  if (strstr(listing, "restoring") != NULL || strstr(listing, "replaced") != NULL)
    g_error("left beside the database: %s", listing);
}

static char *
backup_path(Fixture *f)
{
  MusterBackupResult r;
  take(f, 7, &r);
  char *path = g_strdup(r.path);
  muster_backup_result_clear(&r);
  return path;
}

/* The live file, checkpointed so its bytes are all in it, and closed. */
static void
close_live(Fixture *f)
{
  test_sql_exec(&f->db, "PRAGMA wal_checkpoint(TRUNCATE)");
  g_clear_pointer(&f->db.store, muster_store_free);
}

static void
reopen_live(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  f->db.store = muster_store_open(f->db.path, &error);
  g_assert_no_error(error);
}

static void
test_restore_refuses_foreign(Fixture *f, gconstpointer data)
{
  g_autofree char *junk = g_build_filename(f->backups, "random.bin", NULL);
  guint8 bytes[8192];
  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8)g_random_int();
  g_assert_true(g_file_set_contents(junk, (const char *)bytes, sizeof bytes, NULL));
  close_live(f);
  assert_refused(f, junk, NULL, MUSTER_ERROR_FOREIGN, "not an SQLite database");
  /* an SQLite file of another program */
  g_autofree char *other = g_build_filename(f->backups, "other.sqlite", NULL);
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(other, &db), ==, SQLITE_OK);
  g_assert_cmpint(
      sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", NULL, NULL, NULL), ==,
      SQLITE_OK);
  sqlite3_close(db);
  assert_refused(f, other, NULL, MUSTER_ERROR_FOREIGN, "another program's");
  reopen_live(f);
}

/* Overwrites len bytes at offset (from the end when negative) of path. */
static void
damage(const char *path, gint64 offset, const char *bytes)
{
  int fd = g_open(path, O_RDWR, 0);
  g_assert_cmpint(fd, >=, 0);
  off_t at = offset >= 0 ? offset : lseek(fd, 0, SEEK_END) + offset;
  g_assert_cmpint(pwrite(fd, bytes, strlen(bytes), at), ==, (gssize)strlen(bytes));
  close(fd);
}

static void
test_restore_refuses_damaged(Fixture *f, gconstpointer data)
{
  muster_user_free(test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR));
  g_autofree char *flipped = backup_path(f);
  g_autofree char *bare = g_strconcat(flipped, ".bare", NULL);
  g_autofree char *truncated = g_strconcat(flipped, ".truncated", NULL);
  g_autofree char *manifest = muster_backup_manifest_path(flipped);
  g_autofree char *data_bytes = NULL;
  gsize len = 0;
  g_assert_true(g_file_get_contents(flipped, &data_bytes, &len, NULL));
  g_assert_true(g_file_set_contents(truncated, data_bytes, (gssize)len / 2, NULL));
  close_live(f);
  assert_refused(f, truncated, NULL, MUSTER_ERROR_DB_CORRUPT, "is damaged");
  /* a flipped byte in the audit log's last page: the manifest finds it first */
  damage(flipped, -200, "X");
  assert_refused(f, flipped, NULL, MUSTER_ERROR_DB_CORRUPT, "its manifest");
  /* without a manifest, the audit chain does: a name changed in the user table */
  g_assert_true(g_file_set_contents(bare, data_bytes, (gssize)len, NULL));
  gsize at = 0;
  while (at + 9 <= len && memcmp(data_bytes + at, "Ada Admin", 9) != 0)
    at++;
  g_assert_cmpuint(at + 9, <=, len);
  damage(bare, (gint64)at, "Eve");
  assert_refused(f, bare, NULL, MUSTER_ERROR_DB_CORRUPT, "is damaged");
  g_assert_true(g_file_test(manifest, G_FILE_TEST_EXISTS));
  reopen_live(f);
}

static void
test_restore_refuses_other_armoury(Fixture *f, gconstpointer data)
{
  g_autofree char *other_path = g_build_filename(f->db.dir, "other.db", NULL);
  g_autoptr(GError) error = NULL;
  MusterStore *other = muster_store_create(other_path, "TEST", "Same code, other armoury", &error);
  g_assert_no_error(error);
  muster_store_free(other);
  MusterBackupOptions o = {.dir = f->backups};
  MusterBackupResult r;
  g_assert_true(muster_backup_take(other_path, &o, &r, &error));
  g_autofree char *file = g_strdup(r.path);
  muster_backup_result_clear(&r);
  muster_backup_remove_file(other_path);
  assert_refused(f, file, NULL, MUSTER_ERROR_OTHER_ARMOURY, "another armoury");
}

static void
test_restore_refuses_older_than_receipt(Fixture *f, gconstpointer data)
{
  TestRegistryKey registry;
  test_registry_configure(&f->db, &registry);
  g_autofree char *old = backup_path(f);
  muster_user_free(test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR));
  /* a receipt kept in the live file: the registry holds its newest entry */
  test_registry_keep_receipt(&f->db, &registry,
                             test_sql_int(&f->db, "SELECT max(seq) FROM audit_log"));
  close_live(f);
  assert_refused(f, old, NULL, MUSTER_ERROR_BEHIND_ANCHOR, "silently drop history");
  reopen_live(f);
  /* a backup that holds the anchored entry is restored */
  g_autofree char *newer = backup_path(f);
  close_live(f);
  g_autoptr(GError) ok = restore_error(f, newer, NULL);
  g_assert_no_error(ok);
  reopen_live(f);
}

/* Receipts the registry did not sign are passed over: one forged with another key for
 * the newest entry, and a genuine answer kept again with its (unsigned) columns naming
 * that entry. Neither can stop a restore; only the registry's word counts. */
static void
test_restore_passes_over_unsigned_receipts(Fixture *f, gconstpointer data)
{
  TestRegistryKey registry, forger;
  test_registry_configure(&f->db, &registry);
  test_registry_keep_receipt(&f->db, &registry, 2);
  g_autofree char *old = backup_path(f);
  muster_user_free(test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR));
  gint64 sue = test_sql_int(&f->db, "SELECT max(seq) FROM audit_log");
  muster_user_free(test_db_add_user(&f->db, "tom", MUSTER_ROLE_STAFF));
  test_registry_key_new(&forger);
  test_registry_keep_receipt(&f->db, &forger,
                             test_sql_int(&f->db, "SELECT max(seq) FROM audit_log"));
  g_autofree char *sql = g_strdup_printf(
      "INSERT INTO anchor_receipt (audit_seq, audit_hash, registry_at, received_at, answer,"
      " signature) SELECT %" G_GINT64_FORMAT ", (SELECT hash FROM audit_log WHERE seq = %"
      G_GINT64_FORMAT "), registry_at, received_at, answer, signature FROM anchor_receipt"
      " WHERE audit_seq = 2",
      sue, sue);
  test_sql_exec_outside(&f->db, sql);
  close_live(f);
  g_autoptr(GError) ok = restore_error(f, old, NULL);
  g_assert_no_error(ok);
  reopen_live(f);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM app_user WHERE name = 'sue'"), ==, 0);
}

static void
test_restore_refuses_older_than_registry_anchors(Fixture *f, gconstpointer data)
{
  g_autofree char *old = backup_path(f);
  muster_user_free(test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR));
  gint64 seq = test_sql_int(&f->db, "SELECT max(seq) FROM audit_log");
  g_autofree char *hash =
      test_sql_text_arg(&f->db, "SELECT hash FROM audit_log WHERE seq = ?", seq);
  g_autofree char *anchors =
      g_strdup_printf("{\"armoury\":\"%s\",\"anchors\":[{\"audit_seq\":2,\"audit_hash\":\"x\"},"
                      "{\"audit_seq\":%" G_GINT64_FORMAT ",\"audit_hash\":\"%s\"}]}",
                      muster_store_armoury_uuid(f->db.store), seq, hash);
  close_live(f);
  /* the live file is unreadable: only the registry's anchors can say */
  damage(f->db.path, 0, "garbage garbage garbage");
  MusterRestoreOptions none = {0};
  assert_refused(f, old, &none, MUSTER_ERROR_INVALID, "--no-registry-anchor");
  MusterRestoreOptions with = {.anchors_json = anchors};
  assert_refused(f, old, &with, MUSTER_ERROR_BEHIND_ANCHOR, "silently drop history");
  g_autofree char *wrong = g_strdup_printf("{\"armoury\":\"someone-else\",\"anchors\":[]}");
  MusterRestoreOptions other = {.anchors_json = wrong};
  assert_refused(f, old, &other, MUSTER_ERROR_OTHER_ARMOURY, "anchors are for armoury");
}

static void
test_restore_refuses_forked_history(Fixture *f, gconstpointer data)
{
  /* a twin of the database that went its own way after a common start */
  close_live(f);
  g_autofree char *twin = g_build_filename(f->db.dir, "twin.db", NULL);
  g_autoptr(GFile) from = g_file_new_for_path(f->db.path);
  g_autoptr(GFile) to = g_file_new_for_path(twin);
  g_assert_true(g_file_copy(from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, NULL));
  reopen_live(f);
  g_autoptr(GError) error = NULL;
  {
    g_autoptr(MusterStore) store = muster_store_open(twin, &error);
    g_autoptr(MusterUser) admin = muster_users_authenticate(store, "admin", "123456", &error);
    g_autoptr(MusterUser) u =
        muster_users_add(store, admin, "mallory", "M", MUSTER_ROLE_ADMIN, "1234", &error);
    g_assert_no_error(error);
  }
  MusterBackupOptions o = {.dir = f->backups};
  MusterBackupResult r;
  g_assert_true(muster_backup_take(twin, &o, &r, &error));
  g_autofree char *file = g_strdup(r.path);
  muster_backup_result_clear(&r);
  muster_user_free(test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR));
  close_live(f);
  g_autofree char *twin_wal = g_strconcat(twin, "-wal", NULL);
  g_unlink(twin);
  g_unlink(twin_wal);
  assert_refused(f, file, NULL, MUSTER_ERROR_TAMPERED, "one of them was rewritten");
  reopen_live(f);
}

static void
test_restore_replaces_and_is_audited(Fixture *f, gconstpointer data)
{
  muster_user_free(test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR));
  g_autofree char *file = backup_path(f);
  g_autofree char *sha = file_sha(file);
  close_live(f);
  damage(f->db.path, 4096 * 3, "this page is no longer what it was");
  g_autofree char *damaged_sha = file_sha(f->db.path);
  MusterRestoreOptions o = {.no_registry_anchor = TRUE};
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterRestore) r = muster_restore_prepare(f->db.path, file, &o, &error);
  g_assert_no_error(error);
  /* the admin must be one of the restored records, and an admin */
  g_autoptr(MusterUser) sue =
      muster_users_authenticate(muster_restore_store(r), "sue", "1234", &error);
  g_assert_no_error(error);
  g_assert_false(muster_restore_commit(r, sue, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  g_autoptr(MusterUser) admin =
      muster_users_authenticate(muster_restore_store(r), "admin", "123456", &error);
  g_assert_true(muster_restore_commit(r, admin, &error));
  g_assert_no_error(error);
  /* the damaged file was kept, byte for byte */
  const char *replaced = muster_restore_replaced_path(r);
  g_assert_nonnull(replaced);
  g_autofree char *kept_sha = file_sha(replaced);
  g_assert_cmpstr(kept_sha, ==, damaged_sha);
  reopen_live(f);
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(f->db.store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
  g_autofree char *last = test_sql_text(&f->db, "SELECT action || ' by ' || user_name || ': ' || "
                                                "detail FROM audit_log ORDER BY seq DESC LIMIT 1");
  g_assert_true(g_str_has_prefix(last, "store.restore by admin: "));
  g_assert_nonnull(strstr(last, sha));
  g_assert_nonnull(strstr(last, "\"no_registry_anchor\":true"));
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM app_user WHERE name = 'sue'"), ==, 1);
}

static void
test_restore_refuses_while_live_open(Fixture *f, gconstpointer data)
{
  g_autofree char *file = backup_path(f);
  /* the fixture's connection stands for the kiosk */
  assert_refused(f, file, NULL, MUSTER_ERROR_DB_BUSY, "systemctl stop");
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_true(muster_audit_verify(f->db.store, &report, &error));
  muster_audit_report_clear(&report);
}

/* ---- the upgrade's migrations --------------------------------------------------------- */

/* Registers extra migrations, as a newer version would compile in: name=SQL pairs. */
static GResource *
extra_migrations(const char *dir, const char *const *files)
{
  g_autoptr(GString) xml = g_string_new(
      "<?xml version=\"1.0\"?><gresources><gresource prefix=\"/org/muster/db/migrations\">");
  for (const char *const *f = files; *f != NULL; f += 2) {
    write_file(dir, f[0], f[1]);
    g_string_append_printf(xml, "<file>%s</file>", f[0]);
  }
  g_string_append(xml, "</gresource></gresources>");
  write_file(dir, "extra.gresource.xml", xml->str);
  g_autofree char *target = g_build_filename(dir, "extra.gresource", NULL);
  g_autofree char *source = g_build_filename(dir, "extra.gresource.xml", NULL);
  const char *argv[] = {
      "glib-compile-resources", "--sourcedir", dir, "--target", target, source, NULL};
  gint status = 0;
  g_autoptr(GError) error = NULL;
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                    &error)) {
    g_test_skip("glib-compile-resources is missing");
    return NULL;
  }
  g_assert_true(g_spawn_check_wait_status(status, NULL));
  GResource *res = g_resource_load(target, &error);
  g_assert_no_error(error);
  g_resources_register(res);
  return res;
}

static void
drop_migrations(GResource *res)
{
  g_resources_unregister(res);
  g_resource_unref(res);
}

static void
test_migration_failure_leaves_file(Fixture *f, gconstpointer data)
{
  g_autofree char *res_dir = g_build_filename(f->db.dir, "res", NULL);
  g_assert_cmpint(g_mkdir(res_dir, 0700), ==, 0);
  const char *files[] = {"998-good.sql", "CREATE TABLE upgrade_note (x TEXT) STRICT;",
                         "999-broken.sql", "ALTER TABLE no_such_table ADD COLUMN y TEXT;", NULL};
  int version = muster_store_schema_version(f->db.store);
  close_live(f);
  g_autofree char *before = file_sha(f->db.path);
  GResource *res = extra_migrations(res_dir, files);
  if (res == NULL)
    return;
  /* the upgrade's step: the backup cannot be checked at the new schema, so nothing is
   * kept and nothing migrated */
  MusterBackupOptions o = {.dir = f->backups};
  MusterMigrateResult r;
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_migrate_file(f->db.path, &o, &r, &error));
  g_test_message("%s", error->message);
  g_assert_nonnull(strstr(error->message, "999-broken.sql"));
  g_assert_cmpint(files_in(f->backups), ==, 0);
  muster_migrate_result_clear(&r);
  g_clear_error(&error);
  /* opening migrates too: all pending migrations or none */
  MusterStore *opened = muster_store_open(f->db.path, &error);
  drop_migrations(res);
  g_assert_null(opened);
  g_test_message("%s", error->message);
  g_assert_nonnull(strstr(error->message, "Migration 999-broken.sql failed, so none was applied"));
  g_autofree char *after = file_sha(f->db.path);
  g_assert_cmpstr(after, ==, before);
  g_assert_cmpint(file_int(f->db.path, "PRAGMA user_version"), ==, version);
  g_assert_cmpint(file_int(f->db.path, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                       "'upgrade_note'"),
                  ==, 0);
  reopen_live(f);
}

static void
test_migrate_backs_up_first_and_backup_never_migrates(Fixture *f, gconstpointer data)
{
  g_autofree char *res_dir = g_build_filename(f->db.dir, "res", NULL);
  g_assert_cmpint(g_mkdir(res_dir, 0700), ==, 0);
  const char *files[] = {"998-good.sql", "CREATE TABLE upgrade_note (x TEXT) STRICT;", NULL};
  int version = muster_store_schema_version(f->db.store);
  close_live(f);
  GResource *res = extra_migrations(res_dir, files);
  if (res == NULL)
    return;
  /* a backup copies what is there: the old schema, never migrated */
  MusterBackupResult b;
  take(f, 7, &b);
  g_assert_cmpint(b.manifest.schema_version, ==, version);
  g_assert_cmpint(file_int(f->db.path, "PRAGMA user_version"), ==, version);
  g_assert_cmpint(file_int(b.path, "PRAGMA user_version"), ==, version);
  muster_backup_result_clear(&b);
  MusterBackupOptions o = {.dir = f->backups};
  MusterMigrateResult r;
  g_autoptr(GError) error = NULL;
  gboolean ok = muster_migrate_file(f->db.path, &o, &r, &error);
  drop_migrations(res);
  g_assert_no_error(error);
  g_assert_true(ok);
  g_assert_cmpint(r.from, ==, version);
  g_assert_cmpint(r.to, ==, 998);
  g_assert_cmpstr(r.backup.manifest.reason, ==, "upgrade");
  g_assert_cmpint(file_int(r.backup.path, "PRAGMA user_version"), ==, version);
  g_assert_cmpint(file_int(f->db.path, "PRAGMA user_version"), ==, 998);
  muster_migrate_result_clear(&r);
  reopen_live(f);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM audit_log WHERE action IN "
                                       "('backup.taken', 'store.migrate') AND user_name IS NULL"),
                  ==, 2);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  events = g_ptr_array_new_with_free_func(g_free);
  g_log_set_writer_func(writer, NULL, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
  ADD("/backup/checked-and-named-by-its-head", test_backup_checked_and_named);
  ADD("/backup/consistent-while-scans-commit", test_backup_while_scans_commit);
  ADD("/backup/generations-keep-newest-of-this-armoury",
      test_generations_keep_newest_of_this_armoury);
  ADD("/backup/refuses-missing-folder", test_backup_refuses_missing_folder);
  ADD("/backup/refuses-unknown-reason", test_backup_refuses_unknown_reason);
  ADD("/restore/refuses-foreign", test_restore_refuses_foreign);
  ADD("/restore/refuses-damaged", test_restore_refuses_damaged);
  ADD("/restore/refuses-other-armoury", test_restore_refuses_other_armoury);
  ADD("/restore/refuses-older-than-receipt", test_restore_refuses_older_than_receipt);
  ADD("/restore/passes-over-unsigned-receipts", test_restore_passes_over_unsigned_receipts);
  ADD("/restore/refuses-older-than-registry-anchors",
      test_restore_refuses_older_than_registry_anchors);
  ADD("/restore/refuses-forked-history", test_restore_refuses_forked_history);
  ADD("/restore/replaces-and-is-audited", test_restore_replaces_and_is_audited);
  ADD("/restore/refuses-while-live-open", test_restore_refuses_while_live_open);
  ADD("/migrate/failure-leaves-file-as-it-was", test_migration_failure_leaves_file);
  ADD("/migrate/backs-up-first-and-backup-never-migrates",
      test_migrate_backs_up_first_and_backup_never_migrates);
#undef ADD
  return g_test_run();
}
