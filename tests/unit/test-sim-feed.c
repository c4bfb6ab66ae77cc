/*
 * test-sim-feed.c: the scan feed the simulated reader plays, on a real GMainLoop.
 *
 * Every line arrives once, in order, as a scan or a location; scans are stamped as the
 * sim reader's; a pace is kept without spinning; stopping, resuming and freeing at any
 * point deliver nothing twice and nothing late. Timing checks use lower bounds the
 * schedule guarantees and generous upper bounds, so a loaded CI machine cannot make
 * them flaky.
 */
#include <string.h>
#include <time.h>

#include "demo/demo.h"
#include "drivers/sim/sim-feed.h"

typedef struct {
  GMainLoop *loop;
  GPtrArray *events;  /* "S:<marking value>", "S!" unreadable, "L:<path>" */
  GArray *scan_times; /* monotonic us of each scan's arrival */
  guint done;
  guint stop_after; /* stop the feed after this many events; 0 = never */
  gboolean free_in_done;
  gint high_idle_ran_at; /* events seen when a higher-priority source ran; -1 never */
} Run;

static void
run_init(Run *r)
{
  memset(r, 0, sizeof *r);
  r->loop = g_main_loop_new(NULL, FALSE);
  r->events = g_ptr_array_new_with_free_func(g_free);
  r->scan_times = g_array_new(FALSE, FALSE, sizeof(gint64));
  r->high_idle_ran_at = -1;
}

static void
run_clear(Run *r)
{
  g_main_loop_unref(r->loop);
  g_ptr_array_unref(r->events);
  g_array_unref(r->scan_times);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Run, run_clear)

static char *
scan_event(const MusterScan *scan)
{
  return scan->marking_value != NULL ? g_strconcat("S:", scan->marking_value, NULL)
                                     : g_strdup("S!");
}

static void
on_scan(MusterSimFeed *feed, const MusterScan *scan, const char *location, gpointer data)
{
  Run *r = data;
  /* Exactly one of the two. */
  g_assert_true((scan == NULL) != (location == NULL));
  if (scan != NULL) {
    g_assert_cmpstr(scan->reader, ==, muster_sim_feed_id(feed));
    g_assert_cmpstr(scan->reader_kind, ==, MUSTER_SIM_READER_KIND);
    g_assert_nonnull(scan->raw);
    gint64 now = g_get_monotonic_time();
    g_assert_cmpint(scan->read_mono_us, <=, now);
    g_array_append_val(r->scan_times, now);
    g_ptr_array_add(r->events, scan_event(scan));
  } else {
    g_ptr_array_add(r->events, g_strconcat("L:", location, NULL));
  }
  if (r->stop_after > 0 && r->events->len == r->stop_after) {
    muster_sim_feed_stop(feed);
    g_main_loop_quit(r->loop);
  }
}

static void
on_done(MusterSimFeed *feed, gpointer data)
{
  Run *r = data;
  r->done++;
  if (r->free_in_done)
    muster_sim_feed_free(feed);
  g_main_loop_quit(r->loop);
}

static gboolean
on_timeout(gpointer data)
{
  g_error("the simulated feed did not finish in time");
  return G_SOURCE_REMOVE;
}

static gboolean
on_quit(gpointer data)
{
  g_main_loop_quit(data);
  return G_SOURCE_REMOVE;
}

/* Runs the loop until the reader is done or stopped, with a watchdog. */
static void
run_loop(Run *r)
{
  guint watchdog = g_timeout_add_seconds(60, on_timeout, NULL);
  g_main_loop_run(r->loop);
  g_source_remove(watchdog);
}

/* Runs the loop for ms milliseconds whatever happens. */
static void
run_for(Run *r, guint ms)
{
  g_timeout_add(ms, on_quit, r->loop);
  g_main_loop_run(r->loop);
}

static GPtrArray *
lines_of(const char *const *lines)
{
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add(out, (gpointer)lines[i]);
  return out;
}

static void
assert_events(Run *r, const char *const *expected)
{
  g_assert_cmpuint(r->events->len, ==, g_strv_length((GStrv)expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr(g_ptr_array_index(r->events, i), ==, expected[i]);
}

static void
test_plays_every_kind_of_line(void)
{
  static const char *const text[] = {
      "@R1/A",
      "{\"value\":\"04:a1:b2:c3:d4:e5:f6\",\"kind\":\"hf_uid\",\"reader\":\"pn532\","
      "\"reader_kind\":\"nfc\"}",
      "GL-123456",
      "",
      "   ",
      "{\"value\":\"BER004667\",\"kind\":\"engraved_serial\",\"location\":\"R1/B\"}",
      "{\"value\":",
      /* a scanner set to send AIM identifiers: GS1, then GS1 data its engine refuses */
      "]d20109506000134352" "21ABC",
      "]d20109506000134353" "21ABC",
      "@R2/C",
      NULL};
  static const char *const expected[] = {"L:R1/A",
                                         "S:04A1B2C3D4E5F6",
                                         "S:GL-123456",
                                         "S:BER004667",
                                         "S!",
                                         "S:09506000134352ABC",
                                         "S!",
                                         "L:R2/C",
                                         NULL};
  g_auto(Run) r;
  run_init(&r);
  g_autoptr(GPtrArray) lines = lines_of(text);
  g_autoptr(MusterSimFeed) feed = muster_sim_feed_new(NULL, lines, 0);
  g_assert_cmpstr(muster_sim_feed_id(feed), ==, MUSTER_SIM_READER_ID);
  g_assert_cmpuint(muster_sim_feed_n_lines(feed), ==, 8); /* blank lines skipped */
  g_assert_false(muster_sim_feed_is_running(feed));
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  g_assert_true(muster_sim_feed_is_running(feed));
  g_assert_cmpuint(r.events->len, ==, 0); /* nothing before the loop runs */
  run_loop(&r);
  assert_events(&r, expected);
  g_assert_cmpuint(r.done, ==, 1);
  g_assert_cmpuint(muster_sim_feed_position(feed), ==, 8);
  g_assert_false(muster_sim_feed_is_running(feed));
  /* Done stays done: nothing more arrives. */
  run_for(&r, 20);
  g_assert_cmpuint(r.events->len, ==, 8);
  g_assert_cmpuint(r.done, ==, 1);
}

static void
test_from_text(void)
{
  static const char text[] = "a-1\r\n\r\n@R1\nb 2\n \t\nc3";
  static const char *const expected[] = {"S:A-1", "L:R1", "S:B 2", "S:C3", NULL};
  g_auto(Run) r;
  run_init(&r);
  g_autoptr(MusterSimFeed) feed = muster_sim_feed_new_from_text("sim7", text, strlen(text), 0);
  g_assert_cmpuint(muster_sim_feed_n_lines(feed), ==, 4);
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  run_loop(&r);
  assert_events(&r, expected);
  g_assert_cmpstr(muster_sim_feed_id(feed), ==, "sim7");
}

static void
test_empty_feed(void)
{
  g_auto(Run) r;
  run_init(&r);
  g_autoptr(MusterSimFeed) feed = muster_sim_feed_new_from_text(NULL, "\n\n", 2, 10);
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  run_loop(&r);
  g_assert_cmpuint(r.done, ==, 1);
  g_assert_cmpuint(r.events->len, ==, 0);
}

/* What each feed line must become, worked out without the reader. */
static GPtrArray *
expected_events(GPtrArray *feed)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < feed->len; i++) {
    const char *line = g_ptr_array_index(feed, i);
    if (line[0] == '@') {
      g_ptr_array_add(out, g_strconcat("L:", line + 1, NULL));
      continue;
    }
    g_autoptr(MusterScan) scan = muster_scan_parse_line(line, strlen(line), "x", NULL, NULL);
    g_assert_nonnull(scan);
    g_ptr_array_add(out, scan_event(scan));
  }
  return out;
}

static gboolean
on_high_idle(gpointer data)
{
  Run *r = data;
  r->high_idle_ran_at = (gint)r->events->len;
  return G_SOURCE_REMOVE;
}

static void
on_scan_add_idle(MusterSimFeed *feed, const MusterScan *scan, const char *location, gpointer data)
{
  Run *r = data;
  on_scan(feed, scan, location, data);
  if (r->events->len == 1)
    g_idle_add_full(G_PRIORITY_HIGH_IDLE, on_high_idle, r, NULL);
}

static void
test_whole_demo_feed_unpaced(void)
{
  g_autoptr(MusterDemo) demo = muster_demo_generate(MUSTER_DEMO_DEFAULT_ITEMS, 3);
  g_autoptr(GPtrArray) expected = expected_events(demo->feed);
  g_auto(Run) r;
  run_init(&r);
  g_autoptr(MusterSimFeed) feed = muster_sim_feed_new("sim0", demo->feed, 0);
  muster_sim_feed_start(feed, on_scan_add_idle, on_done, &r);
  run_loop(&r);
  g_assert_cmpuint(r.done, ==, 1);
  g_assert_cmpuint(r.events->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr(g_ptr_array_index(r.events, i), ==, g_ptr_array_index(expected, i));
  /* Unpaced play yields to the rest of the loop between bursts: a source queued after
   * the first line ran long before the last. */
  g_assert_cmpint(r.high_idle_ran_at, >, 0);
  g_assert_cmpint(r.high_idle_ran_at, <=, 1 + 64);
}

static gint64
cpu_time_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static guint n_polls;

static gint
counting_poll(GPollFD *fds, guint nfds, gint timeout)
{
  n_polls++;
  return g_poll(fds, nfds, timeout);
}

static void
test_paced(void)
{
  /* 25 scans at 100 a second, with location lines between them that take no time. */
  enum { N_SCANS = 25, PACE = 100 };
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < N_SCANS; i++) {
    if (i % 5 == 0)
      g_ptr_array_add(lines, g_strdup_printf("@R1/%c", 'A' + i / 5));
    g_ptr_array_add(lines, g_strdup_printf("SN-%03u", i));
  }
  g_auto(Run) r;
  run_init(&r);
  g_autoptr(MusterSimFeed) feed = muster_sim_feed_new(NULL, lines, PACE);
  n_polls = 0;
  g_main_context_set_poll_func(NULL, counting_poll);
  gint64 wall0 = g_get_monotonic_time();
  gint64 cpu0 = cpu_time_us();
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  run_loop(&r);
  gint64 wall = g_get_monotonic_time() - wall0;
  gint64 cpu = cpu_time_us() - cpu0;
  g_main_context_set_poll_func(NULL, NULL);

  g_assert_cmpuint(r.done, ==, 1);
  g_assert_cmpuint(r.events->len, ==, lines->len);
  g_assert_cmpuint(r.scan_times->len, ==, N_SCANS);
  /* Never early: scan k is due k/pace after the start (1 ms for the clock's rounding). */
  for (guint k = 0; k < N_SCANS; k++)
    g_assert_cmpint(g_array_index(r.scan_times, gint64, k) - wall0, >=,
                    (gint64)k * G_USEC_PER_SEC / PACE - 1000);
  g_assert_cmpint(wall, >=, (N_SCANS - 1) * G_USEC_PER_SEC / PACE - 1000);
  g_assert_cmpint(wall, <, 30 * G_USEC_PER_SEC);
  /* Sleeping between scans, not spinning: the loop wakes about once per scan (a busy
   * loop polls thousands of times), and uses little of the time on the CPU. */
  g_assert_cmpuint(n_polls, <=, 4 * N_SCANS + 20);
  g_assert_cmpint(cpu, <, wall / 2);
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index(lines, i);
    g_autofree char *want =
        line[0] == '@' ? g_strconcat("L:", line + 1, NULL) : g_strconcat("S:", line, NULL);
    g_assert_cmpstr(g_ptr_array_index(r.events, i), ==, want);
  }
}

static void
test_stop_and_resume(void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < 30; i++)
    g_ptr_array_add(lines, g_strdup_printf("SN-%02u", i));
  g_auto(Run) r;
  run_init(&r);
  r.stop_after = 10;
  g_autoptr(MusterSimFeed) feed = muster_sim_feed_new(NULL, lines, 0);
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  run_loop(&r);
  g_assert_cmpuint(r.events->len, ==, 10);
  g_assert_cmpuint(muster_sim_feed_position(feed), ==, 10);
  g_assert_false(muster_sim_feed_is_running(feed));
  /* Stopped means stopped, even with the loop running. */
  run_for(&r, 30);
  g_assert_cmpuint(r.events->len, ==, 10);
  g_assert_cmpuint(r.done, ==, 0);
  /* Resumed, it goes on from where it stopped. */
  r.stop_after = 0;
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  run_loop(&r);
  g_assert_cmpuint(r.done, ==, 1);
  g_assert_cmpuint(r.events->len, ==, 30);
  for (guint i = 0; i < 30; i++) {
    g_autofree char *want = g_strdup_printf("S:SN-%02u", i);
    g_assert_cmpstr(g_ptr_array_index(r.events, i), ==, want);
  }
}

static void
test_free_while_playing(void)
{
  g_auto(Run) r;
  run_init(&r);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < 50; i++)
    g_ptr_array_add(lines, g_strdup_printf("SN-%02u", i));
  MusterSimFeed *feed = muster_sim_feed_new(NULL, lines, 1000);
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  while (r.events->len < 3)
    g_main_context_iteration(NULL, TRUE);
  muster_sim_feed_free(feed);
  guint seen = r.events->len;
  run_for(&r, 80);
  g_assert_cmpuint(r.events->len, ==, seen);
  g_assert_cmpuint(r.done, ==, 0);
}

static void
test_done_may_free(void)
{
  g_auto(Run) r;
  run_init(&r);
  r.free_in_done = TRUE;
  MusterSimFeed *feed = muster_sim_feed_new_from_text(NULL, "A\nB\n", 4, 0);
  muster_sim_feed_start(feed, on_scan, on_done, &r);
  run_loop(&r);
  g_assert_cmpuint(r.done, ==, 1);
  g_assert_cmpuint(r.events->len, ==, 2);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/sim-feed/plays-every-kind-of-line", test_plays_every_kind_of_line);
  g_test_add_func("/sim-feed/from-text", test_from_text);
  g_test_add_func("/sim-feed/empty-feed", test_empty_feed);
  g_test_add_func("/sim-feed/whole-demo-feed-unpaced", test_whole_demo_feed_unpaced);
  g_test_add_func("/sim-feed/paced", test_paced);
  g_test_add_func("/sim-feed/stop-and-resume", test_stop_and_resume);
  g_test_add_func("/sim-feed/free-while-playing", test_free_while_playing);
  g_test_add_func("/sim-feed/done-may-free", test_done_may_free);
  return g_test_run();
}
