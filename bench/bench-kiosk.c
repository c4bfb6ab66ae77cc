/*
 * bench-kiosk.c: the kiosk's speed on a real display (run it under xvfb-run or on the
 * appliance's screen).
 *
 *   muster-bench-kiosk [--quick] [--rate N] [--scans N] [--dir DIR] [--keep]
 *
 * Set-up (forked children, as the other benchmarks): a register of 1,000,000 items
 * (--quick: 100,000), imported through the engine; a count of rooms R01 and R02
 * (100,000 items) closed unscanned and reconciled, so that it has 100,000 "missing"
 * discrepancies; and an open count of the whole armoury.
 *
 * The kiosk phase (one more child, so its peak RSS is the kiosk's own) measures:
 *   - first_frame_ms: from the child's start (before gtk_init) to the first painted
 *     frame of the kiosk window (GdkFrameClock::after-paint);
 *   - read-to-screen latency: the simulated reader plays --scans scans of the open
 *     count at --rate per second; for each, from the reader's read (scan->read_mono_us)
 *     to the after-paint of the first frame after its outcome reached the screen (the
 *     scan is committed before that, see ui/count-model.h). p50, p99, max;
 *   - review: loading the 100,000 discrepancies into the list, then scrolling from top
 *     to bottom in --scroll-frames frames; a frame is dropped when it came more than
 *     1.5 refresh intervals (25 ms at 60 Hz) after the previous one. A scroll that did
 *     not reach the bottom (timed out, stopped short, or had nothing to scroll) says so
 *     with the frames it saw, and its goal is NOT MEASURED: no "ok" for a scroll that
 *     did not happen;
 *   - kiosk_peak_rss_kib (by the harness).
 * Goals (issue 4): p99 < 30 ms, first frame < 300 ms, RSS < 150 MB, no dropped frames.
 */
#include "armoury.h"
#include "harness.h"
#include "register.h"

#include "db/counts.h"
#include "db/reconcile.h"
#include "drivers/sim/sim-reader.h"
#include "ui/count-model.h"
#include "ui/kiosk.h"
#include "ui/screen-review.h"
#include "ui/session.h"
#include "ui/window.h"

#include <stdio.h>

#define SCROLL_TIMEOUT_S 600

typedef struct {
  BenchHarness h;
  gint64 n_items;
  gint64 n_scans;
  double rate;
  guint scroll_frames;
  gint64 t0_us; /* the kiosk child's start */
  /* kiosk phase */
  MusterKioskWindow *window;
  GArray *pending;   /* gint64 read_mono_us of outcomes not yet painted */
  GArray *latencies; /* gint64 us */
  gint64 first_frame_us;
  GArray *frame_gaps; /* gint64 us between scroll frames */
  gint64 last_tick_us;
  guint ticks;
  double scroll_range; /* pixels from top to bottom, at the first tick */
  gboolean scrolling;
} Bench;

/* ---- set-up ------------------------------------------------------------------------ */

static gboolean
phase_generate(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  if (!bench_register_write_csv(b->h.csv_path, b->n_items, BENCH_MIX_PLAIN, error))
    return FALSE;
  FILE *f = fopen(b->h.feed_path, "w");
  if (f == NULL)
    return bench_errno_fail(error, b->h.feed_path);
  g_autoptr(GRand) rand = g_rand_new_with_seed(11);
  for (gint64 i = 0; i < b->n_scans; i++)
    bench_register_write_scan(f, rand, g_rand_int_range(rand, 1, (gint32)b->n_items),
                              BENCH_MIX_PLAIN);
  if (fclose(f) != 0)
    return bench_errno_fail(error, b->h.feed_path);
  return TRUE;
}

static gboolean
phase_setup(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  g_auto(BenchArmoury) a = {0};
  const char *const review_scope[] = {"R01", "R02", NULL};
  if (!bench_armoury_create(&a, b->h.db_path, error) ||
      !bench_armoury_import(&a, b->h.csv_path, out, NULL, error))
    return FALSE;
  g_autoptr(MusterCount) review =
      muster_counts_start(a.store, a.admin, a.witness, review_scope, FALSE, error);
  MusterReconcileSummary summary;
  if (review == NULL || !muster_counts_close(a.store, a.admin, review->id, error) ||
      !muster_reconcile(a.store, a.admin, review->id, &summary, error))
    return FALSE;
  bench_report(out, "review_count_id", "%" G_GINT64_FORMAT, review->id);
  bench_report(out, "review_discrepancies", "%" G_GINT64_FORMAT, summary.total);
  gint64 count_id;
  return bench_armoury_start_count(&a, out, &count_id, error);
}

/* ---- the kiosk phase --------------------------------------------------------------- */

static void
on_after_paint(GdkFrameClock *clock, Bench *b)
{
  gint64 now = g_get_monotonic_time();
  if (b->first_frame_us == 0)
    b->first_frame_us = now - b->t0_us;
  for (guint i = 0; i < b->pending->len; i++) {
    gint64 lat = now - g_array_index(b->pending, gint64, i);
    g_array_append_val(b->latencies, lat);
  }
  g_array_set_size(b->pending, 0);
}

static void
on_outcome(MusterKioskCountModel *m, MusterKioskScanRow *row, Bench *b)
{
  gint64 read = muster_kiosk_scan_row_get_read_mono_us(row);
  g_array_append_val(b->pending, read);
}

static gboolean
wait_until(gboolean (*cond)(Bench *), Bench *b, guint timeout_s)
{
  gint64 end = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
  while (!cond(b) && g_get_monotonic_time() < end)
    g_main_context_iteration(NULL, TRUE);
  return cond(b);
}

static gboolean
painted_once(Bench *b)
{
  return b->first_frame_us > 0;
}

static gboolean
all_painted(Bench *b)
{
  return (gint64)b->latencies->len >= b->n_scans;
}

static gboolean
scroll_done(Bench *b)
{
  return !b->scrolling;
}

static int
cmp_i64(gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

static double
percentile_ms(GArray *a, double p)
{
  if (a->len == 0)
    return NAN;
  guint i = MIN(a->len - 1, (guint)(p * a->len));
  return g_array_index(a, gint64, i) / 1000.0;
}

static gboolean
scroll_tick(GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time();
  if (b->last_tick_us > 0) {
    gint64 gap = now - b->last_tick_us;
    g_array_append_val(b->frame_gaps, gap);
  }
  b->last_tick_us = now;
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment(GTK_SCROLLABLE(widget));
  double end = gtk_adjustment_get_upper(adj) - gtk_adjustment_get_page_size(adj);
  if (b->ticks == 0)
    b->scroll_range = end;
  double step = end / b->scroll_frames;
  double next = MIN(end, gtk_adjustment_get_value(adj) + step);
  gtk_adjustment_set_value(adj, next);
  if (++b->ticks > b->scroll_frames + 1 || next >= end) {
    b->scrolling = FALSE;
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static GtkWidget *
find_named(GtkWidget *root, const char *name)
{
  if (g_strcmp0(gtk_widget_get_name(root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child(root); c != NULL;
       c = gtk_widget_get_next_sibling(c)) {
    GtkWidget *w = find_named(c, name);
    if (w != NULL)
      return w;
  }
  return NULL;
}

static gboolean
measure_latency(Bench *b, MusterKioskSession *session, GString *out, GError **error)
{
  MusterKioskCountModel *model = muster_kiosk_session_get_count(session);
  g_signal_connect(model, "outcome", G_CALLBACK(on_outcome), b);
  g_autofree char *text = NULL;
  gsize len;
  if (!g_file_get_contents(b->h.feed_path, &text, &len, error))
    return FALSE;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_autoptr(GPtrArray) feed = g_ptr_array_new();
  for (char **l = lines; *l != NULL; l++)
    if (**l != '\0')
      g_ptr_array_add(feed, *l);
  g_autoptr(MusterReader) reader = MUSTER_READER(muster_sim_reader_new("sim0", feed, b->rate));
  muster_kiosk_session_add_reader(session, reader);
  if (!muster_reader_start(reader, error))
    return FALSE;
  guint timeout = (guint)(b->n_scans / MAX(b->rate, 1.0)) + 60;
  gboolean ok = wait_until(all_painted, b, timeout);
  muster_reader_stop(reader);
  if (!ok) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                "only %u of %" G_GINT64_FORMAT " scans reached the screen in %u s",
                b->latencies->len, b->n_scans, timeout);
    return FALSE;
  }
  g_array_sort(b->latencies, cmp_i64);
  bench_report(out, "latency_scans", "%u", b->latencies->len);
  bench_report(out, "latency_p50_ms", "%.2f", percentile_ms(b->latencies, 0.50));
  bench_report(out, "latency_p99_ms", "%.2f", percentile_ms(b->latencies, 0.99));
  bench_report(out, "latency_max_ms", "%.2f", percentile_ms(b->latencies, 1.0));
  return TRUE;
}

/* The scroll's figures, and whether it went top to bottom (scroll_complete=1); if not,
 * why it stopped, and the frames it saw. */
static void
report_scroll(Bench *b, GtkWidget *list, gboolean done, GString *out)
{
  g_array_sort(b->frame_gaps, cmp_i64);
  guint dropped = 0;
  for (guint i = 0; i < b->frame_gaps->len; i++)
    dropped += g_array_index(b->frame_gaps, gint64, i) > 25000;
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment(GTK_SCROLLABLE(list));
  gboolean reached_end = gtk_adjustment_get_value(adj) + gtk_adjustment_get_page_size(adj) >=
                         gtk_adjustment_get_upper(adj) - 1;
  const char *stopped = !done                  ? "timed out"
                        : b->scroll_range <= 0 ? "nothing to scroll"
                        : !reached_end         ? "stopped short of the bottom"
                                               : NULL;
  bench_report(out, "scroll_frames", "%u", b->frame_gaps->len);
  bench_report(out, "scroll_dropped_frames", "%u", dropped);
  bench_report(out, "scroll_frame_p99_ms", "%.2f", percentile_ms(b->frame_gaps, 0.99));
  bench_report(out, "scroll_frame_max_ms", "%.2f", percentile_ms(b->frame_gaps, 1.0));
  bench_report(out, "scroll_range_px", "%.0f", b->scroll_range);
  bench_report(out, "scroll_reached_end", "%s", reached_end ? "yes" : "no");
  bench_report(out, "scroll_complete", "%d", stopped == NULL);
  if (stopped != NULL)
    bench_report(out, "scroll_stopped", "%s after %u frames", stopped, b->frame_gaps->len);
}

static gboolean
measure_review(Bench *b, MusterKioskSession *session, gint64 review_id, GString *out,
               GError **error)
{
  muster_kiosk_session_set_review_count(session, review_id);
  gint64 t0 = g_get_monotonic_time();
  muster_kiosk_session_navigate(session, "review");
  MusterKioskScreenReview *review =
      MUSTER_KIOSK_SCREEN_REVIEW(muster_kiosk_window_get_screen(b->window, "review"));
  guint rows = g_list_model_get_n_items(muster_kiosk_screen_review_get_model(review));
  bench_report(out, "review_rows", "%u", rows);
  bench_report(out, "review_load_ms", "%.1f", bench_seconds_since(t0) * 1000);
  if (rows == 0) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the review list is empty");
    return FALSE;
  }
  GtkWidget *list = find_named(GTK_WIDGET(review), "discrepancies");
  /* Let the list lay out once before scrolling. */
  b->first_frame_us = 0;
  b->t0_us = g_get_monotonic_time();
  wait_until(painted_once, b, 30);
  b->scrolling = TRUE;
  guint tick = gtk_widget_add_tick_callback(list, scroll_tick, b, NULL);
  gboolean done = wait_until(scroll_done, b, SCROLL_TIMEOUT_S);
  if (!done)
    gtk_widget_remove_tick_callback(list, tick);
  report_scroll(b, list, done, out);
  return TRUE;
}

static gboolean
phase_kiosk(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  b->t0_us = g_get_monotonic_time();
  if (!gtk_init_check()) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                "no display: run the benchmark under xvfb-run -a, or on the kiosk's screen");
    return FALSE;
  }
  muster_kiosk_init();
  MusterStore *store = muster_store_open(b->h.db_path, error);
  if (store == NULL)
    return FALSE;
  g_autoptr(MusterKioskSession) session = muster_kiosk_session_new(store);
  b->window = muster_kiosk_window_new(session, FALSE);
  muster_kiosk_window_set_layout_size(b->window, 1920, 1080);
  gtk_window_present(GTK_WINDOW(b->window));
  GdkFrameClock *clock = gtk_widget_get_frame_clock(GTK_WIDGET(b->window));
  g_signal_connect(clock, "after-paint", G_CALLBACK(on_after_paint), b);
  if (!wait_until(painted_once, b, 30)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the window never drew a frame");
    return FALSE;
  }
  bench_report(out, "first_frame_ms", "%.1f", b->first_frame_us / 1000.0);
  if (!muster_kiosk_session_sign_in(session, "admin", "123456", error) ||
      !muster_kiosk_session_resume_count(session, error))
    return FALSE;
  gboolean ok =
      measure_latency(b, session, out, error) &&
      measure_review(b, session, (gint64)bench_result(&b->h, "review_count_id"), out, error);
  g_signal_handlers_disconnect_by_data(clock, b);
  gtk_window_destroy(GTK_WINDOW(b->window));
  return ok;
}

static void
print_summary(Bench *b)
{
  BenchHarness *h = &b->h;
  double p99 = bench_result(h, "latency_p99_ms");
  double first = bench_result(h, "first_frame_ms");
  double rss_mb = bench_result(h, "kiosk_peak_rss_kib") / 1024;
  /* Frames dropped on the way down count only for a scroll that got to the bottom. */
  double dropped =
      bench_result(h, "scroll_complete") == 1 ? bench_result(h, "scroll_dropped_frames") : NAN;
  bench_goal("latency", p99, p99 < 30);
  bench_goal("first_frame", first, first < 300);
  bench_goal("rss", rss_mb, rss_mb < 150);
  bench_goal("scroll", dropped, dropped == 0);
  bench_print_result(TRUE, "kiosk");
}

static gboolean
run(gpointer data, GError **error)
{
  Bench *b = data;
  printf("bench=kiosk\nitems=%" G_GINT64_FORMAT "\nscans=%" G_GINT64_FORMAT
         "\nrate=%.0f\ndir=%s\nfilesystem=%s\n",
         b->n_items, b->n_scans, b->rate, b->h.dir, bench_fs_name(b->h.dir));
  if (!bench_run_phase(&b->h, "generate", phase_generate, b, error) ||
      !bench_run_phase(&b->h, "setup", phase_setup, b, error) ||
      !bench_run_phase(&b->h, "kiosk", phase_kiosk, b, error))
    return FALSE;
  print_summary(b);
  return TRUE;
}

int
main(int argc, char **argv)
{
  gint64 items = 1000000, scans = 1000;
  double rate = 20;
  gint scroll_frames = 3000;
  gboolean quick = FALSE, keep = FALSE;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
      {"items", 0, 0, G_OPTION_ARG_INT64, &items, "Items in the register (1000000)", "N"},
      {"scans", 0, 0, G_OPTION_ARG_INT64, &scans, "Scans played to the live screen (1000)", "N"},
      {"rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "Scans per second (20)", "N"},
      {"scroll-frames", 0, 0, G_OPTION_ARG_INT, &scroll_frames,
       "Frames to scroll the review list top to bottom in (3000)", "N"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "100000 items", NULL},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &parent,
       "Where the temp folder goes (a real disk; default $TMPDIR or /tmp)", "DIR"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder", NULL},
      {NULL}};
  if (!bench_parse_options("kiosk", "- benchmark the kiosk screens", entries, &argc, &argv))
    return 2;
  if (quick)
    items = 100000;
  Bench b = {.n_items = MAX(items, 100000),
             .n_scans = MAX(scans, 10),
             .rate = rate,
             .scroll_frames = (guint)MAX(scroll_frames, 10)};
  b.pending = g_array_new(FALSE, FALSE, sizeof(gint64));
  b.latencies = g_array_new(FALSE, FALSE, sizeof(gint64));
  b.frame_gaps = g_array_new(FALSE, FALSE, sizeof(gint64));
  int status = bench_harness_main(&b.h, "kiosk", parent, keep, run, &b);
  g_array_unref(b.pending);
  g_array_unref(b.latencies);
  g_array_unref(b.frame_gaps);
  return status;
}
