/*
 * scanner-table.h: which USB devices are barcode scanners, and how to read them.
 *
 * Data, not code: scanners.conf (built in as a GResource) lists known scanners by
 * VID:PID with their protocol and suffix, and says whether unknown HID boot keyboards
 * count as scanners. A site file (/etc/muster/scanners.conf) adds to it or overrides it,
 * so a new scanner needs no rebuild.
 */
#pragma once
#include "drivers/usbhid/keymap.h"
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_SCANNER_TABLE_SITE_FILE "/etc/muster/scanners.conf"

typedef enum {
  MUSTER_SCANNER_PROTOCOL_KEYBOARD, /* HID boot keyboard: key codes, ended by a suffix key */
  MUSTER_SCANNER_PROTOCOL_HIDPOS,   /* HID POS (usage page 0x8C): raw bytes per report */
} MusterScannerProtocol;

const char *muster_scanner_protocol_to_string(MusterScannerProtocol protocol);

/* "05e0:1200" (as lsusb prints them: four hex digits each) → ids; FALSE otherwise. */
gboolean muster_usb_ids_parse(const char *text, guint16 *vendor_id, guint16 *product_id);

typedef struct {
  guint16 vendor_id;
  guint16 product_id;
  char *name;
  MusterScannerProtocol protocol;
  MusterScanSuffix suffix;
} MusterScannerEntry;

typedef struct _MusterScannerTable MusterScannerTable;

/* The built-in table, then each file in extra_files (NULL-terminated; may be NULL) over
 * it. A missing extra file is skipped; a malformed one is an error naming the file, the
 * group and the key. */
MusterScannerTable *muster_scanner_table_load(const char *const *extra_files, GError **error);
/* From text only (tests, fuzzing); where names it in errors. */
MusterScannerTable *muster_scanner_table_new_from_data(const char *data, gsize len,
                                                       const char *where, GError **error);
void muster_scanner_table_free(MusterScannerTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterScannerTable, muster_scanner_table_free)

/* The entry for this device, or NULL when it is not listed. */
const MusterScannerEntry *muster_scanner_table_lookup(const MusterScannerTable *table,
                                                      guint16 vendor_id, guint16 product_id);
/* Whether unlisted HID boot keyboards are scanners, and their suffix. */
gboolean muster_scanner_table_generic_boot_keyboards(const MusterScannerTable *table);
MusterScanSuffix muster_scanner_table_generic_suffix(const MusterScannerTable *table);

G_END_DECLS
