/*
 * fuzz-uii.c: libFuzzer target over muster_uii_from_fields().
 *
 * The input is a list of data elements separated by GS: the first byte of each picks a
 * qualifier (from those the UII rules use, and a few they do not), the rest is its data.
 * The UII must come out as the concatenation of some of the data with at most a
 * two-letter agency code in front, or not at all with an error.
 */
#include "marking/uii.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const qualifiers[] = {
    "25S", "UID",  "18S",  "17V", "12V", "3V",  "7L",  "18V", "1P",  "1T",  "S",
    "MFR", "CAG",  "SPL",  "DUN", "PNO", "LOT", "SEQ", "SER", "I",   "22S", "VIN",
    "ESN", "8004", "8003", "01",  "21",  "30T", "10",  "240", "EUC", "LTN",
};

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  gsize total = 0;
  for (size_t start = 0; start < size;) {
    const uint8_t *gs = memchr(data + start, 0x1D, size - start);
    size_t end = gs != NULL ? (size_t)(gs - data) : size;
    if (end > start) {
      const char *q = qualifiers[data[start] % G_N_ELEMENTS(qualifiers)];
      char *value = g_utf8_make_valid((const char *)data + start + 1, (gssize)(end - start - 1));
      total += strlen(value);
      g_hash_table_replace(fields, g_strdup(q), value);
    }
    start = end + 1;
  }
  GError *error = NULL;
  const char *rule = NULL;
  char *uii = muster_uii_from_fields(fields, &rule, &error);
  check((uii != NULL) == (error == NULL));
  if (uii != NULL) {
    check(rule != NULL);
    check(strlen(uii) <= total + 2);
    check(g_utf8_validate(uii, -1, NULL));
  } else {
    check(g_utf8_validate(error->message, -1, NULL));
  }
  g_clear_error(&error);
  g_free(uii);
  g_hash_table_unref(fields);
  return 0;
}
