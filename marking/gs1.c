/*
 * gs1.c: GS1 element strings, split and checked against a table of Application
 * Identifiers.
 *
 * The table holds the AIs met on assets and their labels (identification, dates, serials,
 * GIAI/GRAI, locations, internal AIs) rather than all ~500: an AI the table lacks stops the
 * parse with an error naming it, which is safer than guessing its length and mis-splitting
 * a serial. An 'n' in an AI pattern stands for any digit (31nn: net weights and the like).
 * Predefined-length AIs (GS1 General Specifications, figure 5.10.1-2) need no FNC1 after
 * them; every other AI's data runs to the next GS or the end. Check digits and YYMMDD
 * dates are verified, since a misread digit in a GTIN or GRAI would otherwise give a valid
 * looking but wrong key.
 */
#include "marking/gs1.h"
#include "core/muster-error.h"

#include <string.h>

typedef struct {
  const char *ai;    /* 'n' matches any digit */
  guint8 min, max;   /* data length */
  guint8 digits;     /* the first `digits` characters are digits; the rest GS1 set 82 */
  guint8 check;      /* a mod-10 check digit ends the first `check` digits; 0: none */
  gboolean date;     /* the data starts with YYMMDD */
  const char *title; /* GS1 data title */
} Gs1Ai;

static const Gs1Ai gs1_ais[] = {
    {"00", 18, 18, 18, 18, FALSE, "SSCC"},
    {"01", 14, 14, 14, 14, FALSE, "GTIN"},
    {"02", 14, 14, 14, 14, FALSE, "CONTENT"},
    {"10", 1, 20, 0, 0, FALSE, "BATCH/LOT"},
    {"11", 6, 6, 6, 0, TRUE, "PROD DATE"},
    {"12", 6, 6, 6, 0, TRUE, "DUE DATE"},
    {"13", 6, 6, 6, 0, TRUE, "PACK DATE"},
    {"15", 6, 6, 6, 0, TRUE, "BEST BEFORE"},
    {"16", 6, 6, 6, 0, TRUE, "SELL BY"},
    {"17", 6, 6, 6, 0, TRUE, "USE BY"},
    {"20", 2, 2, 2, 0, FALSE, "VARIANT"},
    {"21", 1, 20, 0, 0, FALSE, "SERIAL"},
    {"22", 1, 20, 0, 0, FALSE, "CPV"},
    {"235", 1, 28, 0, 0, FALSE, "TPX"},
    {"240", 1, 30, 0, 0, FALSE, "ADDITIONAL ID"},
    {"241", 1, 30, 0, 0, FALSE, "CUST. PART No."},
    {"242", 1, 6, 6, 0, FALSE, "MTO VARIANT"},
    {"243", 1, 20, 0, 0, FALSE, "PCN"},
    {"250", 1, 30, 0, 0, FALSE, "SECONDARY SERIAL"},
    {"251", 1, 30, 0, 0, FALSE, "REF. TO SOURCE"},
    {"253", 13, 30, 13, 13, FALSE, "GDTI"},
    {"254", 1, 20, 0, 0, FALSE, "GLN EXTENSION COMPONENT"},
    {"30", 1, 8, 8, 0, FALSE, "VAR. COUNT"},
    {"31nn", 6, 6, 6, 0, FALSE, "MEASURE (31nn)"},
    {"32nn", 6, 6, 6, 0, FALSE, "MEASURE (32nn)"},
    {"33nn", 6, 6, 6, 0, FALSE, "MEASURE (33nn)"},
    {"34nn", 6, 6, 6, 0, FALSE, "MEASURE (34nn)"},
    {"35nn", 6, 6, 6, 0, FALSE, "MEASURE (35nn)"},
    {"36nn", 6, 6, 6, 0, FALSE, "MEASURE (36nn)"},
    {"37", 1, 8, 8, 0, FALSE, "COUNT"},
    {"400", 1, 30, 0, 0, FALSE, "ORDER NUMBER"},
    {"401", 1, 30, 0, 0, FALSE, "GINC"},
    {"402", 17, 17, 17, 17, FALSE, "GSIN"},
    {"403", 1, 30, 0, 0, FALSE, "ROUTE"},
    {"410", 13, 13, 13, 13, FALSE, "SHIP TO LOC"},
    {"411", 13, 13, 13, 13, FALSE, "BILL TO"},
    {"412", 13, 13, 13, 13, FALSE, "PURCHASE FROM"},
    {"413", 13, 13, 13, 13, FALSE, "SHIP FOR LOC"},
    {"414", 13, 13, 13, 13, FALSE, "LOC No."},
    {"415", 13, 13, 13, 13, FALSE, "PAY TO"},
    {"416", 13, 13, 13, 13, FALSE, "PROD/SERV LOC"},
    {"417", 13, 13, 13, 13, FALSE, "PARTY"},
    {"420", 1, 20, 0, 0, FALSE, "SHIP TO POST"},
    {"421", 4, 12, 3, 0, FALSE, "SHIP TO POST"},
    {"422", 3, 3, 3, 0, FALSE, "ORIGIN"},
    {"7003", 10, 10, 10, 0, TRUE, "EXPIRY TIME"},
    {"7240", 1, 20, 0, 0, FALSE, "PROTOCOL"},
    {"8002", 1, 20, 0, 0, FALSE, "CMT No."},
    {"8003", 14, 30, 14, 14, FALSE, "GRAI"},
    {"8004", 1, 30, 0, 0, FALSE, "GIAI"},
    {"8006", 18, 18, 18, 14, FALSE, "ITIP"},
    {"8017", 18, 18, 18, 18, FALSE, "GSRN - PROVIDER"},
    {"8018", 18, 18, 18, 18, FALSE, "GSRN - RECIPIENT"},
    {"8020", 1, 25, 0, 0, FALSE, "REF No."},
    {"90", 1, 30, 0, 0, FALSE, "INTERNAL"},
    {"9n", 1, 90, 0, 0, FALSE, "INTERNAL"},
};

/* AIs whose data has a predefined length: no FNC1 follows them. */
static const char *const predefined_prefixes[] = {
    "00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20", "31", "32", "33", "34", "35", "36", "41",
};

/* GS1 AI encodable character set 82. */
static gboolean
is_cset82(char c)
{
  return c != '\0' && (g_ascii_isalnum(c) || strchr("!\"%&'()*+,-./:;<=>?_", c) != NULL);
}

gboolean
muster_gs1_check_digit_valid(const char *digits, gsize n)
{
  if (digits == NULL || n < 2)
    return FALSE;
  guint sum = 0;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit(digits[i]))
      return FALSE;
  /* weights 3, 1, 3, ... from the digit left of the check digit */
  for (gsize i = 0; i + 1 < n; i++) {
    guint weight = (n - 2 - i) % 2 == 0 ? 3 : 1;
    sum += weight * (guint)(digits[i] - '0');
  }
  return (10 - sum % 10) % 10 == (guint)(digits[n - 1] - '0');
}

static gboolean
ai_matches(const char *pattern, const char *data, gsize avail)
{
  gsize n = strlen(pattern);
  if (avail < n)
    return FALSE;
  for (gsize i = 0; i < n; i++) {
    if (!g_ascii_isdigit(data[i]))
      return FALSE;
    if (pattern[i] != 'n' && pattern[i] != data[i])
      return FALSE;
  }
  return TRUE;
}

static const Gs1Ai *
find_ai(const char *data, gsize avail)
{
  for (guint i = 0; i < G_N_ELEMENTS(gs1_ais); i++)
    if (ai_matches(gs1_ais[i].ai, data, avail))
      return &gs1_ais[i];
  return NULL;
}

const char *
muster_gs1_ai_title(const char *ai)
{
  if (ai == NULL)
    return NULL;
  gsize n = strlen(ai);
  const Gs1Ai *entry = find_ai(ai, n);
  return entry != NULL && strlen(entry->ai) == n ? entry->title : NULL;
}

static gboolean
is_predefined(const char *ai)
{
  for (guint i = 0; i < G_N_ELEMENTS(predefined_prefixes); i++)
    if (strncmp(ai, predefined_prefixes[i], 2) == 0)
      return TRUE;
  return FALSE;
}

/* YYMMDD with a real month; day 00 means "end of month" in GS1. */
static gboolean
date_valid(const char *d)
{
  int month = (d[2] - '0') * 10 + (d[3] - '0');
  int day = (d[4] - '0') * 10 + (d[5] - '0');
  return month >= 1 && month <= 12 && day <= 31;
}

/* Checks one element's data; the message says what is wrong with it. */
static gboolean
check_data(const Gs1Ai *entry, const char *ai, const char *value, gsize n, GError **error)
{
  const char *why = NULL;
  if (n < entry->min)
    why = "is too short";
  for (gsize i = 0; why == NULL && i < n; i++) {
    if (i < entry->digits && !g_ascii_isdigit(value[i]))
      why = "has a non-digit where a digit must be";
    else if (!is_cset82(value[i]))
      why = "has a character outside the GS1 character set";
  }
  if (why == NULL && entry->check > 0 && !muster_gs1_check_digit_valid(value, entry->check))
    why = "has a wrong check digit (misprinted or misread)";
  if (why == NULL && entry->date && !date_valid(value))
    why = "is not a YYMMDD date";
  if (why == NULL)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "The GS1 element (%s) %s %s; scan the mark again", ai, entry->title, why);
  return FALSE;
}

static gboolean
store_field(GHashTable *fields, const char *ai, char *value, GError **error)
{
  const char *old = g_hash_table_lookup(fields, ai);
  if (old != NULL && strcmp(old, value) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The GS1 element (%s) appears twice with different data ('%s', '%s')", ai, old,
                value);
    g_free(value);
    return FALSE;
  }
  g_hash_table_replace(fields, g_strdup(ai), value);
  return TRUE;
}

/* Reads the element at *pos and moves *pos past it (and past its GS). */
static gboolean
parse_element(const char *data, gsize len, gsize *pos, GHashTable *fields, GError **error)
{
  const Gs1Ai *entry = find_ai(data + *pos, len - *pos);
  if (entry == NULL) {
    g_autofree char *start = g_strndup(data + *pos, MIN(len - *pos, 4));
    g_autofree char *shown = g_strescape(start, NULL);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The GS1 data at offset %" G_GSIZE_FORMAT " ('%s...') does not start with an "
                "Application Identifier Muster knows",
                *pos, shown);
    return FALSE;
  }
  gsize ai_len = strlen(entry->ai);
  char ai[5] = {0};
  memcpy(ai, data + *pos, ai_len);
  gsize start = *pos + ai_len;
  gsize end = start;
  if (is_predefined(ai))
    end = MIN(len, start + entry->max);
  else
    while (end < len && data[end] != MUSTER_GS1_GS && end - start <= entry->max)
      end++;
  if (end - start > entry->max) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The GS1 element (%s) %s is longer than %u characters (a missing FNC1 "
                "separator?)",
                ai, entry->title, entry->max);
    return FALSE;
  }
  if (!check_data(entry, ai, data + start, end - start, error))
    return FALSE;
  *pos = end < len && data[end] == MUSTER_GS1_GS ? end + 1 : end;
  return store_field(fields, ai, g_strndup(data + start, end - start), error);
}

gboolean
muster_gs1_parse(const char *data, gsize len, GHashTable *fields, GError **error)
{
  gsize pos = 0;
  guint elements = 0;
  while (pos < len) {
    if (data[pos] == MUSTER_GS1_GS) { /* FNC1 after a predefined-length AI, or doubled */
      pos++;
      continue;
    }
    if (!parse_element(data, len, &pos, fields, error))
      return FALSE;
    elements++;
  }
  if (elements == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The GS1 element string is empty");
    return FALSE;
  }
  return TRUE;
}
