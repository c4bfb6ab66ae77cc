/*
 * sim-feed.c: a scan feed played at a set pace (see sim-feed.h).
 *
 * One GSource with a ready time drives it, rather than a timeout per scan: the time of
 * the n-th scan is computed from the start (start + n / pace), so the pace does not
 * drift with the main loop's wake-up latency, and between scans the loop sleeps in
 * poll() instead of spinning. A late loop catches up in bounded bursts. Unpaced, the
 * source stays ready and plays a burst of lines per dispatch at idle priority, so
 * everything else on the loop (a screen redrawing, a flush timer) still gets its turn.
 *
 * Lines are parsed only when played, with muster_scan_parse_line(), exactly as a real
 * feed on stdin would be; the scan is then stamped as coming from this reader.
 */
#include "drivers/sim/sim-feed.h"

#include <string.h>

/* Lines played per dispatch when unpaced, and at most when catching up. */
#define SIM_BURST 64
#define SIM_CATCH_UP 256

struct _MusterSimFeed {
  char *id;
  GPtrArray *lines; /* char* */
  double pace;      /* scans per second; <= 0 unpaced */
  guint pos;        /* next line to play */
  GSource *source;  /* NULL while stopped */
  gint64 started_mono_us;
  guint64 scans_since_start;
  MusterSimScanFunc scan_func;
  MusterSimDoneFunc done_func;
  gpointer user_data;
};

typedef struct {
  GSource source;
  MusterSimFeed *feed;
} SimSource;

static gboolean
is_blank(const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
      return FALSE;
  return TRUE;
}

static MusterSimFeed *
feed_new(const char *reader_id, double scans_per_second)
{
  MusterSimFeed *feed = g_new0(MusterSimFeed, 1);
  feed->id = g_strdup(reader_id != NULL ? reader_id : MUSTER_SIM_READER_ID);
  feed->lines = g_ptr_array_new_with_free_func(g_free);
  feed->pace = scans_per_second;
  return feed;
}

MusterSimFeed *
muster_sim_feed_new(const char *reader_id, GPtrArray *lines, double scans_per_second)
{
  MusterSimFeed *feed = feed_new(reader_id, scans_per_second);
  for (guint i = 0; lines != NULL && i < lines->len; i++) {
    const char *line = g_ptr_array_index(lines, i);
    if (line != NULL && !is_blank(line))
      g_ptr_array_add(feed->lines, g_strdup(line));
  }
  return feed;
}

MusterSimFeed *
muster_sim_feed_new_from_text(const char *reader_id, const char *text, gsize len,
                              double scans_per_second)
{
  MusterSimFeed *feed = feed_new(reader_id, scans_per_second);
  for (gsize start = 0; text != NULL && start < len;) {
    const char *nl = memchr(text + start, '\n', len - start);
    gsize end = nl != NULL ? (gsize)(nl - text) : len;
    gsize stop = end > start && text[end - 1] == '\r' ? end - 1 : end;
    char *line = g_strndup(text + start, stop - start);
    if (is_blank(line))
      g_free(line);
    else
      g_ptr_array_add(feed->lines, line);
    start = end + 1;
  }
  return feed;
}

static gint64
next_due(MusterSimFeed *feed)
{
  return feed->started_mono_us +
         (gint64)((double)feed->scans_since_start * G_USEC_PER_SEC / feed->pace);
}

/* Parses the next line and hands it over; the scan is stamped as this reader's. */
static void
play_line(MusterSimFeed *feed)
{
  const char *line = g_ptr_array_index(feed->lines, feed->pos++);
  g_autofree char *location = NULL;
  g_autoptr(MusterScan) scan =
      muster_scan_parse_line(line, strlen(line), feed->id, &location, NULL);
  if (scan != NULL) {
    g_free(scan->reader);
    scan->reader = g_strdup(feed->id);
    g_free(scan->reader_kind);
    scan->reader_kind = g_strdup(MUSTER_SIM_READER_KIND);
    feed->scans_since_start++;
  }
  if ((scan != NULL || location != NULL) && feed->scan_func != NULL)
    feed->scan_func(feed, scan, scan != NULL ? NULL : location, feed->user_data);
}

static void
detach(MusterSimFeed *feed)
{
  if (feed->source == NULL)
    return;
  g_source_destroy(feed->source);
  g_clear_pointer(&feed->source, g_source_unref);
}

/* Plays what is due now. Stops early when a callback stopped (or restarted) the feed:
 * then source is no longer its source. */
static void
play_due(MusterSimFeed *feed, GSource *source)
{
  gint64 now = g_get_monotonic_time();
  guint budget = feed->pace > 0 ? SIM_CATCH_UP : SIM_BURST;
  while (feed->source == source && feed->pos < feed->lines->len && budget-- > 0) {
    if (feed->pace > 0 && next_due(feed) > now)
      break;
    play_line(feed);
  }
}

static gboolean
sim_source_dispatch(GSource *source, GSourceFunc callback, gpointer data)
{
  MusterSimFeed *feed = ((SimSource *)source)->feed;
  play_due(feed, source);
  if (feed->source != source)
    return G_SOURCE_REMOVE;
  if (feed->pos >= feed->lines->len) {
    /* Nothing of the feed is touched after done: its callback may free it. */
    MusterSimDoneFunc done = feed->done_func;
    gpointer user_data = feed->user_data;
    detach(feed);
    if (done != NULL)
      done(feed, user_data);
    return G_SOURCE_REMOVE;
  }
  g_source_set_ready_time(source, feed->pace > 0 ? next_due(feed) : 0);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs sim_source_funcs = {
    .dispatch = sim_source_dispatch,
};

void
muster_sim_feed_start(MusterSimFeed *feed, MusterSimScanFunc scan_func, MusterSimDoneFunc done_func,
                      gpointer user_data)
{
  g_return_if_fail(feed != NULL);
  feed->scan_func = scan_func;
  feed->done_func = done_func;
  feed->user_data = user_data;
  if (feed->source != NULL)
    return;
  feed->started_mono_us = g_get_monotonic_time();
  feed->scans_since_start = 0;
  feed->source = g_source_new(&sim_source_funcs, sizeof(SimSource));
  ((SimSource *)feed->source)->feed = feed;
  g_source_set_name(feed->source, "muster-sim-feed");
  g_source_set_priority(feed->source,
                        feed->pace > 0 ? G_PRIORITY_DEFAULT : G_PRIORITY_DEFAULT_IDLE);
  g_source_set_ready_time(feed->source, 0);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default();
  g_source_attach(feed->source, context);
}

void
muster_sim_feed_stop(MusterSimFeed *feed)
{
  g_return_if_fail(feed != NULL);
  detach(feed);
}

void
muster_sim_feed_free(MusterSimFeed *feed)
{
  if (feed == NULL)
    return;
  detach(feed);
  g_ptr_array_unref(feed->lines);
  g_free(feed->id);
  g_free(feed);
}

gboolean
muster_sim_feed_is_running(MusterSimFeed *feed)
{
  return feed->source != NULL;
}

const char *
muster_sim_feed_id(MusterSimFeed *feed)
{
  return feed->id;
}

guint
muster_sim_feed_position(MusterSimFeed *feed)
{
  return feed->pos;
}

guint
muster_sim_feed_n_lines(MusterSimFeed *feed)
{
  return feed->lines->len;
}
