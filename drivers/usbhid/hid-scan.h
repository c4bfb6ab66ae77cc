/*
 * hid-scan.h: what a USB scanner sent, as the scan event docs/scan-data.md defines.
 *
 * A HID POS scanner sends its AIM symbology identifier beside the data (hidpos.h); a
 * keyboard-wedge scanner set to send identifiers types it in front of the data ("]d2...",
 * keymap.h). Both become the same scan: raw is identifier + data, text the data without
 * the identifier, symbology the identifier's name, and the marking what the payload
 * parsers make of raw. So a GS1 Data Matrix gives one meaning whichever way it came.
 */
#pragma once
#include "scan/scan.h"
#include <glib.h>

G_BEGIN_DECLS

/* The scan for data; aim is a HID POS report's 3 identifier bytes, or NULL for a
 * keyboard wedge (any identifier is then in data). Identifier bytes that are neither
 * zeros (none sent) nor an AIM identifier are left out of raw, and the scan's problem
 * says so. reader and timestamps are the caller's to fill. */
MusterScan *muster_hid_scan_new(GBytes *data, const guint8 *aim);

G_END_DECLS
