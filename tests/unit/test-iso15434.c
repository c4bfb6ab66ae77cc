/*
 * test-iso15434.c: splitting ISO/IEC 15434 messages into formats and data elements.
 *
 * The messages are the published IUID examples (DoD guide, MIL-STD-130N figures, Brady
 * and Microscan manuals) and the ways real marks and wedge scanners deviate from them:
 * a dropped EOT or RS, several formats, unknown formats, junk elements.
 */
#include "core/muster-error.h"
#include "marking/iso15434.h"

#include <string.h>

typedef struct {
  GHashTable *fields;
  GPtrArray *problems;
} Parsed;

static void
parsed_clear(Parsed *p)
{
  g_clear_pointer(&p->fields, g_hash_table_unref);
  g_clear_pointer(&p->problems, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Parsed, parsed_clear)

static Parsed
parse(const char *s)
{
  Parsed p = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
              g_ptr_array_new_with_free_func(g_free)};
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_iso15434_parse(s, strlen(s), p.fields, p.problems, &error));
  g_assert_no_error(error);
  return p;
}

static void
assert_problem(const Parsed *p, const char *part)
{
  for (guint i = 0; i < p->problems->len; i++)
    if (strstr(p->problems->pdata[i], part) != NULL)
      return;
  g_error("no problem mentions '%s' (%u problems)", part, p->problems->len);
}

static void
test_format06(void)
{
  /* DoD guide construct #2: CAGE 0CVA5, part number 1234, serial 786950 */
  g_auto(Parsed) p = parse("[)>\x1e"
                           "06\x1d"
                           "17V0CVA5\x1d"
                           "1P1234\x1d"
                           "S786950\x1e\x04");
  g_assert_cmpuint(p.problems->len, ==, 0);
  g_assert_cmpuint(g_hash_table_size(p.fields), ==, 3);
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "17V"), ==, "0CVA5");
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "1P"), ==, "1234");
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "S"), ==, "786950");
}

static void
test_format12_and_dd(void)
{
  /* Brady's construct #1 with TEIs, no space after the TEI */
  g_auto(Parsed) p = parse("[)>\x1e"
                           "12\x1d"
                           "CAGA3309\x1d"
                           "SER1234567\x1e\x04");
  g_assert_cmpuint(p.problems->len, ==, 0);
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "CAG"), ==, "A3309");
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "SER"), ==, "1234567");

  /* format DD, TEI followed by a space as in ATA Spec 2000 */
  g_auto(Parsed) dd = parse("[)>\x1e"
                            "DD\x1d"
                            "MFR 0CVA5\x1d"
                            "SER 674A36458\x1e\x04");
  g_assert_cmpuint(dd.problems->len, ==, 0);
  g_assert_cmpstr(g_hash_table_lookup(dd.fields, "MFR"), ==, "0CVA5");
  g_assert_cmpstr(g_hash_table_lookup(dd.fields, "SER"), ==, "674A36458");
}

static void
test_several_formats(void)
{
  /* a GS1 format and a DI format in one envelope */
  g_auto(Parsed) p = parse("[)>\x1e"
                           "05\x1d"
                           "8004061414112345\x1e"
                           "06\x1d"
                           "30TLOT7\x1d"
                           "25SUN043325711786950\x1e\x04");
  g_assert_cmpuint(p.problems->len, ==, 0);
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "8004"), ==, "061414112345");
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "30T"), ==, "LOT7");
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "25S"), ==, "UN043325711786950");
}

static void
test_missing_trailer(void)
{
  /* a wedge scanner that drops EOT, and a mark without its last RS */
  g_auto(Parsed) no_eot = parse("[)>\x1e"
                                "06\x1d"
                                "18S0CVA5674A36458\x1e");
  g_assert_cmpstr(g_hash_table_lookup(no_eot.fields, "18S"), ==, "0CVA5674A36458");
  g_assert_cmpuint(no_eot.problems->len, ==, 1);
  assert_problem(&no_eot, "does not end with EOT");

  g_auto(Parsed) no_rs = parse("[)>\x1e"
                               "06\x1d"
                               "18S0CVA5674A36458\x04");
  g_assert_cmpstr(g_hash_table_lookup(no_rs.fields, "18S"), ==, "0CVA5674A36458");
  assert_problem(&no_rs, "not closed by RS");

  g_auto(Parsed) neither = parse("[)>\x1e"
                                 "06\x1d"
                                 "18S0CVA5674A36458");
  g_assert_cmpstr(g_hash_table_lookup(neither.fields, "18S"), ==, "0CVA5674A36458");
  g_assert_cmpuint(neither.problems->len, ==, 2);

  g_auto(Parsed) after = parse("[)>\x1e"
                               "06\x1d"
                               "18SX1\x1e\x04"
                               "junk");
  assert_problem(&after, "4 bytes after the EOT");
}

static void
test_bad_elements(void)
{
  g_auto(Parsed) p = parse("[)>\x1e"
                           "06\x1d"
                           "17V0CVA5\x1d\x1d"
                           "abc\x1d"
                           "S\x1d"
                           "1P12\x01"
                           "34\x1d"
                           "17V1XYZ9\x1d"
                           "S42\x1e\x04");
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "17V"), ==, "0CVA5"); /* first kept */
  g_assert_cmpstr(g_hash_table_lookup(p.fields, "S"), ==, "42");
  g_assert_false(g_hash_table_contains(p.fields, "1P"));
  assert_problem(&p, "without a data identifier");
  assert_problem(&p, "S without data");
  assert_problem(&p, "repeats 17V");
  g_assert_cmpuint(p.problems->len, ==, 4);

  g_auto(Parsed) unknown = parse("[)>\x1e"
                                 "07\x1d"
                                 "free text\x1e"
                                 "06\x1d"
                                 "25SDX1\x1e\x04");
  assert_problem(&unknown, "Format 07 is not one Muster reads");
  g_assert_cmpstr(g_hash_table_lookup(unknown.fields, "25S"), ==, "DX1");

  g_auto(Parsed) binary = parse("[)>\x1e"
                                "09\x1d"
                                "\x1e\x1e"
                                "06\x1d"
                                "25SDX1\x1e\x04");
  assert_problem(&binary, "Format 09");
  g_assert_cmpuint(g_hash_table_size(binary.fields), ==, 0);

  g_auto(Parsed) gs1 = parse("[)>\x1e"
                             "05\x1d"
                             "0100614141999995\x1e\x04");
  assert_problem(&gs1, "Format 05: GS1 data failed GS1's checks: AI (01)");

  g_auto(Parsed) nogs = parse("[)>\x1e"
                              "0625SDX1\x1e\x04");
  assert_problem(&nogs, "no GS after its code");
  g_auto(Parsed) nocode = parse("[)>\x1e\x1d\x1e\x04");
  assert_problem(&nocode, "no format code");
  g_auto(Parsed) empty = parse("[)>\x1e\x04");
  g_assert_cmpuint(empty.problems->len, ==, 0);
  g_assert_cmpuint(g_hash_table_size(empty.fields), ==, 0);
}

static void
test_not_a_message(void)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_iso15434_parse("[)>06", 5, fields, problems, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_false(muster_iso15434_is_message("[)>", 3));
  g_assert_false(muster_iso15434_is_message(NULL, 0));
  g_assert_true(muster_iso15434_is_message("[)>\x1e", 4));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/iso15434/format06", test_format06);
  g_test_add_func("/iso15434/format12-and-dd", test_format12_and_dd);
  g_test_add_func("/iso15434/several-formats", test_several_formats);
  g_test_add_func("/iso15434/missing-trailer", test_missing_trailer);
  g_test_add_func("/iso15434/bad-elements", test_bad_elements);
  g_test_add_func("/iso15434/not-a-message", test_not_a_message);
  return g_test_run();
}
