/*
 * scan-json.c: a scan as JSON or text (see scan-json.h).
 */
#include "scan/scan-json.h"

#include "core/json-member.h"

static char *
raw_hex(GBytes *raw)
{
  if (raw == NULL)
    return NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(raw, &len);
  GString *s = g_string_sized_new(len * 2 + 1);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf(s, "%02X", data[i]);
  return g_string_free(s, FALSE);
}

static char *
iso_time(gint64 us)
{
  g_autoptr(GDateTime) secs = g_date_time_new_from_unix_utc(us / G_USEC_PER_SEC);
  if (secs == NULL)
    return NULL;
  g_autoptr(GDateTime) t = g_date_time_add(secs, us % G_USEC_PER_SEC);
  return g_date_time_format(t, "%Y-%m-%dT%H:%M:%S.%fZ");
}

JsonNode *
muster_scan_to_json(const MusterScan *scan)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autofree char *hex = raw_hex(scan->raw);
  g_autofree char *at = iso_time(scan->read_at_us);
  json_builder_begin_object(b);
  muster_json_add_str(b, "type", muster_scan_location_label(scan) != NULL ? "location" : "scan");
  muster_json_add_str(b, "reader", scan->reader);
  muster_json_add_str(b, "reader_kind", scan->reader_kind);
  muster_json_add_str(b, "symbology", scan->symbology);
  muster_json_add_str(b, "raw_hex", hex);
  muster_json_add_str(b, "text", scan->text);
  json_builder_set_member_name(b, "marking");
  if (scan->marking_value != NULL) {
    json_builder_begin_object(b);
    muster_json_add_str(b, "kind", scan->marking_kind);
    muster_json_add_str(b, "value", scan->marking_value);
    json_builder_end_object(b);
  } else {
    json_builder_add_null_value(b);
  }
  muster_json_add_str(b, "payload_format", scan->payload_format);
  json_builder_set_member_name(b, "fields");
  if (scan->fields != NULL) {
    json_builder_begin_object(b);
    g_autoptr(GList) keys = g_list_sort(g_hash_table_get_keys(scan->fields), (GCompareFunc)g_strcmp0);
    for (GList *k = keys; k != NULL; k = k->next)
      muster_json_add_str(b, k->data, g_hash_table_lookup(scan->fields, k->data));
    json_builder_end_object(b);
  } else {
    json_builder_add_null_value(b);
  }
  muster_json_add_str(b, "authenticity", muster_authenticity_to_string(scan->authenticity));
  muster_json_add_str(b, "read_at", at);
  muster_json_add_str(b, "location", scan->location_path);
  muster_json_add_str(b, "problem", scan->problem);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

char *
muster_scan_visible_text(const char *text)
{
  if (text == NULL)
    return NULL;
  GString *s = g_string_new(NULL);
  for (const char *p = text; *p != '\0'; p++) {
    switch (*p) {
    case 0x1d:
      g_string_append(s, "<GS>");
      break;
    case 0x1e:
      g_string_append(s, "<RS>");
      break;
    case 0x04:
      g_string_append(s, "<EOT>");
      break;
    default:
      if ((guchar)*p < 0x20)
        g_string_append_printf(s, "<%02X>", (guchar)*p);
      else
        g_string_append_c(s, *p);
    }
  }
  return g_string_free(s, FALSE);
}

char *
muster_scan_describe(const MusterScan *scan)
{
  const char *location = muster_scan_location_label(scan);
  if (location != NULL)
    return g_strdup_printf("%s  moved to %s", scan->reader ? scan->reader : "?",
                           *location ? location : "(count scope)");
  g_autofree char *text = muster_scan_visible_text(scan->text);
  GString *s = g_string_new(scan->reader ? scan->reader : "?");
  if (scan->symbology != NULL)
    g_string_append_printf(s, "  %s", scan->symbology);
  if (scan->marking_value != NULL)
    g_string_append_printf(s, "  %s %s", scan->marking_kind ? scan->marking_kind : "marking",
                           scan->marking_value);
  else
    g_string_append_printf(s, "  unreadable: %s", scan->problem ? scan->problem : "no marking");
  if (text != NULL && g_strcmp0(scan->text, scan->marking_value) != 0)
    g_string_append_printf(s, "  text %s", text);
  if (scan->authenticity != MUSTER_AUTH_UNKNOWN)
    g_string_append_printf(s, "  %s", muster_authenticity_to_string(scan->authenticity));
  return g_string_free(s, FALSE);
}
