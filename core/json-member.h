/*
 * json-member.h: members of JSON: read without trusting their types, written without
 * repeating the null case.
 *
 * json-glib's getters assert (a g_critical) when a member holds an object or an array
 * where a value was expected. A document from the registry, a sync file or a tag must
 * never be able to trip that, so everything that reads such documents goes through
 * these: a member of the wrong type reads as absent.
 *
 * Writing, a string member that may be absent is JSON null, never an empty string: the
 * registry and scripts tell "not recorded" from "recorded empty".
 */
#pragma once
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The member's string, or fallback when it is missing or not a string. o may be NULL. */
const char *muster_json_str(JsonObject *o, const char *name, const char *fallback);
/* TRUE with *out set when the member is an integer. */
gboolean muster_json_int(JsonObject *o, const char *name, gint64 *out);
/* The member's integer, or fallback. */
gint64 muster_json_int_or(JsonObject *o, const char *name, gint64 fallback);
/* The member's boolean, or fallback. */
gboolean muster_json_bool_or(JsonObject *o, const char *name, gboolean fallback);

/* Sets member name of the object b is building to value, or to null when value is NULL. */
void muster_json_add_str(JsonBuilder *b, const char *name, const char *value);

/* Appends s to out as a JSON string: '"' and '\\' escaped, control characters as
 * \\u00XX, everything else (UTF-8 included) as it is. */
void muster_json_append_string(GString *out, const char *s);

G_END_DECLS
