/*
 * test-live-count.c: readers feeding an open count through the main loop.
 *
 * Every result is reported only once its scan is in the file; a rack label or scripted
 * location line moves the counter and the scans after it are stored there; a location
 * outside the count is refused with an error and the scans stay at the old place; scans
 * still queued when the live count ends are stored, not dropped; a commit blocked by
 * another program's write lock says why ("error", the bare cause for screens), keeps the
 * scans and stores them once the lock goes ("flushed"). Scans handed in by a caller that
 * reads them itself take the same path; a queue given up is not stored.
 */
#include "db/counts.h"
#include "db/items.h"
#include "drivers/sim/sim-reader.h"
#include "live/live-count.h"
#include "test-util.h"

#include <string.h>

typedef struct {
  TestDb db;
  gint64 count_id;
  GPtrArray *outcomes;  /* char*: "outcome@location" per result, in order */
  GPtrArray *errors;    /* char* */
  GPtrArray *locations; /* char* */
  guint not_on_disk;    /* results reported before their scan was in the file */
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  const char *csv = "manufacturer,country_of_manufacture,serial,model,category,calibre,status,"
                    "location,markings\n"
                    "Glock,AT,GL-1,G17,pistol,9x19,in_store,R1/A/01,hf_uid:frame:04A1B2C3D4E501\n"
                    "Glock,AT,GL-2,G17,pistol,9x19,in_store,R1/B/01,\n"
                    "Glock,AT,GL-3,G17,pistol,9x19,in_store,R2/A/01,\n";
  test_db_import_csv(&f->db, csv, -1);
  f->count_id = test_db_start_count(&f->db, "R1");
  f->outcomes = g_ptr_array_new_with_free_func(g_free);
  f->errors = g_ptr_array_new_with_free_func(g_free);
  f->locations = g_ptr_array_new_with_free_func(g_free);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  g_ptr_array_unref(f->outcomes);
  g_ptr_array_unref(f->errors);
  g_ptr_array_unref(f->locations);
  test_db_teardown(&f->db, data);
}

static void
on_result(MusterLiveCount *live, const MusterIngestResult *r, Fixture *f)
{
  (void)live;
  g_autofree char *sql =
      g_strdup_printf("SELECT count(*) FROM scan WHERE id = %" G_GINT64_FORMAT, r->scan_id);
  if (test_sql_int(&f->db, sql) != 1)
    f->not_on_disk++;
  g_ptr_array_add(f->outcomes, g_strdup_printf("%s@%s", muster_outcome_to_string(r->outcome),
                                               r->location_path ? r->location_path : "-"));
}

static void
on_error(MusterLiveCount *live, const GError *error, Fixture *f)
{
  (void)live;
  g_ptr_array_add(f->errors, g_strdup(error->message));
}

static void
on_location(MusterLiveCount *live, const char *path, Fixture *f)
{
  (void)live;
  g_ptr_array_add(f->locations, g_strdup(path));
}

/* Plays feed through a sim reader into the count until every line has been handled. */
static void
play(Fixture *f, const char *feed, guint expect_results)
{
  g_autoptr(MusterSimReader) sim = NULL;
  g_auto(GStrv) lines = g_strsplit(feed, "\n", -1);
  g_autoptr(GPtrArray) arr = g_ptr_array_new();
  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add(arr, lines[i]);
  sim = muster_sim_reader_new("sim:test", arr, 200);
  g_autoptr(GPtrArray) readers = g_ptr_array_new();
  g_ptr_array_add(readers, sim);
  g_autoptr(MusterReaderManager) m = muster_reader_manager_new_for_readers(readers);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterLiveCount) live =
      muster_live_count_new(f->db.store, f->db.admin, f->count_id, m, &error);
  g_assert_no_error(error);
  g_signal_connect(live, "result", G_CALLBACK(on_result), f);
  g_signal_connect(live, "error", G_CALLBACK(on_error), f);
  g_signal_connect(live, "location", G_CALLBACK(on_location), f);
  g_assert_true(muster_reader_manager_start(m, &error));
  gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (f->outcomes->len < expect_results && g_get_monotonic_time() < deadline)
    g_main_context_iteration(NULL, TRUE);
  muster_reader_manager_stop(m);
}

static char *
joined(GPtrArray *a)
{
  g_ptr_array_add(a, NULL);
  char *s = g_strjoinv(" ", (char **)a->pdata);
  g_ptr_array_remove_index(a, a->len - 1);
  return s;
}

static void
test_results_after_commit(Fixture *f, gconstpointer data)
{
  play(f, "@R1/A\nGL-1\n04:A1:B2:C3:D4:E5:01\n@R1/B\nGL-2\nNOPE-9\n\x01", 5);
  g_autofree char *got = joined(f->outcomes);
  g_assert_cmpstr(got, ==,
                  "accepted@R1/A duplicate@R1/A accepted@R1/B unknown@R1/B unreadable@R1/B");
  g_assert_cmpuint(f->not_on_disk, ==, 0);
  g_autofree char *moves = joined(f->locations);
  g_assert_cmpstr(moves, ==, "R1/A R1/B");
  g_assert_cmpuint(f->errors->len, ==, 0);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM scan WHERE reader = 'sim:test'"), ==,
                  5);
}

/* A move outside the count is refused: an error, and the scans stay where they were. */
static void
test_location_outside_refused(Fixture *f, gconstpointer data)
{
  play(f, "@R1/A\nGL-1\n@R2/A\nGL-3", 2);
  g_autofree char *got = joined(f->outcomes);
  g_assert_cmpstr(got, ==, "accepted@R1/A wrong_location@R1/A");
  g_assert_cmpuint(f->errors->len, ==, 1);
  g_test_message("%s", (char *)f->errors->pdata[0]);
  g_assert_nonnull(strstr(f->errors->pdata[0], "R2/A"));
}

/* Scans queued when the live count ends are stored, not dropped. */
static void
test_queued_stored_at_end(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) readers = g_ptr_array_new();
  g_autoptr(MusterReaderManager) m = muster_reader_manager_new_for_readers(readers);
  MusterLiveCount *live = muster_live_count_new(f->db.store, f->db.admin, f->count_id, m, &error);
  g_assert_no_error(error);
  g_autoptr(MusterScan) scan = muster_scan_new();
  scan->text = g_strdup("GL-1");
  scan->marking_value = g_strdup("GL-1");
  scan->reader = g_strdup("late");
  g_signal_emit_by_name(m, "scan", NULL, scan);
  g_assert_cmpuint(muster_live_count_pending(live), ==, 1);
  g_object_unref(live);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM scan WHERE reader = 'late'"), ==, 1);
}

static void
on_flushed(MusterLiveCount *live, guint n, guint *flushed)
{
  (void)live;
  *flushed += n;
}

static void
emit_scan(MusterReaderManager *m, const char *value)
{
  g_autoptr(MusterScan) scan = muster_scan_new();
  scan->text = g_strdup(value);
  scan->marking_value = g_strdup(value);
  scan->reader = g_strdup("blocked");
  g_signal_emit_by_name(m, "scan", NULL, scan);
}

/* Runs the main loop until done (at most 10 s). */
static void
iterate_until(gboolean (*done)(Fixture *, guint), Fixture *f, const guint *flushed)
{
  gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (!done(f, *flushed) && g_get_monotonic_time() < deadline)
    g_main_context_iteration(NULL, TRUE);
}

static gboolean
has_error(Fixture *f, guint flushed)
{
  (void)flushed;
  return f->errors->len > 0;
}

static gboolean
two_stored(Fixture *f, guint flushed)
{
  return flushed == 2 && f->outcomes->len == 2;
}

static void
test_blocked_commit_retried(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterReaderManager) m = muster_reader_manager_new_for_readers(NULL);
  g_autoptr(MusterLiveCount) live =
      muster_live_count_new(f->db.store, f->db.admin, f->count_id, m, &error);
  g_assert_no_error(error);
  muster_live_count_set_max_wait(live, 0); /* the next iteration, as the kiosk asks */
  guint flushed = 0;
  g_signal_connect(live, "result", G_CALLBACK(on_result), f);
  g_signal_connect(live, "error", G_CALLBACK(on_error), f);
  g_signal_connect(live, "flushed", G_CALLBACK(on_flushed), &flushed);
  muster_store_set_busy_timeout(f->db.store, 50);

  /* Another program holds the write lock. */
  g_autoptr(MusterStore) other = muster_store_open(f->db.path, &error);
  g_assert_no_error(error);
  g_assert_true(muster_store_begin(other, &error));
  emit_scan(m, "GL-1");
  emit_scan(m, "GL-2");
  iterate_until(has_error, f, &flushed);
  g_assert_cmpuint(f->errors->len, >=, 1);
  g_assert_nonnull(strstr(f->errors->pdata[0], "2 scans are waiting to be stored: "));
  const GError *cause = muster_live_count_get_commit_error(live);
  g_assert_nonnull(cause);
  g_assert_null(strstr(cause->message, "waiting to be stored"));
  g_assert_nonnull(strstr(f->errors->pdata[0], cause->message));
  g_assert_cmpuint(f->outcomes->len, ==, 0);
  g_assert_cmpuint(flushed, ==, 0);
  g_assert_cmpuint(muster_live_count_pending(live), ==, 2);

  /* The lock goes: the retry stores both, then says so once. */
  muster_store_rollback(other);
  iterate_until(two_stored, f, &flushed);
  g_assert_cmpuint(flushed, ==, 2);
  g_assert_null(muster_live_count_get_commit_error(live));
  g_autofree char *got = joined(f->outcomes);
  g_assert_cmpstr(got, ==, "accepted@- accepted@-");
  g_assert_cmpuint(f->not_on_disk, ==, 0);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM scan WHERE reader = 'blocked'"), ==,
                  2);
}

static MusterScan *
hand_scan(const char *value)
{
  MusterScan *scan = muster_scan_new();
  scan->text = g_strdup(value);
  scan->marking_value = g_strdup(value);
  scan->reader = g_strdup("handed");
  return scan;
}

static gboolean
one_stored(Fixture *f, guint flushed)
{
  return f->outcomes->len == 1;
}

/* Scans a caller reads itself (`muster count scan` from stdin) take the same path: the
 * timer commits them within the bound, a burst is told when a commit is due, a move
 * commits what was read at the old place first. */
static void
test_handed_in(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterLiveCount) live =
      muster_live_count_new(f->db.store, f->db.admin, f->count_id, NULL, &error);
  g_assert_no_error(error);
  guint flushed = 0;
  g_signal_connect(live, "result", G_CALLBACK(on_result), f);
  g_signal_connect(live, "location", G_CALLBACK(on_location), f);
  g_signal_connect(live, "flushed", G_CALLBACK(on_flushed), &flushed);

  /* not due at once: the timer commits it, unasked */
  g_autoptr(MusterScan) first = hand_scan("GL-1");
  g_assert_false(muster_live_count_add(live, first));
  g_assert_cmpuint(f->outcomes->len, ==, 0);
  iterate_until(one_stored, f, &flushed);
  g_assert_cmpuint(flushed, ==, 1);

  /* a rack label handed in is a scan; the caller moves the counter */
  g_autoptr(MusterScan) label = hand_scan("@R1/B");
  g_assert_false(muster_live_count_add(live, label));
  g_assert_true(muster_live_count_set_location(live, "R1/B", &error));
  g_assert_no_error(error);
  g_assert_cmpuint(f->outcomes->len, ==, 2);
  g_autofree char *moves = joined(f->locations);
  g_assert_cmpstr(moves, ==, "R1/B");

  /* commit on the next iteration: every scan handed in is due at once */
  muster_live_count_set_max_wait(live, 0);
  g_autoptr(MusterScan) second = hand_scan("GL-2");
  g_assert_true(muster_live_count_add(live, second));
  g_assert_true(muster_live_count_flush(live, &error));
  g_assert_no_error(error);
  g_autofree char *got = joined(f->outcomes);
  g_assert_cmpstr(got, ==, "accepted@- unknown@- accepted@R1/B");
  g_assert_cmpuint(f->not_on_disk, ==, 0);
  g_assert_false(muster_live_count_set_location(live, "R2/A", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_cmpuint(f->locations->len, ==, 1);
}

/* A feed that gives up its queue stores none of it, not even at the end. */
static void
test_abandoned_not_stored(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  MusterLiveCount *live =
      muster_live_count_new(f->db.store, f->db.admin, f->count_id, NULL, &error);
  g_assert_no_error(error);
  g_autoptr(MusterScan) scan = hand_scan("GL-1");
  muster_live_count_add(live, scan);
  muster_live_count_abandon(live);
  while (g_main_context_iteration(NULL, FALSE))
    ;
  g_object_unref(live);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM scan WHERE reader = 'handed'"), ==, 0);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  ADD("/live-count/results-after-commit", test_results_after_commit);
  ADD("/live-count/location-outside-refused", test_location_outside_refused);
  ADD("/live-count/queued-stored-at-end", test_queued_stored_at_end);
  ADD("/live-count/blocked-commit-retried", test_blocked_commit_retried);
  ADD("/live-count/handed-in", test_handed_in);
  ADD("/live-count/abandoned-not-stored", test_abandoned_not_stored);
  return g_test_run();
}
