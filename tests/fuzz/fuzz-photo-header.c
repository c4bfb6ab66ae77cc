/*
 * fuzz-photo-header.c: libFuzzer target over muster_photo_inspect(), the check every
 * photo of an unmarked item passes before it is stored (db/unmarked-photos.c).
 *
 * The input is the photo's bytes. Either it is refused with MUSTER_ERROR_INVALID, or it
 * starts with the PNG or JPEG magic its media type names, a PNG's size is its IHDR's,
 * and the digest is GLib's SHA-256 of exactly those bytes. The JPEG segment walk must
 * never read past the end (AddressSanitizer).
 */
#include "db/unmarked-photos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

static guint32
be32(const uint8_t *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* A copy of its own, so that a read past the end is caught. */
  g_autoptr(GBytes) bytes = g_bytes_new(data, size);
  MusterPhotoFacts facts;
  g_autoptr(GError) error = NULL;
  if (!muster_photo_inspect(bytes, NULL, &facts, &error)) {
    check(g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_INVALID));
    return 0;
  }
  check(facts.size == size && size > 0);
  if (g_strcmp0(facts.media_type, "image/png") == 0) {
    check(size >= 24 && data[0] == 0x89 && memcmp(data + 1, "PNG", 3) == 0);
    check(facts.width == be32(data + 16) && facts.height == be32(data + 20));
    check(facts.width > 0 && facts.height > 0);
  } else {
    check(g_strcmp0(facts.media_type, "image/jpeg") == 0);
    check(size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff);
    check((facts.width == 0) == (facts.height == 0));
  }
  g_autofree char *want = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
  check(strcmp(want, facts.sha256) == 0);
  return 0;
}
