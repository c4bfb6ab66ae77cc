/*
 * hidpos.h: HID POS barcode scanner reports (HID usage page 0x8C, "Bar Code Scanner")
 * → the bytes of the scanned symbol and its symbology.
 *
 * A HID POS scanner sends raw bytes, not key codes, so nothing is lost to keyboard
 * layouts and control characters arrive as they are. The Scanned Data Report that
 * Honeywell, Zebra and Datalogic scanners send in HID POS mode is laid out as:
 *
 *   byte 0        report ID 0x02 (Scanned Data Report)
 *   byte 1        number of data bytes in this report
 *   bytes 2..4    Symbology Identifier 1..3: the AIM identifier, e.g. "]d2", "]C0"
 *                 (zeros when the scanner does not send one)
 *   bytes 5..n-2  Decoded Data, padded with zeros
 *   byte n-1      bit 0: Decoded Data Continued — more reports follow for this scan
 *
 * n is the endpoint's report size (64 on full-speed scanners). A symbol longer than one
 * report's data area arrives in several reports, all but the last flagged continued;
 * the scan is complete at the first report without the flag. Reports with another ID
 * (status, trigger, attribute reports) are not scans and are skipped.
 */
#pragma once
#include "drivers/usbhid/hid-feed.h"
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_HIDPOS_SCANNED_DATA_REPORT 0x02
/* Report ID, length, 3 symbology bytes, flags: the smallest report with 1 data byte. */
#define MUSTER_HIDPOS_OVERHEAD 6

/* The symbology named by an AIM identifier ("]C0" → "code128", "]d2" →
 * "gs1-datamatrix", "]Q1" → "qrcode", "]E0" → "ean13"), or NULL when unknown or absent. */
const char *muster_hidpos_symbology(const guint8 aim[3]);

typedef struct _MusterHidPosDecoder MusterHidPosDecoder;

MusterHidPosDecoder *muster_hidpos_decoder_new(void);
void muster_hidpos_decoder_free(MusterHidPosDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterHidPosDecoder, muster_hidpos_decoder_free)

/* Feeds one input report (report ID first). MALFORMED sets error (MUSTER_ERROR_INVALID):
 * a report too short, a length beyond the data area, an over-long scan (the partial scan
 * is then dropped), or a continuation whose symbology changed. */
MusterHidFeed muster_hidpos_decoder_feed(MusterHidPosDecoder *decoder, const guint8 *report,
                                         gsize len, GError **error);
/* After FEED_SCAN: the scan's data bytes; *symbology (may be NULL) gets the symbology or
 * NULL; aim (may be NULL) gets the report's 3 identifier bytes as sent (zeros when the
 * scanner sent none), which hid-scan.h puts in front of the data. */
GBytes *muster_hidpos_decoder_take_scan(MusterHidPosDecoder *decoder, const char **symbology,
                                        guint8 aim[3]);
/* Bytes received so far of a scan still flagged continued (0 when none). */
gsize muster_hidpos_decoder_pending(const MusterHidPosDecoder *decoder);
void muster_hidpos_decoder_reset(MusterHidPosDecoder *decoder);

G_END_DECLS
