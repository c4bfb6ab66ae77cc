/*
 * test-count-state.c: the table of a count's states is the one list of them.
 *
 * The table (db/count-state.c) must hold together by itself (a row for every value of
 * the enum, each name found again, no move back), and everything else that spells a
 * state must agree with it: the trigger that freezes a signed-off count, as the schema
 * stands after every migration (read back from sqlite_master), and every state the
 * engine's SQL names in db/ (read from the sources). The CHECK on count_session.state is
 * held to the table with the other closed lists (test-closed-lists.c), the labels'
 * translations in test-engine-i18n.c; which moves the lifecycle allows is checked
 * against the table in test-counts.c.
 */
#include "db/count-state.h"
#include "test-util.h"

#include <string.h>

typedef struct {
  TestDb db;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  test_db_teardown(&f->db, data);
}

/* Every 'quoted' word of text, in order. */
static GPtrArray *
quoted_words(const char *text)
{
  g_autoptr(GRegex) re = g_regex_new("'([^']*)'", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  GPtrArray *words = g_ptr_array_new_with_free_func(g_free);
  for (g_regex_match(re, text, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL))
    g_ptr_array_add(words, g_match_info_fetch(m, 1));
  return words;
}

/* What the first group of pattern captures in text (which must match). */
static char *
capture(const char *pattern, const char *text)
{
  g_autoptr(GRegex) re = g_regex_new(pattern, G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  if (!g_regex_match(re, text, 0, &m))
    g_error("/%s/ is not in: %s", pattern, text);
  return g_match_info_fetch(m, 1);
}

static void
assert_is_state_name(const char *name, const char *where)
{
  MusterCountState s;
  if (!muster_count_state_from_name(name, &s))
    g_error("%s names the count state '%s', which the table does not have", where, name);
}

static void
test_table(Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < MUSTER_COUNT_N_STATES; i++) {
    const MusterCountStateInfo *info = muster_count_state_get((MusterCountState)i);
    g_assert_true(info == &muster_count_state_table[i]);
    g_assert_nonnull(info->name); /* a row for every value of the enum */
    g_assert_cmpstr(info->label, !=, "");
    g_assert_cmpstr(muster_count_state_to_string(i), ==, info->name);
    g_assert_cmpstr(muster_count_state_label(i), ==, info->label);
    MusterCountState back = MUSTER_COUNT_N_STATES;
    g_assert_true(muster_count_state_from_name(info->name, &back));
    g_assert_cmpint(back, ==, i);
    /* a count never goes back: every move leads to this state or a later one */
    for (guint to = 0; to < MUSTER_COUNT_N_STATES; to++)
      if (muster_count_state_may_become(i, (MusterCountState)to))
        g_assert_cmpuint(to, >=, i);
  }
  g_assert_null(muster_count_state_get(MUSTER_COUNT_N_STATES));
  g_assert_null(muster_count_state_get((MusterCountState)-1));
  g_assert_cmpstr(muster_count_state_to_string(MUSTER_COUNT_N_STATES), ==, "unknown");
  g_assert_cmpstr(muster_count_state_label(MUSTER_COUNT_N_STATES), ==, "unknown");
  g_assert_cmpstr(muster_count_state_translated(MUSTER_COUNT_N_STATES), ==, "unknown");
  g_assert_false(muster_count_state_may_become(MUSTER_COUNT_OPEN, MUSTER_COUNT_N_STATES));
  MusterCountState untouched = MUSTER_COUNT_CLOSED;
  g_assert_false(muster_count_state_from_name("signed off", &untouched));
  g_assert_false(muster_count_state_from_name(NULL, &untouched));
  g_assert_cmpint(untouched, ==, MUSTER_COUNT_CLOSED);
}

/* The database freezes the final states itself: the trigger names exactly the states a
 * change may not leave. */
static void
test_trigger_freezes_final_states(Fixture *f, gconstpointer data)
{
  g_autofree char *sql =
      test_sql_text(&f->db, "SELECT group_concat(sql, ' ') FROM sqlite_master WHERE type = "
                            "'trigger' AND tbl_name = 'count_session' AND sql LIKE '%OLD.state%'");
  g_autofree char *when = capture("\\bWHEN\\s+(.*?)\\s+BEGIN\\b", sql);
  g_autoptr(GPtrArray) frozen = quoted_words(when);
  guint finals = 0;
  for (guint s = 0; s < MUSTER_COUNT_N_STATES; s++) {
    if (muster_count_state_get(s)->next != 0)
      continue;
    finals++;
    if (!g_ptr_array_find_with_equal_func(frozen, muster_count_state_to_string(s), g_str_equal,
                                          NULL))
      g_error("The table says '%s' is final, but no trigger freezes it: %s",
              muster_count_state_to_string(s), sql);
  }
  g_assert_cmpuint(frozen->len, ==, finals);
}

/* Each comparison of a state column with literals: state = 'x', state IN ('x', 'y'). */
static guint
check_source(const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, &error));
  g_autoptr(GRegex) re =
      g_regex_new("\\bstate\\s*(?:=|<>|!=|\\bIN\\b|\\bNOT\\s+IN\\b)\\s*(\\([^)]*\\)|'[^']*')",
                  G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  guint seen = 0;
  for (g_regex_match(re, text, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
    g_autofree char *list = g_match_info_fetch(m, 1);
    g_autoptr(GPtrArray) names = quoted_words(list);
    for (guint i = 0; i < names->len; i++, seen++)
      assert_is_state_name(g_ptr_array_index(names, i), path);
  }
  return seen;
}

static void
test_engine_sql_spellings(Fixture *f, gconstpointer data)
{
  const char *test_data = g_getenv("MUSTER_TEST_DATA");
  g_assert_nonnull(test_data);
  g_autofree char *db_dir = g_build_filename(test_data, "..", "..", "db", NULL);
  g_autofree char *migrations = g_build_filename(db_dir, "migrations", NULL);
  const char *folders[] = {db_dir, migrations};
  guint seen = 0;
  for (guint i = 0; i < G_N_ELEMENTS(folders); i++) {
    g_autoptr(GDir) dir = g_dir_open(folders[i], 0, NULL);
    g_assert_nonnull(dir);
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL) {
      if (!g_str_has_suffix(name, ".c") && !g_str_has_suffix(name, ".sql"))
        continue;
      g_autofree char *path = g_build_filename(folders[i], name, NULL);
      seen += check_source(path);
    }
  }
  /* the scan found the engine's SQL (the schema alone names five) */
  g_assert_cmpuint(seen, >=, 10);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  ADD("/count-state/table-holds-together", test_table);
  ADD("/count-state/trigger-freezes-the-final-states", test_trigger_freezes_final_states);
  ADD("/count-state/engine-sql-names-only-table-states", test_engine_sql_spellings);
  return g_test_run();
}
