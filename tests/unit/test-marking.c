/*
 * test-marking.c: normalisation of every marking kind, and the country table.
 *
 * Pure functions, no database: each case states the text a person or reader produces
 * and the one key the record store must see, or that the text is refused.
 */
#include "core/muster-error.h"
#include "marking/marking.h"

#include <string.h>

typedef struct {
  MusterMarkingKind kind;
  const char *text;
  const char *want; /* NULL: refused */
} Case;

static void
check_cases(const Case *cases, gsize n)
{
  for (gsize i = 0; i < n; i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *got = muster_marking_normalise(cases[i].kind, cases[i].text, &error);
    if (cases[i].want != NULL) {
      g_assert_no_error(error);
      g_assert_cmpstr(got, ==, cases[i].want);
    } else {
      g_assert_null(got);
      g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
    }
  }
}

static void
test_kind_strings(void)
{
  const char *names[] = {"engraved_serial", "barcode", "datamatrix_uii", "hf_uid", "uhf_epc",
                         "ndef"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    MusterMarkingKind kind;
    g_assert_true(muster_marking_kind_from_string(names[i], &kind));
    g_assert_cmpint(kind, ==, i);
    g_assert_cmpstr(muster_marking_kind_to_string(kind), ==, names[i]);
  }
  MusterMarkingKind kind = MUSTER_MARKING_NDEF;
  g_assert_false(muster_marking_kind_from_string("HF_UID", &kind));
  g_assert_false(muster_marking_kind_from_string("rfid", &kind));
  g_assert_false(muster_marking_kind_from_string(NULL, &kind));
  g_assert_cmpint(kind, ==, MUSTER_MARKING_NDEF);
  g_assert_cmpstr(muster_marking_kind_to_string(99), ==, "unknown");
  g_assert_true(muster_marking_kind_is_unique(MUSTER_MARKING_HF_UID));
  g_assert_true(muster_marking_kind_is_unique(MUSTER_MARKING_UHF_EPC));
  g_assert_true(muster_marking_kind_is_unique(MUSTER_MARKING_DATAMATRIX_UII));
  g_assert_false(muster_marking_kind_is_unique(MUSTER_MARKING_ENGRAVED_SERIAL));
  g_assert_false(muster_marking_kind_is_unique(MUSTER_MARKING_BARCODE));
}

static void
test_components(void)
{
  const char *ok[] = {"frame", "barrel", "slide", "bolt", "cylinder"};
  for (guint i = 0; i < G_N_ELEMENTS(ok); i++)
    g_assert_true(muster_marking_component_valid(ok[i]));
  g_assert_false(muster_marking_component_valid("receiver"));
  g_assert_false(muster_marking_component_valid("Frame"));
  g_assert_false(muster_marking_component_valid(""));
  g_assert_false(muster_marking_component_valid(NULL));
}

static void
test_serial(void)
{
  const Case cases[] = {
      {MUSTER_MARKING_ENGRAVED_SERIAL, "gl-123456", "GL-123456"},
      {MUSTER_MARKING_ENGRAVED_SERIAL, "  ab 12  ", "AB 12"},
      /* inner runs are part of the engraving and stay as they are */
      {MUSTER_MARKING_ENGRAVED_SERIAL, "AB  12--3", "AB  12--3"},
      /* Cyrillic serials upper-case too; no locale is involved */
      {MUSTER_MARKING_ENGRAVED_SERIAL, "аб 1234", "АБ 1234"},
      /* decomposed é (e + U+0301) composes, so both spellings give one key */
      {MUSTER_MARKING_ENGRAVED_SERIAL, "e\xcc\x81-1", "\xc3\x89-1"},
      {MUSTER_MARKING_ENGRAVED_SERIAL, "\xc2\xa0X1\xc2\xa0", "X1"}, /* no-break spaces */
      {MUSTER_MARKING_BARCODE, " 4006381333931 ", "4006381333931"},
      {MUSTER_MARKING_NDEF, "urn:x:Item-7", "URN:X:ITEM-7"},
      {MUSTER_MARKING_ENGRAVED_SERIAL, "", NULL},
      {MUSTER_MARKING_ENGRAVED_SERIAL, "   ", NULL},
      {MUSTER_MARKING_ENGRAVED_SERIAL, "AB\t12", NULL},
      {MUSTER_MARKING_ENGRAVED_SERIAL, "AB\n12", NULL},
      {MUSTER_MARKING_ENGRAVED_SERIAL, "AB\x1d" "12", NULL}, /* GS from a DM payload */
      {MUSTER_MARKING_BARCODE, "AB\x7f", NULL},
      {MUSTER_MARKING_BARCODE, "AB\xc2\x85", NULL}, /* C1 control U+0085 */
      {MUSTER_MARKING_ENGRAVED_SERIAL, "\xff\xfe", NULL},
  };
  check_cases(cases, G_N_ELEMENTS(cases));
}

static void
test_serial_messages(void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *v = muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, "AB\tC", &error);
  g_assert_null(v);
  g_assert_nonnull(strstr(error->message, "U+0009"));
  g_assert_nonnull(strstr(error->message, "position 3"));
  g_autoptr(GString) long_serial = g_string_new(NULL);
  for (int i = 0; i < 257; i++)
    g_string_append_c(long_serial, 'A');
  g_autoptr(GError) error2 = NULL;
  g_assert_null(muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, long_serial->str,
                                         &error2));
  g_assert_nonnull(strstr(error2->message, "longer than 256"));
  g_string_truncate(long_serial, 256);
  g_autofree char *ok =
      muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, long_serial->str, NULL);
  g_assert_cmpstr(ok, ==, long_serial->str);
  g_assert_null(muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, NULL, NULL));
}

static void
test_hf_uid(void)
{
  const Case cases[] = {
      {MUSTER_MARKING_HF_UID, "04:a1:b2", "04A1B2"},
      {MUSTER_MARKING_HF_UID, "04 A1 B2", "04A1B2"},
      {MUSTER_MARKING_HF_UID, "04a1b2", "04A1B2"},
      {MUSTER_MARKING_HF_UID, "04-A1-B2-C3", "04A1B2C3"},
      {MUSTER_MARKING_HF_UID, " 04:A1:B2:C3:D4:E5:F6 ", "04A1B2C3D4E5F6"},
      {MUSTER_MARKING_HF_UID, "04A1:B2C3", "04A1B2C3"}, /* groups of whole bytes */
      {MUSTER_MARKING_HF_UID, "04A1B", NULL},           /* odd length */
      {MUSTER_MARKING_HF_UID, "0:4A1B2", NULL},         /* a group that splits a byte */
      {MUSTER_MARKING_HF_UID, "04::A1", NULL},          /* empty group */
      {MUSTER_MARKING_HF_UID, "04:A1:", NULL},
      {MUSTER_MARKING_HF_UID, "04G1B2", NULL},
      {MUSTER_MARKING_HF_UID, "", NULL},
      {MUSTER_MARKING_HF_UID, "04:A1\t", NULL},
      {MUSTER_MARKING_HF_UID, "00112233445566778899AABBCCDDEEFF", "00112233445566778899AABBCCDDEEFF"},
      {MUSTER_MARKING_HF_UID, "00112233445566778899AABBCCDDEEFF00", NULL}, /* 17 bytes */
  };
  check_cases(cases, G_N_ELEMENTS(cases));
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_marking_normalise(MUSTER_MARKING_HF_UID, "04A1B", &error));
  g_assert_nonnull(strstr(error->message, "'04A1B'"));
}

static void
test_uhf_epc(void)
{
  const Case cases[] = {
      {MUSTER_MARKING_UHF_EPC, "3034257bf7194e4000000001", "3034257BF7194E4000000001"},
      {MUSTER_MARKING_UHF_EPC, "3034 257B F719 4E40 0000 0001", "3034257BF7194E4000000001"},
      {MUSTER_MARKING_UHF_EPC, "3034257BF7194E400000001", NULL},  /* 23 digits */
      {MUSTER_MARKING_UHF_EPC, "3034257BF7194E40000001", NULL},   /* 22: not 96 bits */
      {MUSTER_MARKING_UHF_EPC, "3034257BF7194E40000000010001", "3034257BF7194E40000000010001"},
      {MUSTER_MARKING_UHF_EPC, "3034257BF7194E4000000001000", NULL}, /* not whole words */
      {MUSTER_MARKING_UHF_EPC, "3034257BF7194E40000000ZZ", NULL},
  };
  check_cases(cases, G_N_ELEMENTS(cases));
}

static void
test_uii(void)
{
  const Case cases[] = {
      {MUSTER_MARKING_DATAMATRIX_UII, "d 12345 abc 678", "D12345ABC678"},
      {MUSTER_MARKING_DATAMATRIX_UII, "UN123456789SN1", "UN123456789SN1"},
      {MUSTER_MARKING_DATAMATRIX_UII, "[)>\x1e" "06\x1d" "18S12", NULL}, /* raw, unparsed */
      {MUSTER_MARKING_DATAMATRIX_UII, " ", NULL},
  };
  check_cases(cases, G_N_ELEMENTS(cases));
}

static void
test_any(void)
{
  struct {
    const char *text;
    const char *want;
  } cases[] = {
      {"04:a1:b2", "04A1B2"},
      {"04:A1", "04A1"},
      {"04 a1 b2 c3", "04A1B2C3"},
      /* three spaced pairs could be a serial: kept as one */
      {"04 A1 B2", "04 A1 B2"},
      {"AB 12", "AB 12"},
      {"gl-123456", "GL-123456"},
      {"  04a1b2c3d4e5f6 ", "04A1B2C3D4E5F6"},
      {"3034257bf7194e4000000001", "3034257BF7194E4000000001"},
      {"04:A1:", "04:A1:"}, /* not a UID shape: a serial */
      {"", NULL},
      {"  ", NULL},
      {"A\tB", NULL},
      {"\xc3\x28", NULL},
      {NULL, NULL},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = muster_marking_normalise_any(cases[i].text);
    g_assert_cmpstr(got, ==, cases[i].want);
  }
}

/* What a person types must meet what a reader stored. */
static void
test_any_matches_kind(void)
{
  g_autofree char *stored = muster_marking_normalise(MUSTER_MARKING_HF_UID, "04A1B2C3D4E5F6",
                                                     NULL);
  g_autofree char *typed = muster_marking_normalise_any("04:a1:b2:c3:d4:e5:f6");
  g_assert_cmpstr(stored, ==, typed);
  g_autofree char *serial = muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, "ak-47 001",
                                                     NULL);
  g_autofree char *typed_serial = muster_marking_normalise_any(" AK-47 001");
  g_assert_cmpstr(serial, ==, typed_serial);
  /* normalising twice changes nothing */
  g_autofree char *again = muster_marking_normalise(MUSTER_MARKING_HF_UID, stored, NULL);
  g_assert_cmpstr(again, ==, stored);
}

static void
test_country_codes(void)
{
  const char *ok[] = {"DE", "US", "AT", "BE", "RU", "UA", "ZW", "AD", "SS", "BQ", "CW", "SX"};
  for (guint i = 0; i < G_N_ELEMENTS(ok); i++)
    g_assert_true(muster_country_code_valid(ok[i]));
  /* lower case, unassigned, user-assigned (XK), reserved (UK), withdrawn (YU, AN), and
   * not two letters */
  const char *bad[] = {"de", "De", "XX", "XK", "UK", "YU", "AN", "EU", "D", "DEU", "", "D1",
                       "ÄÖ"};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    g_assert_false(muster_country_code_valid(bad[i]));
  g_assert_false(muster_country_code_valid(NULL));
  /* the table holds every officially assigned code: count them */
  guint n = 0;
  char code[3] = {0};
  for (char a = 'A'; a <= 'Z'; a++)
    for (char b = 'A'; b <= 'Z'; b++) {
      code[0] = a;
      code[1] = b;
      n += muster_country_code_valid(code);
    }
  g_assert_cmpuint(n, ==, 249);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/marking/kind-strings", test_kind_strings);
  g_test_add_func("/marking/components", test_components);
  g_test_add_func("/marking/serial", test_serial);
  g_test_add_func("/marking/serial-messages", test_serial_messages);
  g_test_add_func("/marking/hf-uid", test_hf_uid);
  g_test_add_func("/marking/uhf-epc", test_uhf_epc);
  g_test_add_func("/marking/uii", test_uii);
  g_test_add_func("/marking/any", test_any);
  g_test_add_func("/marking/any-matches-kind", test_any_matches_kind);
  g_test_add_func("/marking/country-codes", test_country_codes);
  return g_test_run();
}
