/*
 * test-ui-screens.c: every screen, rendered to PNG on a real X server (Xvfb), at the
 * smallest and largest supported screens, in the language of $LANGUAGE (ctest runs it
 * in English, German and Arabic).
 *
 * Each screen is reached the way a user reaches it (sign in, buttons, PIN pads), with
 * real state behind it: a count with scans from the simulated reader, a reconciled
 * count with discrepancies. For each: the key widgets are mapped with a size, no label
 * is truncated or pushed out of the window, the window's minimum size fits the screen,
 * and the rendered image is not blank. The PNGs go to $MUSTER_UI_OUT.
 */
#include "ui-test.h"

#include "db/counts.h"
#include "db/items.h"
#include "drivers/sim/sim-reader.h"
#include "ui/count-model.h"
#include "ui/i18n.h"
#include "ui/kiosk.h"
#include "ui/screen-lookup.h"
#include "ui/screen-review.h"
#include "ui/widgets.h"

#include <glib/gstdio.h>
#include <locale.h>

typedef struct {
  int width, height;
} Size;

static const Size sizes[] = {{1024, 600}, {1920, 1080}};

static void
shot(UiTest *t, const Size *s, const char *name, const char *const *keys)
{
  ui_test_wait_frame(t);
  ui_test_assert_visible(t, keys);
  const char *out = g_getenv("MUSTER_UI_OUT");
  g_autofree char *dir = g_strdup(out != NULL ? out : g_get_tmp_dir());
  g_mkdir_with_parents(dir, 0755);
  const char *lang = g_getenv("LANGUAGE");
  g_autofree char *file = g_strdup_printf("%s-%dx%d-%s.png", name, s->width, s->height,
                                          lang != NULL && *lang != '\0' ? lang : "en");
  g_autofree char *path = g_build_filename(dir, file, NULL);
  guint colours = ui_test_render_and_check(t, path);
  g_test_message("%s: %u colours", path, colours);
}

static gboolean
scans_at_least(gpointer data)
{
  UiTest *t = data;
  MusterKioskCountModel *m = muster_kiosk_session_get_count(t->session);
  return m != NULL && muster_kiosk_count_model_get_scans(m) >= 40 &&
         muster_kiosk_count_model_get_found(m) > 0;
}

static MusterReader *
add_feed(UiTest *t, guint n_lines)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new();
  for (guint i = 0; i < n_lines && i < t->demo->feed->len; i++)
    g_ptr_array_add(lines, g_ptr_array_index(t->demo->feed, i));
  MusterReader *reader = MUSTER_READER(muster_sim_reader_new("sim0", lines, 0));
  muster_kiosk_session_add_reader(t->session, reader);
  return reader;
}

/* A wrong PIN's message, made by the engine (db/users.c), in the language under test. */
static void
assert_engine_words(GtkWidget *label)
{
  const char *lang = g_getenv("LANGUAGE");
  const char *want = g_strcmp0(lang, "de") == 0   ? "Falsche PIN für bob"
                     : g_strcmp0(lang, "ar") == 0 ? "رقم سري خاطئ لـ bob"
                                                  : "Wrong PIN for bob";
  g_assert_true(gtk_widget_get_mapped(label));
  g_assert_nonnull(strstr(gtk_label_get_text(GTK_LABEL(label)), want));
}

static void
test_screens(gconstpointer data)
{
  const Size *s = data;
  UiTest t;
  ui_test_setup(&t, 300, s->width, s->height);
  g_autoptr(MusterReader) reader = add_feed(&t, 120);

  shot(&t, s, "sign-in", (const char *const[]){"sign-in-pin", "user:bob", "user:admin", NULL});

  /* The engine's refusal is in the screen's language too, and fits. */
  ui_test_sign_in(&t, "bob", "0000");
  assert_engine_words(ui_test_get(&t, "sign-in-error"));
  shot(&t, s, "sign-in-wrong-pin", (const char *const[]){"sign-in-error", NULL});

  ui_test_sign_in(&t, "bob", "1234");
  g_assert_cmpstr(ui_test_page(&t), ==, "home");
  shot(&t, s, "home", (const char *const[]){"start", "lookup", "status", NULL});
  /* Staff see neither review nor settings nor the way out. */
  g_assert_false(gtk_widget_get_visible(ui_test_get(&t, "review")));
  g_assert_false(gtk_widget_get_visible(ui_test_get(&t, "exit")));

  ui_test_click(&t, NULL, "start");
  g_assert_cmpstr(ui_test_page(&t), ==, "start");
  shot(&t, s, "start", (const char *const[]){"witness", "witness-pin", "blind", NULL});

  g_assert_true(muster_kiosk_dropdown_select(GTK_DROP_DOWN(ui_test_get(&t, "witness")), "carol"));
  ui_test_type_pin(&t, "witness-pin", "1234");
  g_assert_cmpstr(ui_test_page(&t), ==, "live");
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(reader, &error));
  g_assert_true(ui_test_wait(scans_at_least, &t, 10000));
  shot(&t, s, "live",
       (const char *const[]){"banner", "found", "expected", "recent", "readers", "unmarked",
                             "close", NULL});

  ui_test_click(&t, NULL, "unmarked");
  g_assert_cmpstr(ui_test_page(&t), ==, "unmarked");
  shot(&t, s, "unmarked", (const char *const[]){"description", "location", "save", NULL});
  ui_test_click(&t, NULL, "cancel");

  ui_test_click(&t, NULL, "close");
  ui_test_click(&t, NULL, "confirm-close");
  g_assert_cmpstr(ui_test_page(&t), ==, "home");

  ui_test_click(&t, NULL, "status");
  shot(&t, s, "status", (const char *const[]){"readers", "sync", NULL});

  ui_test_click(&t, NULL, "home-button");
  ui_test_click(&t, NULL, "lookup");
  g_autoptr(MusterItem) first = muster_items_get(t.store, 1, &error);
  g_assert_no_error(error);
  MusterKioskScreenLookup *lookup =
      MUSTER_KIOSK_SCREEN_LOOKUP(muster_kiosk_window_get_screen(t.window, "lookup"));
  muster_kiosk_screen_lookup_run(lookup, first->serial);
  g_assert_nonnull(gtk_widget_get_first_child(ui_test_get(&t, "results")));
  shot(&t, s, "lookup", (const char *const[]){"marking", "search", "results", NULL});

  ui_test_click(&t, NULL, "sign-out-button");
  ui_test_sign_in(&t, "sue", "1234");
  ui_test_click(&t, NULL, "review");
  g_assert_cmpstr(ui_test_page(&t), ==, "review");
  MusterKioskScreenReview *review =
      MUSTER_KIOSK_SCREEN_REVIEW(muster_kiosk_window_get_screen(t.window, "review"));
  g_assert_cmpuint(g_list_model_get_n_items(muster_kiosk_screen_review_get_model(review)), >, 0);
  muster_kiosk_screen_review_select(review, 0);
  shot(&t, s, "review",
       (const char *const[]){"discrepancies", "kind-filter", "location-filter", "sign-off",
                             "history", "action", NULL});

  ui_test_click(&t, NULL, "sign-out-button");
  ui_test_sign_in(&t, "admin", "123456");
  ui_test_click(&t, NULL, "settings");
  shot(&t, s, "settings",
       (const char *const[]){"kiosk_lock_seconds", "overdue_days", "save", NULL});

  muster_reader_stop(reader);
  ui_test_teardown(&t);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  gtk_test_init(&argc, &argv, NULL);
  const char *lang = g_getenv("LANGUAGE");
  if (lang != NULL && *lang != '\0') {
    /* The translation must really be in use, or this test proves nothing about fit. */
    muster_kiosk_init();
    g_assert_cmpstr(g_dgettext("muster-kiosk", "Sign out"), !=, "Sign out");
    if (g_str_has_prefix(lang, "ar"))
      g_assert_cmpint(gtk_widget_get_default_direction(), ==, GTK_TEXT_DIR_RTL);
  }
  for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
    g_autofree char *name = g_strdup_printf("/ui/screens/%dx%d", sizes[i].width, sizes[i].height);
    g_test_add_data_func(name, &sizes[i], test_screens);
  }
  return g_test_run();
}
