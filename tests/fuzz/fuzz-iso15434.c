/*
 * fuzz-iso15434.c: libFuzzer target over muster_iso15434_parse().
 *
 * A Data Matrix or a wedge scanner can deliver any bytes after "[)>" RS. The parser must
 * not crash or read past the end, and what it hands on must be usable as is: every field
 * a non-empty qualifier and non-empty printable UTF-8 data, every problem valid UTF-8.
 */
#include "marking/iso15434.h"

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
check_field(const char *key, const char *value)
{
  check(key != NULL && *key != '\0' && strlen(key) <= 4);
  check(value != NULL && *value != '\0' && g_utf8_validate(value, -1, NULL));
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char(p))
    check(!g_unichar_iscntrl(g_utf8_get_char(p)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* every input gets the header, so the fuzzer spends its time past it */
  char *msg = g_malloc(size + 4);
  memcpy(msg, "[)>\x1e", 4);
  if (size > 0)
    memcpy(msg + 4, data, size);
  GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
  check(muster_iso15434_parse(msg, size + 4, fields, problems, NULL));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, fields);
  while (g_hash_table_iter_next(&iter, &key, &value))
    check_field(key, value);
  for (guint i = 0; i < problems->len; i++)
    check(g_utf8_validate(problems->pdata[i], -1, NULL));
  check(problems->len <= size + 2);
  g_ptr_array_unref(problems);
  g_hash_table_unref(fields);

  /* and the raw input, header or not */
  GHashTable *f2 = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *p2 = g_ptr_array_new_with_free_func(g_free);
  GError *error = NULL;
  gboolean ok = muster_iso15434_parse(msg + 4, size, f2, p2, &error);
  check(ok == (error == NULL));
  check(ok == muster_iso15434_is_message(msg + 4, size));
  g_clear_error(&error);
  g_ptr_array_unref(p2);
  g_hash_table_unref(f2);
  g_free(msg);
  return 0;
}
