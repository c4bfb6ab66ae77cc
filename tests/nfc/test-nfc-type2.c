/*
 * test-nfc-type2.c: Type 2 tag memory: capability container, TLV walk, NDEF extraction
 * and product identification, on memory images built here byte by byte.
 */
#include "core/muster-error.h"
#include "drivers/nfc/type2.h"

#include <string.h>

/* Pages 0-3 of an NTAG215 (UID 04 6B A1 .. ) with CC E1 10 3E 00 (496-byte data area). */
static const guint8 header_ntag215[16] = {0x04, 0x6B, 0xA1, 0x52, 0x52, 0x3C, 0x61, 0x80,
                                          0xAF, 0x48, 0x00, 0x00, 0xE1, 0x10, 0x3E, 0x00};

static GByteArray *
memory_with(const guint8 *data, gsize len)
{
  GByteArray *m = g_byte_array_new();
  g_byte_array_append(m, header_ntag215, 16);
  g_byte_array_append(m, data, (guint)len);
  return m;
}

static void
test_cc(void)
{
  MusterType2Cc cc;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_type2_parse_cc(header_ntag215, 16, &cc, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(cc.major, ==, 1);
  g_assert_cmpuint(cc.minor, ==, 0);
  g_assert_cmpuint(cc.data_size, ==, 496);
  g_assert_false(cc.read_only);

  guint8 ro[16];
  memcpy(ro, header_ntag215, 16);
  ro[15] = 0x0F;
  g_assert_true(muster_type2_parse_cc(ro, 16, &cc, NULL));
  g_assert_true(cc.read_only);

  guint8 blank[16];
  memcpy(blank, header_ntag215, 16);
  memset(blank + 12, 0, 4); /* factory-blank Ultralight: no CC */
  g_assert_false(muster_type2_parse_cc(blank, 16, &cc, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_true(strstr(error->message, "not NDEF formatted") != NULL);
  g_clear_error(&error);

  guint8 v2[16];
  memcpy(v2, header_ntag215, 16);
  v2[13] = 0x20; /* mapping 2.0: not ours to guess at */
  g_assert_false(muster_type2_parse_cc(v2, 16, &cc, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);

  g_assert_false(muster_type2_parse_cc(header_ntag215, 12, &cc, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
}

static void
test_ndef_after_lock_and_null_tlvs(void)
{
  /* NULL, Lock Control (3 bytes), Memory Control (3), NULL, NDEF "hi" record, Terminator. */
  static const guint8 data[] = {0x00, 0x01, 0x03, 0xA0, 0x0C, 0x34, 0x02, 0x03, 0x00, 0x10,
                                0x44, 0x00, 0x03, 0x05, 0xD1, 0x01, 0x01, 0x54, 0x00, 0xFE};
  g_autoptr(GByteArray) m = memory_with(data, sizeof data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ndef = muster_type2_extract_ndef(m->data, m->len, &error);
  g_assert_no_error(error);
  g_assert_nonnull(ndef);
  static const guint8 want[] = {0xD1, 0x01, 0x01, 0x54, 0x00};
  g_assert_cmpmem(g_bytes_get_data(ndef, NULL), g_bytes_get_size(ndef), want, sizeof want);
}

static void
test_three_byte_length(void)
{
  g_autoptr(GByteArray) data = g_byte_array_new();
  g_byte_array_append(data, (const guint8[]){0x03, 0xFF, 0x01, 0x2C}, 4); /* 300 bytes */
  for (int i = 0; i < 300; i++)
    g_byte_array_append(data, (const guint8[]){(guint8)i}, 1);
  g_byte_array_append(data, (const guint8[]){0xFE}, 1);
  g_autoptr(GByteArray) m = memory_with(data->data, data->len);
  g_autoptr(GBytes) ndef = muster_type2_extract_ndef(m->data, m->len, NULL);
  g_assert_nonnull(ndef);
  g_assert_cmpuint(g_bytes_get_size(ndef), ==, 300);
  g_assert_cmpmem(g_bytes_get_data(ndef, NULL), 300, data->data + 4, 300);
}

/* The reader reads 16 bytes at a time: the walk says how far it must read. */
static void
test_need_more(void)
{
  static const guint8 data[] = {0x03, 0x20, 0xD1, 0x01, 0x1C, 0x54, 0x02, 0x65, 0x6E};
  g_autoptr(GByteArray) m = memory_with(data, sizeof data);
  MusterType2Cc cc;
  g_assert_true(muster_type2_parse_cc(m->data, m->len, &cc, NULL));
  MusterType2NdefStatus status;
  gsize offset, length;
  g_assert_true(muster_type2_find_ndef(m->data, m->len, &cc, &status, &offset, &length, NULL));
  g_assert_cmpint(status, ==, MUSTER_TYPE2_NDEF_NEED_MORE);
  g_assert_cmpuint(length, ==, 16 + 2 + 0x20);
  /* Only the header page: the TLV type is the first thing needed. */
  g_assert_true(muster_type2_find_ndef(m->data, 16, &cc, &status, &offset, &length, NULL));
  g_assert_cmpint(status, ==, MUSTER_TYPE2_NDEF_NEED_MORE);
  g_assert_cmpuint(length, ==, 17);
  /* As a whole image, the same memory is truncated. */
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_type2_extract_ndef(m->data, m->len, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_true(strstr(error->message, "truncated") != NULL);
}

static void
test_absent(void)
{
  static const guint8 empty_tlv[] = {0x03, 0x00, 0xFE};
  static const guint8 terminator_first[] = {0xFE, 0x03, 0x05, 0xD1, 0x01, 0x01, 0x54, 0x00};
  static const guint8 proprietary_only[] = {0xFD, 0x02, 0xAA, 0xBB, 0xFE};
  const struct {
    const guint8 *data;
    gsize len;
  } cases[] = {{empty_tlv, sizeof empty_tlv},
               {terminator_first, sizeof terminator_first},
               {proprietary_only, sizeof proprietary_only}};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GByteArray) m = memory_with(cases[i].data, cases[i].len);
    g_autoptr(GError) error = NULL;
    g_assert_null(muster_type2_extract_ndef(m->data, m->len, &error));
    g_assert_no_error(error);
  }
  /* All NULL TLVs up to the end of a (small) data area: nothing, and no overrun. */
  guint8 small[16 + 48] = {0};
  memcpy(small, header_ntag215, 16);
  small[14] = 0x06;
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_type2_extract_ndef(small, sizeof small, &error));
  g_assert_no_error(error);
}

static void
test_corrupt(void)
{
  /* Length past the 496-byte data area. */
  static const guint8 too_long[] = {0x03, 0xFF, 0x02, 0x00, 0xD1};
  /* An unknown TLV type. */
  static const guint8 unknown[] = {0x42, 0x01, 0x00, 0xFE};
  const struct {
    const guint8 *data;
    gsize len;
    const char *message;
  } cases[] = {{too_long, sizeof too_long, "past the end"},
               {unknown, sizeof unknown, "unknown TLV type 0x42"}};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GByteArray) m = memory_with(cases[i].data, cases[i].len);
    g_autoptr(GError) error = NULL;
    g_assert_null(muster_type2_extract_ndef(m->data, m->len, &error));
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
    g_assert_true(strstr(error->message, cases[i].message) != NULL);
  }
}

static void
test_identify(void)
{
  const struct {
    guint8 version[8];
    const char *name;
    gboolean is_signed;
  } cases[] = {
      {{0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x0F, 0x03}, "ntag213", TRUE},
      {{0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x11, 0x03}, "ntag215", TRUE},
      {{0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x13, 0x03}, "ntag216", TRUE},
      {{0x00, 0x04, 0x03, 0x01, 0x01, 0x00, 0x0B, 0x03}, "ultralight-ev1", TRUE}, /* MF0UL11 */
      {{0x00, 0x04, 0x03, 0x01, 0x01, 0x00, 0x0E, 0x03}, "ultralight-ev1", TRUE}, /* MF0UL21 */
      {{0x00, 0x05, 0x04, 0x02, 0x01, 0x00, 0x11, 0x03}, NULL, FALSE},            /* not NXP */
      {{0x00, 0x04, 0x04, 0x02, 0x01, 0x00, 0x7F, 0x03}, NULL, FALSE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    gboolean is_signed = TRUE;
    g_assert_cmpstr(muster_type2_identify(cases[i].version, 8, &is_signed), ==, cases[i].name);
    g_assert_cmpint(is_signed, ==, cases[i].is_signed);
  }
  gboolean is_signed;
  g_assert_null(muster_type2_identify(cases[0].version, 7, &is_signed));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/nfc/type2/cc", test_cc);
  g_test_add_func("/nfc/type2/ndef-after-lock-and-null-tlvs", test_ndef_after_lock_and_null_tlvs);
  g_test_add_func("/nfc/type2/three-byte-length", test_three_byte_length);
  g_test_add_func("/nfc/type2/need-more", test_need_more);
  g_test_add_func("/nfc/type2/absent", test_absent);
  g_test_add_func("/nfc/type2/corrupt", test_corrupt);
  g_test_add_func("/nfc/type2/identify", test_identify);
  return g_test_run();
}
