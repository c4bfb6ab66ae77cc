/*
 * feed-reader.h: the simulated reader as a MusterReader, for the kiosk.
 *
 * The kiosk listens to MusterReaders only, so that real drivers (NFC, USB HID,
 * camera) and the simulation look the same to it. This wraps drivers/sim's scripted
 * reader (a plain struct, used by the CLI demo) in the GObject interface: each played
 * line becomes a "scan"; a location line ("@R1/A") is carried on the next scan as its
 * location_path, which ingest applies from that scan on. Used for the demo, the tests
 * and the benchmark until an armoury has hardware.
 */
#pragma once
#include "drivers/reader.h"

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_FEED_READER (muster_kiosk_feed_reader_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskFeedReader, muster_kiosk_feed_reader, MUSTER_KIOSK, FEED_READER,
                     MusterReader)

/* lines: char*, copied. scans_per_second <= 0: as fast as the main loop allows. */
MusterReader *muster_kiosk_feed_reader_new(const char *id, GPtrArray *lines,
                                           double scans_per_second);
/* Appends one line to play (e.g. a test scanning one more tag), played after the rest;
 * restarts playing if it had finished. */
void muster_kiosk_feed_reader_push(MusterKioskFeedReader *self, const char *line);
/* TRUE once every line has been played. */
gboolean muster_kiosk_feed_reader_is_done(MusterKioskFeedReader *self);

G_END_DECLS
