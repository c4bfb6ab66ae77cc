/*
 * fuzz-gs1.c: libFuzzer target over muster_gs1_parse().
 *
 * Besides not crashing or reading past the end, every element the parser accepts must
 * obey the AI table: a known AI, data in the GS1 character set (so never a GS, which
 * would mean a mis-split), and key AIs with a valid check digit.
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

static void
check_element(const char *ai, const char *value)
{
  check(muster_gs1_ai_title(ai) != NULL);
  gsize n = strlen(value);
  check(n >= 1 && n <= 90);
  for (const char *p = value; *p != '\0'; p++)
    check(*p > 0x20 && *p < 0x7F && *p != MUSTER_GS1_GS);
  if (strcmp(ai, "01") == 0 || strcmp(ai, "02") == 0)
    check(n == 14 && muster_gs1_check_digit_valid(value, 14));
  if (strcmp(ai, "8003") == 0)
    check(n >= 14 && muster_gs1_check_digit_valid(value, 14));
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
