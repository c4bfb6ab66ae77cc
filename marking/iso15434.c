/*
 * iso15434.c: splits an ISO/IEC 15434 message into its formats and data elements.
 *
 * Marks in the field are often slightly off the syntax (no trailing RS, no EOT, a format
 * code the appliance has no use for), and a keyboard-wedge scanner may drop the EOT. The
 * parser therefore reads what it can and records each deviation as a problem rather than
 * refusing the mark: the UII rules decide afterwards whether enough was read. Element
 * data must be printable UTF-8, since it is shown to people and written as JSON.
 */
#include "marking/iso15434.h"
#include "core/muster-error.h"
#include "marking/gs1.h"

#include <string.h>

#define HEADER "[)>\x1e"
#define HEADER_LEN 4

gboolean
muster_iso15434_is_message(const char *data, gsize len)
{
  return data != NULL && len >= HEADER_LEN && memcmp(data, HEADER, HEADER_LEN) == 0;
}

static void G_GNUC_PRINTF(2, 3) add_problem(GPtrArray *problems, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(problems, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

/* Printable UTF-8 without control characters. */
static gboolean
printable(const char *s, gsize n)
{
  if (!g_utf8_validate_len(s, n, NULL))
    return FALSE;
  for (const char *p = s; p < s + n; p = g_utf8_next_char(p))
    if (g_unichar_iscntrl(g_utf8_get_char(p)))
      return FALSE;
  return TRUE;
}

/* Length of the qualifier at the start of an element: a data identifier is up to three
 * digits and one capital letter (25S, 1P, S); a text element identifier three capital
 * letters (MFR, SER). 0 when there is none. */
static gsize
qualifier_length(const char *s, gsize n, gboolean text_elements)
{
  gsize i = 0;
  if (text_elements) {
    while (i < n && i < 3 && g_ascii_isupper(s[i]))
      i++;
    return i == 3 ? 3 : 0;
  }
  while (i < n && i < 3 && g_ascii_isdigit(s[i]))
    i++;
  return i < n && g_ascii_isupper(s[i]) ? i + 1 : 0;
}

static void
store_element(GHashTable *fields, GPtrArray *problems, const char *format, char *qualifier,
              char *value)
{
  const char *old = g_hash_table_lookup(fields, qualifier);
  if (old != NULL && strcmp(old, value) != 0) {
    add_problem(problems,
                "Format %s repeats %s with other data ('%s', was '%s'); the first "
                "is kept",
                format, qualifier, value, old);
    g_free(qualifier);
    g_free(value);
    return;
  }
  g_hash_table_replace(fields, qualifier, value);
}

/* One GS-separated element of format 06 or 12/DD. */
static void
parse_element(const char *s, gsize n, const char *format, gboolean text_elements,
              GHashTable *fields, GPtrArray *problems)
{
  if (n == 0)
    return; /* doubled GS: nothing lost */
  gsize q = qualifier_length(s, n, text_elements);
  if (q == 0 || !printable(s, n)) {
    g_autofree char *shown = g_utf8_make_valid(s, (gssize)MIN(n, 16));
    g_autofree char *escaped = g_strescape(shown, NULL);
    add_problem(problems,
                "Format %s has an element without a %s, or with unprintable data "
                "('%s'); it was ignored",
                format, text_elements ? "text element identifier" : "data identifier", escaped);
    return;
  }
  gsize start = q;
  if (text_elements && start < n && s[start] == ' ') /* "MFR 0CVA5" as well as "MFR0CVA5" */
    start++;
  if (start == n) {
    add_problem(problems, "Format %s has %.*s without data; it was ignored", format, (int)q, s);
    return;
  }
  store_element(fields, problems, format, g_strndup(s, q), g_strndup(s + start, n - start));
}

static void
parse_elements(const char *body, gsize n, const char *format, gboolean text_elements,
               GHashTable *fields, GPtrArray *problems)
{
  gsize start = 0;
  for (gsize i = 0; i <= n; i++) {
    if (i == n || body[i] == MUSTER_ISO15434_GS) {
      parse_element(body + start, i - start, format, text_elements, fields, problems);
      start = i + 1;
    }
  }
}

static void
parse_gs1(const char *body, gsize n, GHashTable *fields, GPtrArray *problems)
{
  g_autoptr(GError) error = NULL;
  if (!muster_gs1_parse(body, n, fields, &error))
    add_problem(problems, "Format 05: %s", error->message);
}

/* One format's body (after its "NN" GS header, up to its RS). */
static void
parse_format(const char *format, const char *body, gsize n, GHashTable *fields, GPtrArray *problems)
{
  if (strcmp(format, "05") == 0)
    parse_gs1(body, n, fields, problems);
  else if (strcmp(format, "06") == 0)
    parse_elements(body, n, format, FALSE, fields, problems);
  else if (strcmp(format, "12") == 0 || strcmp(format, "DD") == 0)
    parse_elements(body, n, format, TRUE, fields, problems);
}

static gboolean
known_format(const char *format)
{
  return strcmp(format, "05") == 0 || strcmp(format, "06") == 0 || strcmp(format, "12") == 0 ||
         strcmp(format, "DD") == 0;
}

/* Reads the format at *pos; moves *pos past its RS. FALSE when no more can be read. */
static gboolean
next_format(const char *data, gsize len, gsize *pos, GHashTable *fields, GPtrArray *problems)
{
  gsize p = *pos;
  if (len - p < 2 || !g_ascii_isalnum(data[p]) || !g_ascii_isalnum(data[p + 1])) {
    add_problem(problems,
                "The ISO/IEC 15434 message has no format code at offset %" G_GSIZE_FORMAT
                "; the rest was ignored",
                p);
    return FALSE;
  }
  char format[3] = {data[p], data[p + 1], '\0'};
  if (strcmp(format, "09") == 0) { /* binary data may hold RS: nothing after it is safe */
    add_problem(problems, "Format 09 (binary data) is not read; the rest was ignored");
    return FALSE;
  }
  p += 2;
  gsize end = p;
  while (end < len && data[end] != MUSTER_ISO15434_RS && data[end] != MUSTER_ISO15434_EOT)
    end++;
  if (!known_format(format))
    add_problem(problems, "Format %s is not one Muster reads (05, 06, 12, DD); it was ignored",
                format);
  else if (p == end || data[p] != MUSTER_ISO15434_GS)
    add_problem(problems, "Format %s has no GS after its code; its data was ignored", format);
  else
    parse_format(format, data + p + 1, end - p - 1, fields, problems);
  if (end == len || data[end] != MUSTER_ISO15434_RS)
    add_problem(problems, "Format %s is not closed by RS (the mark or the scanner dropped it)",
                format);
  *pos = end < len && data[end] == MUSTER_ISO15434_RS ? end + 1 : end;
  return TRUE;
}

gboolean
muster_iso15434_parse(const char *data, gsize len, GHashTable *fields, GPtrArray *problems,
                      GError **error)
{
  if (!muster_iso15434_is_message(data, len)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The data does not start with the ISO/IEC 15434 header \"[)>\" RS");
    return FALSE;
  }
  gsize pos = HEADER_LEN;
  while (pos < len && data[pos] != MUSTER_ISO15434_EOT)
    if (!next_format(data, len, &pos, fields, problems))
      return TRUE;
  if (pos == len)
    add_problem(problems, "The ISO/IEC 15434 message does not end with EOT (the mark or the "
                          "scanner dropped it)");
  else if (pos + 1 < len)
    add_problem(problems, "%" G_GSIZE_FORMAT " bytes after the EOT were ignored", len - pos - 1);
  return TRUE;
}
