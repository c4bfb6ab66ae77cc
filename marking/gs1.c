/*
 * gs1.c: GS1 element strings split and checked by GS1's Barcode Syntax Engine.
 *
 * This file used to hold a hand-written table of the AIs met on assets; GS1's engine
 * (gs1-syntax.c) now knows every AI, and its verdict is GS1's by construction, so
 * Muster's part is only to turn the verdict into fields or an error a person can act on.
 */
#include "marking/gs1.h"
#include "core/muster-error.h"
#include "marking/gs1-syntax.h"

#include <string.h>

/* Any identifier that announces GS1 data would do: the symbology does not change which
 * element strings are valid. */
#define ELEMENT_STRING_ID "]d2"

gboolean
muster_gs1_parse_scan(const char *scan_data, gsize len, GHashTable *fields, GError **error)
{
  g_autoptr(MusterGs1Verdict) verdict = muster_gs1_syntax_check(scan_data, len);
  if (!verdict->valid) {
    const char *markup = verdict->markup;
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "GS1 data failed GS1's checks: %s%s%s%s", verdict->message,
                markup != NULL ? " (the bad part between bars: " : "",
                markup != NULL ? markup : "", markup != NULL ? ")" : "");
    return FALSE;
  }
  GHashTableIter iter;
  gpointer ai, value;
  g_hash_table_iter_init(&iter, verdict->ais);
  while (fields != NULL && g_hash_table_iter_next(&iter, &ai, &value))
    g_hash_table_replace(fields, g_strdup(ai), g_strdup(value));
  return TRUE;
}

gboolean
muster_gs1_parse(const char *data, gsize len, GHashTable *fields, GError **error)
{
  g_autoptr(GString) scan = g_string_sized_new(len + 3);
  g_string_append(scan, ELEMENT_STRING_ID);
  g_string_append_len(scan, data, (gssize)len);
  return muster_gs1_parse_scan(scan->str, scan->len, fields, error);
}
