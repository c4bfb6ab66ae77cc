/*
 * hidpos.c: HID POS Scanned Data Reports → scan bytes (see hidpos.h).
 *
 * The AIM identifiers' names come from marking/aim.c, the table every reader shares.
 * Continued reports are joined until the flag drops.
 */
#include "drivers/usbhid/hidpos.h"
#include "core/muster-error.h"
#include "marking/aim.h"

#include <string.h>

struct _MusterHidPosDecoder {
  GByteArray *scan;
  guint8 aim[3]; /* of the first report of the scan in progress */
};

/* The table is marking/aim.c's, shared with every other reader. */
const char *
muster_hidpos_symbology(const guint8 aim[3])
{
  char id[MUSTER_AIM_LEN + 1] = {(char)aim[0], (char)aim[1], (char)aim[2], 0};
  return muster_aim_symbology(id);
}

MusterHidPosDecoder *
muster_hidpos_decoder_new(void)
{
  MusterHidPosDecoder *decoder = g_new0(MusterHidPosDecoder, 1);
  decoder->scan = g_byte_array_new();
  return decoder;
}

void
muster_hidpos_decoder_free(MusterHidPosDecoder *decoder)
{
  if (decoder == NULL)
    return;
  g_byte_array_unref(decoder->scan);
  g_free(decoder);
}

void
muster_hidpos_decoder_reset(MusterHidPosDecoder *decoder)
{
  g_byte_array_set_size(decoder->scan, 0);
  memset(decoder->aim, 0, sizeof decoder->aim);
}

gsize
muster_hidpos_decoder_pending(const MusterHidPosDecoder *decoder)
{
  return decoder->scan->len;
}

GBytes *
muster_hidpos_decoder_take_scan(MusterHidPosDecoder *decoder, const char **symbology,
                                guint8 aim[3])
{
  if (symbology != NULL)
    *symbology = muster_hidpos_symbology(decoder->aim);
  if (aim != NULL)
    memcpy(aim, decoder->aim, sizeof decoder->aim);
  GBytes *bytes = g_bytes_new(decoder->scan->data, decoder->scan->len);
  muster_hidpos_decoder_reset(decoder);
  return bytes;
}

static MusterHidFeed malformed(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);

static MusterHidFeed
malformed(GError **error, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  g_autofree char *message = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error_literal(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, message);
  return MUSTER_HID_FEED_MALFORMED;
}

MusterHidFeed
muster_hidpos_decoder_feed(MusterHidPosDecoder *decoder, const guint8 *report, gsize len,
                           GError **error)
{
  if (len == 0)
    return malformed(error, "an empty HID POS report");
  if (report[0] != MUSTER_HIDPOS_SCANNED_DATA_REPORT)
    return MUSTER_HID_FEED_MORE; /* status or trigger report: not a scan */
  if (len < MUSTER_HIDPOS_OVERHEAD)
    return malformed(error,
                     "a HID POS scanned data report of %" G_GSIZE_FORMAT " bytes (at least %d)",
                     len, MUSTER_HIDPOS_OVERHEAD);
  gsize capacity = len - MUSTER_HIDPOS_OVERHEAD;
  gsize n = report[1];
  if (n > capacity)
    return malformed(error,
                     "a HID POS report claiming %" G_GSIZE_FORMAT
                     " data bytes in a %" G_GSIZE_FORMAT "-byte data area",
                     n, capacity);
  const guint8 *aim = report + 2;
  if (decoder->scan->len > 0 && memcmp(aim, decoder->aim, 3) != 0) {
    muster_hidpos_decoder_reset(decoder);
    return malformed(error, "a HID POS continuation report of another symbology; the partial "
                            "scan was dropped");
  }
  if (decoder->scan->len + n > MUSTER_HID_MAX_SCAN) {
    muster_hidpos_decoder_reset(decoder);
    return malformed(error, "a HID POS scan longer than %d bytes; discarded", MUSTER_HID_MAX_SCAN);
  }
  memcpy(decoder->aim, aim, 3);
  g_byte_array_append(decoder->scan, report + 5, (guint)n);
  gboolean continued = (report[len - 1] & 0x01) != 0;
  if (continued)
    return MUSTER_HID_FEED_MORE;
  if (decoder->scan->len == 0)
    return malformed(error, "a HID POS scanned data report with no data");
  return MUSTER_HID_FEED_SCAN;
}
