/*
 * fuzz-hid-report.c: libFuzzer target over the USB scanner decoders (drivers/usbhid):
 * HID boot-keyboard reports (keymap.h) and HID POS reports (hidpos.h), then the marking
 * parser each completed scan goes to, as the reader does.
 *
 * A scanner is outside data: a broken one, or a device posing as one, can send any
 * report of any length. The input's first byte chooses the protocol, the suffix and the
 * report size (a keyboard report is 8 bytes except when the size is deliberately
 * wrong); the rest is cut into reports. Beyond not crashing, the target checks the
 * decoders' promises: a malformed report says why and only a malformed one does, no scan
 * or pending scan exceeds MUSTER_HID_MAX_SCAN, a HID POS scan is never empty, taking a
 * scan leaves nothing pending, and every scan gets a marking or a problem.
 */
#include "drivers/usbhid/hidpos.h"
#include "drivers/usbhid/keymap.h"
#include "marking/payload.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

static void
check_scan(GBytes *scan, const char *symbology)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(scan, &len);
  check(len <= MUSTER_HID_MAX_SCAN);
  g_autoptr(MusterPayload) payload = muster_payload_parse_barcode(data, len, symbology);
  check(payload != NULL);
  check(payload->value != NULL || payload->problem != NULL);
}

static void
feed_keyboard(const guint8 *data, gsize size, MusterScanSuffix suffix, gsize report_size)
{
  g_autoptr(MusterKeyboardDecoder) decoder = muster_keyboard_decoder_new(suffix);
  for (gsize at = 0; at < size; at += report_size) {
    g_autoptr(GError) error = NULL;
    gsize len = MIN(report_size, size - at);
    MusterHidFeed feed = muster_keyboard_decoder_feed(decoder, data + at, len, &error);
    check((feed == MUSTER_HID_FEED_MALFORMED) == (error != NULL));
    check(muster_keyboard_decoder_pending(decoder) <= MUSTER_HID_MAX_SCAN);
    if (feed == MUSTER_HID_FEED_SCAN) {
      g_autoptr(GBytes) scan = muster_keyboard_decoder_take_scan(decoder);
      check_scan(scan, NULL);
      check(muster_keyboard_decoder_pending(decoder) == 0);
    }
  }
  muster_keyboard_decoder_reset(decoder);
  check(muster_keyboard_decoder_pending(decoder) == 0);
}

static void
feed_hidpos(const guint8 *data, gsize size, gsize report_size)
{
  g_autoptr(MusterHidPosDecoder) decoder = muster_hidpos_decoder_new();
  for (gsize at = 0; at < size; at += report_size) {
    g_autoptr(GError) error = NULL;
    gsize len = MIN(report_size, size - at);
    MusterHidFeed feed = muster_hidpos_decoder_feed(decoder, data + at, len, &error);
    check((feed == MUSTER_HID_FEED_MALFORMED) == (error != NULL));
    check(muster_hidpos_decoder_pending(decoder) <= MUSTER_HID_MAX_SCAN);
    if (feed == MUSTER_HID_FEED_SCAN) {
      const char *symbology = NULL;
      g_autoptr(GBytes) scan = muster_hidpos_decoder_take_scan(decoder, &symbology, NULL);
      check(g_bytes_get_size(scan) > 0);
      check_scan(scan, symbology);
    }
  }
  muster_hidpos_decoder_reset(decoder);
  check(muster_hidpos_decoder_pending(decoder) == 0);
}

/* First byte: bit 0 HID POS, bit 1 Tab suffix, bits 2..7 the report size (keyboard: 0
 * means the proper 8 bytes, else that wrong size; HID POS: 6 + n). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  guint8 mode = data[0];
  gsize n = mode >> 2;
  if (mode & 0x01)
    feed_hidpos(data + 1, size - 1, MUSTER_HIDPOS_OVERHEAD + n);
  else
    feed_keyboard(data + 1, size - 1,
                  (mode & 0x02) ? MUSTER_SCAN_SUFFIX_TAB : MUSTER_SCAN_SUFFIX_ENTER,
                  n == 0 ? MUSTER_BOOT_REPORT_SIZE : n);
  return 0;
}
