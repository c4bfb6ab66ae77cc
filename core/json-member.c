/*
 * json-member.c: type-checked JSON members, and string-or-null ones (see json-member.h).
 */
#include "core/json-member.h"

static JsonNode *
value_of(JsonObject *o, const char *name, GType type)
{
  JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;
  if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE || json_node_get_value_type(n) != type)
    return NULL;
  return n;
}

const char *
muster_json_str(JsonObject *o, const char *name, const char *fallback)
{
  JsonNode *n = value_of(o, name, G_TYPE_STRING);
  return n != NULL ? json_node_get_string(n) : fallback;
}

gboolean
muster_json_int(JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = value_of(o, name, G_TYPE_INT64);
  if (n == NULL)
    return FALSE;
  *out = json_node_get_int(n);
  return TRUE;
}

gint64
muster_json_int_or(JsonObject *o, const char *name, gint64 fallback)
{
  gint64 v = fallback;
  return muster_json_int(o, name, &v) ? v : fallback;
}

gboolean
muster_json_bool_or(JsonObject *o, const char *name, gboolean fallback)
{
  JsonNode *n = value_of(o, name, G_TYPE_BOOLEAN);
  return n != NULL ? json_node_get_boolean(n) : fallback;
}

void
muster_json_add_str(JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name(b, name);
  if (value != NULL)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

void
muster_json_append_string(GString *out, const char *s)
{
  g_string_append_c(out, '"');
  for (const guchar *p = (const guchar *)s; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\') {
      g_string_append_c(out, '\\');
      g_string_append_c(out, (char)*p);
    } else if (*p < 0x20) {
      g_string_append_printf(out, "\\u%04x", *p);
    } else {
      g_string_append_c(out, (char)*p);
    }
  }
  g_string_append_c(out, '"');
}
