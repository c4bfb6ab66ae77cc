/*
 * hid-scan.c: scan events from USB scanner data (see hid-scan.h).
 *
 * Why in one place for both protocols: docs/scan-data.md gives scan data one meaning
 * whatever the reader, and the HID POS and keyboard-wedge paths differ only in where the
 * identifier comes from. Building the scan here keeps them from drifting apart (before,
 * HID POS kept only the symbology name and dropped the identifier).
 */
#include "drivers/usbhid/hid-scan.h"
#include "marking/aim.h"
#include "marking/payload.h"

#include <string.h>

#define AIM_LEN MUSTER_AIM_LEN

static gboolean
is_aim(const guint8 *aim)
{
  return muster_aim_is_identifier((const char *)aim, AIM_LEN);
}

static gboolean
is_zero(const guint8 *aim)
{
  return aim[0] == 0 && aim[1] == 0 && aim[2] == 0;
}

/* raw from a HID POS report: the identifier, when it is one, in front of the data. */
static GBytes *
hidpos_raw(GBytes *data, const guint8 *aim, MusterScan *scan)
{
  if (!is_aim(aim)) {
    if (!is_zero(aim))
      scan->problem = g_strdup_printf(
          "The scanner sent symbology identifier bytes 0x%02X 0x%02X 0x%02X, which are not an "
          "AIM identifier (']', code, modifier); they were left out. Set the scanner to send "
          "AIM symbology identifiers",
          aim[0], aim[1], aim[2]);
    return g_bytes_ref(data);
  }
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data(data, &len);
  GByteArray *raw = g_byte_array_sized_new((guint)(len + AIM_LEN));
  g_byte_array_append(raw, aim, AIM_LEN);
  g_byte_array_append(raw, bytes, (guint)len);
  return g_byte_array_free_to_bytes(raw);
}

MusterScan *
muster_hid_scan_new(GBytes *data, const guint8 *aim)
{
  MusterScan *scan = muster_scan_new();
  scan->raw = aim != NULL ? hidpos_raw(data, aim, scan) : g_bytes_ref(data);
  gsize len = 0;
  const guint8 *raw = g_bytes_get_data(scan->raw, &len);
  gsize skip = muster_aim_is_identifier((const char *)raw, len) ? AIM_LEN : 0;
  scan->text = g_utf8_make_valid((const char *)raw + skip, (gssize)(len - skip));
  scan->symbology = skip > 0 ? g_strdup(muster_aim_symbology((const char *)raw)) : NULL;
  g_autoptr(MusterPayload) payload = muster_payload_parse_barcode(raw, len, scan->symbology);
  muster_scan_take_payload(scan, payload, TRUE);
  return scan;
}
