/*
 * test-engine-i18n.c: the engine's refusals in the reader's language.
 *
 * The kiosk shows engine errors as they are, so the engine translates them itself
 * (core/i18n.h, domain "muster", catalogues from db/po/ compiled into the build's locale
 * folder, $MUSTER_LOCALEDIR). Each case runs in a subprocess with its own LANGUAGE:
 * a wrong PIN, a role refusal (the action and the roles translated too) and a database
 * another program holds (the advice translated; SQLite's own words stay as they are).
 * Without the domain bound, or in English, the messages are the English ones. The labels
 * of the closed lists a person reads (discrepancy kinds, resolution actions, count
 * states) are the engine's too: every one is translated.
 */
#include <locale.h>
#include <string.h>

#include "core/i18n.h"
#include "db/count-state.h"
#include "db/counts.h"
#include "db/discrepancy-kind.h"
#include "db/resolution-action.h"
#include "db/settings.h"
#include "test-util.h"

typedef struct {
  const char *language;
  const char *wrong_pin, *needs_role, *busy;
  const char *missing, *found, *signed_off; /* the labels of a kind, an action, a state */
} Words;

static const Words words[] = {
    {"en", "Wrong PIN for bob. Try again.", "Changing a setting needs an admin; bob is staff.",
     "Another program (the kiosk, or another muster command) is writing to it.", "Missing",
     "Found after all", "signed off"},
    {"de", "Falsche PIN für bob. Erneut versuchen.",
     "Eine Einstellung ändern erfordert einen Administrator; bob ist Personal.",
     "Ein anderes Programm (der Kiosk oder ein anderer muster-Befehl) schreibt gerade hinein.",
     "Fehlt", "Doch gefunden", "abgezeichnet"},
    {"ar", "رقم سري خاطئ لـ bob. حاول مرة أخرى.", "تغيير إعداد يتطلب مسؤولًا؛ bob هو موظف.",
     "برنامج آخر (الكشك، أو أمر muster آخر) يكتب فيها.", "مفقود", "وُجد في النهاية", "معتمد"},
};

static void
assert_message_has(const GError *error, const char *needle)
{
  g_assert_nonnull(error);
  if (strstr(error->message, needle) == NULL)
    g_error("\"%s\" is not in \"%s\"", needle, error->message);
}

static void
check_translated(const char *english, const char *translated)
{
  if (g_strcmp0(english, translated) == 0)
    g_error("The label \"%s\" has no translation: add it to db/po/", english);
}

static void
check_labels(const Words *w)
{
  g_assert_cmpstr(muster_discrepancy_kind_label(MUSTER_DISCREPANCY_MISSING), ==, w->missing);
  g_assert_cmpstr(muster_resolution_action_label(MUSTER_RESOLUTION_FOUND), ==, w->found);
  g_assert_cmpstr(muster_count_state_translated(MUSTER_COUNT_SIGNED_OFF), ==, w->signed_off);
  /* the engine's English sentences keep the English word */
  g_assert_cmpstr(muster_count_state_label(MUSTER_COUNT_SIGNED_OFF), ==, "signed off");
  if (g_str_equal(w->language, "en"))
    return;
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++)
    check_translated(muster_discrepancy_kind_table[k].label, muster_discrepancy_kind_label(k));
  for (guint a = 0; a < MUSTER_N_RESOLUTION_ACTIONS; a++)
    check_translated(muster_resolution_action_table[a].label, muster_resolution_action_label(a));
  for (guint s = 0; s < MUSTER_COUNT_N_STATES; s++)
    check_translated(muster_count_state_table[s].label, muster_count_state_translated(s));
}

static void
check_language(const Words *w)
{
  g_setenv("LANGUAGE", w->language, TRUE);
  setlocale(LC_ALL, "");
  const char *dir = g_getenv("MUSTER_LOCALEDIR");
  g_assert_nonnull(dir);
  muster_engine_i18n_bind(dir);
  check_labels(w);
  TestDb t;
  test_db_setup(&t, NULL);
  g_autoptr(MusterUser) bob = test_db_add_user(&t, "bob", MUSTER_ROLE_STAFF);
  g_autoptr(GError) error = NULL;
  g_assert_null(muster_users_authenticate(t.store, "bob", "0000", &error));
  assert_message_has(error, w->wrong_pin);
  g_clear_error(&error);
  g_assert_false(muster_settings_set(t.store, bob, "overdue_days", 30, &error));
  assert_message_has(error, w->needs_role);
  g_clear_error(&error);
  /* Another program holds the write lock. */
  g_autoptr(MusterStore) other = muster_store_open(t.path, &error);
  g_assert_no_error(error);
  g_assert_true(muster_store_begin(other, &error));
  muster_store_set_busy_timeout(t.store, 10);
  g_assert_false(muster_store_begin(t.store, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_DB_BUSY);
  assert_message_has(error, w->busy);
  muster_store_rollback(other);
  test_db_teardown(&t, NULL);
}

static void
test_language(gconstpointer data)
{
  const Words *w = data;
  if (g_test_subprocess()) {
    check_language(w);
    return;
  }
  g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed();
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
    g_autofree char *path = g_strdup_printf("/engine-i18n/%s", words[i].language);
    g_test_add_data_func(path, &words[i], test_language);
  }
  return g_test_run();
}
