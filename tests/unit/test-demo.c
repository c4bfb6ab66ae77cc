/*
 * test-demo.c: the synthetic armoury.
 *
 * Checked without a database, by reading the generator's output the way the importer and
 * a reader would (muster_csv_parse, muster_scan_parse_line): the same seed gives the same
 * bytes; the register is a well-formed import with realistic fields; and a small model of
 * the count, replayed over the feed, finds exactly the anomalies the manifest lists, so
 * the manifest cannot drift from the feed. test-demo-count.c does the same through the
 * real engine.
 */
#include <string.h>

#include "core/csv.h"
#include "demo/demo.h"
#include "marking/marking.h"
#include "scan/scan.h"

static const char *const columns[] = {
    "manufacturer", "country_of_manufacture", "serial", "model", "category", "calibre",
    "year", "import_country", "import_year", "state_marking", "frame_material", "status",
    "location", "custodian", "markings",
};
enum {
  C_MAKER,
  C_COUNTRY,
  C_SERIAL,
  C_MODEL,
  C_CATEGORY,
  C_CALIBRE,
  C_YEAR,
  C_IMPORT_COUNTRY,
  C_IMPORT_YEAR,
  C_STATE,
  C_FRAME,
  C_STATUS,
  C_LOCATION,
  C_CUSTODIAN,
  C_MARKINGS,
};

/* What each kind must be planted as. */
static const struct {
  const char *kind;
  guint n;
  gboolean discrepancy;
} planted[] = {
    {"missing", 6, TRUE},
    {"wrong_location", 4, TRUE},
    {"unknown_marking", 4, TRUE},
    {"unmarked_item", 3, TRUE},
    {"status_conflict", 4, TRUE},
    {"duplicate_marking", 2, TRUE},
    {"component_mismatch", 2, TRUE},
    {"marking_mismatch", 2, TRUE},
    {"not_genuine", 2, TRUE},
    {"repeated_scan", 5, FALSE},
    {"unreadable", 3, FALSE},
};

static GPtrArray *
parse_csv(const MusterDemo *demo)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = muster_csv_parse(demo->csv->str, demo->csv->len, &error);
  g_assert_no_error(error);
  g_assert_nonnull(records);
  return records;
}

static const char *
field(GPtrArray *records, guint row, guint col)
{
  const MusterCsvRecord *rec = g_ptr_array_index(records, row);
  return g_ptr_array_index(rec->fields, col);
}

static void
assert_same_demo(const MusterDemo *a, const MusterDemo *b)
{
  g_assert_cmpstr(a->csv->str, ==, b->csv->str);
  g_assert_cmpuint(a->feed->len, ==, b->feed->len);
  for (guint i = 0; i < a->feed->len; i++)
    g_assert_cmpstr(g_ptr_array_index(a->feed, i), ==, g_ptr_array_index(b->feed, i));
  g_assert_cmpuint(a->anomalies->len, ==, b->anomalies->len);
  for (guint i = 0; i < a->anomalies->len; i++) {
    const MusterDemoAnomaly *x = g_ptr_array_index(a->anomalies, i);
    const MusterDemoAnomaly *y = g_ptr_array_index(b->anomalies, i);
    g_assert_cmpstr(x->kind, ==, y->kind);
    g_assert_cmpstr(x->subject, ==, y->subject);
    g_assert_cmpstr(x->note, ==, y->note);
  }
  g_assert_cmpuint(a->unmarked->len, ==, b->unmarked->len);
}

static void
test_deterministic(void)
{
  g_autoptr(MusterDemo) a = muster_demo_generate(600, 7);
  g_autoptr(MusterDemo) b = muster_demo_generate(600, 7);
  assert_same_demo(a, b);
  g_autofree char *text_a = muster_demo_feed_text(a);
  g_autofree char *text_b = muster_demo_feed_text(b);
  g_assert_cmpstr(text_a, ==, text_b);

  /* Another seed is another armoury, not a shuffled copy of this one. */
  g_autoptr(MusterDemo) c = muster_demo_generate(600, 8);
  g_assert_cmpstr(a->csv->str, !=, c->csv->str);
  g_autofree char *text_c = muster_demo_feed_text(c);
  g_assert_cmpstr(text_a, !=, text_c);
  g_autoptr(GPtrArray) rows_a = parse_csv(a);
  g_autoptr(GPtrArray) rows_c = parse_csv(c);
  g_assert_cmpstr(field(rows_a, 1, C_SERIAL), !=, field(rows_c, 1, C_SERIAL));
}

static void
test_size(void)
{
  g_autoptr(MusterDemo) small = muster_demo_generate(10, 1);
  g_assert_cmpuint(small->n_items, ==, MUSTER_DEMO_MIN_ITEMS);
  g_autoptr(GPtrArray) rows = parse_csv(small);
  g_assert_cmpuint(rows->len, ==, MUSTER_DEMO_MIN_ITEMS + 1);

  g_autoptr(MusterDemo) big = muster_demo_generate(MUSTER_DEMO_DEFAULT_ITEMS, 1);
  g_autoptr(GPtrArray) big_rows = parse_csv(big);
  g_assert_cmpuint(big_rows->len, ==, MUSTER_DEMO_DEFAULT_ITEMS + 1);
  /* The feed ends with a newline after each line: what `muster count feed` reads. */
  g_autofree char *text = muster_demo_feed_text(big);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), ==, big->feed->len + 1);
  g_assert_cmpstr(lines[big->feed->len], ==, "");
}

static gboolean
is_slot_path(const char *path)
{
  g_auto(GStrv) parts = g_strsplit(path, "/", -1);
  if (g_strv_length(parts) != 3 || parts[0][0] != 'R' || strlen(parts[2]) != 2)
    return FALSE;
  for (const char *p = parts[1]; *p != '\0'; p++)
    if (!g_ascii_isupper(*p))
      return FALSE;
  return g_ascii_isdigit(parts[0][1]) && g_ascii_isdigit(parts[2][0]) &&
         g_ascii_isdigit(parts[2][1]);
}

static gboolean
in_list(const char *s, const char *const *list)
{
  return s != NULL && g_strv_contains(list, s);
}

static void
check_row(GPtrArray *rows, guint r, GHashTable *categories_seen)
{
  static const char *const categories[] = {"pistol",  "revolver",         "rifle",
                                           "carbine", "submachine gun",   "light machine gun",
                                           "shotgun", "grenade launcher", NULL};
  static const char *const statuses[] = {"in_store", "issued", "in_repair", "in_transit",
                                         "lost",     "stolen", "destroyed", NULL};
  static const char *const frames[] = {"steel", "polymer", "aluminium", NULL};
  const MusterCsvRecord *rec = g_ptr_array_index(rows, r);
  g_assert_null(rec->problem);
  g_assert_cmpuint(rec->fields->len, ==, G_N_ELEMENTS(columns));
  for (guint c = C_MAKER; c <= C_MODEL; c++)
    g_assert_cmpstr(field(rows, r, c), !=, "");
  g_assert_true(in_list(field(rows, r, C_CATEGORY), categories));
  g_hash_table_add(categories_seen, (gpointer)field(rows, r, C_CATEGORY));
  g_assert_true(in_list(field(rows, r, C_STATUS), statuses));
  g_assert_true(in_list(field(rows, r, C_FRAME), frames));
  gint64 year = g_ascii_strtoll(field(rows, r, C_YEAR), NULL, 10);
  g_assert_cmpint(year, >=, 1960);
  g_assert_cmpint(year, <=, 2024);
  /* Import marks name another country than the maker's, never before the making. */
  const char *import_country = field(rows, r, C_IMPORT_COUNTRY);
  if (*import_country != '\0')
    g_assert_cmpstr(import_country, !=, field(rows, r, C_COUNTRY));
  else
    g_assert_cmpstr(field(rows, r, C_IMPORT_YEAR), ==, "");
  if (*field(rows, r, C_IMPORT_YEAR) != '\0')
    g_assert_cmpint(g_ascii_strtoll(field(rows, r, C_IMPORT_YEAR), NULL, 10), >=, year);
  /* In store means in a slot; out of store means nowhere in the armoury. */
  gboolean in_store = g_str_equal(field(rows, r, C_STATUS), "in_store");
  g_assert_cmpint(in_store, ==, is_slot_path(field(rows, r, C_LOCATION)));
  if (!in_store)
    g_assert_cmpstr(field(rows, r, C_LOCATION), ==, "");
  if (g_str_equal(field(rows, r, C_STATUS), "issued"))
    g_assert_cmpstr(field(rows, r, C_CUSTODIAN), !=, "");
}

static void
test_csv_is_an_import(void)
{
  g_autoptr(MusterDemo) demo = muster_demo_generate(MUSTER_DEMO_DEFAULT_ITEMS, 2026);
  g_autoptr(GPtrArray) rows = parse_csv(demo);
  const MusterCsvRecord *header = g_ptr_array_index(rows, 0);
  g_assert_cmpuint(header->fields->len, ==, G_N_ELEMENTS(columns));
  for (guint c = 0; c < G_N_ELEMENTS(columns); c++)
    g_assert_cmpstr(g_ptr_array_index(header->fields, c), ==, columns[c]);

  g_autoptr(GHashTable) categories = g_hash_table_new(g_str_hash, g_str_equal);
  guint in_store = 0, issued = 0, imported = 0, domestic = 0;
  for (guint r = 1; r < rows->len; r++) {
    check_row(rows, r, categories);
    in_store += g_str_equal(field(rows, r, C_STATUS), "in_store");
    issued += g_str_equal(field(rows, r, C_STATUS), "issued");
    imported += *field(rows, r, C_IMPORT_COUNTRY) != '\0';
    domestic += g_str_equal(field(rows, r, C_COUNTRY), demo->home_country);
  }
  g_assert_cmpuint(g_hash_table_size(categories), ==, 8);
  g_assert_cmpuint(in_store, ==, demo->expected);
  /* Mostly in store, some out on issue; both home-made and imported weapons. */
  g_assert_cmpuint(in_store, >, rows->len * 80 / 100);
  g_assert_cmpuint(issued, >, 0);
  g_assert_cmpuint(imported, >, 0);
  g_assert_cmpuint(imported + domestic, <, rows->len - 1); /* some never import-marked */
}

static void
test_country_codes(void)
{
  for (guint32 seed = 1; seed <= 6; seed++) {
    g_autoptr(MusterDemo) demo = muster_demo_generate(400, seed);
    g_assert_true(muster_country_code_valid(demo->home_country));
    g_autoptr(GPtrArray) rows = parse_csv(demo);
    for (guint r = 1; r < rows->len; r++) {
      const char *made = field(rows, r, C_COUNTRY);
      const char *import = field(rows, r, C_IMPORT_COUNTRY);
      g_assert_cmpuint(strlen(made), ==, 2);
      g_assert_true(g_ascii_isupper(made[0]) && g_ascii_isupper(made[1]));
      g_assert_true(muster_country_code_valid(made));
      g_assert_true(*import == '\0' || muster_country_code_valid(import));
    }
  }
}

/* ---- markings ---------------------------------------------------------------------- */

static gboolean
is_ntag_uid(const char *v)
{
  if (strlen(v) != 14 || !g_str_has_prefix(v, "04"))
    return FALSE;
  for (const char *p = v; *p != '\0'; p++)
    if (!g_ascii_isxdigit(*p) || g_ascii_islower(*p))
      return FALSE;
  return TRUE;
}

static void
test_serials_and_markings(void)
{
  g_autoptr(MusterDemo) demo = muster_demo_generate(MUSTER_DEMO_DEFAULT_ITEMS, 99);
  g_autoptr(GPtrArray) rows = parse_csv(demo);
  g_autoptr(GHashTable) by_maker = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) serials = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GHashTable) shared = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GHashTable) values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint tagged = 0, rifles_pistols = 0, uiis = 0, parts = 0;
  for (guint r = 1; r < rows->len; r++) {
    const char *serial = field(rows, r, C_SERIAL);
    char *key = g_strconcat(field(rows, r, C_MAKER), "\t", serial, NULL);
    g_assert_true(g_hash_table_add(by_maker, key)); /* unique per manufacturer */
    if (!g_hash_table_add(serials, (gpointer)serial))
      g_hash_table_add(shared, (gpointer)serial);
    g_auto(GStrv) marks = g_strsplit(field(rows, r, C_MARKINGS), ";", -1);
    gboolean has_tag = FALSE;
    for (guint m = 0; marks[m] != NULL && *marks[m] != '\0'; m++) {
      g_auto(GStrv) kcv = g_strsplit(marks[m], ":", 3);
      g_assert_cmpuint(g_strv_length(kcv), ==, 3);
      g_assert_true(muster_marking_component_valid(kcv[1]));
      /* No marking value anywhere twice, and none equal to a serial. */
      g_assert_true(g_hash_table_add(values, g_strdup(kcv[2])));
      if (g_str_equal(kcv[0], "hf_uid")) {
        g_assert_true(is_ntag_uid(kcv[2]));
        has_tag = TRUE;
      } else if (g_str_equal(kcv[0], "datamatrix_uii")) {
        g_assert_true(g_str_has_prefix(kcv[2], "D"));
        g_assert_true(g_str_has_suffix(kcv[2], serial));
        uiis++;
      } else {
        g_assert_cmpstr(kcv[0], ==, "barcode");
        g_assert_cmpstr(kcv[1], !=, "frame");
        parts++;
      }
    }
    const char *cat = field(rows, r, C_CATEGORY);
    if (g_str_equal(cat, "rifle") || g_str_equal(cat, "pistol")) {
      rifles_pistols++;
      tagged += has_tag;
    }
  }
  for (guint r = 1; r < rows->len; r++)
    g_assert_false(g_hash_table_contains(values, field(rows, r, C_SERIAL)));
  g_assert_cmpuint(tagged, >, rifles_pistols * 70 / 100);
  g_assert_cmpuint(uiis, >, 0);
  g_assert_cmpuint(parts, >, 0);
  /* Serials shared between makers are exactly the planted duplicates. */
  g_assert_cmpuint(g_hash_table_size(shared), ==,
                   muster_demo_count_kind(demo, "duplicate_marking"));
  for (guint i = 0; i < demo->anomalies->len; i++) {
    const MusterDemoAnomaly *a = g_ptr_array_index(demo->anomalies, i);
    if (g_str_equal(a->kind, "duplicate_marking")) {
      g_assert_true(g_hash_table_contains(shared, a->serial));
      g_assert_cmpstr(a->serial, ==, a->other_serial);
      g_assert_cmpstr(a->manufacturer, !=, a->other_manufacturer);
    }
  }
}

/* ---- the manifest and the feed ----------------------------------------------------- */

static void
test_every_kind_planted(void)
{
  /* Every seed, even at the smallest size, plants every kind in full. */
  for (guint32 seed = 1; seed <= 10; seed++) {
    g_autoptr(MusterDemo) demo = muster_demo_generate(MUSTER_DEMO_MIN_ITEMS, seed);
    guint total = 0;
    for (guint k = 0; k < G_N_ELEMENTS(planted); k++) {
      g_assert_cmpuint(muster_demo_count_kind(demo, planted[k].kind), ==, planted[k].n);
      total += planted[k].n;
    }
    g_assert_cmpuint(demo->anomalies->len, ==, total);
    for (guint i = 0; i < demo->anomalies->len; i++) {
      const MusterDemoAnomaly *a = g_ptr_array_index(demo->anomalies, i);
      for (guint k = 0; k < G_N_ELEMENTS(planted); k++)
        if (g_str_equal(a->kind, planted[k].kind))
          g_assert_cmpint(a->discrepancy, ==, planted[k].discrepancy);
      g_assert_nonnull(a->subject);
      g_assert_nonnull(a->location);
      g_assert_nonnull(a->note);
    }
    g_assert_cmpuint(demo->unmarked->len, ==, 3);
  }
}

/* A weapon in the register, as the model of the count sees it. */
typedef struct {
  char *key; /* manufacturer TAB serial */
  char *status;
  char *location;
  char *found_at; /* where first read; NULL while not found */
  guint reads;
} Rec;

static void
rec_free(gpointer data)
{
  Rec *r = data;
  g_free(r->key);
  g_free(r->status);
  g_free(r->location);
  g_free(r->found_at);
  g_free(r);
}

typedef struct {
  GPtrArray *recs;      /* Rec* */
  GHashTable *by_value; /* marking or serial -> Rec*; NULL value for a shared serial */
  GHashTable *by_key;   /* manufacturer TAB serial -> Rec* */
  GHashTable *frame;    /* values on frames (serials, tags, UIIs) */
  /* what the replay saw */
  GHashTable *unknown; /* value -> reads */
  GHashTable *not_genuine;
  GHashTable *groups;    /* group -> GPtrArray of values */
  GPtrArray *unreadable; /* raw lines */
  GPtrArray *locations;  /* location lines */
  char *where;
} Model;

static void
model_clear(Model *m)
{
  g_ptr_array_unref(m->recs);
  g_hash_table_unref(m->by_value);
  g_hash_table_unref(m->by_key);
  g_hash_table_unref(m->frame);
  g_hash_table_unref(m->unknown);
  g_hash_table_unref(m->not_genuine);
  g_hash_table_unref(m->groups);
  g_ptr_array_unref(m->unreadable);
  g_ptr_array_unref(m->locations);
  g_free(m->where);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Model, model_clear)

static void
model_index(Model *m, const char *value, Rec *rec, gboolean frame)
{
  if (g_hash_table_contains(m->by_value, value))
    g_hash_table_insert(m->by_value, g_strdup(value), NULL);
  else
    g_hash_table_insert(m->by_value, g_strdup(value), rec);
  if (frame)
    g_hash_table_add(m->frame, g_strdup(value));
}

static void
model_load(Model *m, const MusterDemo *demo)
{
  m->recs = g_ptr_array_new_with_free_func(rec_free);
  m->by_value = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  m->by_key = g_hash_table_new(g_str_hash, g_str_equal);
  m->frame = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  m->unknown = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  m->not_genuine = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  m->groups =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  m->unreadable = g_ptr_array_new_with_free_func(g_free);
  m->locations = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) rows = parse_csv(demo);
  for (guint r = 1; r < rows->len; r++) {
    Rec *rec = g_new0(Rec, 1);
    rec->key = g_strconcat(field(rows, r, C_MAKER), "\t", field(rows, r, C_SERIAL), NULL);
    rec->status = g_strdup(field(rows, r, C_STATUS));
    rec->location = g_strdup(field(rows, r, C_LOCATION));
    g_ptr_array_add(m->recs, rec);
    g_hash_table_insert(m->by_key, rec->key, rec);
    model_index(m, field(rows, r, C_SERIAL), rec, TRUE);
    g_auto(GStrv) marks = g_strsplit(field(rows, r, C_MARKINGS), ";", -1);
    for (guint k = 0; marks[k] != NULL && *marks[k] != '\0'; k++) {
      g_auto(GStrv) kcv = g_strsplit(marks[k], ":", 3);
      model_index(m, kcv[2], rec, g_str_equal(kcv[1], "frame"));
    }
  }
}

static Rec *
model_rec(Model *m, const char *manufacturer, const char *serial)
{
  g_autofree char *key = g_strconcat(manufacturer, "\t", serial, NULL);
  Rec *rec = g_hash_table_lookup(m->by_key, key);
  g_assert_nonnull(rec);
  return rec;
}

static void
model_bump(GHashTable *table, const char *value)
{
  guint n = GPOINTER_TO_UINT(g_hash_table_lookup(table, value));
  g_hash_table_insert(table, g_strdup(value), GUINT_TO_POINTER(n + 1));
}

/* Plays one scan: what ingest would decide, kept so the test can compare. */
static void
model_scan(Model *m, const MusterScan *scan)
{
  if (scan->marking_value == NULL) {
    gsize len = 0;
    const char *raw = g_bytes_get_data(scan->raw, &len);
    g_ptr_array_add(m->unreadable, g_strndup(raw, len));
    return;
  }
  if (scan->check_group != NULL) {
    GPtrArray *values = g_hash_table_lookup(m->groups, scan->check_group);
    if (values == NULL) {
      values = g_ptr_array_new_with_free_func(g_free);
      g_hash_table_insert(m->groups, g_strdup(scan->check_group), values);
    }
    g_ptr_array_add(values, g_strdup(scan->marking_value));
  }
  if (scan->authenticity == MUSTER_AUTH_NOT_GENUINE) {
    model_bump(m->not_genuine, scan->marking_value);
    return;
  }
  /* Scanned markings are never ambiguous in the demo: a shared serial is never read. */
  g_assert_false(g_hash_table_contains(m->by_value, scan->marking_value) &&
                 g_hash_table_lookup(m->by_value, scan->marking_value) == NULL);
  Rec *rec = g_hash_table_lookup(m->by_value, scan->marking_value);
  if (rec == NULL) {
    model_bump(m->unknown, scan->marking_value);
    return;
  }
  if (rec->reads++ == 0)
    rec->found_at = g_strdup(m->where);
}

static void
model_replay(Model *m, const MusterDemo *demo)
{
  for (guint i = 0; i < demo->feed->len; i++) {
    const char *line = g_ptr_array_index(demo->feed, i);
    g_autofree char *location = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(MusterScan) scan =
        muster_scan_parse_line(line, strlen(line), "test", &location, &error);
    g_assert_no_error(error);
    if (i == 0)
      g_assert_nonnull(location); /* the counter says where before the first scan */
    if (location != NULL) {
      g_free(m->where);
      m->where = g_strdup(location);
      g_ptr_array_add(m->locations, g_steal_pointer(&location));
      continue;
    }
    g_assert_nonnull(scan);
    g_assert_null(scan->location_path);
    model_scan(m, scan);
  }
}

static gboolean
path_within(const char *path, const char *scope)
{
  return g_str_equal(path, scope) || (g_str_has_prefix(path, scope) && path[strlen(scope)] == '/');
}

static GPtrArray *
subjects_of(const MusterDemo *demo, const char *kind)
{
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < demo->anomalies->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(demo->anomalies, i);
    if (g_str_equal(a->kind, kind))
      g_ptr_array_add(out, a);
  }
  return out;
}

/* Missing, wrong place and status conflict, from the finds of the replay. */
static void
check_item_findings(Model *m, const MusterDemo *demo)
{
  guint missing = 0, wrong = 0, conflicts = 0;
  for (guint i = 0; i < m->recs->len; i++) {
    Rec *rec = g_ptr_array_index(m->recs, i);
    gboolean in_store = g_str_equal(rec->status, "in_store");
    missing += in_store && rec->found_at == NULL;
    wrong += in_store && rec->found_at != NULL && !path_within(rec->location, rec->found_at);
    conflicts += !in_store && rec->found_at != NULL;
  }
  g_assert_cmpuint(missing, ==, muster_demo_count_kind(demo, "missing"));
  g_assert_cmpuint(wrong, ==, muster_demo_count_kind(demo, "wrong_location"));
  g_assert_cmpuint(conflicts, ==, muster_demo_count_kind(demo, "status_conflict"));
  g_autoptr(GPtrArray) list = subjects_of(demo, "missing");
  for (guint i = 0; i < list->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(list, i);
    Rec *rec = model_rec(m, a->manufacturer, a->serial);
    g_assert_null(rec->found_at);
    g_assert_cmpstr(rec->location, ==, a->location);
  }
  g_autoptr(GPtrArray) moved = subjects_of(demo, "wrong_location");
  for (guint i = 0; i < moved->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(moved, i);
    g_assert_cmpstr(model_rec(m, a->manufacturer, a->serial)->found_at, ==, a->location);
  }
  g_autoptr(GPtrArray) status = subjects_of(demo, "status_conflict");
  for (guint i = 0; i < status->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(status, i);
    Rec *rec = model_rec(m, a->manufacturer, a->serial);
    g_assert_true(
        g_strv_contains((const char *const[]){"issued", "lost", "stolen", NULL}, rec->status));
    g_assert_cmpstr(rec->found_at, ==, a->location);
  }
}

/* Unknown, not genuine, repeated and unreadable, from the scans of the replay. */
static void
check_scan_findings(Model *m, const MusterDemo *demo)
{
  g_autoptr(GPtrArray) unknown = subjects_of(demo, "unknown_marking");
  g_assert_cmpuint(g_hash_table_size(m->unknown), ==, unknown->len);
  for (guint i = 0; i < unknown->len; i++)
    g_assert_true(g_hash_table_contains(
        m->unknown, ((MusterDemoAnomaly *)g_ptr_array_index(unknown, i))->subject));
  g_autoptr(GPtrArray) fakes = subjects_of(demo, "not_genuine");
  g_assert_cmpuint(g_hash_table_size(m->not_genuine), ==, fakes->len);
  for (guint i = 0; i < fakes->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(fakes, i);
    g_assert_true(g_hash_table_contains(m->not_genuine, a->subject));
    /* The weapon itself is still found, by its engraved serial. */
    g_assert_cmpuint(model_rec(m, a->manufacturer, a->serial)->reads, ==, 1);
  }
  g_autoptr(GPtrArray) repeats = subjects_of(demo, "repeated_scan");
  for (guint i = 0; i < repeats->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(repeats, i);
    g_assert_cmpuint(model_rec(m, a->manufacturer, a->serial)->reads, >=, 2);
  }
  g_autoptr(GPtrArray) garbage = subjects_of(demo, "unreadable");
  g_assert_cmpuint(m->unreadable->len, ==, garbage->len);
  for (guint i = 0; i < garbage->len; i++)
    g_assert_true(g_ptr_array_find_with_equal_func(
        m->unreadable, ((MusterDemoAnomaly *)g_ptr_array_index(garbage, i))->subject, g_str_equal,
        NULL));
}

/* The frame markings of a group, resolved. */
static GPtrArray *
group_frames(Model *m, const char *group)
{
  GPtrArray *values = g_hash_table_lookup(m->groups, group);
  g_assert_nonnull(values);
  GPtrArray *recs = g_ptr_array_new();
  for (guint i = 0; i < values->len; i++) {
    const char *v = g_ptr_array_index(values, i);
    if (g_hash_table_contains(m->frame, v))
      g_ptr_array_add(recs, g_hash_table_lookup(m->by_value, v));
  }
  return recs;
}

/* Item checks: each group holds exactly the pairing its anomaly describes. */
static void
check_groups(Model *m, const MusterDemo *demo)
{
  guint mismatches = 0, components = 0;
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, m->groups);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    GPtrArray *values = value;
    g_autoptr(GPtrArray) frames = group_frames(m, key);
    g_assert_cmpuint(frames->len, >=, 1);
    mismatches += frames->len == 2 && frames->pdata[0] != frames->pdata[1];
    for (guint i = 0; i < values->len; i++) {
      const char *v = g_ptr_array_index(values, i);
      Rec *owner = g_hash_table_lookup(m->by_value, v);
      components += !g_hash_table_contains(m->frame, v) && owner != frames->pdata[0];
    }
  }
  g_assert_cmpuint(mismatches, ==, muster_demo_count_kind(demo, "marking_mismatch"));
  g_assert_cmpuint(components, ==, muster_demo_count_kind(demo, "component_mismatch"));
  g_autoptr(GPtrArray) list = subjects_of(demo, "marking_mismatch");
  for (guint i = 0; i < list->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(list, i);
    g_assert_true(g_str_has_prefix(a->subject, "group:"));
    g_autoptr(GPtrArray) frames = group_frames(m, a->subject + strlen("group:"));
    g_assert_cmpuint(frames->len, ==, 2);
    g_assert_true(frames->pdata[0] == model_rec(m, a->manufacturer, a->serial));
    g_assert_true(frames->pdata[1] == model_rec(m, a->other_manufacturer, a->other_serial));
  }
  g_autoptr(GPtrArray) comps = subjects_of(demo, "component_mismatch");
  for (guint i = 0; i < comps->len; i++) {
    MusterDemoAnomaly *a = g_ptr_array_index(comps, i);
    g_assert_true(g_hash_table_lookup(m->by_value, a->subject) ==
                  model_rec(m, a->other_manufacturer, a->other_serial));
  }
}

static void
test_feed_carries_exactly_the_manifest(gconstpointer data)
{
  guint32 seed = GPOINTER_TO_UINT(data);
  g_autoptr(MusterDemo) demo = muster_demo_generate(MUSTER_DEMO_DEFAULT_ITEMS, seed);
  g_auto(Model) m = {0};
  model_load(&m, demo);
  model_replay(&m, demo);
  check_item_findings(&m, demo);
  check_scan_findings(&m, demo);
  check_groups(&m, demo);
  /* Unmarked items are found in racks the counter walks. */
  for (guint i = 0; i < demo->unmarked->len; i++) {
    const MusterDemoUnmarked *u = g_ptr_array_index(demo->unmarked, i);
    g_assert_true(g_ptr_array_find_with_equal_func(m.locations, u->location, g_str_equal, NULL));
    g_assert_cmpstr(u->description, !=, "");
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/demo/deterministic", test_deterministic);
  g_test_add_func("/demo/size", test_size);
  g_test_add_func("/demo/csv-is-an-import", test_csv_is_an_import);
  g_test_add_func("/demo/country-codes", test_country_codes);
  g_test_add_func("/demo/serials-and-markings", test_serials_and_markings);
  g_test_add_func("/demo/every-kind-planted", test_every_kind_planted);
  g_test_add_data_func("/demo/feed-carries-the-manifest/seed-2026", GUINT_TO_POINTER(2026),
                       test_feed_carries_exactly_the_manifest);
  g_test_add_data_func("/demo/feed-carries-the-manifest/seed-5", GUINT_TO_POINTER(5),
                       test_feed_carries_exactly_the_manifest);
  return g_test_run();
}
