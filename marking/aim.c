/*
 * aim.c: the table of AIM symbology identifiers (see aim.h).
 *
 * Names are Muster's symbology names, as readers report them (scan.symbology). Adding a
 * symbology is a line in symbologies[].
 */
#include "marking/aim.h"

#include <string.h>

/* The code characters ISO/IEC 15424 assigns (A Code 39, C Code 128, d Data Matrix, E
 * EAN/UPC, e GS1 DataBar, J DotCode, Q QR Code, z Aztec, X other ...). */
#define KNOWN_CODES "ABCDEFGHIJKLMNOPQRSTUXYZdeghz"

/* Code character and modifier ('*' = any) → name; first match wins. */
static const struct {
  char code;
  char modifier;
  const char *name;
} symbologies[] = {
    {'C', '1', "gs1-128"},        {'C', '*', "code128"},     {'A', '*', "code39"},
    {'E', '4', "ean8"},           {'E', '*', "ean13"},       {'I', '*', "itf"},
    {'d', '2', "gs1-datamatrix"}, {'d', '8', "gs1-datamatrix"}, {'d', '*', "datamatrix"},
    {'Q', '3', "gs1-qrcode"},
    {'Q', '*', "qrcode"},         {'L', '*', "pdf417"},      {'z', '*', "aztec"},
    {'e', '*', "gs1-databar"},    {'G', '*', "code93"},      {'F', '*', "codabar"},
    {'J', '1', "gs1-dotcode"},    {'J', '*', "dotcode"},
};

/* ]d8: a GS1 rectangular Data Matrix (DMRE, ISO/IEC 21471 adds 6 to the modifier). */
static const char *const gs1_ids[] = {"]C1", "]d2", "]d8", "]Q3", "]e0", "]J1"};
static const char *const ean_ids[] = {"]E0", "]E4"};

gboolean
muster_aim_is_identifier(const char *data, gsize len)
{
  return data != NULL && len >= MUSTER_AIM_LEN && data[0] == ']' && g_ascii_isalpha(data[1]) &&
         g_ascii_isalnum(data[2]);
}

gboolean
muster_aim_code_known(const char *aim)
{
  return strchr(KNOWN_CODES, aim[1]) != NULL;
}

const char *
muster_aim_symbology(const char *aim)
{
  if (!muster_aim_is_identifier(aim, strnlen(aim, MUSTER_AIM_LEN)))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(symbologies); i++)
    if (symbologies[i].code == aim[1] &&
        (symbologies[i].modifier == '*' || symbologies[i].modifier == aim[2]))
      return symbologies[i].name;
  return NULL;
}

static gboolean
one_of(const char *const *ids, gsize n, const char *aim)
{
  for (gsize i = 0; i < n; i++)
    if (strncmp(aim, ids[i], MUSTER_AIM_LEN) == 0)
      return TRUE;
  return FALSE;
}

gboolean
muster_aim_is_gs1(const char *aim)
{
  return one_of(gs1_ids, G_N_ELEMENTS(gs1_ids), aim);
}

gboolean
muster_aim_is_ean(const char *aim)
{
  return one_of(ean_ids, G_N_ELEMENTS(ean_ids), aim);
}
