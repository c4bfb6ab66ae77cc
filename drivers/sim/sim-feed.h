/*
 * sim-feed.h: a scan feed played as a counter would scan it, line by line at a set pace.
 *
 * It is what the simulated reader (sim-reader.h) plays, and `muster demo` plays it
 * directly; it stands in for real hardware in the demo, the tests and the kiosk: lines of
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

typedef struct _MusterSimFeed MusterSimFeed;

/* Called once per line, in feed order: for a scan with scan set and location NULL, for a
 * location line ("@R1/A") with scan NULL and location set. A JSON scan line may carry a
 * location of its own, in scan->location_path. The scan belongs to the feed and is
 * valid during the call only. The callback may stop the feed, but not free it. */
typedef void (*MusterSimScanFunc)(MusterSimFeed *feed, const MusterScan *scan, const char *location,
                                  gpointer user_data);
/* Called once when every line has been played. The callback may free the feed. */
typedef void (*MusterSimDoneFunc)(MusterSimFeed *feed, gpointer user_data);

/* lines: char*, copied; blank lines are skipped (they are nothing read). reader_id NULL
 * means MUSTER_SIM_READER_ID. scans_per_second <= 0 plays as fast as the main loop
 * allows, in bursts at idle priority that still let other sources run. */
MusterSimFeed *muster_sim_feed_new(const char *reader_id, GPtrArray *lines,
                                   double scans_per_second);
/* The same from text, one line each (LF or CRLF). */
MusterSimFeed *muster_sim_feed_new_from_text(const char *reader_id, const char *text, gsize len,
                                             double scans_per_second);
void muster_sim_feed_free(MusterSimFeed *feed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSimFeed, muster_sim_feed_free)

/* Starts (or resumes after a stop) playing on the thread-default main context. The
 * pace is measured from this call. */
void muster_sim_feed_start(MusterSimFeed *feed, MusterSimScanFunc scan_func,
                           MusterSimDoneFunc done_func, gpointer user_data);
/* Pauses; nothing more is delivered until started again. */
void muster_sim_feed_stop(MusterSimFeed *feed);

gboolean muster_sim_feed_is_running(MusterSimFeed *feed);
const char *muster_sim_feed_id(MusterSimFeed *feed);
/* Lines played so far, and in all. */
guint muster_sim_feed_position(MusterSimFeed *feed);
guint muster_sim_feed_n_lines(MusterSimFeed *feed);

G_END_DECLS
