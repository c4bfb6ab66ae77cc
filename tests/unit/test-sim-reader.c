/*
 * test-sim-reader.c: the simulated reader (a MusterReader), lines pushed while it runs.
 *
 * A pushed line plays after the lines before it, once; a reader that had finished
 * plays it at once and is "done" again only after it; a stopped reader keeps pushed
 * lines until started; blank lines are nothing read; location lines arrive as location
 * events and the scans carry the reader's id and kind.
 */
#include "drivers/sim/sim-feed.h"
#include "drivers/sim/sim-reader.h"

#include <string.h>

typedef struct {
  GPtrArray *events; /* "S:<value>", "S!" unreadable, "L:<path>" */
  char *reader;      /* of the last scan */
  char *kind;
} Seen;

static void
on_scan(MusterReader *reader, const MusterScan *scan, Seen *seen)
{
  (void)reader;
  const char *where = muster_scan_location_label(scan);
  if (where != NULL)
    g_ptr_array_add(seen->events, g_strconcat("L:", where, NULL));
  else if (scan->marking_value != NULL)
    g_ptr_array_add(seen->events, g_strconcat("S:", scan->marking_value, NULL));
  else
    g_ptr_array_add(seen->events, g_strdup("S!"));
  g_free(seen->reader);
  g_free(seen->kind);
  seen->reader = g_strdup(scan->reader);
  seen->kind = g_strdup(scan->reader_kind);
}

/* Runs the main loop until n events were seen (or 5 s), then a little longer, so that
 * anything delivered twice or late would show. */
static void
wait_events(Seen *seen, guint n)
{
  gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
  while (seen->events->len < n && g_get_monotonic_time() < deadline)
    g_main_context_iteration(NULL, FALSE);
  gint64 settle = g_get_monotonic_time() + 50 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time() < settle)
    g_main_context_iteration(NULL, FALSE);
}

static char *
joined(GPtrArray *a)
{
  g_ptr_array_add(a, NULL);
  char *s = g_strjoinv(" ", (char **)a->pdata);
  g_ptr_array_remove_index(a, a->len - 1);
  return s;
}

static MusterSimReader *
source_with(const char *const *lines, Seen *seen)
{
  g_autoptr(GPtrArray) arr = g_ptr_array_new();
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    g_ptr_array_add(arr, (gpointer)lines[i]);
  MusterSimReader *sim = muster_sim_reader_new(NULL, arr, 0);
  seen->events = g_ptr_array_new_with_free_func(g_free);
  g_signal_connect(sim, "scan", G_CALLBACK(on_scan), seen);
  return sim;
}

static void
seen_clear(Seen *seen)
{
  g_ptr_array_unref(seen->events);
  g_free(seen->reader);
  g_free(seen->kind);
}

static void
test_push_after_done(void)
{
  Seen seen = {0};
  const char *lines[] = {"@R1/A", "GL-1", "", NULL};
  g_autoptr(MusterSimReader) sim = source_with(lines, &seen);
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_sim_reader_is_done(sim));
  g_assert_true(muster_reader_start(MUSTER_READER(sim), &error));
  wait_events(&seen, 2);
  g_assert_true(muster_sim_reader_is_done(sim));
  g_assert_cmpstr(seen.reader, ==, MUSTER_SIM_READER_ID);
  g_assert_cmpstr(seen.kind, ==, MUSTER_SIM_READER_KIND);

  muster_sim_reader_push(sim, "GL-2");
  g_assert_false(muster_sim_reader_is_done(sim));
  muster_sim_reader_push(sim, "   "); /* blank: nothing read, nothing to wait for */
  muster_sim_reader_push(sim, "\x01");
  wait_events(&seen, 4);
  g_assert_true(muster_sim_reader_is_done(sim));
  g_autofree char *got = joined(seen.events);
  g_assert_cmpstr(got, ==, "L:R1/A S:GL-1 S:GL-2 S!");
  g_assert_cmpuint(muster_reader_get_n_scans(MUSTER_READER(sim)), ==, 4);
  muster_reader_stop(MUSTER_READER(sim));
  seen_clear(&seen);
}

/* Pushed while stopped: kept, played in order once started. */
static void
test_push_while_stopped(void)
{
  Seen seen = {0};
  g_autoptr(MusterSimReader) sim = source_with(NULL, &seen);
  g_assert_true(muster_sim_reader_is_done(sim));
  muster_sim_reader_push(sim, "@R2");
  muster_sim_reader_push(sim, "GL-9");
  wait_events(&seen, 0); /* only lets the main loop run */
  g_assert_cmpuint(seen.events->len, ==, 0);
  g_assert_false(muster_sim_reader_is_done(sim));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(sim), &error));
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(sim)), ==, MUSTER_READER_STATE_READY);
  wait_events(&seen, 2);
  g_autofree char *got = joined(seen.events);
  g_assert_cmpstr(got, ==, "L:R2 S:GL-9");
  /* Stopped mid-feed and pushed to: the rest and the pushed line, each once. */
  muster_reader_stop(MUSTER_READER(sim));
  muster_sim_reader_push(sim, "GL-10");
  muster_sim_reader_push(sim, "GL-11");
  g_assert_true(muster_reader_start(MUSTER_READER(sim), &error));
  wait_events(&seen, 4);
  g_autofree char *all = joined(seen.events);
  g_assert_cmpstr(all, ==, "L:R2 S:GL-9 S:GL-10 S:GL-11");
  muster_reader_stop(MUSTER_READER(sim));
  seen_clear(&seen);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/sim-reader/push-after-done", test_push_after_done);
  g_test_add_func("/sim-reader/push-while-stopped", test_push_while_stopped);
  return g_test_run();
}
