/*
 * hid-feed.h: what feeding one HID input report to a scan decoder gave.
 *
 * Both decoders (keymap.h for keyboard-wedge scanners, hidpos.h for HID POS scanners)
 * take one report at a time and say whether a scan is complete, more reports are
 * needed, or the report was malformed. One enum for both, so the reader treats them
 * alike and a malformed report is counted the same way whatever the protocol.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_HID_FEED_MORE,      /* accepted; the scan is not complete yet (or nothing typed) */
  MUSTER_HID_FEED_SCAN,      /* a scan is complete: take it from the decoder */
  MUSTER_HID_FEED_MALFORMED, /* the report was ignored; error says why */
} MusterHidFeed;

/* The longest scan kept, in bytes: a Data Matrix holds at most 3116 characters. Longer
 * input is a stuck key or garbage, and is discarded as malformed. */
#define MUSTER_HID_MAX_SCAN 4096

G_END_DECLS
