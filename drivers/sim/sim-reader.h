/*
 * sim-reader.h: a scripted reader that plays a scan feed as a counter would scan it.
 *
 * It stands in for real hardware in the demo, the tests and (later) the kiosk: lines of
 * a feed (plain markings, JSON objects, "@R1/A" location lines; see scan/scan.h) become
 * MusterScan events, delivered from the GLib main loop at a set pace. Like every driver
 * it knows nothing of counts, SQL or screens: it only says what was read, and where the
 * counter moved.
 */
#pragma once
#include "scan/scan.h"
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_SIM_READER_ID "sim0"
#define MUSTER_SIM_READER_KIND "sim"

typedef struct _MusterSimReader MusterSimReader;

/* Called once per line, in feed order: for a scan with scan set and location NULL, for a
 * location line ("@R1/A") with scan NULL and location set. A JSON scan line may carry a
 * location of its own, in scan->location_path. The scan belongs to the reader and is
 * valid during the call only. The callback may stop the reader, but not free it. */
typedef void (*MusterSimScanFunc)(MusterSimReader *reader, const MusterScan *scan,
                                  const char *location, gpointer user_data);
/* Called once when every line has been played. The callback may free the reader. */
typedef void (*MusterSimDoneFunc)(MusterSimReader *reader, gpointer user_data);

/* lines: char*, copied; blank lines are skipped (they are nothing read). reader_id NULL
 * means MUSTER_SIM_READER_ID. scans_per_second <= 0 plays as fast as the main loop
 * allows, in bursts at idle priority that still let other sources run. */
MusterSimReader *muster_sim_reader_new(const char *reader_id, GPtrArray *lines,
                                       double scans_per_second);
/* The same from text, one line each (LF or CRLF). */
MusterSimReader *muster_sim_reader_new_from_text(const char *reader_id, const char *text, gsize len,
                                                 double scans_per_second);
void muster_sim_reader_free(MusterSimReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSimReader, muster_sim_reader_free)

/* Starts (or resumes after a stop) playing on the thread-default main context. The
 * pace is measured from this call. */
void muster_sim_reader_start(MusterSimReader *reader, MusterSimScanFunc scan_func,
                             MusterSimDoneFunc done_func, gpointer user_data);
/* Pauses; nothing more is delivered until started again. */
void muster_sim_reader_stop(MusterSimReader *reader);

gboolean muster_sim_reader_is_running(MusterSimReader *reader);
const char *muster_sim_reader_id(MusterSimReader *reader);
/* Lines played so far, and in all. */
guint muster_sim_reader_position(MusterSimReader *reader);
guint muster_sim_reader_n_lines(MusterSimReader *reader);

G_END_DECLS
