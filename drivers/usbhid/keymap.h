/*
 * keymap.h: HID boot-keyboard reports from a keyboard-wedge barcode scanner → the bytes
 * of the scanned symbol.
 *
 * Scanners "type" what they read as US-layout key codes, whatever layout the host uses;
 * reading the reports ourselves (libusb, kernel driver detached) decodes them as the US
 * layout the scanner meant, so "HA112" never becomes "HA&&é" on an AZERTY kiosk.
 *
 * ISO/IEC 15434 and GS1 data hold control characters (GS 0x1D, RS 0x1E, EOT 0x04) that
 * no key types. Scanners send them in one of these ways, all decoded here:
 *   - Ctrl + key, the ASCII control convention: Ctrl+] = GS, Ctrl+^ (Ctrl+Shift+6) = RS,
 *     Ctrl+6 = RS, Ctrl+_ = US, Ctrl+D = EOT, Ctrl+letter = 0x01..0x1A in general;
 *   - Alt + the decimal code on the numeric keypad, released Alt (Windows convention):
 *     Alt+029 = GS, Alt+030 = RS, Alt+004 = EOT; codes 1..255 are kept as one byte.
 * A key pressed is taken once, on the report where it appears (an idle-rate repeat of
 * the same report adds nothing). The scan ends at the configured suffix key (Enter or
 * Tab, keypad Enter counts as Enter); the other one is data (CR or HT).
 *
 * Malformed reports (not 8 bytes, keyboard rollover error 0x01, POST fail 0x02,
 * undefined error 0x03) are refused without touching the scan in progress.
 */
#pragma once
#include "drivers/usbhid/hid-feed.h"
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_BOOT_REPORT_SIZE 8

typedef enum {
  MUSTER_SCAN_SUFFIX_ENTER,
  MUSTER_SCAN_SUFFIX_TAB,
} MusterScanSuffix;

/* "enter" / "tab" (case-insensitive); FALSE for anything else. */
gboolean muster_scan_suffix_from_string(const char *s, MusterScanSuffix *out);
const char *muster_scan_suffix_to_string(MusterScanSuffix suffix);

/* The character a US keyboard types for HID usage (page 7) with these modifier bits
 * (byte 0 of a boot report), or -1 for a key that types nothing (modifiers, F-keys,
 * arrows). Enter is '\r', Tab '\t'. Ctrl+key gives the ASCII control character. */
int muster_keymap_char(guint8 usage, guint8 modifiers);

typedef struct _MusterKeyboardDecoder MusterKeyboardDecoder;

MusterKeyboardDecoder *muster_keyboard_decoder_new(MusterScanSuffix suffix);
void muster_keyboard_decoder_free(MusterKeyboardDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterKeyboardDecoder, muster_keyboard_decoder_free)

/* Feeds one input report. MALFORMED sets error (MUSTER_ERROR_INVALID) saying what was
 * wrong; the scan in progress is kept. */
MusterHidFeed muster_keyboard_decoder_feed(MusterKeyboardDecoder *decoder, const guint8 *report,
                                           gsize len, GError **error);
/* After FEED_SCAN: the scan's bytes (suffix excluded; GS, RS, EOT kept). The decoder is
 * then ready for the next scan. */
GBytes *muster_keyboard_decoder_take_scan(MusterKeyboardDecoder *decoder);
/* Bytes typed so far of a scan not yet ended by its suffix (0 when none). */
gsize muster_keyboard_decoder_pending(const MusterKeyboardDecoder *decoder);
/* Forgets the scan in progress and the keys held (after an unplug). */
void muster_keyboard_decoder_reset(MusterKeyboardDecoder *decoder);

G_END_DECLS
