/*
 * usbhid-driver.c: [reader NAME] kind=usb-hid groups of the readers file (manager.h).
 *
 *   [reader front-desk]
 *   kind=usb-hid
 *   match=05e0:1200          # optional: one scanner model; default any known scanner
 *   scanners=/path/x.conf    # optional: a scanner table over the built-in one
 *
 * Each group is one reader, which takes the first matching scanner not taken by another
 * (USB claims are exclusive), so two "any" groups read two scanners. Without a readers
 * file there is one reader for any scanner.
 */
#include "core/muster-error.h"
#include "drivers/manager.h"
#include "drivers/usbhid/scanner-table.h"
#include "drivers/usbhid/usbhid-reader.h"

static gboolean
usbhid_create(const char *name, GKeyFile *file, const char *group, GPtrArray *readers,
              GError **error)
{
  g_autofree char *match = g_key_file_get_string(file, group, "match", NULL);
  g_autofree char *scanners = g_key_file_get_string(file, group, "scanners", NULL);
  guint16 vid, pid;
  if (match != NULL && g_strcmp0(match, "any") != 0 && !muster_usb_ids_parse(match, &vid, &pid)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "match=%s: use any, or VVVV:PPPP as lsusb prints the scanner's ids", match);
    return FALSE;
  }
  g_autofree char *id = g_strdup_printf("usb-hid:%s", name);
  g_ptr_array_add(readers, muster_usbhid_reader_new(id, match, scanners));
  return TRUE;
}

static gboolean
usbhid_create_default(GPtrArray *readers, GError **error)
{
  g_ptr_array_add(readers, muster_usbhid_reader_new(NULL, "any", NULL));
  return TRUE;
}

const MusterReaderDriver muster_usbhid_driver = {
    .kind = MUSTER_USBHID_READER_KIND,
    .summary = "USB barcode scanners, HID keyboard or HID POS (libusb; hotplug)",
    .create = usbhid_create,
    .create_default = usbhid_create_default,
};
