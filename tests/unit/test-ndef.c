/*
 * test-ndef.c: NDEF messages and Text/URI records, as an NFC tag's NDEF TLV holds them.
 *
 * The messages are written out byte by byte (header, type length, payload length, ...)
 * as NFC Tools or an Android phone writes them to an NTAG, then broken in the ways a
 * half-written or forged tag is: cut short, lying lengths, chunks, bad flags, bad text.
 */
#include "core/muster-error.h"
#include "marking/ndef.h"

#include <string.h>

/* Short Text record "en" "GL-123456", MB|ME|SR, TNF well-known */
static const guint8 text_msg[] = {0xD1, 0x01, 0x0C, 'T', 0x02, 'e', 'n', 'G',
                                  'L',  '-',  '1',  '2', '3',  '4', '5', '6'};
/* Short URI record https://www.nxp.com */
static const guint8 uri_msg[] = {0xD1, 0x01, 0x08, 'U', 0x02, 'n', 'x', 'p', '.', 'c', 'o', 'm'};

static GPtrArray *
parse_ok(const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = muster_ndef_parse(data, len, &error);
  g_assert_no_error(error);
  g_assert_nonnull(records);
  return records;
}

static char *
parse_fails(const guint8 *data, gsize len)
{
  GError *error = NULL;
  g_assert_null(muster_ndef_parse(data, len, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  char *msg = g_strdup(error->message);
  g_error_free(error);
  return msg;
}

static void
test_text_utf8(void)
{
  g_autoptr(GPtrArray) records = parse_ok(text_msg, sizeof text_msg);
  g_assert_cmpuint(records->len, ==, 1);
  const MusterNdefRecord *r = records->pdata[0];
  g_assert_cmpint(r->tnf, ==, MUSTER_NDEF_TNF_WELL_KNOWN);
  g_assert_true(muster_ndef_record_is_well_known(r, "T"));
  g_assert_false(muster_ndef_record_is_well_known(r, "U"));
  g_autofree char *lang = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = muster_ndef_text_decode(r, &lang, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(text, ==, "GL-123456");
  g_assert_cmpstr(lang, ==, "en");
}

static void
test_text_utf16(void)
{
  /* UTF-16 with a little-endian BOM, language "de", text "Nr-ä1"; then big-endian
   * without BOM */
  const guint8 le[] = {0xD1, 0x01, 0x0F, 'T', 0x82, 'd',  'e', 0xFF, 0xFE, 'N',
                       0,    'r',  0,    '-', 0,    0xE4, 0,   '1',  0};
  g_autoptr(GPtrArray) r1 = parse_ok(le, sizeof le);
  g_autoptr(GError) e1 = NULL;
  g_autofree char *t1 = muster_ndef_text_decode(r1->pdata[0], NULL, &e1);
  g_assert_no_error(e1);
  g_assert_cmpstr(t1, ==,
                  "Nr-\xc3\xa4"
                  "1");

  const guint8 be[] = {0xD1, 0x01, 0x07, 'T', 0x82, 'e', 'n', 0, 'A', 0, '7'};
  g_autoptr(GPtrArray) r2 = parse_ok(be, sizeof be);
  g_autoptr(GError) e2 = NULL;
  g_autofree char *t2 = muster_ndef_text_decode(r2->pdata[0], NULL, &e2);
  g_assert_cmpstr(t2, ==, "A7");

  /* odd length, and a lone surrogate */
  const guint8 odd[] = {0xD1, 0x01, 0x04, 'T', 0x80, 0, 'A', 0};
  g_autoptr(GPtrArray) r3 = parse_ok(odd, sizeof odd);
  g_autoptr(GError) e3 = NULL;
  g_assert_null(muster_ndef_text_decode(r3->pdata[0], NULL, &e3));
  g_assert_nonnull(strstr(e3->message, "odd byte length"));
  const guint8 lone[] = {0xD1, 0x01, 0x03, 'T', 0x80, 0xD8, 0x00};
  g_autoptr(GPtrArray) r4 = parse_ok(lone, sizeof lone);
  g_autoptr(GError) e4 = NULL;
  g_assert_null(muster_ndef_text_decode(r4->pdata[0], NULL, &e4));
  g_assert_nonnull(strstr(e4->message, "broken UTF-16"));
  const guint8 nul[] = {0xD1, 0x01, 0x05, 'T', 0x80, 0, 0, 0, 'A'};
  g_autoptr(GPtrArray) r5 = parse_ok(nul, sizeof nul);
  g_autoptr(GError) e5 = NULL;
  g_assert_null(muster_ndef_text_decode(r5->pdata[0], NULL, &e5));
  g_assert_nonnull(strstr(e5->message, "NUL character"));
}

static void
test_text_bad(void)
{
  /* language length past the payload, RFU bit set, bad UTF-8, empty payload */
  const guint8 lang[] = {0xD1, 0x01, 0x03, 'T', 0x05, 'e', 'n'};
  const guint8 rfu[] = {0xD1, 0x01, 0x03, 'T', 0x40, 'A', 'B'};
  const guint8 utf8[] = {0xD1, 0x01, 0x03, 'T', 0x00, 0xC3, 0x28};
  const guint8 empty[] = {0xD1, 0x01, 0x00, 'T'};
  const struct {
    const guint8 *data;
    gsize len;
    const char *want;
  } cases[] = {
      {lang, sizeof lang, "bad status byte 0x05"},
      {rfu, sizeof rfu, "bad status byte 0x40"},
      {utf8, sizeof utf8, "not valid UTF-8"},
      {empty, sizeof empty, "not a Text record"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GPtrArray) records = parse_ok(cases[i].data, cases[i].len);
    g_autoptr(GError) error = NULL;
    g_assert_null(muster_ndef_text_decode(records->pdata[0], NULL, &error));
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
    g_assert_nonnull(strstr(error->message, cases[i].want));
  }
}

static void
test_uri(void)
{
  g_autoptr(GPtrArray) records = parse_ok(uri_msg, sizeof uri_msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = muster_ndef_uri_decode(records->pdata[0], &error);
  g_assert_no_error(error);
  g_assert_cmpstr(uri, ==, "https://www.nxp.com");

  /* the last prefix, urn:nfc:, and the first reserved one */
  const guint8 urn[] = {0xD1, 0x01, 0x04, 'U', 0x23, 's', 'n', ':'};
  g_autoptr(GPtrArray) r2 = parse_ok(urn, sizeof urn);
  g_autofree char *u2 = muster_ndef_uri_decode(r2->pdata[0], NULL);
  g_assert_cmpstr(u2, ==, "urn:nfc:sn:");
  const guint8 rfu[] = {0xD1, 0x01, 0x02, 'U', 0x24, 'x'};
  g_autoptr(GPtrArray) r3 = parse_ok(rfu, sizeof rfu);
  g_autoptr(GError) e3 = NULL;
  g_assert_null(muster_ndef_uri_decode(r3->pdata[0], &e3));
  g_assert_nonnull(strstr(e3->message, "reserved identifier code 0x24"));

  /* Absolute-URI record: the URI is the type */
  const guint8 abs[] = {0xD3, 0x0A, 0x00, 'u', 'r', 'n', ':', 'x', ':', 'G', 'L', '-', '1'};
  g_autoptr(GPtrArray) r4 = parse_ok(abs, sizeof abs);
  g_autofree char *u4 = muster_ndef_uri_decode(r4->pdata[0], NULL);
  g_assert_cmpstr(u4, ==, "urn:x:GL-1");
  /* a Text record is no URI */
  g_autoptr(GPtrArray) r5 = parse_ok(text_msg, sizeof text_msg);
  g_autoptr(GError) e5 = NULL;
  g_assert_null(muster_ndef_uri_decode(r5->pdata[0], &e5));
}

static void
test_long_record_with_id_and_two_records(void)
{
  /* record 1: long form (SR unset) with an ID "a1", media type text/plain; record 2: URI */
  const guint8 msg[] = {0x8A, 0x0A, 0x00, 0x00, 0x00, 0x03, 0x02, 't', 'e', 'x',
                        't',  '/',  'p',  'l',  'a',  'i',  'n',  'a', '1', 'x',
                        'y',  'z',  0x51, 0x01, 0x04, 'U',  0x03, 'a', '.', 'b'};
  g_autoptr(GPtrArray) records = parse_ok(msg, sizeof msg);
  g_assert_cmpuint(records->len, ==, 2);
  const MusterNdefRecord *r = records->pdata[0];
  g_assert_cmpint(r->tnf, ==, MUSTER_NDEF_TNF_MEDIA);
  g_assert_cmpuint(g_bytes_get_size(r->type), ==, 10);
  g_assert_cmpmem(g_bytes_get_data(r->id, NULL), 2, "a1", 2);
  g_assert_cmpmem(g_bytes_get_data(r->payload, NULL), 3, "xyz", 3);
  g_autofree char *uri = muster_ndef_uri_decode(records->pdata[1], NULL);
  g_assert_cmpstr(uri, ==, "http://a.b");

  /* padding after the last record (a tag's unused memory) is ignored */
  guint8 padded[sizeof uri_msg + 3];
  memcpy(padded, uri_msg, sizeof uri_msg);
  memset(padded + sizeof uri_msg, 0, 3);
  g_autoptr(GPtrArray) p = parse_ok(padded, sizeof padded);
  g_assert_cmpuint(p->len, ==, 1);

  /* an empty record alone is a valid (empty) message */
  const guint8 empty[] = {0xD0, 0x00, 0x00};
  g_autoptr(GPtrArray) e = parse_ok(empty, sizeof empty);
  g_assert_cmpint(((MusterNdefRecord *)e->pdata[0])->tnf, ==, MUSTER_NDEF_TNF_EMPTY);
}

static void
test_malformed(void)
{
  const guint8 cut_header[] = {0xD1};
  const guint8 cut_len[] = {0xC1, 0x01, 0x00, 0x00};
  const guint8 cut_id[] = {0xD9, 0x01, 0x01};
  const guint8 lying[] = {0xD1, 0x01, 0xFF, 'T', 0x02, 'e', 'n'};
  const guint8 huge[] = {0xC1, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 'T'};
  const guint8 chunked[] = {0xB1, 0x01, 0x01, 'T', 0x00};
  const guint8 unchanged[] = {0xD6, 0x00, 0x00};
  const guint8 no_mb[] = {0x51, 0x01, 0x01, 'U', 0x00};
  const guint8 two_mb[] = {0x91, 0x01, 0x01, 'U', 0x00, 0xD1, 0x01, 0x01, 'U', 0x00};
  const guint8 no_me[] = {0x91, 0x01, 0x01, 'U', 0x00};
  const guint8 empty_with_type[] = {0xD0, 0x01, 0x00, 'T'};
  const struct {
    const guint8 *data;
    gsize len;
    const char *want;
  } cases[] = {
      {cut_header, sizeof cut_header, "record 1 is cut short in its header"},
      {cut_len, sizeof cut_len, "cut short in its payload length"},
      {cut_id, sizeof cut_id, "cut short in its ID length"},
      {lying, sizeof lying, "claims 256 bytes"},
      {huge, sizeof huge, "claims 4294967296 bytes"},
      {chunked, sizeof chunked, "chunked"},
      {unchanged, sizeof unchanged, "chunked"},
      {no_mb, sizeof no_mb, "MB flag unset"},
      {two_mb, sizeof two_mb, "record 2 begins a second message"},
      {no_me, sizeof no_me, "record 2 is missing"},
      {empty_with_type, sizeof empty_with_type, "Empty but has a type"},
      {NULL, 0, "message is empty"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *msg = parse_fails(cases[i].data, cases[i].len);
    g_test_message("case %u: %s", i, msg);
    g_assert_nonnull(strstr(msg, cases[i].want));
    /* every message tells the user what to do */
    g_assert_true(strstr(msg, "rewrite the tag") != NULL || strstr(msg, "write a Text") != NULL);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/ndef/text-utf8", test_text_utf8);
  g_test_add_func("/ndef/text-utf16", test_text_utf16);
  g_test_add_func("/ndef/text-bad", test_text_bad);
  g_test_add_func("/ndef/uri", test_uri);
  g_test_add_func("/ndef/long-record-id-two-records", test_long_record_with_id_and_two_records);
  g_test_add_func("/ndef/malformed", test_malformed);
  return g_test_run();
}
