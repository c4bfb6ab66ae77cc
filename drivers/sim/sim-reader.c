/*
 * sim-reader.c: the scripted reader (see sim-reader.h).
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
#include "drivers/sim/sim-reader.h"

#include <string.h>

/* Lines played per dispatch when unpaced, and at most when catching up. */
#define SIM_BURST 64
#define SIM_CATCH_UP 256

struct _MusterSimReader {
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
  MusterSimReader *reader;
} SimSource;

static gboolean
is_blank(const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
      return FALSE;
  return TRUE;
}

static MusterSimReader *
reader_new(const char *reader_id, double scans_per_second)
{
  MusterSimReader *reader = g_new0(MusterSimReader, 1);
  reader->id = g_strdup(reader_id != NULL ? reader_id : MUSTER_SIM_READER_ID);
  reader->lines = g_ptr_array_new_with_free_func(g_free);
  reader->pace = scans_per_second;
  return reader;
}

MusterSimReader *
muster_sim_reader_new(const char *reader_id, GPtrArray *lines, double scans_per_second)
{
  MusterSimReader *reader = reader_new(reader_id, scans_per_second);
  for (guint i = 0; lines != NULL && i < lines->len; i++) {
    const char *line = g_ptr_array_index(lines, i);
    if (line != NULL && !is_blank(line))
      g_ptr_array_add(reader->lines, g_strdup(line));
  }
  return reader;
}

MusterSimReader *
muster_sim_reader_new_from_text(const char *reader_id, const char *text, gsize len,
                                double scans_per_second)
{
  MusterSimReader *reader = reader_new(reader_id, scans_per_second);
  for (gsize start = 0; text != NULL && start < len;) {
    const char *nl = memchr(text + start, '\n', len - start);
    gsize end = nl != NULL ? (gsize)(nl - text) : len;
    gsize stop = end > start && text[end - 1] == '\r' ? end - 1 : end;
    char *line = g_strndup(text + start, stop - start);
    if (is_blank(line))
      g_free(line);
    else
      g_ptr_array_add(reader->lines, line);
    start = end + 1;
  }
  return reader;
}

static gint64
next_due(MusterSimReader *reader)
{
  return reader->started_mono_us +
         (gint64)((double)reader->scans_since_start * G_USEC_PER_SEC / reader->pace);
}

/* Parses the next line and hands it over; the scan is stamped as this reader's. */
static void
play_line(MusterSimReader *reader)
{
  const char *line = g_ptr_array_index(reader->lines, reader->pos++);
  g_autofree char *location = NULL;
  g_autoptr(MusterScan) scan =
      muster_scan_parse_line(line, strlen(line), reader->id, &location, NULL);
  if (scan != NULL) {
    g_free(scan->reader);
    scan->reader = g_strdup(reader->id);
    g_free(scan->reader_kind);
    scan->reader_kind = g_strdup(MUSTER_SIM_READER_KIND);
    reader->scans_since_start++;
  }
  if ((scan != NULL || location != NULL) && reader->scan_func != NULL)
    reader->scan_func(reader, scan, scan != NULL ? NULL : location, reader->user_data);
}

static void
detach(MusterSimReader *reader)
{
  if (reader->source == NULL)
    return;
  g_source_destroy(reader->source);
  g_clear_pointer(&reader->source, g_source_unref);
}

/* Plays what is due now. Stops early when a callback stopped (or restarted) the reader:
 * then source is no longer its source. */
static void
play_due(MusterSimReader *reader, GSource *source)
{
  gint64 now = g_get_monotonic_time();
  guint budget = reader->pace > 0 ? SIM_CATCH_UP : SIM_BURST;
  while (reader->source == source && reader->pos < reader->lines->len && budget-- > 0) {
    if (reader->pace > 0 && next_due(reader) > now)
      break;
    play_line(reader);
  }
}

static gboolean
sim_source_dispatch(GSource *source, GSourceFunc callback, gpointer data)
{
  MusterSimReader *reader = ((SimSource *)source)->reader;
  play_due(reader, source);
  if (reader->source != source)
    return G_SOURCE_REMOVE;
  if (reader->pos >= reader->lines->len) {
    /* Nothing of the reader is touched after done: its callback may free it. */
    MusterSimDoneFunc done = reader->done_func;
    gpointer user_data = reader->user_data;
    detach(reader);
    if (done != NULL)
      done(reader, user_data);
    return G_SOURCE_REMOVE;
  }
  g_source_set_ready_time(source, reader->pace > 0 ? next_due(reader) : 0);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs sim_source_funcs = {
    .dispatch = sim_source_dispatch,
};

void
muster_sim_reader_start(MusterSimReader *reader, MusterSimScanFunc scan_func,
                        MusterSimDoneFunc done_func, gpointer user_data)
{
  g_return_if_fail(reader != NULL);
  reader->scan_func = scan_func;
  reader->done_func = done_func;
  reader->user_data = user_data;
  if (reader->source != NULL)
    return;
  reader->started_mono_us = g_get_monotonic_time();
  reader->scans_since_start = 0;
  reader->source = g_source_new(&sim_source_funcs, sizeof(SimSource));
  ((SimSource *)reader->source)->reader = reader;
  g_source_set_name(reader->source, "muster-sim-reader");
  g_source_set_priority(reader->source,
                        reader->pace > 0 ? G_PRIORITY_DEFAULT : G_PRIORITY_DEFAULT_IDLE);
  g_source_set_ready_time(reader->source, 0);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default();
  g_source_attach(reader->source, context);
}

void
muster_sim_reader_stop(MusterSimReader *reader)
{
  g_return_if_fail(reader != NULL);
  detach(reader);
}

void
muster_sim_reader_free(MusterSimReader *reader)
{
  if (reader == NULL)
    return;
  detach(reader);
  g_ptr_array_unref(reader->lines);
  g_free(reader->id);
  g_free(reader);
}

gboolean
muster_sim_reader_is_running(MusterSimReader *reader)
{
  return reader->source != NULL;
}

const char *
muster_sim_reader_id(MusterSimReader *reader)
{
  return reader->id;
}

guint
muster_sim_reader_position(MusterSimReader *reader)
{
  return reader->pos;
}

guint
muster_sim_reader_n_lines(MusterSimReader *reader)
{
  return reader->lines->len;
}
