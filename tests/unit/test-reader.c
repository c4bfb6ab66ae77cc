/*
 * test-reader.c: the reader base class and the manager, the contract every driver uses.
 *
 * A driver emits from its own thread; listeners must get every scan on the reader's
 * main context, in read order, and none after stop() has returned. A failing reader keeps
 * its error visible and never stops the others. The readers file is data: unknown kinds
 * and missing keys are errors that name the group.
 */
#include "drivers/manager.h"
#include "drivers/sim/sim-reader.h"

#include <glib/gstdio.h>

/* ---- a reader whose start() spawns a thread that emits n scans -------------------- */

#define TEST_TYPE_THREAD_READER (test_thread_reader_get_type())
G_DECLARE_FINAL_TYPE(TestThreadReader, test_thread_reader, TEST, THREAD_READER, MusterReader)

struct _TestThreadReader {
  MusterReader parent_instance;
  guint n;
  gboolean refuse; /* start() fails: a configuration that can never work */
  GThread *thread;
};

G_DEFINE_TYPE(TestThreadReader, test_thread_reader, MUSTER_TYPE_READER)

static gpointer
emit_thread(gpointer data)
{
  TestThreadReader *self = data;
  muster_reader_set_state(MUSTER_READER(self), MUSTER_READER_STATE_READY, NULL);
  for (guint i = 0; i < self->n; i++) {
    MusterScan *scan = muster_scan_new();
    scan->text = g_strdup_printf("T-%05u", i);
    scan->marking_value = g_strdup(scan->text);
    muster_reader_emit_scan(MUSTER_READER(self), scan);
  }
  return NULL;
}

static gboolean
thread_reader_start(MusterReader *reader, GError **error)
{
  TestThreadReader *self = TEST_THREAD_READER(reader);
  if (self->refuse) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad connstring");
    return FALSE;
  }
  self->thread = g_thread_new("emitter", emit_thread, self);
  return TRUE;
}

static void
thread_reader_stop(MusterReader *reader)
{
  TestThreadReader *self = TEST_THREAD_READER(reader);
  if (self->thread != NULL)
    g_thread_join(g_steal_pointer(&self->thread));
}

static void
test_thread_reader_class_init(TestThreadReaderClass *klass)
{
  MUSTER_READER_CLASS(klass)->start = thread_reader_start;
  MUSTER_READER_CLASS(klass)->stop = thread_reader_stop;
}

static void
test_thread_reader_init(TestThreadReader *self)
{
  (void)self;
}

static TestThreadReader *
thread_reader_new(const char *id, guint n)
{
  TestThreadReader *r = g_object_new(TEST_TYPE_THREAD_READER, "id", id, "kind", "test", NULL);
  r->n = n;
  return r;
}

typedef struct {
  GPtrArray *texts; /* char*, in arrival order */
  GThread *main_thread;
  gboolean wrong_thread;
} Seen;

static void
on_scan(MusterReader *reader, const MusterScan *scan, Seen *seen)
{
  (void)reader;
  if (g_thread_self() != seen->main_thread)
    seen->wrong_thread = TRUE;
  g_ptr_array_add(seen->texts, g_strdup(scan->text));
}

static void
iterate_until(gboolean (*done)(gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (!done(data) && g_get_monotonic_time() < deadline)
    g_main_context_iteration(NULL, TRUE);
}

static gboolean
seen_all(gpointer data)
{
  return ((Seen *)data)->texts->len >= 2000;
}

/* Scans emitted on another thread arrive on the main context, all, in order, with the
 * reader's id and kind filled in. */
static void
test_thread_delivery_in_order(void)
{
  g_autoptr(TestThreadReader) r = thread_reader_new("test:0", 2000);
  Seen seen = {g_ptr_array_new_with_free_func(g_free), g_thread_self(), FALSE};
  g_signal_connect(r, "scan", G_CALLBACK(on_scan), &seen);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(r), &error));
  g_assert_no_error(error);
  iterate_until(seen_all, &seen);
  g_assert_cmpuint(seen.texts->len, ==, 2000);
  g_assert_false(seen.wrong_thread);
  for (guint i = 0; i < seen.texts->len; i++) {
    g_autofree char *want = g_strdup_printf("T-%05u", i);
    g_assert_cmpstr(g_ptr_array_index(seen.texts, i), ==, want);
  }
  g_assert_cmpuint(muster_reader_get_n_scans(MUSTER_READER(r)), ==, 2000);
  g_assert_cmpint(muster_reader_get_last_read_us(MUSTER_READER(r)), >, 0);
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(r)), ==, MUSTER_READER_STATE_READY);
  muster_reader_stop(MUSTER_READER(r));
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(r)), ==, MUSTER_READER_STATE_STOPPED);
  g_ptr_array_unref(seen.texts);
}

/* Once stop() has returned, scans still queued are not delivered. */
static void
test_stop_drops_queued(void)
{
  g_autoptr(TestThreadReader) r = thread_reader_new("test:1", 500);
  Seen seen = {g_ptr_array_new_with_free_func(g_free), g_thread_self(), FALSE};
  g_signal_connect(r, "scan", G_CALLBACK(on_scan), &seen);
  g_assert_true(muster_reader_start(MUSTER_READER(r), NULL));
  muster_reader_stop(MUSTER_READER(r)); /* joins the thread: all 500 are queued */
  while (g_main_context_iteration(NULL, FALSE))
    ;
  g_assert_cmpuint(seen.texts->len, ==, 0);
  g_ptr_array_unref(seen.texts);
}

static void
count_notify(GObject *obj, GParamSpec *pspec, guint *n)
{
  (void)obj;
  (void)pspec;
  (*n)++;
}

/* A failure is a state with its reason; the reason stays visible after recovery. */
static void
test_state_and_last_error(void)
{
  g_autoptr(TestThreadReader) r = thread_reader_new("test:2", 0);
  MusterReader *reader = MUSTER_READER(r);
  guint state_changes = 0, error_changes = 0;
  g_signal_connect(r, "notify::state", G_CALLBACK(count_notify), &state_changes);
  g_signal_connect(r, "notify::last-error", G_CALLBACK(count_notify), &error_changes);
  muster_reader_set_state(reader, MUSTER_READER_STATE_FAILED, "no answer from the reader");
  muster_reader_set_state(reader, MUSTER_READER_STATE_FAILED, "no answer from the reader");
  while (g_main_context_iteration(NULL, FALSE))
    ;
  g_assert_cmpuint(state_changes, ==, 1); /* the repeat changed nothing */
  g_assert_cmpuint(error_changes, ==, 1);
  g_assert_cmpint(muster_reader_get_state(reader), ==, MUSTER_READER_STATE_FAILED);
  muster_reader_set_state(reader, MUSTER_READER_STATE_READY, NULL);
  g_autofree char *error = muster_reader_dup_last_error(reader);
  g_assert_cmpstr(error, ==, "no answer from the reader");
  g_assert_cmpstr(muster_reader_state_to_string(MUSTER_READER_STATE_DISCONNECTED), ==,
                  "disconnected");
}

static gboolean
manager_saw_3(gpointer data)
{
  return ((Seen *)data)->texts->len >= 3;
}

static void
on_manager_scan(MusterReaderManager *m, MusterReader *reader, const MusterScan *scan, Seen *seen)
{
  (void)m;
  on_scan(reader, scan, seen);
}

/* One reader that cannot start does not stop the others, and both are listed. */
static void
test_manager_isolates_failures(void)
{
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func(g_object_unref);
  TestThreadReader *bad = thread_reader_new("test:bad", 0);
  bad->refuse = TRUE;
  g_ptr_array_add(readers, bad);
  g_ptr_array_add(readers, thread_reader_new("test:good", 3));
  g_autoptr(MusterReaderManager) m = muster_reader_manager_new_for_readers(readers);
  Seen seen = {g_ptr_array_new_with_free_func(g_free), g_thread_self(), FALSE};
  g_signal_connect(m, "scan", G_CALLBACK(on_manager_scan), &seen);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_manager_start(m, &error));
  g_assert_no_error(error);
  iterate_until(manager_saw_3, &seen);
  g_assert_cmpuint(seen.texts->len, ==, 3);
  g_autoptr(JsonNode) status = muster_reader_manager_status_json(m);
  JsonArray *a = json_node_get_array(status);
  g_assert_cmpuint(json_array_get_length(a), ==, 2);
  JsonObject *o = json_array_get_object_element(a, 0);
  g_assert_cmpstr(json_object_get_string_member(o, "id"), ==, "test:bad");
  g_assert_cmpstr(json_object_get_string_member(o, "state"), ==, "stopped");
  g_assert_cmpstr(json_object_get_string_member(o, "last_error"), ==,
                  "Reader test:bad: bad connstring");
  o = json_array_get_object_element(a, 1);
  g_assert_cmpstr(json_object_get_string_member(o, "state"), ==, "ready");
  g_assert_cmpint(json_object_get_int_member(o, "scans"), ==, 3);
  g_assert_false(json_object_get_null_member(o, "last_read"));
  muster_reader_manager_stop(m);
  g_ptr_array_unref(seen.texts);
}

/* Nothing usable: start fails and says why for each reader. */
static void
test_manager_nothing_started(void)
{
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func(g_object_unref);
  TestThreadReader *bad = thread_reader_new("test:only", 0);
  bad->refuse = TRUE;
  g_ptr_array_add(readers, bad);
  g_autoptr(MusterReaderManager) m = muster_reader_manager_new_for_readers(readers);
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_reader_manager_start(m, &error));
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "test:only: Reader test:only: bad connstring"));
}

static char *
write_file(const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename(dir, name, NULL);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
  return path;
}

/* The readers file: a sim reader built from its group; errors name file and group. */
static void
test_readers_file(void)
{
  g_autofree char *dir = g_dir_make_tmp("muster-readers-XXXXXX", NULL);
  g_autofree char *feed = write_file(dir, "feed", "GL-1\n@R1/A\nGL-2\n");
  g_autofree char *conf_text = g_strdup_printf("[reader front]\nkind=sim\nfeed=%s\nrate=0\n", feed);
  g_autofree char *conf = write_file(dir, "readers.conf", conf_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterReaderManager) m = muster_reader_manager_new(conf, &error);
  g_assert_no_error(error);
  GPtrArray *readers = muster_reader_manager_get_readers(m);
  g_assert_cmpuint(readers->len, ==, 1);
  g_assert_cmpstr(muster_reader_get_id(readers->pdata[0]), ==, "sim:front");
  g_assert_cmpstr(muster_reader_get_kind(readers->pdata[0]), ==, "sim");

  static const struct {
    const char *text, *message;
  } bad[] = {
      {"[reader a]\nkind=warp\n", "[reader a]: kind=warp is not a reader kind; use one of: "},
      {"[reader b]\n", "[reader b]: kind=(missing) is not a reader kind"},
      {"[scanner]\nkind=sim\n", "[scanner]: groups must be named [reader NAME]"},
      {"[reader c]\nkind=sim\n", "[reader c]: a sim reader needs feed=PATH"},
      {"[reader d]\nkind=sim\nfeed=/nonexistent/feed\n", "[reader d]: feed: "},
      {"[reader e]\nkind=sim\nfeed=/dev/null\nrate=fast\n", "[reader e]: rate must be"},
      {"not a key file", "Readers file "},
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *path = write_file(dir, "bad.conf", bad[i].text);
    g_autoptr(GError) e = NULL;
    g_autoptr(MusterReaderManager) none = muster_reader_manager_new(path, &e);
    g_assert_null(none);
    g_assert_nonnull(e);
    g_test_message("%s", e->message);
    g_assert_true(g_str_has_prefix(e->message, "Readers file "));
    g_assert_nonnull(strstr(e->message, bad[i].message));
    g_unlink(path);
  }
  g_unlink(conf);
  g_unlink(feed);
  g_rmdir(dir);
}

/* A second claim on the readers is refused while the first holds them; the holder's
 * states are readable by others. */
static void
test_claim(void)
{
  g_autofree char *dir = g_dir_make_tmp("muster-run-XXXXXX", NULL);
  g_setenv("MUSTER_RUNTIME_DIR", dir, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) nobody = muster_reader_manager_read_holder_status(&error);
  g_assert_no_error(error);
  g_assert_null(nobody);
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(readers, thread_reader_new("test:held", 0));
  MusterReaderManager *first = muster_reader_manager_new_for_readers(readers);
  g_assert_true(muster_reader_manager_claim(first, &error));
  g_assert_no_error(error);
  /* flock locks belong to the open file: a second open in this process conflicts too */
  g_autoptr(MusterReaderManager) second = muster_reader_manager_new_for_readers(NULL);
  g_assert_false(muster_reader_manager_claim(second, &error));
  g_assert_nonnull(strstr(error->message, "in use by another program"));
  g_clear_error(&error);
  g_autoptr(JsonNode) held = muster_reader_manager_read_holder_status(&error);
  g_assert_no_error(error);
  g_assert_nonnull(held);
  JsonObject *o = json_array_get_object_element(json_node_get_array(held), 0);
  g_assert_cmpstr(json_object_get_string_member(o, "id"), ==, "test:held");
  g_object_unref(first); /* releases the claim */
  g_assert_true(muster_reader_manager_claim(second, &error));
  g_assert_no_error(error);
  g_clear_object(&second);
  g_autofree char *lock = g_build_filename(dir, "readers.lock", NULL);
  g_autofree char *status = g_build_filename(dir, "readers.json", NULL);
  g_unlink(lock);
  g_unlink(status);
  g_rmdir(dir);
  g_unsetenv("MUSTER_RUNTIME_DIR");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/reader/thread-delivery-in-order", test_thread_delivery_in_order);
  g_test_add_func("/reader/stop-drops-queued", test_stop_drops_queued);
  g_test_add_func("/reader/state-and-last-error", test_state_and_last_error);
  g_test_add_func("/reader/manager-isolates-failures", test_manager_isolates_failures);
  g_test_add_func("/reader/manager-nothing-started", test_manager_nothing_started);
  g_test_add_func("/reader/readers-file", test_readers_file);
  g_test_add_func("/reader/claim", test_claim);
  return g_test_run();
}
