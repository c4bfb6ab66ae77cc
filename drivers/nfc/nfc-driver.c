/*
 * nfc-driver.c: [reader NAME] kind=nfc groups of the readers file.
 *
 *   [reader front-desk]
 *   kind=nfc
 *   connstring=pn532_uart:/dev/ttyUSB0     (optional: libnfc's own default device)
 *   trusted_keys=acme:04A1...;             (optional: more originality keys, name:hex)
 *
 * Without a readers file, one reader on libnfc's default device (its configuration in
 * /etc/nfc/libnfc.conf or LIBNFC_DEFAULT_DEVICE) is used.
 */
#include "core/muster-error.h"
#include "drivers/manager.h"
#include "drivers/nfc/nfc-reader.h"

static gboolean
add_keys(MusterNfcReader *reader, GKeyFile *file, const char *group, GError **error)
{
  g_auto(GStrv) keys = g_key_file_get_string_list(file, group, "trusted_keys", NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
    g_auto(GStrv) parts = g_strsplit(keys[i], ":", 2);
    if (g_strv_length(parts) != 2) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "trusted_keys entry '%s' must be NAME:HEX", keys[i]);
      return FALSE;
    }
    if (!muster_nfc_reader_add_trusted_key(reader, parts[0], parts[1], error)) {
      g_prefix_error(error, "trusted_keys entry '%s': ", keys[i]);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
nfc_create(const char *name, GKeyFile *file, const char *group, GPtrArray *readers,
           GError **error)
{
  (void)name;
  g_autofree char *connstring = g_key_file_get_string(file, group, "connstring", NULL);
  g_autoptr(MusterNfcReader) reader = muster_nfc_reader_new(connstring);
  if (!add_keys(reader, file, group, error))
    return FALSE;
  g_ptr_array_add(readers, g_steal_pointer(&reader));
  return TRUE;
}

static gboolean
nfc_create_default(GPtrArray *readers, GError **error)
{
  (void)error;
  g_ptr_array_add(readers, muster_nfc_reader_new(NULL));
  return TRUE;
}

const MusterReaderDriver muster_nfc_driver = {
    .kind = "nfc",
    .summary = "NFC / HF RFID tags through libnfc (PN532, PN533, ACR122U): connstring=",
    .create = nfc_create,
    .create_default = nfc_create_default,
};
