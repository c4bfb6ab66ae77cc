/*
 * fuzz-payload.c: libFuzzer target over muster_payload_parse_barcode() and
 * muster_payload_parse_ndef(), the entry points every reader driver calls.
 *
 * Beyond not crashing or reading past the given length, it checks payload.h's promises:
 * never NULL; a value or a problem; every string valid UTF-8; the value already in
 * normal form for its kind (normalising it again changes nothing); text bounded. GS1
 * data that GS1's engine refused never gives a marking or fields.
 */
#include "marking/payload.h"

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
check_utf8(const char *s)
{
  check(s == NULL || g_utf8_validate(s, -1, NULL));
}

static void
check_payload(const MusterPayload *p)
{
  check(p != NULL && p->text != NULL);
  check(strlen(p->text) <= 8 * 1024 + 3);
  check(p->value != NULL || p->problem != NULL);
  check_utf8(p->text);
  check_utf8(p->value);
  check_utf8(p->problem);
  /* (in a 15434 envelope a refused format 05 may sit beside a format 06 UII) */
  if (p->format == MUSTER_PAYLOAD_GS1 && p->problem != NULL &&
      strstr(p->problem, "failed GS1's checks") != NULL)
    check(p->value == NULL && p->fields == NULL);
  if (p->value != NULL) {
    g_autofree char *again = muster_marking_normalise(p->kind, p->value, NULL);
    check(again != NULL && strcmp(again, p->value) == 0);
  }
  if (p->fields != NULL) {
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, p->fields);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
      check_utf8(key);
      check_utf8(value);
    }
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const symbologies[] = {NULL, "code128", "datamatrix", "gs1-128"};
  /* a copy of exactly size bytes, so that reading one past the end is caught */
  guint8 *copy = g_malloc(size > 0 ? size : 1);
  if (size > 0)
    memcpy(copy, data, size);
  const char *symbology = size > 0 ? symbologies[data[0] % G_N_ELEMENTS(symbologies)] : NULL;
  MusterPayload *barcode = muster_payload_parse_barcode(copy, size, symbology);
  check_payload(barcode);
  muster_payload_free(barcode);
  MusterPayload *ndef = muster_payload_parse_ndef(copy, size);
  check_payload(ndef);
  check(ndef->format == MUSTER_PAYLOAD_NDEF);
  muster_payload_free(ndef);
  g_free(copy);
  return 0;
}
