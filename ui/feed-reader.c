/*
 * feed-reader.c: drivers/sim's scripted reader behind the MusterReader interface (see
 * feed-reader.h).
 *
 * The sim reader owns its lines once created, so pushing a line rebuilds it from the
 * lines not yet played: simple, and pushes are rare (tests, a demo button).
 */
#include "ui/feed-reader.h"

#include "drivers/sim/sim-reader.h"

struct _MusterKioskFeedReader {
  MusterReader parent_instance;
  GPtrArray *lines; /* char*, every line */
  guint played;     /* lines of `lines` played by earlier sim readers */
  double pace;
  MusterSimReader *sim;
  char *location; /* from a location line, for the next scan */
  gboolean running;
};

G_DEFINE_FINAL_TYPE(MusterKioskFeedReader, muster_kiosk_feed_reader, MUSTER_TYPE_READER)

static void
on_line(MusterSimReader *sim, const MusterScan *scan, const char *location, gpointer user_data)
{
  MusterKioskFeedReader *self = user_data;
  if (scan == NULL) {
    g_free(self->location);
    self->location = g_strdup(location);
    return;
  }
  MusterScan *copy = muster_scan_copy(scan);
  if (copy->location_path == NULL)
    copy->location_path = g_steal_pointer(&self->location);
  g_clear_pointer(&self->location, g_free);
  if (copy->read_mono_us == 0)
    copy->read_mono_us = g_get_monotonic_time();
  if (copy->read_at_us == 0)
    copy->read_at_us = g_get_real_time();
  muster_reader_emit_scan(MUSTER_READER(self), copy);
}

static void
on_done(MusterSimReader *sim, gpointer user_data)
{
}

static guint
sim_position(MusterKioskFeedReader *self)
{
  return self->sim != NULL ? muster_sim_reader_position(self->sim) : 0;
}

/* A sim reader over the lines not played yet. */
static void
rebuild(MusterKioskFeedReader *self)
{
  self->played += sim_position(self);
  g_clear_pointer(&self->sim, muster_sim_reader_free);
  g_autoptr(GPtrArray) rest = g_ptr_array_new();
  for (guint i = self->played; i < self->lines->len; i++)
    g_ptr_array_add(rest, g_ptr_array_index(self->lines, i));
  self->sim = muster_sim_reader_new(muster_reader_get_id(MUSTER_READER(self)), rest, self->pace);
}

static gboolean
feed_start(MusterReader *reader, GError **error)
{
  MusterKioskFeedReader *self = MUSTER_KIOSK_FEED_READER(reader);
  if (self->sim == NULL)
    rebuild(self);
  self->running = TRUE;
  muster_reader_set_state(reader, MUSTER_READER_STATE_READY, NULL);
  muster_sim_reader_start(self->sim, on_line, on_done, self);
  return TRUE;
}

static void
feed_stop(MusterReader *reader)
{
  MusterKioskFeedReader *self = MUSTER_KIOSK_FEED_READER(reader);
  self->running = FALSE;
  if (self->sim != NULL)
    muster_sim_reader_stop(self->sim);
}

static void
muster_kiosk_feed_reader_finalize(GObject *object)
{
  MusterKioskFeedReader *self = MUSTER_KIOSK_FEED_READER(object);
  g_clear_pointer(&self->sim, muster_sim_reader_free);
  g_ptr_array_unref(self->lines);
  g_free(self->location);
  G_OBJECT_CLASS(muster_kiosk_feed_reader_parent_class)->finalize(object);
}

static void
muster_kiosk_feed_reader_class_init(MusterKioskFeedReaderClass *klass)
{
  G_OBJECT_CLASS(klass)->finalize = muster_kiosk_feed_reader_finalize;
  MUSTER_READER_CLASS(klass)->start = feed_start;
  MUSTER_READER_CLASS(klass)->stop = feed_stop;
}

static void
muster_kiosk_feed_reader_init(MusterKioskFeedReader *self)
{
  self->lines = g_ptr_array_new_with_free_func(g_free);
}

/* Keeps a line to play. Blank lines are nothing read: the sim reader skips them, so
 * they are not kept either, or the count of lines played would drift. */
static gboolean
muster_kiosk_feed_reader_keep(MusterKioskFeedReader *self, const char *line)
{
  g_autofree char *stripped = g_strstrip(g_strdup(line != NULL ? line : ""));
  if (*stripped == '\0')
    return FALSE;
  g_ptr_array_add(self->lines, g_strdup(line));
  return TRUE;
}

MusterReader *
muster_kiosk_feed_reader_new(const char *id, GPtrArray *lines, double scans_per_second)
{
  MusterKioskFeedReader *self = g_object_new(MUSTER_KIOSK_TYPE_FEED_READER, "id",
                                             id != NULL ? id : "sim0", "kind", "sim", NULL);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    muster_kiosk_feed_reader_keep(self, g_ptr_array_index(lines, i));
  self->pace = scans_per_second;
  return MUSTER_READER(self);
}

void
muster_kiosk_feed_reader_push(MusterKioskFeedReader *self, const char *line)
{
  if (!muster_kiosk_feed_reader_keep(self, line))
    return;
  if (self->sim != NULL && muster_sim_reader_is_running(self->sim))
    muster_sim_reader_stop(self->sim);
  rebuild(self);
  if (self->running)
    muster_sim_reader_start(self->sim, on_line, on_done, self);
}

gboolean
muster_kiosk_feed_reader_is_done(MusterKioskFeedReader *self)
{
  return self->played + sim_position(self) >= self->lines->len;
}
