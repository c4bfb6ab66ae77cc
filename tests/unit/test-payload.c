/*
 * test-payload.c: from what a reader read to the marking the record store matches.
 *
 * Each case is a payload as a driver hands it over (a Data Matrix's bytes from libdmtx,
 * a GS1-128 with its AIM identifier, a keyboard-wedge line, an NDEF message) and the
 * format, kind, normalised value, fields and problem that must come out. The promise
 * under test besides the values: never NULL, garbage gives value NULL and a problem.
 */
#include "marking/payload.h"

#include <string.h>

static MusterPayload *
barcode(const char *s, const char *symbology)
{
  MusterPayload *p = muster_payload_parse_barcode((const guint8 *)s, strlen(s), symbology);
  g_assert_nonnull(p);
  g_assert_nonnull(p->text);
  g_assert_true(g_utf8_validate(p->text, -1, NULL));
  g_assert_true(p->value != NULL || p->problem != NULL);
  return p;
}

static void
assert_marking(const MusterPayload *p, MusterPayloadFormat format, MusterMarkingKind kind,
               const char *value)
{
  g_assert_cmpstr(muster_payload_format_to_string(p->format), ==,
                  muster_payload_format_to_string(format));
  g_assert_cmpstr(p->value, ==, value);
  g_assert_cmpstr(muster_marking_kind_to_string(p->kind), ==, muster_marking_kind_to_string(kind));
}

static void
assert_problem(const MusterPayload *p, const char *part)
{
  g_assert_nonnull(p->problem);
  if (strstr(p->problem, part) == NULL)
    g_error("problem '%s' does not mention '%s'", p->problem, part);
}

static void
test_format_names(void)
{
  g_assert_cmpstr(muster_payload_format_to_string(MUSTER_PAYLOAD_PLAIN), ==, "plain");
  g_assert_cmpstr(muster_payload_format_to_string(MUSTER_PAYLOAD_ISO15434), ==, "iso15434");
  g_assert_cmpstr(muster_payload_format_to_string(MUSTER_PAYLOAD_NDEF), ==, "ndef");
  g_assert_cmpstr(muster_payload_format_to_string(MUSTER_PAYLOAD_HF_UID), ==, "hf_uid");
  g_assert_cmpstr(muster_payload_format_to_string(42), ==, "unknown");
  muster_payload_free(NULL);
}

static void
test_plain(void)
{
  /* typed or wedge-scanned without a symbology: an engraved serial */
  g_autoptr(MusterPayload) typed = barcode("  gl-123456 ", NULL);
  assert_marking(typed, MUSTER_PAYLOAD_PLAIN, MUSTER_MARKING_ENGRAVED_SERIAL, "GL-123456");
  g_assert_null(typed->problem);
  g_assert_null(typed->fields);

  /* the same serial in a Code 128 (with its AIM identifier): same value, barcode kind */
  g_autoptr(MusterPayload) code128 = barcode("]C0gl-123456", "code128");
  assert_marking(code128, MUSTER_PAYLOAD_PLAIN, MUSTER_MARKING_BARCODE, "GL-123456");
  g_assert_cmpstr(code128->text, ==, "]C0gl-123456");
}

static void
test_iso15434_uii(void)
{
  /* DoD guide construct #2, as libdmtx decodes the Data Matrix */
  g_autoptr(MusterPayload) p = barcode("[)>\x1e"
                                       "06\x1d"
                                       "17V0CVA5\x1d"
                                       "1P1234\x1d"
                                       "S786950\x1e\x04",
                                       "datamatrix");
  assert_marking(p, MUSTER_PAYLOAD_ISO15434, MUSTER_MARKING_DATAMATRIX_UII, "D0CVA51234786950");
  g_assert_null(p->problem);
  g_assert_cmpstr(p->text, ==, "[)><RS>06<GS>17V0CVA5<GS>1P1234<GS>S786950<RS><EOT>");
  g_assert_cmpuint(g_hash_table_size(p->fields), ==, 3);
  g_assert_cmpstr(g_hash_table_lookup(p->fields, "1P"), ==, "1234");

  /* Brady's TEI example; lower case and a space in the serial are normalised away */
  g_autoptr(MusterPayload) tei = barcode("[)>\x1e"
                                         "12\x1d"
                                         "CAGa3309\x1d"
                                         "SER 123 4567\x1e\x04",
                                         NULL);
  assert_marking(tei, MUSTER_PAYLOAD_ISO15434, MUSTER_MARKING_DATAMATRIX_UII, "DA33091234567");

  /* GS1 inside the envelope, with a Data Matrix symbology identifier in front */
  g_autoptr(MusterPayload) gs1 = barcode("]d1[)>\x1e"
                                         "05\x1d"
                                         "0100614141999996\x1d"
                                         "21SN1\x1e\x04",
                                         "datamatrix");
  assert_marking(gs1, MUSTER_PAYLOAD_ISO15434, MUSTER_MARKING_DATAMATRIX_UII, "00614141999996SN1");

  /* a wedge scanner that dropped the EOT: still read, with the problem said */
  g_autoptr(MusterPayload) no_eot = barcode("[)>\x1e"
                                            "06\x1d"
                                            "25SUN043325711786950\x1e",
                                            NULL);
  assert_marking(no_eot, MUSTER_PAYLOAD_ISO15434, MUSTER_MARKING_DATAMATRIX_UII,
                 "UN043325711786950");
  assert_problem(no_eot, "EOT");
}

static void
test_iso15434_no_uii(void)
{
  /* a part number without serial: the fields are kept, no marking */
  g_autoptr(MusterPayload) p = barcode("[)>\x1e"
                                       "06\x1d"
                                       "17V0CVA5\x1d"
                                       "1P1234\x1e\x04",
                                       NULL);
  g_assert_cmpint(p->format, ==, MUSTER_PAYLOAD_ISO15434);
  g_assert_null(p->value);
  assert_problem(p, "make no UII");
  g_assert_cmpstr(g_hash_table_lookup(p->fields, "17V"), ==, "0CVA5");

  g_autoptr(MusterPayload) empty = barcode("[)>\x1e\x04", NULL);
  g_assert_null(empty->value);
  g_assert_null(empty->fields);
  assert_problem(empty, "(none)");

  /* a control character inside the UII data is refused by the normaliser */
  g_autoptr(MusterPayload) bad = barcode("[)>\x1e"
                                         "06\x1d"
                                         "25SD0CVA5\x7f"
                                         "1\x1e\x04",
                                         NULL);
  g_assert_null(bad->value);
  assert_problem(bad, "unprintable");
}

static void
test_gs1(void)
{
  /* GS1 Data Matrix with its identifier: GIAI is the UII */
  g_autoptr(MusterPayload) giai = barcode("]d28004061414112345", "datamatrix");
  assert_marking(giai, MUSTER_PAYLOAD_GS1, MUSTER_MARKING_DATAMATRIX_UII, "061414112345");
  g_assert_cmpstr(g_hash_table_lookup(giai->fields, "8004"), ==, "061414112345");

  /* GS1-128 with FNC1 in first position as GS, GTIN + expiry + serial */
  g_autoptr(MusterPayload) gtin = barcode("\x1d"
                                          "0100614141999996"
                                          "17251231"
                                          "21abc-9",
                                          "code128");
  assert_marking(gtin, MUSTER_PAYLOAD_GS1, MUSTER_MARKING_DATAMATRIX_UII, "00614141999996ABC-9");
  g_assert_cmpstr(g_hash_table_lookup(gtin->fields, "17"), ==, "251231");

  /* A wedge scanner at its factory settings sends neither identifier nor FNC1. Without a
   * GS the data reads as a serial (docs/scan-data.md); with an AI's digits and a GS it is
   * the older GS1 form, and GS1's engine decides: a GRAI with a note (90) is a marking,
   * a (240) without the (01) GS1 requires for it is refused with the engine's reason */
  g_autoptr(MusterPayload) wedge = barcode("800300614141000418A12", NULL);
  assert_marking(wedge, MUSTER_PAYLOAD_PLAIN, MUSTER_MARKING_ENGRAVED_SERIAL,
                 "800300614141000418A12");
  g_autoptr(MusterPayload) wedge_gs = barcode("800300614141000418A12\x1d"
                                              "90RACK-7",
                                              NULL);
  assert_marking(wedge_gs, MUSTER_PAYLOAD_GS1, MUSTER_MARKING_DATAMATRIX_UII,
                 "00614141000418A12");
  g_autoptr(MusterPayload) wedge_bad = barcode("800300614141000418A12\x1d"
                                               "2400-123",
                                               NULL);
  g_assert_null(wedge_bad->value);
  g_assert_cmpint(wedge_bad->format, ==, MUSTER_PAYLOAD_GS1);
  assert_problem(wedge_bad, "GS1 data failed GS1's checks");
  /* a GS in data that does not start with an AI's digits is no GS1 guess */
  g_autoptr(MusterPayload) odd = barcode("AB-12\x1d" "34", NULL);
  g_assert_null(odd->value);
  assert_problem(odd, "AIM symbology identifiers");
  g_autoptr(MusterPayload) grai = barcode("]d2800300614141000418A12", NULL);
  assert_marking(grai, MUSTER_PAYLOAD_GS1, MUSTER_MARKING_DATAMATRIX_UII, "00614141000418A12");
  /* the older form with FNC1 first as GS, from a reader that names the symbology */
  g_autoptr(MusterPayload) dmtx = barcode("\x1d"
                                          "800300614141000418A12",
                                          "datamatrix");
  assert_marking(dmtx, MUSTER_PAYLOAD_GS1, MUSTER_MARKING_DATAMATRIX_UII, "00614141000418A12");

  /* a serial names the item with its ITIP (8006) as the key; without a key GS1 calls the
   * serial incomplete, so it is no marking */
  g_autoptr(MusterPayload) serial = barcode("]C18006095060001343520102\x1d"
                                            "21gl-123456",
                                            "code128");
  assert_marking(serial, MUSTER_PAYLOAD_GS1, MUSTER_MARKING_BARCODE, "GL-123456");
  g_autoptr(MusterPayload) bare = barcode("]C121gl-123456", "code128");
  g_assert_null(bare->value);
  assert_problem(bare, "Required AIs for AI (21)");

  /* a GTIN alone names a product, not an item */
  g_autoptr(MusterPayload) product = barcode("]C10100614141999996", "code128");
  g_assert_null(product->value);
  assert_problem(product, "names no single item");

  /* a GS1 rectangular Data Matrix (DMRE, ]d8), as zxing-cpp reports it, is GS1 checked as
   * a Data Matrix's; a plain DMRE (]d7) is plain data */
  g_autoptr(MusterPayload) dmre = barcode("]d88004061414112345", "datamatrix");
  assert_marking(dmre, MUSTER_PAYLOAD_GS1, MUSTER_MARKING_DATAMATRIX_UII, "061414112345");
  g_autoptr(MusterPayload) dmre_bad = barcode("]d80100614141999995" "21X", "datamatrix");
  g_assert_null(dmre_bad->value);
  assert_problem(dmre_bad, "check digit");
  g_autoptr(MusterPayload) dmre_plain = barcode("]d7GL-123456", "datamatrix");
  assert_marking(dmre_plain, MUSTER_PAYLOAD_PLAIN, MUSTER_MARKING_BARCODE, "GL-123456");

  /* a misread check digit: no marking, the error says which AI */
  g_autoptr(MusterPayload) misread = barcode("]d20100614141999995"
                                             "21X",
                                             "datamatrix");
  g_assert_null(misread->value);
  assert_problem(misread, "GS1 data failed GS1's checks: AI (01): The numeric check digit is incorrect");
}

static void
test_garbage(void)
{
  g_autoptr(MusterPayload) empty = muster_payload_parse_barcode(NULL, 0, NULL);
  g_assert_null(empty->value);
  assert_problem(empty, "empty");
  g_assert_cmpstr(empty->text, ==, "");

  g_autoptr(MusterPayload) aim_only = barcode("]C1", "code128");
  assert_problem(aim_only, "only a symbology identifier");

  g_autoptr(MusterPayload) seps = barcode("AB\x1e"
                                          "CD\x04",
                                          NULL);
  g_assert_null(seps->value);
  assert_problem(seps, "GS/RS/EOT");
  g_assert_cmpstr(seps->text, ==, "AB<RS>CD<EOT>");

  const guint8 bin[] = {'A', 0x00, 0xFF, 0x07, 'B'};
  g_autoptr(MusterPayload) b = muster_payload_parse_barcode(bin, sizeof bin, NULL);
  g_assert_null(b->value);
  g_assert_cmpstr(b->text, ==, "A<0x00><0xFF><0x07>B");

  g_autofree char *huge = g_strnfill(5000, 'A');
  g_autoptr(MusterPayload) h = barcode(huge, NULL);
  g_assert_null(h->value);
  assert_problem(h, "5000 bytes");
  g_assert_cmpuint(strlen(h->text), ==, 1024 + 3);

  g_autoptr(MusterPayload) ws = barcode("   ", NULL);
  g_assert_null(ws->value);
  assert_problem(ws, "empty");
}

static void
test_ndef(void)
{
  /* Text "en" "gl-123456", then a URI: the first Text record is the marking */
  const guint8 msg[] = {0x91, 0x01, 0x0C, 'T',  0x02, 'e', 'n',  'g', 'l', '-', '1', '2', '3', '4',
                        '5',  '6',  0x51, 0x01, 0x08, 'U', 0x02, 'n', 'x', 'p', '.', 'c', 'o', 'm'};
  g_autoptr(MusterPayload) p = muster_payload_parse_ndef(msg, sizeof msg);
  assert_marking(p, MUSTER_PAYLOAD_NDEF, MUSTER_MARKING_NDEF, "GL-123456");
  g_assert_null(p->problem);
  g_assert_cmpstr(p->text, ==, "gl-123456");
  g_assert_cmpstr(g_hash_table_lookup(p->fields, "language"), ==, "en");
  g_assert_cmpstr(g_hash_table_lookup(p->fields, "uri"), ==, "https://www.nxp.com");

  /* a URI only: the full URI */
  const guint8 uri[] = {0xD1, 0x01, 0x08, 'U', 0x02, 'n', 'x', 'p', '.', 'c', 'o', 'm'};
  g_autoptr(MusterPayload) u = muster_payload_parse_ndef(uri, sizeof uri);
  assert_marking(u, MUSTER_PAYLOAD_NDEF, MUSTER_MARKING_NDEF, "HTTPS://WWW.NXP.COM");

  /* a broken Text record before a good one: the good one, and the problem said */
  const guint8 two[] = {0x91, 0x01, 0x02, 'T', 0x05, 'e', 0x51, 0x01, 0x03, 'T', 0x00, 'A', '7'};
  g_autoptr(MusterPayload) t = muster_payload_parse_ndef(two, sizeof two);
  assert_marking(t, MUSTER_PAYLOAD_NDEF, MUSTER_MARKING_NDEF, "A7");
  assert_problem(t, "bad status byte");

  /* media record only: no marking */
  const guint8 media[] = {0xD2, 0x03, 0x01, 'a', '/', 'b', 'x'};
  g_autoptr(MusterPayload) m = muster_payload_parse_ndef(media, sizeof media);
  g_assert_null(m->value);
  assert_problem(m, "no Text or URI record");
  g_assert_cmpstr(m->text, ==, "D20301612F6278");

  /* malformed: cut short */
  g_autoptr(MusterPayload) cut = muster_payload_parse_ndef(msg, 10);
  g_assert_null(cut->value);
  assert_problem(cut, "cut short");

  /* an Absolute-URI record with an empty type (found by fuzz-payload) */
  const guint8 abs_empty[] = {0xD3, 0x00, 0x01, 'x'};
  g_autoptr(MusterPayload) ae = muster_payload_parse_ndef(abs_empty, sizeof abs_empty);
  g_assert_null(ae->value);
  assert_problem(ae, "empty");

  g_autoptr(MusterPayload) none = muster_payload_parse_ndef(NULL, 0);
  g_assert_null(none->value);
  assert_problem(none, "empty");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/payload/format-names", test_format_names);
  g_test_add_func("/payload/plain", test_plain);
  g_test_add_func("/payload/iso15434-uii", test_iso15434_uii);
  g_test_add_func("/payload/iso15434-no-uii", test_iso15434_no_uii);
  g_test_add_func("/payload/gs1", test_gs1);
  g_test_add_func("/payload/garbage", test_garbage);
  g_test_add_func("/payload/ndef", test_ndef);
  return g_test_run();
}
