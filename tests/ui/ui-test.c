/*
 * ui-test.c: the kiosk tests' shared fixture (see ui-test.h).
 */
#include "ui-test.h"

#include "ui/widgets.h"

#include "db/items.h"
#include "db/settings.h"
#include "ui/kiosk.h"
#include "ui/pin-pad.h"

#include <glib/gstdio.h>

static void
rm_rf(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
    g_autofree char *p = g_build_filename(dir, name, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_DIR))
      rm_rf(p);
    else
      g_unlink(p);
  }
  g_rmdir(dir);
}

static void
add_user(UiTest *t, const char *name, const char *full, MusterRole role)
{
  g_autoptr(GError) error = NULL;
  MusterUser *u = muster_users_add(t->store, t->admin, name, full, role, "1234", &error);
  g_assert_no_error(error);
  muster_user_free(u);
}

static void
show_window(UiTest *t, int width, int height)
{
  t->window = muster_kiosk_window_new(t->session, FALSE);
  t->width = width;
  t->height = height;
  muster_kiosk_window_set_layout_size(t->window, width, height);
  gtk_window_present(GTK_WINDOW(t->window));
  ui_test_wait_frame(t);
}

static void
open_window(UiTest *t, int width, int height)
{
  g_autoptr(GError) error = NULL;
  MusterStore *store = muster_store_open(t->path, &error);
  g_assert_no_error(error);
  t->session = muster_kiosk_session_new(store);
  show_window(t, width, height);
}

void
ui_test_setup_first_boot(UiTest *t, const char *path, int width, int height)
{
  memset(t, 0, sizeof *t);
  muster_kiosk_init();
  g_autoptr(GError) error = NULL;
  t->dir = g_dir_make_tmp("muster-ui-XXXXXX", &error);
  g_assert_no_error(error);
  t->path = path != NULL ? g_strdup(path) : g_build_filename(t->dir, "new", "armoury.db", NULL);
  t->session = muster_kiosk_session_new_for_setup(t->path);
  show_window(t, width, height);
}

void
ui_test_setup(UiTest *t, guint n_items, int width, int height)
{
  memset(t, 0, sizeof *t);
  muster_kiosk_init();
  g_autoptr(GError) error = NULL;
  t->dir = g_dir_make_tmp("muster-ui-XXXXXX", &error);
  g_assert_no_error(error);
  t->path = g_build_filename(t->dir, "armoury.db", NULL);
  t->store = muster_store_create(t->path, "TEST-01", "Test armoury", &error);
  g_assert_no_error(error);
  t->admin = muster_users_bootstrap_admin(t->store, "admin", "Ada Admin", "123456", &error);
  g_assert_no_error(error);
  add_user(t, "sue", "Sgt Sue Supervisor", MUSTER_ROLE_SUPERVISOR);
  add_user(t, "vic", "Lt Vic Second", MUSTER_ROLE_SUPERVISOR);
  add_user(t, "bob", "Cpl Bob Counter", MUSTER_ROLE_STAFF);
  add_user(t, "carol", "Pte Carol Witness", MUSTER_ROLE_STAFF);
  t->demo = muster_demo_generate(n_items, 7);
  g_autoptr(GPtrArray) problems = NULL;
  MusterImportResult result;
  muster_items_import_csv(t->store, t->admin, t->demo->csv->str, t->demo->csv->len, &result,
                          &problems, &error);
  g_assert_no_error(error);
  open_window(t, width, height);
}

static void
close_window(UiTest *t)
{
  if (t->window != NULL)
    gtk_window_destroy(GTK_WINDOW(t->window));
  t->window = NULL;
  g_clear_object(&t->session);
  while (g_main_context_iteration(NULL, FALSE))
    ;
}

void
ui_test_restart(UiTest *t, int width, int height)
{
  close_window(t);
  open_window(t, width, height);
}

void
ui_test_teardown(UiTest *t)
{
  close_window(t);
  g_clear_pointer(&t->admin, muster_user_free);
  g_clear_pointer(&t->store, muster_store_free);
  g_clear_pointer(&t->demo, muster_demo_free);
  if (g_getenv("MUSTER_UI_KEEP") == NULL)
    rm_rf(t->dir);
  g_free(t->dir);
  g_free(t->path);
}

static gboolean
timeout_cb(gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
ui_test_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add(timeout_ms, timeout_cb, &timed_out);
  while (!cond(data) && !timed_out)
    g_main_context_iteration(NULL, TRUE);
  if (!timed_out)
    g_source_remove(id);
  return cond(data);
}

static void
on_after_paint(GdkFrameClock *clock, gpointer data)
{
  *(gboolean *)data = TRUE;
}

static gboolean
is_true(gpointer data)
{
  return *(gboolean *)data;
}

void
ui_test_wait_frame(UiTest *t)
{
  GtkWidget *w = GTK_WIDGET(t->window);
  g_assert_true(ui_test_wait((gboolean(*)(gpointer))gtk_widget_get_mapped, w, 5000));
  GdkFrameClock *clock = gtk_widget_get_frame_clock(w);
  g_assert_nonnull(clock);
  gboolean painted = FALSE;
  gulong id = g_signal_connect(clock, "after-paint", G_CALLBACK(on_after_paint), &painted);
  gtk_widget_queue_draw(w);
  g_assert_true(ui_test_wait(is_true, &painted, 5000));
  g_signal_handler_disconnect(clock, id);
}

GtkWidget *
ui_test_find(GtkWidget *root, const char *name)
{
  if (g_strcmp0(gtk_widget_get_name(root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child(root); c != NULL;
       c = gtk_widget_get_next_sibling(c)) {
    GtkWidget *found = ui_test_find(c, name);
    if (found != NULL)
      return found;
  }
  return NULL;
}

/* The visible screen: names repeat across screens (pin pads, "save"). */
static GtkWidget *
current_screen(UiTest *t)
{
  return muster_kiosk_window_get_screen(t->window, ui_test_page(t));
}

GtkWidget *
ui_test_get(UiTest *t, const char *name)
{
  GtkWidget *w = ui_test_find(current_screen(t), name);
  if (w == NULL)
    w = ui_test_find(GTK_WIDGET(t->window), name);
  if (w == NULL)
    g_error("No widget named %s on page %s", name, ui_test_page(t));
  return w;
}

void
ui_test_click(UiTest *t, GtkWidget *root, const char *name)
{
  GtkWidget *w = root != NULL ? ui_test_find(root, name) : ui_test_get(t, name);
  if (w == NULL)
    g_error("No button %s on page %s", name, ui_test_page(t));
  g_assert_true(gtk_widget_get_mapped(w));
  g_assert_true(gtk_widget_is_sensitive(w));
  /* What a tap ends in. (gtk_widget_activate() on a button only animates a press
   * and clicks 250 ms later.) */
  if (GTK_IS_BUTTON(w))
    g_signal_emit_by_name(w, "clicked");
  else
    g_assert_true(gtk_widget_activate(w));
  while (g_main_context_iteration(NULL, FALSE))
    ;
}

void
ui_test_type_pin(UiTest *t, const char *pad_name, const char *pin)
{
  GtkWidget *pad = ui_test_get(t, pad_name);
  g_assert_true(MUSTER_KIOSK_IS_PIN_PAD(pad));
  for (const char *p = pin; *p != '\0'; p++) {
    char key[2] = {*p, '\0'};
    ui_test_click(t, pad, key);
  }
  ui_test_click(t, pad, "ok");
}

void
ui_test_sign_in(UiTest *t, const char *name, const char *pin)
{
  g_assert_cmpstr(ui_test_page(t), ==, "sign-in");
  g_autofree char *button = g_strconcat("user:", name, NULL);
  ui_test_click(t, NULL, button);
  ui_test_type_pin(t, "sign-in-pin", pin);
}

MusterKioskCountModel *
ui_test_start_count(UiTest *t)
{
  ui_test_sign_in(t, "bob", "1234");
  ui_test_click(t, NULL, "start");
  g_assert_true(muster_kiosk_dropdown_select(GTK_DROP_DOWN(ui_test_get(t, "witness")), "carol"));
  ui_test_type_pin(t, "witness-pin", "1234");
  g_assert_cmpstr(ui_test_page(t), ==, "live");
  MusterKioskCountModel *m = muster_kiosk_session_get_count(t->session);
  g_assert_nonnull(m);
  return m;
}

const char *
ui_test_page(UiTest *t)
{
  return muster_kiosk_window_get_page(t->window);
}

/* --- rendering and the checks --- */

static GdkTexture *
render(GtkWidget *widget)
{
  int w = gtk_widget_get_width(widget), h = gtk_widget_get_height(widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(widget);
  GtkSnapshot *snapshot = gtk_snapshot_new();
  gdk_paintable_snapshot(paintable, snapshot, w, h);
  GskRenderNode *node = gtk_snapshot_free_to_node(snapshot);
  g_assert_nonnull(node);
  GskRenderer *renderer = gtk_native_get_renderer(gtk_widget_get_native(widget));
  GdkTexture *texture =
      gsk_renderer_render_texture(renderer, node, &GRAPHENE_RECT_INIT(0, 0, w, h));
  gsk_render_node_unref(node);
  return texture;
}

/* Not blank: many colours, and a good share of pixels unlike the most common one. */
static guint
check_not_blank(GdkTexture *texture, const char *what)
{
  int w = gdk_texture_get_width(texture), h = gdk_texture_get_height(texture);
  gsize stride = (gsize)w * 4;
  g_autofree guchar *px = g_malloc(stride * h);
  gdk_texture_download(texture, px, stride);
  g_autoptr(GHashTable) colours = g_hash_table_new(NULL, NULL);
  guint32 first = *(guint32 *)px;
  gsize differ = 0;
  for (gsize i = 0; i < (gsize)w * h; i++) {
    guint32 c = ((guint32 *)px)[i];
    g_hash_table_add(colours, GUINT_TO_POINTER(c));
    differ += c != first;
  }
  guint n = g_hash_table_size(colours);
  if (n < 16 || differ < (gsize)w * h / 50)
    g_error("%s looks blank: %u colours, %zu of %d pixels unlike the corner", what, n, differ,
            w * h);
  return n;
}

static gboolean
inside_scroller(GtkWidget *w, GtkWidget *top)
{
  for (GtkWidget *p = gtk_widget_get_parent(w); p != NULL && p != top; p = gtk_widget_get_parent(p))
    if (GTK_IS_SCROLLED_WINDOW(p) || GTK_IS_VIEWPORT(p))
      return TRUE;
  return FALSE;
}

/* A label fits when it gets at least what it asks for, and lies inside the window. */
static void
check_label(GtkWidget *label, GtkWidget *window, GString *problems)
{
  if (gtk_widget_has_css_class(label, "may-ellipsize"))
    return;
  const char *text = gtk_label_get_text(GTK_LABEL(label));
  if (text == NULL || *text == '\0')
    return;
  int width = gtk_widget_get_width(label), height = gtk_widget_get_height(label);
  int min_w, nat_w, min_h, nat_h;
  gtk_widget_measure(label, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
  gtk_widget_measure(label, GTK_ORIENTATION_VERTICAL, width, &min_h, &nat_h, NULL, NULL);
  gboolean ellipsizes = gtk_label_get_ellipsize(GTK_LABEL(label)) != PANGO_ELLIPSIZE_NONE;
  if (width < min_w || height < min_h || (ellipsizes && width < nat_w))
    g_string_append_printf(problems, "label \"%s\" truncated: %d×%d for %d(%d)×%d\n", text, width,
                           height, min_w, nat_w, min_h);
  if (inside_scroller(label, window))
    return;
  graphene_rect_t b;
  if (gtk_widget_compute_bounds(label, window, &b) &&
      (b.origin.x < -0.5 || b.origin.y < -0.5 ||
       b.origin.x + b.size.width > gtk_widget_get_width(window) + 0.5 ||
       b.origin.y + b.size.height > gtk_widget_get_height(window) + 0.5))
    g_string_append_printf(problems, "label \"%s\" outside the window at %.0f,%.0f %.0f×%.0f\n",
                           text, b.origin.x, b.origin.y, b.size.width, b.size.height);
}

/* Touch targets: anything a gloved finger presses is at least 48 px each way. */
static void
check_target(GtkWidget *w, GString *problems)
{
  gboolean target = GTK_IS_BUTTON(w) || GTK_IS_CHECK_BUTTON(w) || GTK_IS_SWITCH(w) ||
                    GTK_IS_DROP_DOWN(w) || GTK_IS_ENTRY(w) || GTK_IS_SPIN_BUTTON(w);
  if (!target || !gtk_widget_is_sensitive(w))
    return;
  int width = gtk_widget_get_width(w), height = gtk_widget_get_height(w);
  if (width < 48 || height < 48)
    g_string_append_printf(problems, "%s %s is %d×%d, smaller than 48×48\n", G_OBJECT_TYPE_NAME(w),
                           gtk_widget_get_name(w), width, height);
}

static void
check_labels(GtkWidget *w, GtkWidget *window, GString *problems)
{
  if (!gtk_widget_get_mapped(w))
    return;
  if (GTK_IS_LABEL(w))
    check_label(w, window, problems);
  check_target(w, problems);
  for (GtkWidget *c = gtk_widget_get_first_child(w); c != NULL; c = gtk_widget_get_next_sibling(c))
    check_labels(c, window, problems);
}

guint
ui_test_render_and_check(UiTest *t, const char *png_path)
{
  ui_test_wait_frame(t);
  GtkWidget *window = GTK_WIDGET(t->window);
  int width = t->width, height = t->height;
  /* The content must fit the screen: a larger minimum means a clipped screen. */
  int min_w, min_h;
  gtk_widget_measure(window, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure(window, GTK_ORIENTATION_VERTICAL, width, &min_h, NULL, NULL, NULL);
  if (min_w > width || min_h > height)
    g_error("Page %s needs %d×%d, more than the %d×%d screen", ui_test_page(t), min_w, min_h, width,
            height);
  g_assert_cmpint(gtk_widget_get_width(window), ==, width);
  g_assert_cmpint(gtk_widget_get_height(window), ==, height);
  g_autoptr(GString) problems = g_string_new(NULL);
  check_labels(window, window, problems);
  if (problems->len > 0)
    g_error("Page %s at %d×%d:\n%s", ui_test_page(t), width, height, problems->str);
  g_autoptr(GdkTexture) texture = render(window);
  g_assert_cmpint(gdk_texture_get_width(texture), ==, width);
  g_assert_true(gdk_texture_save_to_png(texture, png_path));
  return check_not_blank(texture, png_path);
}

void
ui_test_assert_visible(UiTest *t, const char *const *names)
{
  for (const char *const *n = names; *n != NULL; n++) {
    GtkWidget *w = ui_test_get(t, *n);
    if (!gtk_widget_get_mapped(w) || gtk_widget_get_width(w) <= 0 || gtk_widget_get_height(w) <= 0)
      g_error("Widget %s on page %s is not shown (%d×%d)", *n, ui_test_page(t),
              gtk_widget_get_width(w), gtk_widget_get_height(w));
  }
}
