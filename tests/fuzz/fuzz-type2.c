/*
 * fuzz-type2.c: libFuzzer target over Type 2 tag memory (drivers/nfc/type2.c).
 *
 * Tag memory is whatever a tag (or a cloner) put there. Beyond not crashing or reading
 * past what was read, the target checks what the reader relies on: walking the TLVs the
 * way the reader reads (16 bytes at a time, only as far as the walk asks) always moves
 * forward, never finds a message outside what was read, and ends with the same message
 * as walking the whole image at once.
 */
#include "drivers/nfc/type2.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

/* As the reader does: grow the prefix as the walk asks. The message, or NULL. */
static GBytes *
walk_incrementally(const guint8 *memory, gsize size, const MusterType2Cc *cc)
{
  gsize have = MIN(size, (gsize)MUSTER_TYPE2_DATA_START);
  for (;;) {
    MusterType2NdefStatus status;
    gsize offset, length;
    if (!muster_type2_find_ndef(memory, have, cc, &status, &offset, &length, NULL))
      return NULL;
    if (status == MUSTER_TYPE2_NDEF_ABSENT)
      return NULL;
    if (status == MUSTER_TYPE2_NDEF_FOUND) {
      check(offset >= MUSTER_TYPE2_DATA_START && offset + length <= have);
      check(offset + length <= MUSTER_TYPE2_DATA_START + cc->data_size);
      return g_bytes_new(memory + offset, length);
    }
    check(length > have); /* NEED_MORE must ask for more than it had */
    if (have == size)
      return NULL; /* the image is truncated */
    gsize rounded = (length + 15) / 16 * 16;
    have = MIN(rounded, size);
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* a copy of exactly size bytes, so that reading one past the end is caught */
  guint8 *memory = g_memdup2(data, size);
  GError *error = NULL;
  GBytes *whole = muster_type2_extract_ndef(memory, size, &error);
  check(whole == NULL || error == NULL);
  if (whole != NULL)
    check(g_bytes_get_size(whole) > 0 && g_bytes_get_size(whole) + 18 <= size);
  if (error != NULL)
    check(error->message != NULL && g_utf8_validate(error->message, -1, NULL));
  g_clear_error(&error);

  MusterType2Cc cc;
  if (muster_type2_parse_cc(memory, size, &cc, NULL)) {
    GBytes *step = walk_incrementally(memory, size, &cc);
    check((whole == NULL) == (step == NULL));
    check(whole == NULL || g_bytes_equal(whole, step));
    if (step != NULL)
      g_bytes_unref(step);
  }
  if (size >= 8) {
    gboolean is_signed;
    const char *name = muster_type2_identify(memory, 8, &is_signed);
    check(name != NULL || !is_signed);
  }
  if (whole != NULL)
    g_bytes_unref(whole);
  g_free(memory);
  return 0;
}
