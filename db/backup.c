/*
 * backup.c: taking a backup with SQLite's online backup (see backup.h).
 *
 * The source connection holds one read transaction from the moment the audit head is
 * read until the last page is copied: in WAL mode writers go on meanwhile (a count keeps
 * committing scans), and the copy is exactly that snapshot, whose head the file name
 * and the manifest name. Without it the online backup would start over each time
 * another connection commits, and might never finish during a busy count.
 */
#include "db/backup.h"
#include "core/json-member.h"
#include "core/log-event.h"
#include "db/audit.h"
#include "db/store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Pages copied in one step of the online backup. */
#define PAGES_PER_STEP 1024
/* Steps in a row that may find the copy busy before giving up. */
#define MAX_BUSY_STEPS 500

static const char *const reasons[] = {"manual", "timer", "upgrade"};

void
muster_backup_result_clear(MusterBackupResult *r)
{
  g_free(r->path);
  g_free(r->manifest_path);
  muster_backup_manifest_clear(&r->manifest);
  if (r->pruned != NULL)
    g_ptr_array_unref(r->pruned);
  memset(r, 0, sizeof *r);
}

gboolean
muster_backup_reason_valid(const char *reason, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS(reasons); i++)
    if (g_strcmp0(reason, reasons[i]) == 0)
      return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "'%s' is not a reason for a backup: use manual, timer or upgrade.",
              reason != NULL ? reason : "");
  return FALSE;
}

/* The folder exists and this user can write to it. */
static gboolean
check_dir(const char *dir, GError **error)
{
  struct statvfs fs;
  if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "The backup folder %s does not exist: create it, mount the removable medium "
                "there, or name another folder with --to.",
                dir);
    return FALSE;
  }
  if (statvfs(dir, &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_READONLY,
                "The backup folder %s is on a read-only file system (a write-protected "
                "medium?): make it writable, or name another folder with --to.",
                dir);
    return FALSE;
  }
  if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_READONLY,
                "The backup folder %s cannot be written by this user (%s): run as the "
                "database's owner, or let this user write to the folder.",
                dir, g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

/* Starts the source's read snapshot and reads what names the backup. */
static gboolean
begin_snapshot(MusterStore *src, MusterBackupManifest *m, GError **error)
{
  if (!muster_store_exec(src, "BEGIN DEFERRED", error))
    return FALSE;
  m->head_seq = muster_store_query_int(src, "SELECT coalesce(max(seq), 0) FROM audit_log",
                                       "Reading the audit log's head", error);
  return m->head_seq >= 0;
}

static gboolean
copy_failed(int rc, int sys_errno, const char *partial, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(partial);
  if ((rc & 0xff) == SQLITE_FULL || sys_errno == ENOSPC)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_DISK_FULL,
                "The disk holding %s is full: the backup was not taken, and nothing of it "
                "was left there. Free some space (or remove old backups), or name another "
                "folder with --to.",
                dir);
  else
    g_set_error(error, MUSTER_ERROR,
                (rc & 0xff) == SQLITE_BUSY ? MUSTER_ERROR_DB_BUSY : MUSTER_ERROR_IO,
                "Copying the database into %s failed: %s%s%s. Check the disk and the system "
                "log, and try again.",
                dir, sqlite3_errstr(rc), sys_errno != 0 ? ": " : "",
                sys_errno != 0 ? g_strerror(sys_errno) : "");
  return FALSE;
}

/* Every page of the snapshot, in steps; the copy is left in rollback-journal mode, so
 * that it opens read-only anywhere, with no -wal or -shm beside it. */
static int
copy_steps(sqlite3 *dst, sqlite3 *src)
{
  sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == NULL)
    return sqlite3_errcode(dst);
  int rc, busy = 0;
  do {
    rc = sqlite3_backup_step(b, PAGES_PER_STEP);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
      busy++;
      sqlite3_sleep(10);
    } else {
      busy = 0;
    }
  } while ((rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) &&
           busy < MAX_BUSY_STEPS);
  int finished = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
    return rc;
  if (finished != SQLITE_OK)
    return finished;
  return sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
}

static gboolean
copy_pages(MusterStore *src, const char *partial, GError **error)
{
  int fd = g_open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return copy_failed(SQLITE_CANTOPEN, errno, partial, error);
  close(fd);
  sqlite3 *dst = NULL;
  int rc = sqlite3_open_v2(partial, &dst, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_extended_result_codes(dst, 1);
    rc = copy_steps(dst, muster_store_db(src));
  }
  int sys_errno = dst != NULL ? sqlite3_system_errno(dst) : 0;
  sqlite3_close_v2(dst);
  if (rc != SQLITE_OK)
    return copy_failed(rc, sys_errno, partial, error);
  return muster_backup_sync_path(partial, error);
}

/* dir/CODE-YYYYMMDDTHHMMSSZ-seqN.muster-backup, with -2, -3, ... when taken already. */
static char *
final_path(const char *dir, const MusterBackupManifest *m)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%SZ");
  g_autofree char *stem =
      g_strdup_printf("%s/%s-%s-seq%" G_GINT64_FORMAT, dir, m->armoury_code, stamp, m->head_seq);
  char *path = g_strconcat(stem, MUSTER_BACKUP_SUFFIX, NULL);
  for (int n = 2; g_file_test(path, G_FILE_TEST_EXISTS); n++) {
    g_free(path);
    path = g_strdup_printf("%s-%d%s", stem, n, MUSTER_BACKUP_SUFFIX);
  }
  return path;
}

/* The checked copy under its final name, its manifest written first. */
static gboolean
publish(const char *partial, const char *dir, MusterBackupResult *r, GError **error)
{
  MusterBackupManifest *m = &r->manifest;
  char sha[65];
  if (!muster_backup_file_digest(partial, sha, &m->size, error))
    return FALSE;
  m->sha256 = g_strdup(sha);
  r->path = final_path(dir, m);
  r->manifest_path = muster_backup_manifest_path(r->path);
  m->file = g_path_get_basename(r->path);
  if (!muster_backup_manifest_write(r->manifest_path, m, error))
    return FALSE;
  if (g_rename(partial, r->path) != 0) {
    int saved = errno;
    g_unlink(r->manifest_path);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Naming the backup %s failed: %s.", r->path,
                g_strerror(saved));
    return FALSE;
  }
  return muster_backup_sync_path(dir, error);
}

typedef struct {
  char *path;
  char *manifest_path;
  char *created_at;
  gint64 head_seq;
} Generation;

static void
generation_free(gpointer p)
{
  Generation *g = p;
  g_free(g->path);
  g_free(g->manifest_path);
  g_free(g->created_at);
  g_free(g);
}

/* Newest first. */
static gint
generation_newer(gconstpointer a, gconstpointer b)
{
  const Generation *x = *(Generation *const *)a, *y = *(Generation *const *)b;
  int c = g_strcmp0(y->created_at, x->created_at);
  return c != 0 ? c : (y->head_seq > x->head_seq) - (y->head_seq < x->head_seq);
}

/* A backup of this armoury, when manifest_name in dir is the manifest of a backup file
 * beside it (and not a manifest naming some other file). */
static Generation *
generation_read(const char *dir, const char *manifest_name, const char *uuid)
{
  g_autofree char *manifest_path = g_build_filename(dir, manifest_name, NULL);
  MusterBackupManifest m;
  if (!muster_backup_manifest_read(manifest_path, &m, NULL))
    return NULL;
  Generation *g = NULL;
  g_autofree char *path = m.file != NULL ? g_build_filename(dir, m.file, NULL) : NULL;
  g_autofree char *own_manifest = path != NULL ? muster_backup_manifest_path(path) : NULL;
  if (path != NULL && g_strcmp0(m.armoury_uuid, uuid) == 0 && strchr(m.file, '/') == NULL &&
      g_str_has_suffix(m.file, MUSTER_BACKUP_SUFFIX) &&
      g_strcmp0(own_manifest, manifest_path) == 0 && g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g = g_new0(Generation, 1);
    g->path = g_steal_pointer(&path);
    g->manifest_path = g_steal_pointer(&manifest_path);
    g->created_at = g_strdup(m.created_at);
    g->head_seq = m.head_seq;
  }
  muster_backup_manifest_clear(&m);
  return g;
}

/* Removes this armoury's backups in dir beyond the newest keep. */
static void
prune(const char *dir, const char *uuid, guint keep, GPtrArray *pruned)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  if (d == NULL)
    return;
  g_autoptr(GPtrArray) gens = g_ptr_array_new_with_free_func(generation_free);
  for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
    Generation *g =
        g_str_has_suffix(name, ".manifest.json") ? generation_read(dir, name, uuid) : NULL;
    if (g != NULL)
      g_ptr_array_add(gens, g);
  }
  g_ptr_array_sort(gens, generation_newer);
  for (guint i = keep; i < gens->len; i++) {
    Generation *g = g_ptr_array_index(gens, i);
    if (g_unlink(g->path) == 0 && g_unlink(g->manifest_path) == 0)
      g_ptr_array_add(pruned, g_path_get_basename(g->path));
    else
      g_warning("Could not remove the old backup %s: %s", g->path, g_strerror(errno));
  }
}

/* Copies the snapshot into partial and checks the copy, filling r->manifest. */
static gboolean
copy_and_check(MusterStore *src, const char *partial, MusterBackupResult *r, GError **error)
{
  gint64 head = 0;
  gboolean ok = begin_snapshot(src, &r->manifest, error) && copy_pages(src, partial, error);
  head = r->manifest.head_seq;
  sqlite3_exec(muster_store_db(src), "ROLLBACK", NULL, NULL, NULL);
  muster_backup_manifest_clear(&r->manifest);
  if (!ok || !muster_backup_check_copy(partial, "The copy", &r->manifest, error))
    return FALSE;
  if (r->manifest.head_seq != head) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED,
                "The copy ends at audit entry %" G_GINT64_FORMAT ", not at %" G_GINT64_FORMAT
                " where the snapshot did.",
                r->manifest.head_seq, head);
    return FALSE;
  }
  return TRUE;
}

static gboolean
take(const char *db_path, const char *dir, const MusterBackupOptions *o, MusterBackupResult *r,
     GError **error)
{
  const char *reason = o->reason != NULL ? o->reason : "manual";
  if (!muster_backup_reason_valid(reason, error) || !check_dir(dir, error))
    return FALSE;
  g_autoptr(MusterStore) src = muster_store_connect_as_is(db_path, FALSE, error);
  if (src == NULL)
    return FALSE;
  g_autofree char *base = g_path_get_basename(db_path);
  g_autofree char *partial_name = g_strdup_printf(".%s.%d.partial", base, (int)getpid());
  g_autofree char *partial = g_build_filename(dir, partial_name, NULL);
  g_unlink(partial);
  gboolean ok = copy_and_check(src, partial, r, error);
  if (ok) {
    r->manifest.created_at = muster_now_iso();
    r->manifest.muster_version = g_strdup(o->muster_version != NULL ? o->muster_version : "");
    r->manifest.reason = g_strdup(reason);
    ok = publish(partial, dir, r, error);
  }
  g_unlink(partial);
  if (!ok)
    return FALSE;
  r->pruned = g_ptr_array_new_with_free_func(g_free);
  prune(dir, r->manifest.armoury_uuid, o->keep > 0 ? o->keep : MUSTER_BACKUP_KEEP_DEFAULT,
        r->pruned);
  return TRUE;
}

gboolean
muster_backup_take(const char *db_path, const MusterBackupOptions *o, MusterBackupResult *r,
                   GError **error)
{
  memset(r, 0, sizeof *r);
  g_autofree char *dir =
      g_canonicalize_filename(o->dir != NULL ? o->dir : MUSTER_DEFAULT_BACKUP_DIR, NULL);
  g_autoptr(GError) local = NULL;
  if (!take(db_path, dir, o, r, &local)) {
    g_prefix_error(&local, "Backup of %s into %s: ", db_path, dir);
    const char *fields[] = {"MUSTER_BACKUP_DIR", dir, NULL};
    muster_log_event(MUSTER_EVENT_BACKUP_FAILED, fields, "%s", local->message);
    g_propagate_error(error, g_steal_pointer(&local));
    muster_backup_result_clear(r);
    return FALSE;
  }
  g_autofree char *seq = g_strdup_printf("%" G_GINT64_FORMAT, r->manifest.head_seq);
  const char *fields[] = {"MUSTER_BACKUP", r->path, "MUSTER_AUDIT_SEQ", seq, NULL};
  muster_log_event(MUSTER_EVENT_BACKUP_DONE, fields,
                   "Backup of %s taken (%s): %s, audit head %s, %u older removed", db_path,
                   r->manifest.reason, r->path, seq, r->pruned->len);
  return TRUE;
}

void
muster_backup_result_to_json(JsonBuilder *b, const MusterBackupResult *r)
{
  const MusterBackupManifest *m = &r->manifest;
  muster_json_add_str(b, "file", r->path);
  muster_json_add_str(b, "manifest", r->manifest_path);
  muster_json_add_str(b, "armoury_code", m->armoury_code);
  muster_backup_json_int(b, "size", m->size);
  muster_json_add_str(b, "sha256", m->sha256);
  muster_backup_json_int(b, "schema_version", m->schema_version);
  muster_backup_json_int(b, "audit_head_seq", m->head_seq);
  muster_json_add_str(b, "audit_head_hash", m->head_hash);
  muster_backup_json_int(b, "items", m->items);
  muster_json_add_str(b, "reason", m->reason);
  json_builder_set_member_name(b, "pruned");
  json_builder_begin_array(b);
  for (guint i = 0; r->pruned != NULL && i < r->pruned->len; i++)
    json_builder_add_string_value(b, g_ptr_array_index(r->pruned, i));
  json_builder_end_array(b);
}

static char *
record_detail(const MusterBackupResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  muster_backup_result_to_json(b, r);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

gboolean
muster_backup_record(MusterStore *store, const MusterUser *actor, const MusterBackupResult *r,
                     GError **error)
{
  g_autofree char *detail = record_detail(r);
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!muster_audit_append(store, actor != NULL ? actor->name : NULL, "backup.taken",
                           r->manifest.file, detail, error) ||
      !muster_store_commit(store, error)) {
    muster_store_rollback(store);
    g_prefix_error(error, "Recording the backup %s in the audit log: ", r->path);
    return FALSE;
  }
  return TRUE;
}
