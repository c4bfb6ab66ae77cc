/*
 * fuzz-ndef.c: libFuzzer target over the NDEF message parser and the Text/URI decoders.
 *
 * Tag memory is attacker-controlled (a forged or half-written tag). Every record the
 * parser returns must lie within the message, and every decoded text, language and URI
 * must be valid UTF-8; a record that does not decode must say why.
 */
#include "marking/ndef.h"

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
check_record(const MusterNdefRecord *r, size_t size)
{
  check(g_bytes_get_size(r->type) + g_bytes_get_size(r->id) + g_bytes_get_size(r->payload) <= size);
  check((guint)r->tnf <= MUSTER_NDEF_TNF_RESERVED && r->tnf != MUSTER_NDEF_TNF_UNCHANGED);
  GError *error = NULL;
  char *lang = NULL;
  char *text = muster_ndef_text_decode(r, &lang, &error);
  check((text != NULL) == (error == NULL));
  check(text == NULL ||
        (g_utf8_validate(text, -1, NULL) && lang != NULL && g_utf8_validate(lang, -1, NULL)));
  g_clear_error(&error);
  char *uri = muster_ndef_uri_decode(r, &error);
  check((uri != NULL) == (error == NULL));
  check(uri == NULL || g_utf8_validate(uri, -1, NULL));
  g_clear_error(&error);
  g_free(text);
  g_free(lang);
  g_free(uri);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  guint8 *copy = g_malloc(size > 0 ? size : 1);
  if (size > 0)
    memcpy(copy, data, size);
  GError *error = NULL;
  GPtrArray *records = muster_ndef_parse(copy, size, &error);
  check((records != NULL) == (error == NULL));
  if (records != NULL) {
    check(records->len >= 1 && records->len <= size / 3);
    for (guint i = 0; i < records->len; i++)
      check_record(records->pdata[i], size);
    g_ptr_array_unref(records);
  }
  g_clear_error(&error);
  g_free(copy);
  return 0;
}
