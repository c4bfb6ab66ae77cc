/*
 * manager.c: the readers of the appliance (see manager.h).
 *
 * The readers file is data, as fwupd's quirk files are: one [reader NAME] group per
 * reader, with kind= choosing the driver and the rest the driver's own keys. Unknown
 * kinds and unreadable files are errors, because a reader silently missing from a count
 * is worse than a count that does not start. A reader whose device is absent is not an
 * error: it waits in its own state and joins when the device appears.
 */
#include "drivers/manager.h"
#include "core/muster-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct _MusterReaderManager {
  GObject parent_instance;
  GPtrArray *readers; /* MusterReader*, owned */
  gboolean running;
  char *status_file;
  int lock_fd; /* the claim on the readers; -1 when not claimed */
};

G_DEFINE_TYPE(MusterReaderManager, muster_reader_manager, G_TYPE_OBJECT)

enum { SIGNAL_SCAN, SIGNAL_READER_ADDED, SIGNAL_READER_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
disconnect_reader(gpointer data, gpointer user_data)
{
  g_signal_handlers_disconnect_by_data(data, user_data);
}

static void
muster_reader_manager_dispose(GObject *object)
{
  MusterReaderManager *self = MUSTER_READER_MANAGER(object);
  muster_reader_manager_stop(self);
  g_ptr_array_foreach(self->readers, disconnect_reader, self);
  g_ptr_array_set_size(self->readers, 0);
  G_OBJECT_CLASS(muster_reader_manager_parent_class)->dispose(object);
}

static void
muster_reader_manager_finalize(GObject *object)
{
  MusterReaderManager *self = MUSTER_READER_MANAGER(object);
  g_ptr_array_unref(self->readers);
  g_free(self->status_file);
  if (self->lock_fd >= 0)
    close(self->lock_fd); /* releases the lock */
  G_OBJECT_CLASS(muster_reader_manager_parent_class)->finalize(object);
}

static void
muster_reader_manager_class_init(MusterReaderManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS(klass);
  object_class->dispose = muster_reader_manager_dispose;
  object_class->finalize = muster_reader_manager_finalize;
  signals[SIGNAL_SCAN] =
      g_signal_new("scan", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                   G_TYPE_NONE, 2, MUSTER_TYPE_READER, G_TYPE_POINTER);
  signals[SIGNAL_READER_ADDED] =
      g_signal_new("reader-added", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                   NULL, G_TYPE_NONE, 1, MUSTER_TYPE_READER);
  signals[SIGNAL_READER_CHANGED] =
      g_signal_new("reader-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                   NULL, G_TYPE_NONE, 1, MUSTER_TYPE_READER);
}

static void
muster_reader_manager_init(MusterReaderManager *self)
{
  self->readers = g_ptr_array_new_with_free_func(g_object_unref);
  self->lock_fd = -1;
}

/* ---- status ------------------------------------------------------------------------ */

JsonNode *
muster_reader_manager_status_json(MusterReaderManager *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_array(b);
  for (guint i = 0; i < self->readers->len; i++) {
    MusterReader *r = g_ptr_array_index(self->readers, i);
    g_autofree char *error = muster_reader_dup_last_error(r);
    gint64 last = muster_reader_get_last_read_us(r);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "id");
    json_builder_add_string_value(b, muster_reader_get_id(r));
    json_builder_set_member_name(b, "kind");
    json_builder_add_string_value(b, muster_reader_get_kind(r));
    json_builder_set_member_name(b, "state");
    json_builder_add_string_value(b, muster_reader_state_to_string(muster_reader_get_state(r)));
    json_builder_set_member_name(b, "last_error");
    if (error != NULL)
      json_builder_add_string_value(b, error);
    else
      json_builder_add_null_value(b);
    json_builder_set_member_name(b, "last_read");
    if (last > 0) {
      g_autoptr(GDateTime) secs = g_date_time_new_from_unix_utc(last / G_USEC_PER_SEC);
      g_autoptr(GDateTime) t = g_date_time_add(secs, last % G_USEC_PER_SEC);
      g_autofree char *iso = g_date_time_format_iso8601(t);
      json_builder_add_string_value(b, iso);
    } else {
      json_builder_add_null_value(b);
    }
    json_builder_set_member_name(b, "scans");
    json_builder_add_int_value(b, (gint64)muster_reader_get_n_scans(r));
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  return json_builder_get_root(b);
}

static void
write_status(MusterReaderManager *self)
{
  if (self->status_file == NULL)
    return;
  g_autoptr(JsonNode) root = muster_reader_manager_status_json(self);
  g_autofree char *text = json_to_string(root, TRUE);
  g_autoptr(GError) error = NULL;
  if (!g_file_set_contents_full(self->status_file, text, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                0644, &error))
    g_message("Reader status not written: %s", error->message);
}

void
muster_reader_manager_set_status_file(MusterReaderManager *self, const char *path)
{
  g_free(self->status_file);
  self->status_file = g_strdup(path);
  write_status(self);
}

/* ---- the claim on the readers ------------------------------------------------------ */

static char *
runtime_dir(void)
{
  const char *dir = g_getenv("MUSTER_RUNTIME_DIR");
  return dir != NULL ? g_strdup(dir) : g_build_filename(g_get_user_runtime_dir(), "muster", NULL);
}

/* Opens the lock file; *held is TRUE when another process holds the lock. With take,
 * the lock is kept on the returned fd. */
static int
open_lock(gboolean take, gboolean *held, GError **error)
{
  g_autofree char *dir = runtime_dir();
  g_autofree char *path = g_build_filename(dir, "readers.lock", NULL);
  if (g_mkdir_with_parents(dir, 0700) != 0) {
    int e = errno;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO,
                "Cannot create the runtime folder %s: %s. Set MUSTER_RUNTIME_DIR to a "
                "writable folder.", dir, g_strerror(e));
    return -1;
  }
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Cannot open %s: %s", path, g_strerror(e));
    return -1;
  }
  *held = flock(fd, LOCK_EX | LOCK_NB) != 0;
  if (!take && !*held)
    flock(fd, LOCK_UN);
  return fd;
}

static char *
status_path(void)
{
  g_autofree char *dir = runtime_dir();
  return g_build_filename(dir, "readers.json", NULL);
}

gboolean
muster_reader_manager_claim(MusterReaderManager *self, GError **error)
{
  gboolean held = FALSE;
  int fd = open_lock(TRUE, &held, error);
  if (fd < 0)
    return FALSE;
  if (held) {
    char pid[32] = "";
    ssize_t n = read(fd, pid, sizeof pid - 1);
    pid[MAX(n, 0)] = '\0';
    close(fd);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "The readers are in use by another program (pid %s, the kiosk or another "
                "'muster readers watch'). Stop it first, or use 'muster readers list' to see "
                "them.", g_strstrip(pid));
    return FALSE;
  }
  g_autofree char *pid = g_strdup_printf("%ld\n", (long)getpid());
  if (ftruncate(fd, 0) != 0 || write(fd, pid, strlen(pid)) < 0)
    g_message("Could not write the pid into the readers lock: %s", g_strerror(errno));
  self->lock_fd = fd;
  g_autofree char *status = status_path();
  muster_reader_manager_set_status_file(self, status);
  return TRUE;
}

JsonNode *
muster_reader_manager_read_holder_status(GError **error)
{
  gboolean held = FALSE;
  int fd = open_lock(FALSE, &held, error);
  if (fd < 0)
    return NULL;
  close(fd);
  if (!held)
    return NULL;
  g_autofree char *path = status_path();
  g_autoptr(JsonParser) parser = json_parser_new();
  if (!json_parser_load_from_file(parser, path, error)) {
    g_prefix_error(error, "Reader states of the program holding the readers (%s): ", path);
    return NULL;
  }
  return json_node_copy(json_parser_get_root(parser));
}

/* ---- readers ----------------------------------------------------------------------- */

static void
on_scan(MusterReader *reader, const MusterScan *scan, MusterReaderManager *self)
{
  g_signal_emit(self, signals[SIGNAL_SCAN], 0, reader, scan);
}

static void
on_changed(MusterReader *reader, GParamSpec *pspec, MusterReaderManager *self)
{
  (void)pspec;
  g_signal_emit(self, signals[SIGNAL_READER_CHANGED], 0, reader);
  write_status(self);
}

static void
start_one(MusterReader *reader)
{
  g_autoptr(GError) error = NULL;
  /* the reader keeps the reason in its state and last error */
  if (!muster_reader_start(reader, &error))
    g_message("%s", error->message);
}

void
muster_reader_manager_add(MusterReaderManager *self, MusterReader *reader)
{
  g_ptr_array_add(self->readers, g_object_ref(reader));
  g_signal_connect(reader, "scan", G_CALLBACK(on_scan), self);
  g_signal_connect(reader, "notify::state", G_CALLBACK(on_changed), self);
  g_signal_connect(reader, "notify::last-error", G_CALLBACK(on_changed), self);
  g_signal_connect_swapped(reader, "notify::n-scans", G_CALLBACK(write_status), self);
  g_signal_emit(self, signals[SIGNAL_READER_ADDED], 0, reader);
  if (self->running)
    start_one(reader);
  write_status(self);
}

GPtrArray *
muster_reader_manager_get_readers(MusterReaderManager *self)
{
  return self->readers;
}

MusterReaderManager *
muster_reader_manager_new_for_readers(GPtrArray *readers)
{
  MusterReaderManager *self = g_object_new(MUSTER_TYPE_READER_MANAGER, NULL);
  for (guint i = 0; readers != NULL && i < readers->len; i++)
    muster_reader_manager_add(self, g_ptr_array_index(readers, i));
  return self;
}

/* ---- the readers file -------------------------------------------------------------- */

static const MusterReaderDriver *
find_driver(const char *kind)
{
  for (guint i = 0; muster_reader_drivers[i] != NULL; i++)
    if (g_strcmp0(muster_reader_drivers[i]->kind, kind) == 0)
      return muster_reader_drivers[i];
  return NULL;
}

static char *
known_kinds(void)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; muster_reader_drivers[i] != NULL; i++)
    g_string_append_printf(s, "%s%s", i > 0 ? ", " : "", muster_reader_drivers[i]->kind);
  return g_string_free(g_steal_pointer(&s), FALSE);
}

static gboolean
create_from_group(GKeyFile *file, const char *group, GPtrArray *readers, GError **error)
{
  if (!g_str_has_prefix(group, "reader ") || group[7] == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "[%s]: groups must be named [reader NAME]", group);
    return FALSE;
  }
  g_autofree char *kind = g_key_file_get_string(file, group, "kind", NULL);
  const MusterReaderDriver *driver = find_driver(kind);
  if (driver == NULL) {
    g_autofree char *kinds = known_kinds();
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "[%s]: kind=%s is not a reader kind; use one of: %s", group,
                kind != NULL ? kind : "(missing)", kinds);
    return FALSE;
  }
  if (!driver->create(group + 7, file, group, readers, error)) {
    g_prefix_error(error, "[%s]: ", group);
    return FALSE;
  }
  return TRUE;
}

static gboolean
create_from_file(const char *path, GPtrArray *readers, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new();
  if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, error)) {
    g_prefix_error(error, "Readers file %s: ", path);
    return FALSE;
  }
  g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
  for (guint i = 0; groups[i] != NULL; i++) {
    if (!create_from_group(file, groups[i], readers, error)) {
      g_prefix_error(error, "Readers file %s: ", path);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
create_defaults(GPtrArray *readers, GError **error)
{
  for (guint i = 0; muster_reader_drivers[i] != NULL; i++) {
    const MusterReaderDriver *d = muster_reader_drivers[i];
    if (d->create_default != NULL && !d->create_default(readers, error)) {
      g_prefix_error(error, "Default %s readers: ", d->kind);
      return FALSE;
    }
  }
  return TRUE;
}

MusterReaderManager *
muster_reader_manager_new(const char *path, GError **error)
{
  if (path == NULL)
    path = g_getenv("MUSTER_READERS");
  if (path == NULL && g_file_test(MUSTER_DEFAULT_READERS_FILE, G_FILE_TEST_EXISTS))
    path = MUSTER_DEFAULT_READERS_FILE;
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func(g_object_unref);
  if (path != NULL ? !create_from_file(path, readers, error) : !create_defaults(readers, error))
    return NULL;
  return muster_reader_manager_new_for_readers(readers);
}

/* ---- running ----------------------------------------------------------------------- */

gboolean
muster_reader_manager_start(MusterReaderManager *self, GError **error)
{
  self->running = TRUE;
  for (guint i = 0; i < self->readers->len; i++)
    start_one(g_ptr_array_index(self->readers, i));
  guint usable = 0;
  g_autoptr(GString) why = g_string_new(NULL);
  for (guint i = 0; i < self->readers->len; i++) {
    MusterReader *r = g_ptr_array_index(self->readers, i);
    if (muster_reader_get_state(r) != MUSTER_READER_STATE_STOPPED) {
      usable++;
      continue;
    }
    g_autofree char *e = muster_reader_dup_last_error(r);
    g_string_append_printf(why, "\n  %s: %s", muster_reader_get_id(r), e != NULL ? e : "stopped");
  }
  if (usable == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "No reader could start%s%s", self->readers->len == 0 ? " (none configured: "
                "write a readers file, see drivers/README.md)" : ":", why->str);
    return FALSE;
  }
  return TRUE;
}

void
muster_reader_manager_stop(MusterReaderManager *self)
{
  self->running = FALSE;
  for (guint i = 0; i < self->readers->len; i++)
    muster_reader_stop(g_ptr_array_index(self->readers, i));
  write_status(self);
}
