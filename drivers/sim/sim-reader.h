/*
 * sim-reader.h: the simulated reader: a scan feed as a MusterReader, for the readers file
 * and the kiosk.
 *
 * Wraps MusterSimFeed (sim-feed.h): plays a feed file at a set pace and emits each
 * line as a scan, each "@R1/A" line as a location event (muster_scan_new_location()). The
 * demo and the tests without hardware use it where a real reader would be.
 *
 * Readers file:   [reader sim0]  kind=sim  feed=/path/to/feed.txt  rate=2  (scans/s)
 */
#pragma once
#include "drivers/reader.h"

G_BEGIN_DECLS

#define MUSTER_TYPE_SIM_READER (muster_sim_reader_get_type())
G_DECLARE_FINAL_TYPE(MusterSimReader, muster_sim_reader, MUSTER, SIM_READER, MusterReader)

/* lines: the feed (copied; may be NULL). id NULL: MUSTER_SIM_READER_ID. rate <= 0: as
 * fast as the main loop allows. */
MusterSimReader *muster_sim_reader_new(const char *id, GPtrArray *lines, double rate);
/* Appends one line to play after the rest (a test scanning one more tag, a demo button);
 * plays it at once if the source runs and had finished. Blank lines are ignored. */
void muster_sim_reader_push(MusterSimReader *self, const char *line);
/* TRUE once every line (pushed ones too) has been played. */
gboolean muster_sim_reader_is_done(MusterSimReader *self);

G_END_DECLS
