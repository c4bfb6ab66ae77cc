/*
 * json.c: the JSON the item engine writes to the audit log and the outbox.
 *
 * Changes to one item build their payloads with JsonBuilder (few, small, clear). The
 * item.created payload is written by hand instead: an import makes one per item, and
 * json-glib's object tree cost more than all the item's SQL. The text is UTF-8 already
 * (check.c saw to it), so only quotes, backslashes and control characters need
 * escaping.
 */
#include "db/items/items-private.h"

JsonNode *
item_json_finish(JsonBuilder *b)
{
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

char *
item_json_finish_string(JsonBuilder *b)
{
  g_autoptr(JsonNode) root = item_json_finish(b);
  return json_to_string(root, FALSE);
}

static void
json_append_string(GString *out, const char *s)
{
  if (s == NULL) {
    g_string_append(out, "null");
    return;
  }
  g_string_append_c(out, '"');
  for (const guchar *p = (const guchar *)s; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\') {
      g_string_append_c(out, '\\');
      g_string_append_c(out, (char)*p);
    } else if (*p == '\n') {
      g_string_append(out, "\\n");
    } else if (*p < 0x20) {
      g_string_append_printf(out, "\\u%04x", *p);
    } else {
      g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}

static void
json_append_member(GString *out, const char *name, const char *value)
{
  if (out->len > 1)
    g_string_append_c(out, ',');
  g_string_append_c(out, '"');
  g_string_append(out, name);
  g_string_append(out, "\":");
  json_append_string(out, value);
}

static void
json_append_year(GString *out, const char *name, int year)
{
  if (year != 0)
    g_string_append_printf(out, ",\"%s\":%d", name, year);
  else
    g_string_append_printf(out, ",\"%s\":null", name);
}

static void
json_append_markings(GString *out, GPtrArray *markings)
{
  g_string_append(out, ",\"markings\":[");
  for (guint i = 0; markings != NULL && i < markings->len; i++) {
    const MusterMarking *m = g_ptr_array_index(markings, i);
    g_string_append(out, i > 0 ? ",{\"kind\":" : "{\"kind\":");
    json_append_string(out, m->kind);
    g_string_append(out, ",\"component\":");
    json_append_string(out, m->component);
    g_string_append(out, ",\"value\":");
    json_append_string(out, m->value);
    g_string_append_c(out, '}');
  }
  g_string_append_c(out, ']');
}

char *
item_created_payload(const MusterItem *item)
{
  GString *out = g_string_sized_new(512);
  g_string_append_c(out, '{');
  json_append_member(out, "uuid", item->uuid);
  json_append_member(out, "manufacturer", item->manufacturer);
  json_append_member(out, "country_of_manufacture", item->country);
  json_append_member(out, "serial", item->serial);
  json_append_member(out, "model", item->model);
  json_append_member(out, "category", item->category);
  json_append_member(out, "calibre", item->calibre);
  json_append_year(out, "year", item->year);
  json_append_member(out, "import_country", item->import_country);
  json_append_year(out, "import_year", item->import_year);
  json_append_member(out, "state_marking", item->state_marking);
  json_append_member(out, "frame_material", item->frame_material);
  json_append_member(out, "status", muster_status_to_string(item->status));
  json_append_member(out, "location", item->location_path);
  json_append_member(out, "custodian", item->custodian);
  json_append_member(out, "created_at", item->created_at);
  json_append_markings(out, item->markings);
  g_string_append_c(out, '}');
  return g_string_free(out, FALSE);
}
