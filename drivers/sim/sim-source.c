/*
 * sim-source.c: the scripted reader as a MusterReader (see sim-source.h).
 *
 * The feed plays on the main context, so scans are handed to the base class like any
 * driver's, and arrive in order through the same delivery path a threaded driver uses.
 */
#include "drivers/sim/sim-source.h"
#include "drivers/sim/sim-reader.h"

struct _MusterSimSource {
  MusterReader parent_instance;
  MusterSimReader *sim;
  gboolean done;
};

G_DEFINE_TYPE(MusterSimSource, muster_sim_source, MUSTER_TYPE_READER)

static void
on_line(MusterSimReader *sim, const MusterScan *scan, const char *location, gpointer data)
{
  (void)sim;
  MusterReader *reader = data;
  muster_reader_emit_scan(reader, scan != NULL ? muster_scan_copy(scan)
                                               : muster_scan_new_location(location));
}

static void
on_done(MusterSimReader *sim, gpointer data)
{
  (void)sim;
  MUSTER_SIM_SOURCE(data)->done = TRUE;
}

static gboolean
sim_source_start(MusterReader *reader, GError **error)
{
  (void)error;
  MusterSimSource *self = MUSTER_SIM_SOURCE(reader);
  muster_reader_set_state(reader, MUSTER_READER_STATE_READY, NULL);
  muster_sim_reader_start(self->sim, on_line, on_done, self);
  return TRUE;
}

static void
sim_source_stop(MusterReader *reader)
{
  muster_sim_reader_stop(MUSTER_SIM_SOURCE(reader)->sim);
}

static void
muster_sim_source_finalize(GObject *object)
{
  MusterSimSource *self = MUSTER_SIM_SOURCE(object);
  muster_sim_reader_free(self->sim);
  G_OBJECT_CLASS(muster_sim_source_parent_class)->finalize(object);
}

static void
muster_sim_source_class_init(MusterSimSourceClass *klass)
{
  G_OBJECT_CLASS(klass)->finalize = muster_sim_source_finalize;
  MUSTER_READER_CLASS(klass)->start = sim_source_start;
  MUSTER_READER_CLASS(klass)->stop = sim_source_stop;
}

static void
muster_sim_source_init(MusterSimSource *self)
{
  (void)self;
}

MusterSimSource *
muster_sim_source_new(const char *id, GPtrArray *lines, double rate)
{
  MusterSimSource *self =
      g_object_new(MUSTER_TYPE_SIM_SOURCE, "id", id, "kind", MUSTER_SIM_READER_KIND, NULL);
  self->sim = muster_sim_reader_new(id, lines, rate);
  return self;
}

gboolean
muster_sim_source_is_done(MusterSimSource *self)
{
  return self->done;
}
