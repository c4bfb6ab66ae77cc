/*
 * check.c: the rules an item's fields must meet.
 *
 * One validation path serves a single add, every CSV row and every correction, so a
 * field is judged the same way wherever it comes from. It normalises in place what is
 * matched (marking values through marking/marking.c, location paths through
 * locations.c) but keeps the description as written, trimmed only: a serial engraved
 * in lower case is recorded in lower case, and matched by its key (item_serial_key()). It
 * collects every problem instead of stopping at the first, because an administrator
 * fixing a spreadsheet wants the whole list at once. Problems are plain phrases ("year
 * 1700 is out of range ..."); the caller adds where they were found (a CSV line, an
 * item).
 */
#include "db/items/items-private.h"
#include "db/locations.h"
#include "marking/marking.h"

#include <string.h>

#define FIELD_MAX_BYTES 1024
#define YEAR_MIN 1800

const char *const item_field_names[ITEM_N_FIELDS] = {
    "manufacturer",   "country_of_manufacture",
    "serial",         "model",
    "category",       "calibre",
    "year",           "import_country",
    "import_year",    "state_marking",
    "frame_material", "status",
    "location",       "custodian",
    "markings",
};

void
item_problem(GPtrArray *problems, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_ptr_array_add(problems, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

char *
item_problems_joined(GPtrArray *problems)
{
  g_ptr_array_add(problems, NULL);
  char *s = g_strjoinv("; ", (char **)problems->pdata);
  g_ptr_array_remove_index(problems, problems->len - 1);
  return s;
}

/* Trims the value (an empty one becomes NULL) and checks it is sane text. Line breaks
 * are allowed only in descriptive columns (multiline): a serial, a manufacturer or a
 * country split over two lines is a spreadsheet accident. */
void
item_check_text(GPtrArray *problems, const char *column, char **value, gboolean required,
                gboolean multiline)
{
  if (*value != NULL && *g_strstrip(*value) == '\0')
    g_clear_pointer(value, g_free);
  if (*value == NULL) {
    if (required)
      item_problem(problems, "%s is required", column);
    return;
  }
  if (!g_utf8_validate(*value, -1, NULL)) {
    item_problem(problems, "%s is not valid UTF-8 text", column);
    return;
  }
  if (strlen(*value) > FIELD_MAX_BYTES) {
    item_problem(problems, "%s is longer than %d bytes", column, FIELD_MAX_BYTES);
    return;
  }
  for (const char *p = *value; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (!g_unichar_iscntrl(c) || (multiline && (c == '\n' || c == '\r' || c == '\t')))
      continue;
    if (c == '\n' || c == '\r')
      item_problem(problems,
                   "%s spans more than one line (only model, category, calibre, "
                   "state_marking, frame_material and custodian may)",
                   column);
    else
      item_problem(problems, "%s contains a control character (U+%04X)", column, c);
    return;
  }
}

static void
check_country(GPtrArray *problems, const char *column, char **value, gboolean required)
{
  guint before = problems->len;
  item_check_text(problems, column, value, required, FALSE);
  if (*value == NULL || problems->len > before || muster_country_code_valid(*value))
    return;
  g_autofree char *upper = g_ascii_strup(*value, -1);
  if (muster_country_code_valid(upper))
    item_problem(problems, "%s '%s' must be written in upper case: %s", column, *value, upper);
  else
    item_problem(problems,
                 "%s '%s' is not an ISO 3166 country code; use two upper-case "
                 "letters such as DE or US",
                 column, *value);
}

static int
year_max(void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  return g_date_time_get_year(now) + 1;
}

static gboolean
year_in_range(gint64 year)
{
  return year >= YEAR_MIN && year <= year_max();
}

/* 0 is "unknown" in a MusterItem; the CSV says so with an empty cell instead. */
static gboolean
check_year(GPtrArray *problems, const char *column, gint64 year, gboolean zero_ok)
{
  if ((zero_ok && year == 0) || year_in_range(year))
    return TRUE;
  item_problem(problems, "%s %" G_GINT64_FORMAT " is out of range (%d to %d)", column, year,
               YEAR_MIN, year_max());
  return FALSE;
}

int
item_parse_year(GPtrArray *problems, const char *column, const char *text)
{
  g_autofree char *t = g_strstrip(g_strdup(text != NULL ? text : ""));
  gint64 year = 0;
  if (*t == '\0')
    return 0;
  if (!g_ascii_string_to_signed(t, 10, G_MININT32, G_MAXINT32, &year, NULL)) {
    g_autofree char *shown = g_strescape(t, NULL);
    item_problem(problems, "%s '%s' is not a year; write it as four digits, or leave it empty",
                 column, shown);
    return 0;
  }
  return check_year(problems, column, year, FALSE) ? (int)year : 0;
}

void
item_check_year_order(GPtrArray *problems, const MusterItem *item)
{
  if (year_in_range(item->year) && year_in_range(item->import_year) &&
      item->import_year < item->year)
    item_problem(problems, "import_year %d is before the year of manufacture %d", item->import_year,
                 item->year);
}

gboolean
item_check_marking(GPtrArray *problems, MusterMarking *m)
{
  g_autofree char *shown =
      g_strdup_printf("%s:%s:%s", m->kind ? m->kind : "", m->component ? m->component : "",
                      m->value ? m->value : "");
  MusterMarkingKind kind;
  g_autoptr(GError) error = NULL;
  if (!muster_marking_kind_from_string(m->kind, &kind)) {
    item_problem(problems,
                 "marking '%s': unknown kind '%s' (use engraved_serial, barcode, "
                 "datamatrix_uii, hf_uid, uhf_epc or ndef)",
                 shown, m->kind ? m->kind : "");
    return FALSE;
  }
  if (!muster_marking_component_valid(m->component)) {
    item_problem(problems,
                 "marking '%s': unknown component '%s' (use frame, barrel, slide, "
                 "bolt or cylinder)",
                 shown, m->component ? m->component : "");
    return FALSE;
  }
  char *value = muster_marking_normalise(kind, m->value, &error);
  if (value == NULL) {
    item_problem(problems, "marking '%s': %s", shown, error->message);
    return FALSE;
  }
  g_free(m->value);
  m->value = value;
  if (strchr(value, ';') != NULL) {
    item_problem(problems,
                 "marking '%s': a marking value cannot contain ';' (it separates "
                 "markings in the CSV)",
                 shown);
    return FALSE;
  }
  return TRUE;
}

gboolean
item_marking_same_tag(const MusterMarking *a, const MusterMarking *b)
{
  MusterMarkingKind kind;
  if (g_strcmp0(a->kind, b->kind) != 0 || g_strcmp0(a->value, b->value) != 0)
    return FALSE;
  if (g_strcmp0(a->component, b->component) == 0)
    return TRUE;
  /* One tag cannot sit on two components; an engraved serial repeated on the barrel
   * (matching numbers) is normal. */
  return muster_marking_kind_from_string(a->kind, &kind) && muster_marking_kind_is_unique(kind);
}

static gboolean
is_serial_copy(const char *serial_key, const MusterMarking *m)
{
  return g_strcmp0(m->kind, "engraved_serial") == 0 && g_strcmp0(m->component, "frame") == 0 &&
         g_strcmp0(m->value, serial_key) == 0;
}

/* Checks every marking, puts the engraved serial first as a frame marking (normalised,
 * as every marking is), and drops an explicit copy of it (an export lists it only
 * implicitly, through the serial). */
static void
check_markings(GPtrArray *problems, MusterItem *item)
{
  g_autoptr(GPtrArray) out = item_markings_new();
  g_autofree char *serial_key = item->serial != NULL ? item_serial_key(item->serial) : NULL;
  if (serial_key != NULL)
    g_ptr_array_add(out, item_marking_new("engraved_serial", "frame", serial_key));
  for (guint i = 0; item->markings != NULL && i < item->markings->len; i++) {
    MusterMarking *m = g_ptr_array_index(item->markings, i);
    if (!item_check_marking(problems, m))
      continue;
    gboolean dup = FALSE;
    for (guint j = 0; j < out->len && !dup; j++)
      dup = item_marking_same_tag(m, g_ptr_array_index(out, j));
    if (!dup)
      g_ptr_array_add(out, item_marking_new(m->kind, m->component, m->value));
    else if (!is_serial_copy(serial_key, m))
      item_problem(problems, "marking '%s:%s:%s' is listed twice", m->kind, m->component, m->value);
  }
  if (item->markings != NULL)
    g_ptr_array_unref(item->markings);
  item->markings = g_steal_pointer(&out);
}

/* Judged as an engraved_serial marking is, but kept as written (trimmed). */
static void
check_serial(GPtrArray *problems, MusterItem *item)
{
  g_autoptr(GError) error = NULL;
  if (item->serial != NULL)
    g_strstrip(item->serial);
  if (item->serial == NULL || *item->serial == '\0') {
    g_clear_pointer(&item->serial, g_free);
    item_problem(problems, "serial is required");
    return;
  }
  g_autofree char *key =
      muster_marking_normalise(MUSTER_MARKING_ENGRAVED_SERIAL, item->serial, &error);
  if (key == NULL) {
    item_problem(problems, "serial: %s", error->message);
    g_clear_pointer(&item->serial, g_free);
  }
}

static void
check_location(GPtrArray *problems, MusterItem *item)
{
  g_autoptr(GError) error = NULL;
  if (item->location_path == NULL)
    return;
  char *norm = muster_location_normalise_path(item->location_path, &error);
  if (norm == NULL)
    item_problem(problems, "location: %s", error->message);
  g_free(item->location_path);
  item->location_path = norm;
}

void
item_check_field(GPtrArray *problems, MusterItem *item, ItemField field)
{
  const char *name = item_field_names[field];
  switch (field) {
  case ITEM_FIELD_MANUFACTURER:
    item_check_text(problems, name, &item->manufacturer, TRUE, FALSE);
    break;
  case ITEM_FIELD_COUNTRY: check_country(problems, name, &item->country, TRUE); break;
  case ITEM_FIELD_SERIAL: check_serial(problems, item); break;
  case ITEM_FIELD_MODEL: item_check_text(problems, name, &item->model, TRUE, TRUE); break;
  case ITEM_FIELD_CATEGORY: item_check_text(problems, name, &item->category, TRUE, TRUE); break;
  case ITEM_FIELD_CALIBRE: item_check_text(problems, name, &item->calibre, FALSE, TRUE); break;
  case ITEM_FIELD_YEAR: check_year(problems, name, item->year, TRUE); break;
  case ITEM_FIELD_IMPORT_COUNTRY:
    check_country(problems, name, &item->import_country, FALSE);
    break;
  case ITEM_FIELD_IMPORT_YEAR: check_year(problems, name, item->import_year, TRUE); break;
  case ITEM_FIELD_STATE_MARKING:
    item_check_text(problems, name, &item->state_marking, FALSE, TRUE);
    break;
  case ITEM_FIELD_FRAME_MATERIAL:
    item_check_text(problems, name, &item->frame_material, FALSE, TRUE);
    break;
  case ITEM_FIELD_STATUS:
    if (!item_status_known(item->status))
      item_problem(problems, "status %d is not a known status", (int)item->status);
    break;
  case ITEM_FIELD_LOCATION: check_location(problems, item); break;
  case ITEM_FIELD_CUSTODIAN: item_check_text(problems, name, &item->custodian, FALSE, TRUE); break;
  case ITEM_FIELD_MARKINGS: check_markings(problems, item); break;
  case ITEM_N_FIELDS: g_return_if_reached();
  }
}

void
item_check(GPtrArray *problems, MusterItem *item)
{
  for (ItemField f = 0; f < ITEM_N_FIELDS; f++) {
    item_check_field(problems, item, f);
    if (f == ITEM_FIELD_IMPORT_YEAR)
      item_check_year_order(problems, item);
  }
}
