/*
 * fuzz-gs1.c: libFuzzer target over muster_gs1_parse(), that is GS1's Barcode Syntax
 * Engine behind Muster's wrapper.
 *
 * Besides not crashing or reading past the end (the engine is C that parses bytes from
 * any scanner), every element accepted must hold what GS1 promises: an AI of 2 to 4
 * digits, data in printable ASCII without a GS (a GS inside would mean a mis-split), and
 * key AIs whose mod-10 check digit holds, checked here by a sum of our own so the
 * engine's verdict is not its own oracle.
 */
#include "marking/gs1.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

/* GS1 mod-10 over the first n digits: weights 3, 1, 3 ... from the right. */
static gboolean
check_digit_holds(const char *digits, gsize n)
{
  guint sum = 0;
  for (gsize i = 0; i + 1 < n; i++) {
    if (!g_ascii_isdigit(digits[i]))
      return FALSE;
    sum += ((n - 2 - i) % 2 == 0 ? 3 : 1) * (guint)(digits[i] - '0');
  }
  return g_ascii_isdigit(digits[n - 1]) && (10 - sum % 10) % 10 == (guint)(digits[n - 1] - '0');
}

static void
check_element(const char *ai, const char *value)
{
  gsize len = strlen(ai);
  check(len >= 2 && len <= 4);
  for (const char *p = ai; *p != '\0'; p++)
    check(g_ascii_isdigit(*p));
  gsize n = strlen(value);
  check(n >= 1 && n <= 90);
  for (const char *p = value; *p != '\0'; p++)
    check(*p > 0x20 && *p < 0x7F && *p != MUSTER_GS1_GS);
  if (strcmp(ai, "01") == 0 || strcmp(ai, "02") == 0)
    check(n == 14 && check_digit_holds(value, 14));
  if (strcmp(ai, "00") == 0)
    check(n == 18 && check_digit_holds(value, 18));
  if (strcmp(ai, "8003") == 0)
    check(n >= 14 && check_digit_holds(value, 14));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *copy = g_malloc(size > 0 ? size : 1);
  if (size > 0)
    memcpy(copy, data, size);
  GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GError *error = NULL;
  gboolean ok = muster_gs1_parse(copy, size, fields, &error);
  check(ok == (error == NULL));
  check(error == NULL || g_utf8_validate(error->message, -1, NULL));
  check(ok || g_hash_table_size(fields) == 0);
  g_clear_error(&error);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, fields);
  while (g_hash_table_iter_next(&iter, &key, &value))
    check_element(key, value);
  g_hash_table_unref(fields);
  g_free(copy);
  return 0;
}
