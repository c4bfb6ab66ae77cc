/*
 * bench/gs1-cases.c: reading GS1 scan case files and judging a case (see gs1-cases.h).
 */
#include "gs1-cases.h"
#include "core/muster-error.h"
#include "marking/payload.h"

#include <string.h>

static void
case_free(gpointer data)
{
  Gs1Case *c = data;
  g_byte_array_unref(c->scan);
  g_free(c->why);
  g_free(c);
}

/* \xHH and \\ to bytes; FALSE on any other escape or a short \x. */
static gboolean
unescape(const char *s, GByteArray *out)
{
  for (const char *p = s; *p != '\0'; p++) {
    guint8 byte = (guint8)*p;
    if (*p == '\\' && p[1] == '\\') {
      p++;
    } else if (*p == '\\' && p[1] == 'x' && g_ascii_isxdigit(p[2]) && g_ascii_isxdigit(p[3])) {
      byte = (guint8)(g_ascii_xdigit_value(p[2]) * 16 + g_ascii_xdigit_value(p[3]));
      p += 3;
    } else if (*p == '\\') {
      return FALSE;
    }
    g_byte_array_append(out, &byte, 1);
  }
  return TRUE;
}

static Gs1Case *
parse_line(const char *line, guint n, const char *path, GError **error)
{
  g_auto(GStrv) cols = g_strsplit(line, "\t", 3);
  Gs1Case *c = g_new0(Gs1Case, 1);
  c->scan = g_byte_array_new();
  c->line = n;
  gboolean ok = g_strv_length(cols) == 3 && unescape(cols[0], c->scan) &&
                (strcmp(cols[1], "valid") == 0 || strcmp(cols[1], "invalid") == 0);
  if (!ok) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "%s line %u is not scan<TAB>valid|invalid<TAB>why (escapes: \\xHH, \\\\)",
                path, n);
    case_free(c);
    return NULL;
  }
  c->valid = strcmp(cols[1], "valid") == 0;
  c->why = g_strdup(cols[2]);
  return c;
}

GPtrArray *
gs1_cases_load(const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, error)) {
    g_prefix_error(error, "GS1 cases: ");
    return NULL;
  }
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(case_free);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    gsize len = strlen(lines[i]);
    if (len > 0 && lines[i][len - 1] == '\r') /* CRLF */
      lines[i][len - 1] = '\0';
    if (lines[i][0] == '\0' || lines[i][0] == '#')
      continue;
    Gs1Case *c = parse_line(lines[i], i + 1, path, error);
    if (c == NULL)
      return NULL;
    g_ptr_array_add(cases, c);
  }
  return g_steal_pointer(&cases);
}

gboolean
gs1_case_muster_valid(const GByteArray *scan)
{
  g_autoptr(MusterPayload) p = muster_payload_parse_barcode(scan->data, scan->len, NULL);
  return p->value != NULL || (p->format == MUSTER_PAYLOAD_GS1 && p->fields != NULL);
}
