/*
 * marking.c: normalisation of every marking kind, and the ISO 3166 country table.
 *
 * A marking is matched by its normalised value only, so every path into the record
 * store (CSV import, a typed query, a reader) must produce the same bytes for the same
 * physical mark. Upper-casing is done per character with g_unichar_toupper() after NFC
 * composition rather than with g_utf8_strup(), which depends on the locale: the same
 * serial must give the same key on every appliance. Control characters are refused
 * rather than stripped: a tab or GS inside a serial means the text was not a plain
 * marking (a wedge scanner fault, an unparsed ISO 15434 payload) and must not silently
 * match something else.
 */
#include "marking/marking.h"
#include "core/muster-error.h"

#include <string.h>

#define MARKING_MAX_CHARS 256

/* The kinds, and whether a value of the kind identifies one physical tag or item by
 * design (see muster_marking_kind_is_unique()). */
static const struct {
  const char *name;
  gboolean unique;
} kinds[] = {
    [MUSTER_MARKING_ENGRAVED_SERIAL] = {"engraved_serial", FALSE},
    [MUSTER_MARKING_BARCODE] = {"barcode", FALSE},
    [MUSTER_MARKING_DATAMATRIX_UII] = {"datamatrix_uii", TRUE},
    [MUSTER_MARKING_HF_UID] = {"hf_uid", TRUE},
    [MUSTER_MARKING_UHF_EPC] = {"uhf_epc", TRUE},
    [MUSTER_MARKING_NDEF] = {"ndef", FALSE},
};

const MusterClosedList muster_marking_kind_list = MUSTER_CLOSED_LIST(kinds);

static const char *const component_names[] = {
    "frame", "barrel", "slide", "bolt", "cylinder",
};

const MusterClosedList muster_marking_component_list = MUSTER_CLOSED_LIST(component_names);

const char *
muster_marking_kind_to_string(MusterMarkingKind kind)
{
  return muster_closed_list_name(&muster_marking_kind_list, kind);
}

gboolean
muster_marking_kind_from_string(const char *s, MusterMarkingKind *out)
{
  int i = muster_closed_list_find(&muster_marking_kind_list, s);
  if (i >= 0)
    *out = (MusterMarkingKind)i;
  return i >= 0;
}

gboolean
muster_marking_component_valid(const char *component)
{
  return muster_closed_list_find(&muster_marking_component_list, component) >= 0;
}

gboolean
muster_marking_kind_is_unique(MusterMarkingKind kind)
{
  return (guint)kind < G_N_ELEMENTS(kinds) && kinds[kind].unique;
}

/* Valid UTF-8 without control characters; says which character is wrong. */
static gboolean
check_text(const char *text, const char *what, GError **error)
{
  if (text == NULL || !g_utf8_validate(text, -1, NULL)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The %s is not valid UTF-8 text.", what);
    return FALSE;
  }
  guint pos = 1;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p), pos++) {
    gunichar c = g_utf8_get_char(p);
    if (g_unichar_iscntrl(c)) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "The %s contains a control character (U+%04X) at position %u; type or "
                  "scan it again.", what, c, pos);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
is_ascii(const char *text)
{
  for (const guchar *p = (const guchar *)text; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

/* NFC-composed copy without surrounding (Unicode) white space. ASCII is already NFC,
 * and most serials are ASCII: that saves the normaliser's work on a bulk import. */
static char *
compose_trimmed(const char *text)
{
  g_autofree char *nfc = is_ascii(text) ? g_strdup(text)
                                        : g_utf8_normalize(text, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  const char *start = nfc;
  while (*start != '\0' && g_unichar_isspace(g_utf8_get_char(start)))
    start = g_utf8_next_char(start);
  const char *end = start + strlen(start);
  while (end > start) {
    const char *prev = g_utf8_prev_char(end);
    if (!g_unichar_isspace(g_utf8_get_char(prev)))
      break;
    end = prev;
  }
  return g_strndup(start, end - start);
}

/* Upper-cases per character; drops white space when squeeze is set. */
static char *
upper_chars(const char *text, gboolean squeeze)
{
  if (!squeeze && is_ascii(text))
    return g_ascii_strup(text, -1);
  GString *out = g_string_sized_new(strlen(text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (squeeze && g_unichar_isspace(c))
      continue;
    g_string_append_unichar(out, g_unichar_toupper(c));
  }
  return g_string_free(out, FALSE);
}

static char *
normalise_text(const char *text, const char *what, gboolean squeeze, GError **error)
{
  if (!check_text(text, what, error))
    return NULL;
  g_autofree char *trimmed = compose_trimmed(text);
  g_autofree char *value = upper_chars(trimmed, squeeze);
  if (*value == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "The %s is empty.", what);
    return NULL;
  }
  if (g_utf8_strlen(value, -1) > MARKING_MAX_CHARS) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The %s is longer than %d characters.", what, MARKING_MAX_CHARS);
    return NULL;
  }
  return g_steal_pointer(&value);
}

static gboolean
is_separator(char c)
{
  return c == ':' || c == ' ' || c == '-';
}

/* Hex digits with optional separators between whole bytes ("04:a1:b2", "04 A1 B2",
 * "04a1b2") to upper-case hex; NULL when it is not that shape. */
static char *
hex_without_separators(const char *text, const char **problem)
{
  GString *out = g_string_new(NULL);
  gsize group = 0;
  for (const char *p = text;; p++) {
    if (*p == '\0' || is_separator(*p)) {
      if (group == 0 || group % 2 != 0) {
        *problem = group == 0 ? "has an empty group between separators"
                              : "has a group with an odd number of hex digits";
        g_string_free(out, TRUE);
        return NULL;
      }
      if (*p == '\0')
        break;
      group = 0;
      continue;
    }
    if (!g_ascii_isxdigit(*p)) {
      *problem = "contains a character that is not a hex digit";
      g_string_free(out, TRUE);
      return NULL;
    }
    g_string_append_c(out, g_ascii_toupper(*p));
    group++;
  }
  return g_string_free(out, FALSE);
}

static char *
normalise_hex(const char *text, const char *what, gsize min_digits, gsize max_digits,
              gsize multiple, GError **error)
{
  if (!check_text(text, what, error))
    return NULL;
  g_autofree char *trimmed = g_strstrip(g_strdup(text));
  const char *problem = NULL;
  g_autofree char *hex = hex_without_separators(trimmed, &problem);
  if (hex == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The %s '%s' %s; write it as hex bytes such as 04:A1:B2:C3.", what, trimmed,
                problem);
    return NULL;
  }
  gsize n = strlen(hex);
  if (n < min_digits || n > max_digits || n % multiple != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The %s '%s' has %" G_GSIZE_FORMAT " hex digits; it must have %" G_GSIZE_FORMAT
                " to %" G_GSIZE_FORMAT ", in steps of %" G_GSIZE_FORMAT ".",
                what, trimmed, n, min_digits, max_digits, multiple);
    return NULL;
  }
  return g_steal_pointer(&hex);
}

char *
muster_marking_normalise(MusterMarkingKind kind, const char *text, GError **error)
{
  switch (kind) {
  case MUSTER_MARKING_ENGRAVED_SERIAL:
    return normalise_text(text, "serial number", FALSE, error);
  case MUSTER_MARKING_BARCODE:
    return normalise_text(text, "barcode", FALSE, error);
  case MUSTER_MARKING_NDEF:
    return normalise_text(text, "NDEF text", FALSE, error);
  case MUSTER_MARKING_DATAMATRIX_UII:
    return normalise_text(text, "Data Matrix UII", TRUE, error);
  case MUSTER_MARKING_HF_UID:
    return normalise_hex(text, "HF tag UID", 2, 32, 2, error);
  case MUSTER_MARKING_UHF_EPC:
    return normalise_hex(text, "UHF EPC", 24, 124, 4, error);
  }
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "Unknown marking kind %d.", kind);
  return NULL;
}

/* Pairs of hex digits joined by one kind of separator, at least min_groups of them. */
static gboolean
looks_like_separated_uid(const char *text, char sep, guint min_groups)
{
  guint groups = 0;
  const char *p = text;
  for (;;) {
    if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
      return FALSE;
    groups++;
    p += 2;
    if (*p == '\0')
      return groups >= min_groups;
    if (*p != sep)
      return FALSE;
    p++;
  }
}

char *
muster_marking_normalise_any(const char *text)
{
  if (!check_text(text, "marking", NULL))
    return NULL;
  g_autofree char *trimmed = compose_trimmed(text);
  if (looks_like_separated_uid(trimmed, ':', 2) || looks_like_separated_uid(trimmed, ' ', 4))
    return normalise_hex(trimmed, "HF tag UID", 2, MARKING_MAX_CHARS, 2, NULL);
  return normalise_text(trimmed, "marking", FALSE, NULL);
}

/* ISO 3166-1 alpha-2, officially assigned codes (249), sorted for bsearch. */
static const char country_codes[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
    "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
    "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
    "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
    "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
    "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
    "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
    "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
    "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
    "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
    "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
    "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
    "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
    "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
    "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

static int
compare_code(const void *key, const void *elem)
{
  return strcmp(key, elem);
}

gboolean
muster_country_code_valid(const char *code)
{
  if (code == NULL || strlen(code) != 2 || !g_ascii_isupper(code[0]) ||
      !g_ascii_isupper(code[1]))
    return FALSE;
  return bsearch(code, country_codes, G_N_ELEMENTS(country_codes), sizeof country_codes[0],
                 compare_code) != NULL;
}
