/*
 * scanner-table.c: loads scanners.conf (see scanner-table.h).
 *
 * Files are merged in order, later groups replacing earlier ones with the same VID:PID,
 * so the site file can change what the built-in table says about a scanner.
 */
#include "drivers/usbhid/scanner-table.h"
#include "core/closed-list.h"
#include "core/muster-error.h"

#include <gio/gio.h>
#include <string.h>

#define BUILTIN_RESOURCE "/org/muster/usbhid/scanners.conf"

/* The built-in scanners.conf, compiled in by drivers/usbhid/CMakeLists.txt. */
void muster_usbhid_register_resource(void);

struct _MusterScannerTable {
  GHashTable *entries; /* (vid << 16 | pid) → MusterScannerEntry* */
  gboolean generic_boot_keyboards;
  MusterScanSuffix generic_suffix;
};

/* The protocols by name, as scanners.conf writes them. */
static const char *const protocol_names[] = {
    [MUSTER_SCANNER_PROTOCOL_KEYBOARD] = "keyboard",
    [MUSTER_SCANNER_PROTOCOL_HIDPOS] = "hidpos",
};
static const MusterClosedList protocol_list = MUSTER_CLOSED_LIST(protocol_names);

const char *
muster_scanner_protocol_to_string(MusterScannerProtocol protocol)
{
  return muster_closed_list_name(&protocol_list, protocol);
}

static void
entry_free(gpointer data)
{
  MusterScannerEntry *entry = data;
  g_free(entry->name);
  g_free(entry);
}

static MusterScannerTable *
table_new(void)
{
  MusterScannerTable *table = g_new0(MusterScannerTable, 1);
  table->entries = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, entry_free);
  table->generic_boot_keyboards = TRUE;
  table->generic_suffix = MUSTER_SCAN_SUFFIX_ENTER;
  return table;
}

void
muster_scanner_table_free(MusterScannerTable *table)
{
  if (table == NULL)
    return;
  g_hash_table_unref(table->entries);
  g_free(table);
}

gboolean
muster_usb_ids_parse(const char *text, guint16 *vendor_id, guint16 *product_id)
{
  if (text == NULL || strlen(text) != 9 || text[4] != ':')
    return FALSE;
  for (int i = 0; i < 9; i++)
    if (i != 4 && !g_ascii_isxdigit(text[i]))
      return FALSE;
  *vendor_id = (guint16)g_ascii_strtoull(text, NULL, 16);
  *product_id = (guint16)g_ascii_strtoull(text + 5, NULL, 16);
  return TRUE;
}

static gboolean
read_suffix(GKeyFile *file, const char *group, MusterScanSuffix *suffix, GError **error)
{
  g_autofree char *value = g_key_file_get_string(file, group, "suffix", NULL);
  if (value == NULL)
    return TRUE; /* keep the default */
  if (!muster_scan_suffix_from_string(value, suffix)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "[%s] suffix=%s: use enter or tab",
                group, value);
    return FALSE;
  }
  return TRUE;
}

static gboolean
read_generic(MusterScannerTable *table, GKeyFile *file, GError **error)
{
  if (!g_key_file_has_group(file, "generic"))
    return TRUE;
  g_autoptr(GError) local = NULL;
  gboolean boot = g_key_file_get_boolean(file, "generic", "boot-keyboards", &local);
  if (local == NULL)
    table->generic_boot_keyboards = boot;
  else if (!g_error_matches(local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "[generic] boot-keyboards: %s (use true or false)", local->message);
    return FALSE;
  }
  return read_suffix(file, "generic", &table->generic_suffix, error);
}

static gboolean
read_entry(MusterScannerTable *table, GKeyFile *file, const char *group, GError **error)
{
  guint16 vid, pid;
  if (!muster_usb_ids_parse(group, &vid, &pid)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "[%s]: a scanner group is named VVVV:PPPP (hexadecimal ids as lsusb prints them)",
                group);
    return FALSE;
  }
  g_autofree char *protocol = g_key_file_get_string(file, group, "protocol", NULL);
  MusterScannerEntry *entry = g_new0(MusterScannerEntry, 1);
  entry->vendor_id = vid;
  entry->product_id = pid;
  entry->suffix = table->generic_suffix;
  int known = muster_closed_list_find(&protocol_list, protocol);
  if (known >= 0)
    entry->protocol = (MusterScannerProtocol)known;
  else {
    g_autofree char *all = muster_closed_list_join(&protocol_list, " or ");
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "[%s] protocol=%s: use %s", group,
                protocol != NULL ? protocol : "(missing)", all);
    entry_free(entry);
    return FALSE;
  }
  if (!read_suffix(file, group, &entry->suffix, error)) {
    entry_free(entry);
    return FALSE;
  }
  entry->name = g_key_file_get_string(file, group, "name", NULL);
  if (entry->name == NULL)
    entry->name = g_strdup_printf("USB scanner %04x:%04x", vid, pid);
  g_hash_table_replace(table->entries, GUINT_TO_POINTER((guint)vid << 16 | pid), entry);
  return TRUE;
}

static gboolean
merge_data(MusterScannerTable *table, const char *data, gsize len, const char *where,
           GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new();
  if (!g_key_file_load_from_data(file, data, len, G_KEY_FILE_NONE, error)) {
    g_prefix_error(error, "Scanner table %s: ", where);
    return FALSE;
  }
  if (!read_generic(table, file, error)) {
    g_prefix_error(error, "Scanner table %s: ", where);
    return FALSE;
  }
  g_auto(GStrv) groups = g_key_file_get_groups(file, NULL);
  for (char **group = groups; *group != NULL; group++) {
    if (g_strcmp0(*group, "generic") != 0 && !read_entry(table, file, *group, error)) {
      g_prefix_error(error, "Scanner table %s: ", where);
      return FALSE;
    }
  }
  return TRUE;
}

MusterScannerTable *
muster_scanner_table_new_from_data(const char *data, gsize len, const char *where, GError **error)
{
  g_autoptr(MusterScannerTable) table = table_new();
  if (!merge_data(table, data, len, where, error))
    return NULL;
  return g_steal_pointer(&table);
}

MusterScannerTable *
muster_scanner_table_load(const char *const *extra_files, GError **error)
{
  g_autoptr(MusterScannerTable) table = table_new();
  static gsize registered = 0;
  if (g_once_init_enter(&registered)) {
    muster_usbhid_register_resource();
    g_once_init_leave(&registered, 1);
  }
  g_autoptr(GBytes) builtin =
      g_resources_lookup_data(BUILTIN_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (builtin == NULL)
    return NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data(builtin, &len);
  if (!merge_data(table, data, len, "(built in)", error))
    return NULL;
  for (gsize i = 0; extra_files != NULL && extra_files[i] != NULL; i++) {
    g_autofree char *text = NULL;
    gsize text_len = 0;
    g_autoptr(GError) local = NULL;
    if (!g_file_get_contents(extra_files[i], &text, &text_len, &local)) {
      if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        continue;
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Scanner table %s: %s", extra_files[i],
                  local->message);
      return NULL;
    }
    if (!merge_data(table, text, text_len, extra_files[i], error))
      return NULL;
  }
  return g_steal_pointer(&table);
}

const MusterScannerEntry *
muster_scanner_table_lookup(const MusterScannerTable *table, guint16 vendor_id, guint16 product_id)
{
  return g_hash_table_lookup(table->entries, GUINT_TO_POINTER((guint)vendor_id << 16 | product_id));
}

gboolean
muster_scanner_table_generic_boot_keyboards(const MusterScannerTable *table)
{
  return table->generic_boot_keyboards;
}

MusterScanSuffix
muster_scanner_table_generic_suffix(const MusterScannerTable *table)
{
  return table->generic_suffix;
}
