/*
 * sim-reader.c: the simulated reader, a MusterReader (see sim-reader.h).
 *
 * There is no device, so no lifecycle (drivers/lifecycle.c): the reader overrides start
 * and stop, and is READY while it plays. The feed plays on the main context, so scans
 * are handed to the base class like any driver's, and arrive in order through the same
 * delivery path a threaded driver uses.
 * The feed owns its lines once made, so a pushed line rebuilds it over the lines
 * not played yet: simple, and pushes are rare (tests, a demo button).
 */
#include "drivers/sim/sim-reader.h"
#include "drivers/sim/sim-feed.h"

struct _MusterSimReader {
  MusterReader parent_instance;
  GPtrArray *lines; /* char*, every non-blank line */
  guint played;     /* lines played by feeds already replaced */
  double rate;
  MusterSimFeed *feed;
  gboolean running;
};

G_DEFINE_TYPE(MusterSimReader, muster_sim_reader, MUSTER_TYPE_READER)

static void
on_line(MusterSimFeed *feed, const MusterScan *scan, const char *location, gpointer data)
{
  (void)feed;
  MusterReader *reader = data;
  muster_reader_emit_scan(reader, scan != NULL ? muster_scan_copy(scan)
                                               : muster_scan_new_location(location));
}

static void
on_done(MusterSimFeed *feed, gpointer data)
{
  (void)feed;
  (void)data;
}

static guint
sim_position(MusterSimReader *self)
{
  return self->feed != NULL ? muster_sim_feed_position(self->feed) : 0;
}

/* A feed of the lines not played yet. */
static void
rebuild(MusterSimReader *self)
{
  self->played += sim_position(self);
  g_clear_pointer(&self->feed, muster_sim_feed_free);
  g_autoptr(GPtrArray) rest = g_ptr_array_new();
  for (guint i = self->played; i < self->lines->len; i++)
    g_ptr_array_add(rest, g_ptr_array_index(self->lines, i));
  self->feed = muster_sim_feed_new(muster_reader_get_id(MUSTER_READER(self)), rest, self->rate);
}

static gboolean
sim_reader_start(MusterReader *reader, GError **error)
{
  (void)error;
  MusterSimReader *self = MUSTER_SIM_READER(reader);
  if (self->feed == NULL)
    rebuild(self);
  self->running = TRUE;
  muster_reader_set_state(reader, MUSTER_READER_STATE_READY, NULL);
  muster_sim_feed_start(self->feed, on_line, on_done, self);
  return TRUE;
}

static void
sim_reader_stop(MusterReader *reader)
{
  MusterSimReader *self = MUSTER_SIM_READER(reader);
  self->running = FALSE;
  if (self->feed != NULL)
    muster_sim_feed_stop(self->feed);
}

static void
muster_sim_reader_finalize(GObject *object)
{
  MusterSimReader *self = MUSTER_SIM_READER(object);
  g_clear_pointer(&self->feed, muster_sim_feed_free);
  g_ptr_array_unref(self->lines);
  G_OBJECT_CLASS(muster_sim_reader_parent_class)->finalize(object);
}

static void
muster_sim_reader_class_init(MusterSimReaderClass *klass)
{
  G_OBJECT_CLASS(klass)->finalize = muster_sim_reader_finalize;
  MUSTER_READER_CLASS(klass)->start = sim_reader_start;
  MUSTER_READER_CLASS(klass)->stop = sim_reader_stop;
}

static void
muster_sim_reader_init(MusterSimReader *self)
{
  self->lines = g_ptr_array_new_with_free_func(g_free);
}

/* Keeps a line to play. Blank lines are nothing read: the feed skips them, so they
 * are not kept either, or the count of lines played would drift. */
static gboolean
keep(MusterSimReader *self, const char *line)
{
  g_autofree char *stripped = g_strstrip(g_strdup(line != NULL ? line : ""));
  if (*stripped == '\0')
    return FALSE;
  g_ptr_array_add(self->lines, g_strdup(line));
  return TRUE;
}

MusterSimReader *
muster_sim_reader_new(const char *id, GPtrArray *lines, double rate)
{
  MusterSimReader *self =
      g_object_new(MUSTER_TYPE_SIM_READER, "id", id != NULL ? id : MUSTER_SIM_READER_ID, "kind",
                   MUSTER_SIM_READER_KIND, NULL);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    keep(self, g_ptr_array_index(lines, i));
  self->rate = rate;
  return self;
}

void
muster_sim_reader_push(MusterSimReader *self, const char *line)
{
  g_return_if_fail(MUSTER_IS_SIM_READER(self));
  if (!keep(self, line))
    return;
  if (self->feed != NULL && muster_sim_feed_is_running(self->feed))
    muster_sim_feed_stop(self->feed);
  rebuild(self);
  if (self->running)
    muster_sim_feed_start(self->feed, on_line, on_done, self);
}

gboolean
muster_sim_reader_is_done(MusterSimReader *self)
{
  return self->played + sim_position(self) >= self->lines->len;
}
