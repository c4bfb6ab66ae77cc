/*
 * uii.c: UII derivation rules of MIL-STD-130N (w/Change 1) and the DoD IUID guides.
 *
 * Each rule names the qualifiers it needs, in concatenation order, and the IAC put in
 * front: "D" for a CAGE/NCAGE code (17V, 18S, MFR, CAG, SPL), "UN" for a DUNS number
 * (12V, DUN), "LD" for a DoDAAC (7L), nothing when the data already carries its IAC
 * (25S, UID, 18V, 3V) or is a GS1 key (whose company prefix is its own IAC). The first
 * rule whose qualifiers are all present wins, so complete UIIs (25S, UID) come first,
 * then construct #2 (enterprise, original part/lot number, serial within it), then
 * construct #1 (enterprise, serial within it), then the IUID equivalents (VIN, ESN, GS1
 * GIAI, serialised GRAI, GTIN + serial). Order matters only for a mark that carries
 * more than one construct, which MIL-STD-130 forbids; the complete UII is then trusted.
 *
 * Table A-II lists construct #1 by DI only as 18S (CAGE + serial) or 25S; marks made to
 * older guidance carry an enterprise DI and S without a part number, so those are read
 * as construct #1 too, after every standard rule.
 */
#include "marking/uii.h"
#include "core/muster-error.h"

#include <string.h>

typedef struct {
  const char *parts[3]; /* qualifiers, in concatenation order */
  const char *iac;      /* put in front of the data */
  const char *rule;     /* described to people */
} UiiRule;

static const UiiRule uii_rules[] = {
    /* complete UIIs */
    {{"25S"}, "", "complete UII (25S)"},
    {{"UID"}, "", "complete UII (UID)"},
    /* construct #2, data identifiers (table A-II): part number 1P or lot/batch 1T */
    {{"17V", "1P", "S"}, "D", "construct 2: D + 17V + 1P + S"},
    {{"12V", "1P", "S"}, "UN", "construct 2: UN + 12V + 1P + S"},
    {{"3V", "1P", "S"}, "", "construct 2: 3V + 1P + S"},
    {{"7L", "1P", "S"}, "LD", "construct 2: LD + 7L + 1P + S"},
    {{"18V", "1P", "S"}, "", "construct 2: 18V + 1P + S"},
    {{"17V", "1T", "S"}, "D", "construct 2: D + 17V + 1T + S"},
    {{"12V", "1T", "S"}, "UN", "construct 2: UN + 12V + 1T + S"},
    {{"3V", "1T", "S"}, "", "construct 2: 3V + 1T + S"},
    {{"7L", "1T", "S"}, "LD", "construct 2: LD + 7L + 1T + S"},
    {{"18V", "1T", "S"}, "", "construct 2: 18V + 1T + S"},
    /* construct #2, text element identifiers (table A-I): SEQ is the serial within the
     * part or lot number */
    {{"MFR", "PNO", "SEQ"}, "D", "construct 2: D + MFR + PNO + SEQ"},
    {{"CAG", "PNO", "SEQ"}, "D", "construct 2: D + CAG + PNO + SEQ"},
    {{"SPL", "PNO", "SEQ"}, "D", "construct 2: D + SPL + PNO + SEQ"},
    {{"DUN", "PNO", "SEQ"}, "UN", "construct 2: UN + DUN + PNO + SEQ"},
    {{"MFR", "LOT", "SEQ"}, "D", "construct 2: D + MFR + LOT + SEQ"},
    {{"CAG", "LOT", "SEQ"}, "D", "construct 2: D + CAG + LOT + SEQ"},
    {{"SPL", "LOT", "SEQ"}, "D", "construct 2: D + SPL + LOT + SEQ"},
    {{"DUN", "LOT", "SEQ"}, "UN", "construct 2: UN + DUN + LOT + SEQ"},
    /* construct #1 */
    {{"18S"}, "D", "construct 1: D + 18S"},
    {{"MFR", "SER"}, "D", "construct 1: D + MFR + SER"},
    {{"CAG", "SER"}, "D", "construct 1: D + CAG + SER"},
    {{"SPL", "SER"}, "D", "construct 1: D + SPL + SER"},
    {{"DUN", "SER"}, "UN", "construct 1: UN + DUN + SER"},
    /* IUID equivalents */
    {{"I"}, "", "IUID equivalent: VIN (I)"},
    {{"22S"}, "", "IUID equivalent: ESN (22S)"},
    {{"VIN"}, "", "IUID equivalent: VIN"},
    {{"ESN"}, "", "IUID equivalent: ESN"},
    {{"8004"}, "", "IUID equivalent: GS1 GIAI (8004)"},
    {{"8003"}, "", "IUID equivalent: GS1 serialised GRAI (8003)"},
    {{"01", "21"}, "", "IUID equivalent: GS1 GTIN + serial (01 + 21)"},
    /* construct #1 by enterprise DI and S, as older marks carry it */
    {{"17V", "S"}, "D", "construct 1: D + 17V + S"},
    {{"12V", "S"}, "UN", "construct 1: UN + 12V + S"},
    {{"3V", "S"}, "", "construct 1: 3V + S"},
    {{"7L", "S"}, "LD", "construct 1: LD + 7L + S"},
    {{"18V", "S"}, "", "construct 1: 18V + S"},
};

/* GRAI: 14 digits (padding zero, company prefix, asset type, check digit) then an
 * optional serial; only a GRAI with its serial names one asset. */
#define GRAI_KEY_LEN 14

static gboolean
rule_applies(const UiiRule *rule, GHashTable *fields)
{
  for (guint i = 0; i < G_N_ELEMENTS(rule->parts) && rule->parts[i] != NULL; i++)
    if (!g_hash_table_contains(fields, rule->parts[i]))
      return FALSE;
  if (strcmp(rule->parts[0], "8003") == 0)
    return strlen(g_hash_table_lookup(fields, "8003")) > GRAI_KEY_LEN;
  return TRUE;
}

static char *
concatenate(const UiiRule *rule, GHashTable *fields)
{
  GString *uii = g_string_new(rule->iac);
  for (guint i = 0; i < G_N_ELEMENTS(rule->parts) && rule->parts[i] != NULL; i++)
    g_string_append(uii, g_hash_table_lookup(fields, rule->parts[i]));
  return g_string_free(uii, FALSE);
}

static gint
compare_strings(gconstpointer a, gconstpointer b, gpointer user_data)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "17V, S" : the qualifiers present, sorted, for the error message. */
static char *
list_qualifiers(GHashTable *fields)
{
  g_autofree const char **keys = (const char **)g_hash_table_get_keys_as_array(fields, NULL);
  g_qsort_with_data(keys, g_hash_table_size(fields), sizeof *keys, compare_strings, NULL);
  return g_strjoinv(", ", (char **)keys);
}

char *
muster_uii_from_fields(GHashTable *fields, const char **rule, GError **error)
{
  for (guint i = 0; fields != NULL && i < G_N_ELEMENTS(uii_rules); i++) {
    if (rule_applies(&uii_rules[i], fields)) {
      if (rule != NULL)
        *rule = uii_rules[i].rule;
      return concatenate(&uii_rules[i], fields);
    }
  }
  g_autofree char *found = fields != NULL ? list_qualifiers(fields) : g_strdup("");
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "The mark's data elements (%s) make no UII: MIL-STD-130 needs an enterprise "
              "identifier and a serial number, or a complete UII (25S, UID)",
              *found != '\0' ? found : "none");
  return NULL;
}
