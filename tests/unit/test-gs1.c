/*
 * test-gs1.c: GS1 element strings split by the AI table, with check digits and dates.
 *
 * Examples are GS1's own sample keys (GTIN 00614141999996, 09506000134352, GRAI
 * 00614141000418, GIAI 0614141...) laid out as a GS1 Data Matrix decoder hands them
 * over: FNC1 as GS, no symbology identifier.
 */
#include "core/muster-error.h"
#include "marking/gs1.h"

#include <string.h>

static GHashTable *
fields_new(void)
{
  return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static GHashTable *
parse_ok(const char *s)
{
  GHashTable *fields = fields_new();
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_gs1_parse(s, strlen(s), fields, &error));
  g_assert_no_error(error);
  return fields;
}

static char *
parse_fails(const char *s, GHashTable **fields_out)
{
  g_autoptr(GHashTable) fields = fields_new();
  GError *error = NULL;
  g_assert_false(muster_gs1_parse(s, strlen(s), fields, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  char *msg = g_strdup(error->message);
  g_error_free(error);
  if (fields_out != NULL)
    *fields_out = g_steal_pointer(&fields);
  return msg;
}

static void
test_check_digit(void)
{
  g_assert_true(muster_gs1_check_digit_valid("00614141999996", 14));
  g_assert_true(muster_gs1_check_digit_valid("09506000134352", 14));
  g_assert_true(muster_gs1_check_digit_valid("4006381333931", 13));      /* EAN-13 */
  g_assert_true(muster_gs1_check_digit_valid("376104250021234569", 18)); /* SSCC */
  g_assert_false(muster_gs1_check_digit_valid("00614141999995", 14));
  g_assert_false(muster_gs1_check_digit_valid("0061414199999X", 14));
  g_assert_false(muster_gs1_check_digit_valid("7", 1));
  g_assert_false(muster_gs1_check_digit_valid(NULL, 0));
}

static void
test_fixed_and_variable(void)
{
  /* (01) fixed, (17) fixed date, (10) variable up to GS, (21) variable to the end */
  g_autoptr(GHashTable) f = parse_ok("0109506000134352172012251"
                                     "0ABC123\x1d"
                                     "21SN-0001");
  g_assert_cmpuint(g_hash_table_size(f), ==, 4);
  g_assert_cmpstr(g_hash_table_lookup(f, "01"), ==, "09506000134352");
  g_assert_cmpstr(g_hash_table_lookup(f, "17"), ==, "201225");
  g_assert_cmpstr(g_hash_table_lookup(f, "10"), ==, "ABC123");
  g_assert_cmpstr(g_hash_table_lookup(f, "21"), ==, "SN-0001");
}

static void
test_asset_identifiers(void)
{
  g_autoptr(GHashTable) giai = parse_ok("8004061414112345");
  g_assert_cmpstr(g_hash_table_lookup(giai, "8004"), ==, "061414112345");

  /* GRAI: 0 + 12 digits + check digit, then the serial */
  g_autoptr(GHashTable) grai = parse_ok("800300614141000418A12"
                                        "\x1d"
                                        "2400-123");
  g_assert_cmpstr(g_hash_table_lookup(grai, "8003"), ==, "00614141000418A12");
  g_assert_cmpstr(g_hash_table_lookup(grai, "240"), ==, "0-123");

  /* a GS after a predefined-length AI is tolerated; net weight 3103 with its decimals */
  g_autoptr(GHashTable) w = parse_ok("0100614141999996\x1d"
                                     "3103001250"
                                     "\x1d"
                                     "250X-9");
  g_assert_cmpstr(g_hash_table_lookup(w, "3103"), ==, "001250");
  g_assert_cmpstr(g_hash_table_lookup(w, "250"), ==, "X-9");
  g_assert_cmpstr(muster_gs1_ai_title("8004"), ==, "GIAI");
  g_assert_cmpstr(muster_gs1_ai_title("3103"), ==, "MEASURE (31nn)");
  g_assert_null(muster_gs1_ai_title("8"));
  g_assert_null(muster_gs1_ai_title("800"));
}

static void
test_bad_strings(void)
{
  /* Microscan's published "05" example carries a GTIN whose check digit is wrong */
  g_autofree char *check = parse_fails("0100061414199999\x1d"
                                       "211A0B9C3D6",
                                       NULL);
  g_assert_nonnull(strstr(check, "(01) GTIN has a wrong check digit"));

  g_autofree char *month = parse_fails("0100614141999996"
                                       "17201325",
                                       NULL);
  g_assert_nonnull(strstr(month, "(17)"));
  g_assert_nonnull(strstr(month, "YYMMDD"));

  g_autofree char *shortgtin = parse_fails("01061414199999", NULL);
  g_assert_nonnull(strstr(shortgtin, "too short"));

  /* a serial of 21 characters: the FNC1 after it was lost */
  g_autofree char *longserial = parse_fails("21ABCDEFGHIJKLMNOPQRSTU", NULL);
  g_assert_nonnull(strstr(longserial, "longer than 20"));

  /* unknown AI: stops, keeping what came before */
  GHashTable *kept = NULL;
  g_autofree char *unknown = parse_fails("0100614141999996"
                                         "04123",
                                         &kept);
  g_assert_nonnull(strstr(unknown, "offset 16"));
  g_assert_cmpstr(g_hash_table_lookup(kept, "01"), ==, "00614141999996");
  g_hash_table_unref(kept);

  g_autofree char *letters = parse_fails("ABC", NULL);
  g_assert_nonnull(strstr(letters, "Application Identifier"));
  g_autofree char *space = parse_fails("21AB CD", NULL);
  g_assert_nonnull(strstr(space, "character set"));
  g_autofree char *empty = parse_fails("\x1d\x1d", NULL);
  g_assert_nonnull(strstr(empty, "empty"));
  g_autofree char *twice = parse_fails("21A\x1d"
                                       "21B",
                                       NULL);
  g_assert_nonnull(strstr(twice, "twice"));
  g_autofree char *ai_only = parse_fails("21", NULL);
  g_assert_nonnull(strstr(ai_only, "too short"));
  g_autofree char *nondigit = parse_fails("01006141419999X6", NULL);
  g_assert_nonnull(strstr(nondigit, "non-digit"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/gs1/check-digit", test_check_digit);
  g_test_add_func("/gs1/fixed-and-variable", test_fixed_and_variable);
  g_test_add_func("/gs1/asset-identifiers", test_asset_identifiers);
  g_test_add_func("/gs1/bad-strings", test_bad_strings);
  return g_test_run();
}
