/*
 * test-uii.c: the concatenated UII from a mark's data elements.
 *
 * Each case gives the elements a mark carries and the UII MIL-STD-130N (tables A-I,
 * A-II) or the DoD IUID guides derive from them; the published examples are the DoD
 * guide's D0CVA51234786950 (construct 2), Brady's DA33091234567 (construct 1, TEI) and
 * Microscan's DOCVA5674A36458 (18S).
 */
#include "core/muster-error.h"
#include "marking/uii.h"

#include <string.h>

typedef struct {
  const char *elements; /* "Q=V;Q=V" */
  const char *want;     /* NULL: no UII */
  const char *rule;     /* part of the rule description */
} Case;

static GHashTable *
fields_from(const char *elements)
{
  GHashTable *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = g_strsplit(elements, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++) {
    if (*pairs[i] == '\0')
      continue;
    g_auto(GStrv) kv = g_strsplit(pairs[i], "=", 2);
    g_hash_table_insert(fields, g_strdup(kv[0]), g_strdup(kv[1]));
  }
  return fields;
}

static const Case cases[] = {
    /* complete UIIs win over anything else present */
    {"25S=UN043325711786950;17V=0CVA5;S=1", "UN043325711786950", "complete UII (25S)"},
    {"UID=D0CVA5786950", "D0CVA5786950", "complete UII (UID)"},
    /* construct 1 */
    {"18S=OCVA5674A36458", "DOCVA5674A36458", "construct 1: D + 18S"},
    {"CAG=A3309;SER=1234567", "DA33091234567", "construct 1: D + CAG + SER"},
    {"MFR=0CVA5;SER=674A36458", "D0CVA5674A36458", "construct 1: D + MFR + SER"},
    {"DUN=043325711;SER=786950", "UN043325711786950", "construct 1: UN + DUN + SER"},
    /* current part number (PNO) beside SER is not part of a construct 1 UII */
    {"MFR=0CVA5;PNO=1234;SER=786950", "D0CVA5786950", "construct 1"},
    /* construct 2 */
    {"17V=0CVA5;1P=1234;S=786950", "D0CVA51234786950", "construct 2: D + 17V + 1P + S"},
    {"12V=043325711;1P=MX1234;S=786950", "UN043325711MX1234786950", "construct 2: UN"},
    {"7L=W56HZV;1P=A1;S=9", "LDW56HZVA19", "construct 2: LD + 7L"},
    {"18V=LH0CVA5;1P=A1;S=9", "LH0CVA5A19", "construct 2: 18V"},
    {"17V=0CVA5;1T=LOT5;S=12", "D0CVA5LOT512", "construct 2: D + 17V + 1T + S"},
    {"MFR=0CVA5;PNO=1234;SEQ=786950", "D0CVA51234786950", "construct 2: D + MFR + PNO"},
    {"DUN=043325711;LOT=L7;SEQ=1", "UN043325711L71", "construct 2: UN + DUN + LOT"},
    /* equivalents */
    {"I=1HGCM82633A004352", "1HGCM82633A004352", "VIN"},
    {"8004=061414112345", "061414112345", "GIAI"},
    {"8003=00614141000418A12", "00614141000418A12", "GRAI"},
    {"01=00614141999996;21=SN-0001", "00614141999996SN-0001", "GTIN + serial"},
    /* older marks: enterprise DI and S without a part number */
    {"17V=0CVA5;S=786950", "D0CVA5786950", "construct 1: D + 17V + S"},
    /* no UII */
    {"8003=00614141000418", NULL, NULL}, /* GRAI without serial: an asset type */
    {"01=00614141999996", NULL, NULL},
    {"17V=0CVA5;1P=1234", NULL, NULL},
    {"SER=786950", NULL, NULL},
    {"", NULL, NULL},
};

static void
test_rules(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GHashTable) fields = fields_from(cases[i].elements);
    g_autoptr(GError) error = NULL;
    const char *rule = NULL;
    g_autofree char *uii = muster_uii_from_fields(fields, &rule, &error);
    g_test_message("case %u: %s", i, cases[i].elements);
    if (cases[i].want != NULL) {
      g_assert_no_error(error);
      g_assert_cmpstr(uii, ==, cases[i].want);
      g_assert_nonnull(strstr(rule, cases[i].rule));
    } else {
      g_assert_null(uii);
      g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
      g_assert_nonnull(strstr(error->message, "make no UII"));
    }
  }
}

static void
test_error_names_elements(void)
{
  g_autoptr(GHashTable) fields = fields_from("1P=1234;17V=0CVA5;30T=X");
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_uii_from_fields(fields, NULL, &error));
  g_assert_nonnull(strstr(error->message, "(17V, 1P, 30T)")); /* sorted, so stable */

  g_autoptr(GError) none = NULL;
  g_assert_null(muster_uii_from_fields(NULL, NULL, &none));
  g_assert_nonnull(strstr(none->message, "(none)"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/uii/rules", test_rules);
  g_test_add_func("/uii/error-names-elements", test_error_names_elements);
  return g_test_run();
}
