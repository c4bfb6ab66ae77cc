/*
 * type2.c: NFC Forum Type 2 Tag memory (see type2.h).
 *
 * Follows the NFC Forum Type 2 Tag specification: capability container in page 3, data
 * area from page 4 holding TLV blocks (NULL, Lock Control, Memory Control, NDEF Message,
 * Proprietary, Terminator), lengths of one byte or 0xFF plus two bytes big-endian.
 * Reserved areas named by a Memory Control TLV are not skipped inside the NDEF message:
 * the tags this appliance meets (NTAG21x, Ultralight) have none inside their data area.
 */
#include "drivers/nfc/type2.h"
#include "core/muster-error.h"

#define TLV_NULL 0x00
#define TLV_LOCK_CONTROL 0x01
#define TLV_MEMORY_CONTROL 0x02
#define TLV_NDEF 0x03
#define TLV_PROPRIETARY 0xFD
#define TLV_TERMINATOR 0xFE

gboolean
muster_type2_parse_cc(const guint8 *memory, gsize len, MusterType2Cc *cc, GError **error)
{
  if (len < MUSTER_TYPE2_DATA_START) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Type 2 tag: capability container not read (%zu bytes of 16)", len);
    return FALSE;
  }
  const guint8 *c = memory + 12;
  if (c[0] != 0xE1) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Type 2 tag: not NDEF formatted (capability container %02X %02X %02X %02X)", c[0],
                c[1], c[2], c[3]);
    return FALSE;
  }
  cc->major = c[1] >> 4;
  cc->minor = c[1] & 0x0F;
  cc->data_size = (gsize)c[2] * 8;
  cc->read_only = (c[3] & 0x0F) == 0x0F;
  if (cc->major != 1 || cc->data_size == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Type 2 tag: unsupported capability container (NDEF mapping %u.%u, %zu bytes)",
                cc->major, cc->minor, cc->data_size);
    return FALSE;
  }
  return TRUE;
}

static void
need_more(MusterType2NdefStatus *status, gsize *length, gsize needed)
{
  *status = MUSTER_TYPE2_NDEF_NEED_MORE;
  *length = needed;
}

gboolean
muster_type2_find_ndef(const guint8 *memory, gsize len, const MusterType2Cc *cc,
                       MusterType2NdefStatus *status, gsize *offset, gsize *length, GError **error)
{
  gsize end = MUSTER_TYPE2_DATA_START + cc->data_size;
  gsize pos = MUSTER_TYPE2_DATA_START;
  *offset = *length = 0;
  for (;;) {
    if (pos >= end) {
      *status = MUSTER_TYPE2_NDEF_ABSENT;
      return TRUE;
    }
    if (pos >= len) {
      need_more(status, length, pos + 1);
      return TRUE;
    }
    guint8 type = memory[pos];
    if (type == TLV_NULL) {
      pos++;
      continue;
    }
    if (type == TLV_TERMINATOR) {
      *status = MUSTER_TYPE2_NDEF_ABSENT;
      return TRUE;
    }
    if (pos + 2 > len) {
      need_more(status, length, pos + 2);
      return TRUE;
    }
    gsize header = 2, value_len = memory[pos + 1];
    if (value_len == 0xFF) {
      if (pos + 4 > len) {
        need_more(status, length, pos + 4);
        return TRUE;
      }
      header = 4;
      value_len = ((gsize)memory[pos + 2] << 8) | memory[pos + 3];
    }
    if (pos + header + value_len > end) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "Type 2 tag: TLV 0x%02X at byte %zu claims %zu bytes, past the end of the "
                  "%zu-byte data area",
                  type, pos, value_len, cc->data_size);
      return FALSE;
    }
    if (type == TLV_NDEF) {
      if (value_len == 0) {
        *status = MUSTER_TYPE2_NDEF_ABSENT;
        return TRUE;
      }
      if (pos + header + value_len > len) {
        need_more(status, length, pos + header + value_len);
        return TRUE;
      }
      *status = MUSTER_TYPE2_NDEF_FOUND;
      *offset = pos + header;
      *length = value_len;
      return TRUE;
    }
    if (type != TLV_LOCK_CONTROL && type != TLV_MEMORY_CONTROL && type != TLV_PROPRIETARY) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "Type 2 tag: unknown TLV type 0x%02X at byte %zu", type, pos);
      return FALSE;
    }
    pos += header + value_len;
  }
}

GBytes *
muster_type2_extract_ndef(const guint8 *memory, gsize len, GError **error)
{
  MusterType2Cc cc;
  if (!muster_type2_parse_cc(memory, len, &cc, error))
    return NULL;
  MusterType2NdefStatus status;
  gsize offset, length;
  if (!muster_type2_find_ndef(memory, len, &cc, &status, &offset, &length, error))
    return NULL;
  switch (status) {
  case MUSTER_TYPE2_NDEF_FOUND: return g_bytes_new(memory + offset, length);
  case MUSTER_TYPE2_NDEF_ABSENT: return NULL;
  case MUSTER_TYPE2_NDEF_NEED_MORE: break;
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "Type 2 tag: memory truncated (%zu bytes read, the TLVs need %zu)", len, length);
  return NULL;
}

typedef struct {
  guint8 product_type; /* GET_VERSION byte 2: 0x03 Ultralight, 0x04 NTAG */
  guint8 storage_size; /* GET_VERSION byte 6 */
  const char *name;
  gboolean is_signed; /* has an NXP originality signature (READ_SIG) */
} Type2Product;

/* NXP datasheets (NTAG210/212, NTAG213/215/216, MF0ULx1), GET_VERSION response. */
static const Type2Product type2_products[] = {
    {0x04, 0x0B, "ntag210", TRUE},        {0x04, 0x0E, "ntag212", TRUE},
    {0x04, 0x0F, "ntag213", TRUE},        {0x04, 0x11, "ntag215", TRUE},
    {0x04, 0x13, "ntag216", TRUE},        {0x03, 0x0B, "ultralight-ev1", TRUE},
    {0x03, 0x0E, "ultralight-ev1", TRUE},
};

const char *
muster_type2_identify(const guint8 *version, gsize len, gboolean *signed_)
{
  *signed_ = FALSE;
  if (len != 8 || version[1] != 0x04) /* vendor: NXP */
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(type2_products); i++) {
    const Type2Product *p = &type2_products[i];
    if (p->product_type == version[2] && p->storage_size == version[6]) {
      *signed_ = p->is_signed;
      return p->name;
    }
  }
  return NULL;
}
