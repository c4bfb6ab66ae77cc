/*
 * test-closed-lists.c: each closed list is one table, and nothing disagrees with it.
 *
 * The tables (core/closed-list.h) are the lists: discrepancy kinds and resolution
 * actions (db/discrepancy-kind.h, db/resolution-action.h), count states
 * (db/count-state.h), roles, item statuses, scan outcomes, authenticity, marking kinds
 * and components. Checked against them: the
 * schema's CHECK constraints as SQLite keeps them (sqlite_master), the README's table of
 * kinds and the demo's planted problems (the labels' translations: test-engine-i18n.c).
 * A kind or action added to a table without the rest fails here, saying what is missing.
 */
#include <string.h>

#include "db/count-state.h"
#include "db/discrepancy-kind.h"
#include "db/ingest.h"
#include "db/registry-changes.h"
#include "db/resolution-action.h"
#include "demo/demo.h"
#include "marking/marking.h"
#include "marking/payload.h"
#include "test-util.h"

static const MusterClosedList kinds = MUSTER_CLOSED_LIST(muster_discrepancy_kind_table);
static const MusterClosedList actions = MUSTER_CLOSED_LIST(muster_resolution_action_table);

/* Every table, and the column of the schema that stores its names (NULL: none). */
static const struct {
  const char *what;
  const MusterClosedList *list;
  const char *table, *column;
} lists[] = {
    {"discrepancy kinds", &kinds, "discrepancy", "kind"},
    {"resolution actions", &actions, "resolution", "action"},
    {"count states", &muster_count_state_list, "count_session", "state"},
    {"roles", &muster_role_list, "app_user", "role"},
    {"item statuses", &muster_status_list, "item", "status"},
    {"scan outcomes", &muster_outcome_list, "scan", "outcome"},
    {"authenticity", &muster_authenticity_list, "scan", "authenticity"},
    {"marking kinds", &muster_marking_kind_list, "marking", "kind"},
    {"marking components", &muster_marking_component_list, "marking", "component"},
    {"payload formats", &muster_payload_format_list, NULL, NULL},
    {"registry change outcomes", &muster_change_outcome_list, NULL, NULL},
};

/* ---- the tables ---------------------------------------------------------------------- */

static void
test_names(void)
{
  g_autoptr(GRegex) word = g_regex_new("^[a-z][a-z0-9_]*$", 0, 0, NULL);
  for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
    const MusterClosedList *list = lists[l].list;
    g_test_message("%s", lists[l].what);
    g_assert_cmpuint(list->n, >, 0);
    for (guint i = 0; i < list->n; i++) {
      const char *name = muster_closed_list_name(list, i);
      /* Stored, typed and written into SQL as a literal: a plain word. */
      g_assert_true(g_regex_match(word, name, 0, NULL));
      /* Unique: the first row of that name is this one. */
      g_assert_cmpint(muster_closed_list_find(list, name), ==, i);
    }
    g_assert_cmpstr(muster_closed_list_name(list, list->n), ==, "unknown");
    g_assert_cmpint(muster_closed_list_find(list, NULL), ==, -1);
    g_assert_cmpint(muster_closed_list_find(list, "no such name"), ==, -1);
  }
}

static void
test_kind_rows(void)
{
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++) {
    const MusterDiscrepancyKindInfo *info = &muster_discrepancy_kind_table[k];
    g_assert_nonnull(info->name); /* a row for every value of the enum */
    g_assert_cmpstr(info->label, !=, "");
    g_assert_cmpstr(info->in_a_sentence, !=, "");
    MusterDiscrepancyKind back;
    g_assert_true(muster_discrepancy_kind_from_name(info->name, &back));
    g_assert_cmpint(back, ==, k);
    g_assert_cmpint(muster_discrepancy_kind_needs_second_person(info->name), ==,
                    info->second_person);
  }
  for (guint a = 0; a < MUSTER_N_RESOLUTION_ACTIONS; a++) {
    g_assert_nonnull(muster_resolution_action_table[a].name);
    g_assert_cmpstr(muster_resolution_action_table[a].label, !=, "");
  }
  /* An unknown name: refused, naming every one. */
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_discrepancy_kind_needs_second_person("lost"));
  g_assert_false(muster_discrepancy_kind_check("lost", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_autofree char *all_kinds = muster_closed_list_join(&kinds, ", ");
  g_assert_nonnull(strstr(error->message, all_kinds));
  g_clear_error(&error);
  g_assert_false(muster_resolution_action_check("forgotten", &error));
  g_autofree char *all_actions = muster_closed_list_join(&actions, ", ");
  g_autofree char *want =
      g_strdup_printf("Unknown resolution 'forgotten': use one of %s.", all_actions);
  g_assert_cmpstr(error->message, ==, want);
}

/* ---- the schema ---------------------------------------------------------------------- */

static int
by_text(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "a, b, c" in sorted order, taking names. */
static char *
sorted_text(GPtrArray *names)
{
  g_ptr_array_sort(names, by_text);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf(s, "%s%s", i > 0 ? ", " : "", (char *)g_ptr_array_index(names, i));
  g_ptr_array_unref(names);
  return g_string_free(s, FALSE);
}

/* The names a column's CHECK allows ("column = 'name' OR ..."). */
static GPtrArray *
check_allows(TestDb *t, const char *table, const char *column)
{
  g_autofree char *sql = test_sql_text_str(
      t, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table);
  g_autofree char *pattern = g_strdup_printf("(?<![A-Za-z0-9_.])%s = '([^']*)'", column);
  g_autoptr(GRegex) re = g_regex_new(pattern, 0, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GMatchInfo) m = NULL;
  for (g_regex_match(re, sql, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL))
    g_ptr_array_add(names, g_match_info_fetch(m, 1));
  return names;
}

static GPtrArray *
names_of(const MusterClosedList *list)
{
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < list->n; i++)
    g_ptr_array_add(names, g_strdup(muster_closed_list_name(list, i)));
  return names;
}

static void
test_schema_checks(TestDb *t, gconstpointer data)
{
  for (guint l = 0; l < G_N_ELEMENTS(lists); l++) {
    if (lists[l].table == NULL)
      continue;
    g_autofree char *a = sorted_text(check_allows(t, lists[l].table, lists[l].column));
    g_autofree char *b = sorted_text(names_of(lists[l].list));
    if (g_strcmp0(a, b) != 0)
      g_error("%s: the CHECK on %s.%s allows %s, the table lists %s", lists[l].what, lists[l].table,
              lists[l].column, a, b);
  }
}

/* ---- the README ---------------------------------------------------------------------- */

/* The cells of each row of the README's table of kinds ("| `missing` | ..."). */
static GPtrArray *
readme_kind_rows(void)
{
  g_autofree char *path =
      g_build_filename(g_getenv("MUSTER_TEST_DATA"), "..", "..", "README.md", NULL);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  const char *section = strstr(text, "\n## Reconciliation\n");
  g_assert_nonnull(section);
  const char *end = strstr(section + 1, "\n## ");
  g_autofree char *body =
      g_strndup(section, end != NULL ? (gsize)(end - section) : strlen(section));
  g_auto(GStrv) lines = g_strsplit(body, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  for (guint i = 0; lines[i] != NULL; i++) {
    if (!g_str_has_prefix(lines[i], "| `"))
      continue;
    char **cells = g_strsplit(lines[i] + 1, "|", -1);
    for (guint c = 0; cells[c] != NULL; c++)
      g_strstrip(cells[c]);
    g_ptr_array_add(rows, cells);
  }
  return rows;
}

static void
test_readme_kinds(void)
{
  g_autoptr(GPtrArray) rows = readme_kind_rows();
  g_assert_cmpuint(rows->len, ==, MUSTER_N_DISCREPANCY_KINDS);
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++) {
    const MusterDiscrepancyKindInfo *info = &muster_discrepancy_kind_table[k];
    char **cells = g_ptr_array_index(rows, k);
    g_assert_cmpuint(g_strv_length(cells), >=, 4);
    g_autofree char *name = g_strdup_printf("`%s`", info->name);
    g_assert_cmpstr(cells[0], ==, name);
    g_assert_cmpstr(cells[1], ==, info->label);
    g_assert_cmpstr(cells[2], ==, info->second_person ? "yes" : "");
  }
}

/* ---- the demo ------------------------------------------------------------------------ */

static void
test_demo_kinds(void)
{
  g_autoptr(MusterDemo) demo = muster_demo_generate(600, 7);
  for (guint i = 0; i < demo->anomalies->len; i++) {
    const MusterDemoAnomaly *a = g_ptr_array_index(demo->anomalies, i);
    MusterDiscrepancyKind k;
    /* A planted discrepancy is of a kind in the table; anything else is not. */
    g_assert_cmpint(muster_discrepancy_kind_from_name(a->kind, &k), ==, a->discrepancy);
  }
  /* Every kind is planted but overdue, which needs counts from before the demo's one. */
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++) {
    const char *name = muster_discrepancy_kind_name(k);
    guint planted = muster_demo_count_kind(demo, name);
    if (k == MUSTER_DISCREPANCY_OVERDUE)
      g_assert_cmpuint(planted, ==, 0);
    else if (planted == 0)
      g_error("the demo plants no %s: add it to demo/armoury.c", name);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/closed-lists/names", test_names);
  g_test_add_func("/closed-lists/kind-and-action-rows", test_kind_rows);
  g_test_add("/closed-lists/schema-checks", TestDb, NULL, test_db_setup, test_schema_checks,
             test_db_teardown);
  g_test_add_func("/closed-lists/readme-kinds", test_readme_kinds);
  g_test_add_func("/closed-lists/demo-kinds", test_demo_kinds);
  return g_test_run();
}
