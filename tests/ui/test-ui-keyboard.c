/*
 * test-ui-keyboard.c: the on-screen keyboard, typed on as a gloved finger would.
 *
 * Every key is found by its widget name ("key:a", "key:shift", ...) and pressed; what
 * lands in the entry is read back from the entry, and what the screens do with it from
 * the database, through the test's own connection:
 *
 * - the layout follows the UI language (English QWERTY, German QWERTZ, Arabic);
 * - letters, one-shot and locked shift, digits, "-", "/", ".", space, erase, typing at
 *   the cursor and over a selection; a read-only entry and an entry that is gone take
 *   nothing and break nothing;
 * - German umlauts and ß; Arabic letters, the hamza forms on shift, the switch to Latin
 *   letters (for markings) and back, keys left to right in the right-to-left UI;
 * - ⏎ on the lookup screen looks up the marking typed (a demo item's serial: its
 *   record; a marking nobody carries: says so);
 * - a resolve reason and a sign-off note typed on the review screen, and an unmarked
 *   item's description typed on its screen, are in the database;
 * - the keyboard hides with its key and when the screen is left;
 * - at 1024×600 and 1920×1080 in English, German and Arabic, the lookup, review and
 *   unmarked-item screens with the keyboard up pass the screens' checks (nothing
 *   truncated or outside the window, targets ≥ 48 px; keys ≥ 56 px), and the entry
 *   typed into stays in view.
 *
 * Entries are tapped for real: a pointer press through the X server (xdotool, XTEST) on
 * the entry, as a touch screen sends it. The binary is registered once (LANGUAGE
 * empty); each test runs in a subprocess with LANGUAGE set for its language, so one
 * ctest entry covers the three.
 */
#include "missing.h"
#include "ui-test.h"

#include "db/counts.h"
#include "db/items.h"
#include "db/locations.h"
#include "db/reconcile.h"
#include "ui/count-model.h"
#include "ui/keyboard.h"
#include "ui/kiosk.h"
#include "ui/review-model.h"
#include "ui/screen-review.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

typedef struct {
  const char *lang; /* LANGUAGE for the subprocess; "" is English */
  const char *name;
  int width, height; /* the screen, for the rendering tests */
  void (*func)(gconstpointer data);
} Case;

/* --- pressing keys --- */

static MusterKioskKeyboard *
keyboard(UiTest *t)
{
  return MUSTER_KIOSK_KEYBOARD(ui_test_get(t, "keyboard"));
}

static void
key(UiTest *t, const char *k)
{
  g_autofree char *name = g_strconcat("key:", k, NULL);
  ui_test_click(t, GTK_WIDGET(keyboard(t)), name);
}

/* Types text key by key: a capital is shift, then its letter's key. */
static void
type_keys(UiTest *t, const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    gunichar lower = g_unichar_tolower(c);
    char buf[8] = {0};
    g_unichar_to_utf8(lower, buf);
    if (lower != c)
      key(t, "shift");
    key(t, c == ' ' ? "space" : buf);
  }
}

static const char *
text_of(UiTest *t, const char *entry)
{
  return gtk_editable_get_text(GTK_EDITABLE(ui_test_get(t, entry)));
}

static const char *
key_label(UiTest *t, const char *k)
{
  g_autofree char *name = g_strconcat("key:", k, NULL);
  return gtk_button_get_label(GTK_BUTTON(ui_test_find(GTK_WIDGET(keyboard(t)), name)));
}

static gboolean
keyboard_mapped(gpointer data)
{
  return gtk_widget_get_mapped(GTK_WIDGET(keyboard(data)));
}

/* A finger's tap: a real button press and release through the X server (xdotool's
 * XTEST) in the middle of the widget, as a touch screen sends it. */
static void
tap(GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native(widget);
  graphene_rect_t b;
  g_assert_true(gtk_widget_compute_bounds(widget, GTK_WIDGET(native), &b));
  double dx, dy; /* the surface's origin in the window widget (no decorations: 0) */
  gtk_native_get_surface_transform(native, &dx, &dy);
  GdkSurface *surface = gtk_native_get_surface(native);
  g_assert_true(GDK_IS_X11_SURFACE(surface));
  g_autofree char *window = g_strdup_printf("%lu", gdk_x11_surface_get_xid(surface));
  g_autofree char *x = g_strdup_printf("%d", (int)(dx + b.origin.x + b.size.width / 2));
  g_autofree char *y = g_strdup_printf("%d", (int)(dy + b.origin.y + b.size.height / 2));
  const char *argv[] = {"xdotool", "mousemove", "--sync", "--window", window,
                        x,         y,           "click",  "1",        NULL};
  g_autoptr(GError) error = NULL;
  int status = 0;
  g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                             &status, &error));
  g_assert_no_error(error);
  g_assert_true(g_spawn_check_wait_status(status, NULL));
}

/* Taps the entry; waits for the keyboard to be laid out and the entry in view. */
static void
tap_entry(UiTest *t, const char *name)
{
  ui_test_wait_frame(t); /* laid out where the finger lands */
  GtkWidget *entry = ui_test_get(t, name);
  tap(entry);
  g_assert_true(ui_test_wait(keyboard_mapped, t, 5000));
  ui_test_wait_frame(t);
  ui_test_wait_frame(t);
  g_assert_true(muster_kiosk_keyboard_get_target(keyboard(t)) == GTK_EDITABLE(entry));
}

static gboolean
keyboard_shown(UiTest *t)
{
  return gtk_widget_get_visible(GTK_WIDGET(keyboard(t)));
}

/* --- state behind the screens --- */

static MusterUser *
user(UiTest *t, const char *name)
{
  g_autoptr(GError) error = NULL;
  MusterUser *u = muster_users_authenticate(t->store, name, "1234", &error);
  g_assert_no_error(error);
  return u;
}

/* A closed count of the whole armoury with nothing scanned (every item missing) and one
 * unmarked item recorded: its discrepancy needs no second person. */
static gint64
closed_count(UiTest *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) bob = user(t, "bob");
  g_autoptr(MusterUser) carol = user(t, "carol");
  const char *const scope[] = {"", NULL};
  g_autoptr(MusterCount) c = muster_counts_start(t->store, bob, carol, scope, FALSE, &error);
  g_assert_no_error(error);
  g_autoptr(GPtrArray) locations = muster_locations_list(t->store, &error);
  g_assert_no_error(error);
  const char *rack = NULL;
  for (guint i = 0; i < locations->len && rack == NULL; i++) {
    const MusterLocation *l = g_ptr_array_index(locations, i);
    if (g_str_equal(l->kind, "rack"))
      rack = l->path;
  }
  g_assert_nonnull(rack);
  g_assert_true(muster_counts_record_unmarked(t->store, bob, c->id, "grey pistol, no marks", rack,
                                              NULL, NULL, &error));
  g_assert_no_error(error);
  g_assert_true(muster_counts_close(t->store, bob, c->id, &error));
  g_assert_no_error(error);
  return c->id;
}

static void
open_lookup(UiTest *t)
{
  ui_test_sign_in(t, "bob", "1234");
  ui_test_click(t, NULL, "lookup");
  g_assert_cmpstr(ui_test_page(t), ==, "lookup");
  g_assert_false(keyboard_shown(t)); /* nothing to type yet */
}

/* The review screen, the unmarked item's discrepancy chosen. */
static MusterKioskScreenReview *
open_review_on_unmarked(UiTest *t)
{
  ui_test_sign_in(t, "sue", "1234");
  ui_test_click(t, NULL, "review");
  g_assert_cmpstr(ui_test_page(t), ==, "review");
  MusterKioskScreenReview *review =
      MUSTER_KIOSK_SCREEN_REVIEW(muster_kiosk_window_get_screen(t->window, "review"));
  gtk_drop_down_set_selected(GTK_DROP_DOWN(ui_test_get(t, "kind-filter")),
                             MUSTER_DISCREPANCY_UNMARKED_ITEM + 1);
  GListModel *model = muster_kiosk_screen_review_get_model(review);
  g_assert_cmpuint(g_list_model_get_n_items(model), ==, 1);
  muster_kiosk_screen_review_select(review, 0);
  g_assert_true(gtk_widget_get_mapped(ui_test_get(t, "resolve")));
  return review;
}

/* --- the tests --- */

static void
test_layout_follows_language(gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GtkWidget) kb = g_object_ref_sink(muster_kiosk_keyboard_new());
  MusterKioskKeyboard *k = MUSTER_KIOSK_KEYBOARD(kb);
  const char *want = *c->lang != '\0' ? c->lang : "en";
  g_assert_cmpstr(muster_kiosk_keyboard_get_home_layout(k), ==, want);
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(k), ==, want);
  g_assert_false(gtk_widget_get_visible(kb)); /* hidden until an entry needs it */
  /* Every layout has what markings need, and only a non-Latin one a switch key. */
  const char *const needed[] = {"key:0",     "key:9",    "key:-",     "key:/",
                                "key:.",     "key:,",    "key:space", "key:backspace",
                                "key:enter", "key:hide", "key:shift", NULL};
  for (const char *const *n = needed; *n != NULL; n++)
    g_assert_nonnull(ui_test_find(kb, *n));
  g_assert_true((ui_test_find(kb, "key:switch") != NULL) == g_str_equal(want, "ar"));
}

static gboolean
text_is_typed_z(gpointer data)
{
  return g_str_equal(text_of(data, "marking"), "a1/2.3 4z");
}

static void
test_typing(gconstpointer data)
{
  UiTest t;
  ui_test_setup(&t, 20, 1024, 600);
  open_lookup(&t);
  tap_entry(&t, "marking");
  type_keys(&t, "ab");
  key(&t, "shift"); /* one capital, then small letters again */
  g_assert_cmpstr(key_label(&t, "c"), ==, "C");
  key(&t, "c");
  g_assert_cmpstr(key_label(&t, "d"), ==, "d");
  key(&t, "shift");
  key(&t, "shift"); /* locked */
  g_assert_cmpstr(key_label(&t, "shift"), ==, "⇪");
  type_keys(&t, "xy");
  key(&t, "shift"); /* released */
  type_keys(&t, "z");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "abCXYz");
  key(&t, "backspace");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "abCXY");
  /* At the cursor, and over a selection. */
  GtkEditable *marking = GTK_EDITABLE(ui_test_get(&t, "marking"));
  gtk_editable_set_position(marking, 2);
  key(&t, "-");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "ab-CXY");
  g_assert_cmpint(gtk_editable_get_position(marking), ==, 3);
  key(&t, "backspace");
  key(&t, "backspace");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "aCXY");
  gtk_editable_select_region(marking, 1, 4);
  type_keys(&t, "1/2.3 4");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "a1/2.3 4");
  /* Erasing past the start erases nothing more. */
  gtk_editable_set_position(marking, 0);
  key(&t, "backspace");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "a1/2.3 4");
  /* A read-only entry takes nothing. */
  gtk_editable_set_editable(marking, FALSE);
  type_keys(&t, "q");
  key(&t, "backspace");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "a1/2.3 4");
  gtk_editable_set_editable(marking, TRUE);
  /* A key tapped for real types too, and never takes the focus: the entry keeps its
   * cursor. */
  gtk_editable_set_position(marking, -1);
  tap(ui_test_find(GTK_WIDGET(keyboard(&t)), "key:z"));
  g_assert_true(ui_test_wait(text_is_typed_z, &t, 5000));
  g_assert_true(gtk_widget_is_focus(GTK_WIDGET(gtk_editable_get_delegate(marking))));
  key(&t, "backspace");
  for (GtkWidget *k =
           gtk_widget_get_first_child(gtk_widget_get_first_child(GTK_WIDGET(keyboard(&t))));
       k != NULL; k = gtk_widget_get_next_sibling(k))
    g_assert_false(gtk_widget_get_focusable(k));
  key(&t, "hide");
  g_assert_false(keyboard_shown(&t));
  g_assert_cmpstr(text_of(&t, "marking"), ==, "a1/2.3 4");
  ui_test_teardown(&t);
}

/* The keyboard goes away with its screen, and with the entry it typed into. */
static void
test_hides(gconstpointer data)
{
  UiTest t;
  ui_test_setup(&t, 20, 1024, 600);
  open_lookup(&t);
  tap_entry(&t, "marking");
  ui_test_click(&t, NULL, "home-button");
  ui_test_wait_frame(&t);
  ui_test_click(&t, NULL, "lookup");
  ui_test_wait_frame(&t);
  g_assert_false(keyboard_shown(&t));
  ui_test_teardown(&t);

  GtkWidget *entry = g_object_ref_sink(gtk_entry_new());
  g_autoptr(GtkWidget) kb = g_object_ref_sink(muster_kiosk_keyboard_new());
  MusterKioskKeyboard *k = MUSTER_KIOSK_KEYBOARD(kb);
  muster_kiosk_keyboard_attach(k, GTK_EDITABLE(entry));
  muster_kiosk_keyboard_show_for(k, GTK_EDITABLE(entry));
  g_signal_emit_by_name(ui_test_find(kb, "key:q"), "clicked");
  g_assert_cmpstr(gtk_editable_get_text(GTK_EDITABLE(entry)), ==, "q");
  g_object_unref(entry);
  g_assert_null(muster_kiosk_keyboard_get_target(k));
  g_signal_emit_by_name(ui_test_find(kb, "key:w"), "clicked");
  g_signal_emit_by_name(ui_test_find(kb, "key:backspace"), "clicked");
  g_signal_emit_by_name(ui_test_find(kb, "key:enter"), "clicked");
  g_assert_false(gtk_widget_get_visible(kb));
}

static gboolean
results_mention(UiTest *t, const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child(ui_test_get(t, "results")); c != NULL;
       c = gtk_widget_get_next_sibling(c))
    if (GTK_IS_LABEL(c) && strstr(gtk_label_get_text(GTK_LABEL(c)), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_lookup_enter(gconstpointer data)
{
  UiTest t;
  ui_test_setup(&t, 20, 1024, 600);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterItem) item = muster_items_get(t.store, 3, &error);
  g_assert_no_error(error);
  open_lookup(&t);
  tap_entry(&t, "marking");
  type_keys(&t, item->serial);
  g_assert_cmpstr(text_of(&t, "marking"), ==, item->serial);
  g_assert_null(gtk_widget_get_first_child(ui_test_get(&t, "results")));
  key(&t, "enter");
  g_assert_false(keyboard_shown(&t));
  g_autofree char *sn = g_strdup_printf("SN %s", item->serial);
  g_assert_true(results_mention(&t, sn));
  g_assert_true(results_mention(&t, item->manufacturer));

  /* A marking nobody carries: the screen says so. */
  tap_entry(&t, "marking");
  GtkEditable *marking = GTK_EDITABLE(ui_test_get(&t, "marking"));
  gtk_editable_select_region(marking, 0, -1);
  type_keys(&t, "ZZ-0000/9");
  key(&t, "enter");
  g_assert_true(results_mention(&t, "ZZ-0000/9"));
  g_assert_false(results_mention(&t, sn));
  ui_test_teardown(&t);
}

/* Resolves what is left through the engine: sue, vic confirming. */
static void
resolve_the_rest(UiTest *t, gint64 count_id)
{
  g_autoptr(MusterUser) sue = user(t, "sue");
  g_autoptr(MusterUser) vic = user(t, "vic");
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter open = {.resolved = 0};
  g_autoptr(GPtrArray) left = muster_discrepancies_list(t->store, count_id, &open, &error);
  g_assert_no_error(error);
  for (guint i = 0; i < left->len; i++) {
    const MusterDiscrepancy *d = g_ptr_array_index(left, i);
    g_assert_true(
        muster_discrepancies_resolve(t->store, sue, vic, d->id, "written_off", "test", &error));
    g_assert_no_error(error);
  }
}

static void
test_review_to_database(gconstpointer data)
{
  UiTest t;
  ui_test_setup(&t, 20, 1024, 600);
  gint64 count_id = closed_count(&t);
  MusterKioskScreenReview *review = open_review_on_unmarked(&t);
  g_autoptr(MusterKioskDiscrepancyRow) row =
      g_list_model_get_item(muster_kiosk_screen_review_get_model(review), 0);
  gint64 id = muster_kiosk_discrepancy_row_get_id(row);
  tap_entry(&t, "reason");
  const char *reason = "Found in store 2-B/7. Tag lost";
  type_keys(&t, reason);
  key(&t, "enter");
  g_assert_false(keyboard_shown(&t));
  ui_test_click(&t, NULL, "resolve");
  g_assert_false(gtk_widget_get_visible(ui_test_get(&t, "review-error")));

  /* Read back through the test's own connection. */
  g_autoptr(GError) error = NULL;
  g_autofree char *key_text = g_strdup_printf("%" G_GINT64_FORMAT, id);
  g_autoptr(MusterDiscrepancy) d = muster_discrepancies_get(t.store, key_text, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(d->kind, ==, "unmarked_item");
  g_assert_cmpstr(d->resolution_reason, ==, reason);
  g_assert_cmpstr(d->resolved_by, ==, "sue");

  resolve_the_rest(&t, count_id);
  tap_entry(&t, "note");
  type_keys(&t, "All found, 1 written off");
  ui_test_click(&t, NULL, "sign-off");
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t.store, count_id, &error);
  g_assert_no_error(error);
  g_assert_cmpint(c->state, ==, MUSTER_COUNT_SIGNED_OFF);
  g_assert_cmpstr(c->signoff_note, ==, "All found, 1 written off");
  ui_test_teardown(&t);
}

static void
test_german(gconstpointer data)
{
  UiTest t;
  ui_test_setup(&t, 20, 1024, 600);
  open_lookup(&t);
  tap_entry(&t, "marking");
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(keyboard(&t)), ==, "de");
  g_assert_cmpstr(key_label(&t, "space"), ==, "Deutsch");
  type_keys(&t, "Überprüft Maß Öl Äxte");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "Überprüft Maß Öl Äxte");
  /* ß has no capital of its own: shift leaves it ß. */
  key(&t, "shift");
  g_assert_cmpstr(key_label(&t, "ß"), ==, "ß");
  key(&t, "ß");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "Überprüft Maß Öl Äxteß");
  ui_test_teardown(&t);
}

/* x of a key's left edge, in the keyboard. */
static double
key_x(UiTest *t, const char *k)
{
  g_autofree char *name = g_strconcat("key:", k, NULL);
  graphene_rect_t b;
  g_assert_true(gtk_widget_compute_bounds(ui_test_find(GTK_WIDGET(keyboard(t)), name),
                                          GTK_WIDGET(keyboard(t)), &b));
  return b.origin.x;
}

static void
test_arabic(gconstpointer data)
{
  UiTest t;
  ui_test_setup(&t, 20, 1024, 600);
  open_lookup(&t);
  tap_entry(&t, "marking");
  MusterKioskKeyboard *kb = keyboard(&t);
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(kb), ==, "ar");
  g_assert_cmpint(gtk_widget_get_direction(ui_test_get(&t, "marking")), ==, GTK_TEXT_DIR_RTL);
  /* The picture of an Arabic keyboard: ض top left, د top right. */
  g_assert_cmpfloat(key_x(&t, "ض"), <, key_x(&t, "د"));
  type_keys(&t, "سلاح ");
  key(&t, "shift");
  g_assert_cmpstr(key_label(&t, "ا"), ==, "أ");
  key(&t, "ا");
  key(&t, "لا");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "سلاح ألا");
  key(&t, "backspace"); /* لا is two letters: erase takes the alef */
  g_assert_cmpstr(text_of(&t, "marking"), ==, "سلاح أل");
  /* Markings are Latin: the switch key brings the Latin letters, and back. */
  g_assert_cmpstr(key_label(&t, "switch"), ==, "ABC");
  key(&t, "space");
  key(&t, "switch");
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(kb), ==, "en");
  g_assert_null(ui_test_find(GTK_WIDGET(kb), "key:ض"));
  g_assert_cmpstr(key_label(&t, "switch"), ==, "أبج");
  type_keys(&t, "AB-12/3");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "سلاح أل AB-12/3");
  key(&t, "switch");
  g_assert_cmpstr(muster_kiosk_keyboard_get_layout(kb), ==, "ar");
  type_keys(&t, "ب");
  g_assert_cmpstr(text_of(&t, "marking"), ==, "سلاح أل AB-12/3ب");
  ui_test_teardown(&t);
}

/* --- rendering at both sizes, in each language --- */

static void
shot(UiTest *t, const Case *c, const char *name)
{
  const char *out = g_getenv("MUSTER_UI_OUT");
  g_autofree char *dir = g_strdup(out != NULL ? out : "screens");
  g_mkdir_with_parents(dir, 0755);
  g_autofree char *file = g_strdup_printf("keyboard-%s-%dx%d-%s.png", name, c->width, c->height,
                                          *c->lang != '\0' ? c->lang : "en");
  g_autofree char *path = g_build_filename(dir, file, NULL);
  guint colours = ui_test_render_and_check(t, path);
  g_test_message("%s: %u colours", path, colours);
}

/* Keys big enough for gloves: 56 px with their border on compact screens, 72 px on
 * large ones (the content, which ui_test_render_and_check holds to 48 px, is 4 less). */
static void
check_keys(UiTest *t)
{
  int least = t->width >= 1600 ? 72 : 56;
  GtkWidget *grid = gtk_widget_get_first_child(GTK_WIDGET(keyboard(t)));
  guint n = 0;
  for (GtkWidget *k = gtk_widget_get_first_child(grid); k != NULL;
       k = gtk_widget_get_next_sibling(k), n++) {
    graphene_rect_t b;
    g_assert_true(gtk_widget_compute_bounds(k, grid, &b));
    g_assert_cmpfloat(b.size.height, >=, least);
    g_assert_cmpfloat(b.size.width, >=, least);
  }
  g_assert_cmpuint(n, >, 40);
}

/* The entry typed into is wholly inside the scrolled window that holds it. */
static void
check_in_view(UiTest *t, const char *entry_name)
{
  GtkWidget *entry = ui_test_get(t, entry_name);
  GtkWidget *scroller = gtk_widget_get_ancestor(entry, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull(scroller);
  graphene_rect_t b;
  g_assert_true(gtk_widget_compute_bounds(entry, scroller, &b));
  g_assert_cmpfloat(b.origin.y, >=, -0.5);
  g_assert_cmpfloat(b.origin.y + b.size.height, <=, gtk_widget_get_height(scroller) + 0.5);
}

static void
test_render(gconstpointer data)
{
  const Case *c = data;
  UiTest t;
  ui_test_setup(&t, 20, c->width, c->height);
  closed_count(&t);
  open_lookup(&t);
  tap_entry(&t, "marking");
  type_keys(&t, "12-3/4.");
  check_keys(&t);
  shot(&t, c, "lookup");
  if (ui_test_find(GTK_WIDGET(keyboard(&t)), "key:switch") != NULL) {
    key(&t, "switch");
    type_keys(&t, "AB");
    check_keys(&t);
    shot(&t, c, "lookup-latin");
  }
  ui_test_click(&t, NULL, "sign-out-button");
  open_review_on_unmarked(&t);
  tap_entry(&t, "reason");
  ui_test_wait_frame(&t);
  check_in_view(&t, "reason");
  check_keys(&t);
  shot(&t, c, "review");
  ui_test_teardown(&t);
}

/* The unmarked item's description, typed on the keyboard in the language's layout: at
 * both sizes the screen passes the checks with the keyboard up, and the description is in
 * the database (the reconciled unmarked-item finding carries it). */
static void
test_unmarked(gconstpointer data)
{
  const Case *c = data;
  UiTest t;
  ui_test_setup(&t, 20, c->width, c->height);
  MusterKioskCountModel *m = ui_test_start_count(&t);
  gint64 count_id = muster_kiosk_count_model_get_count_id(m);
  ui_test_click(&t, NULL, "unmarked");
  g_assert_cmpstr(ui_test_page(&t), ==, "unmarked");
  tap_entry(&t, "description");
  const char *description = g_str_equal(c->lang, "ar") ? "مسدس رمادي 9-12" : "Grey pistol, 9-12";
  type_keys(&t, description);
  check_in_view(&t, "description");
  check_keys(&t);
  shot(&t, c, "unmarked");
  key(&t, "enter");
  g_assert_false(keyboard_shown(&t));
  ui_test_click(&t, NULL, "save");
  g_assert_cmpstr(ui_test_page(&t), ==, "live");

  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) bob = user(&t, "bob");
  g_autoptr(MusterUser) sue = user(&t, "sue");
  g_assert_true(muster_counts_close(t.store, bob, count_id, &error));
  MusterReconcileSummary summary;
  g_assert_true(muster_reconcile(t.store, sue, count_id, &summary, &error));
  g_assert_no_error(error);
  MusterDiscrepancyFilter unmarked = {.kind = "unmarked_item", .resolved = -1};
  g_autoptr(GPtrArray) found = muster_discrepancies_list(t.store, count_id, &unmarked, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(found->len, ==, 1);
  const MusterDiscrepancy *d = g_ptr_array_index(found, 0);
  g_assert_nonnull(strstr(d->detail, description));
  ui_test_teardown(&t);
}

/* --- one subprocess per test, in its language --- */

static void
in_language(gconstpointer data)
{
  const Case *c = data;
  if (g_test_subprocess()) {
    muster_kiosk_init();
    if (*c->lang != '\0') /* the translation is in use, or this proves nothing */
      g_assert_cmpstr(g_dgettext("muster-kiosk", "Sign out"), !=, "Sign out");
    c->func(c);
    return;
  }
  g_autofree char *saved = g_strdup(g_getenv("LANGUAGE"));
  g_setenv("LANGUAGE", c->lang, TRUE);
  g_test_trap_subprocess(NULL, 120 * G_USEC_PER_SEC,
                         G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (saved != NULL)
    g_setenv("LANGUAGE", saved, TRUE);
  else
    g_unsetenv("LANGUAGE");
  g_test_trap_assert_passed();
}

static const Case cases[] = {
    {"", "layout", 0, 0, test_layout_follows_language},
    {"de", "layout", 0, 0, test_layout_follows_language},
    {"ar", "layout", 0, 0, test_layout_follows_language},
    {"", "typing", 0, 0, test_typing},
    {"", "hides", 0, 0, test_hides},
    {"", "lookup-enter", 0, 0, test_lookup_enter},
    {"", "review-to-database", 0, 0, test_review_to_database},
    {"de", "german", 0, 0, test_german},
    {"ar", "arabic", 0, 0, test_arabic},
    {"", "render", 1024, 600, test_render},
    {"de", "render", 1024, 600, test_render},
    {"ar", "render", 1024, 600, test_render},
    {"", "render", 1920, 1080, test_render},
    {"de", "render", 1920, 1080, test_render},
    {"ar", "render", 1920, 1080, test_render},
    {"", "unmarked", 1024, 600, test_unmarked},
    {"de", "unmarked", 1024, 600, test_unmarked},
    {"ar", "unmarked", 1024, 600, test_unmarked},
    {"", "unmarked", 1920, 1080, test_unmarked},
    {"de", "unmarked", 1920, 1080, test_unmarked},
    {"ar", "unmarked", 1920, 1080, test_unmarked},
};

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  /* GTK only in the subprocesses: the parent sets LANGUAGE for each, which is safe only
   * before GTK starts its threads. */
  g_test_init(&argc, &argv, NULL);
  g_autofree char *xdotool = g_find_program_in_path("xdotool");
  if (xdotool == NULL)
    test_missing_exit("xdotool is not installed (not found on PATH): it taps the entries",
                      "install xdotool (apt-get install xdotool; packaging/debian-packages.txt)");
  if (g_test_subprocess()) {
    gtk_disable_setlocale();
    gtk_init();
  }
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    const Case *c = &cases[i];
    g_autofree char *path =
        c->width > 0 ? g_strdup_printf("/ui/keyboard/%s/%s/%dx%d", *c->lang ? c->lang : "en",
                                       c->name, c->width, c->height)
                     : g_strdup_printf("/ui/keyboard/%s/%s", *c->lang ? c->lang : "en", c->name);
    g_test_add_data_func(path, c, in_language);
  }
  return g_test_run();
}
