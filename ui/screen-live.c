/*
 * screen-live.c: the live count (see screen-live.h).
 *
 * The screen attaches to whatever count model the session holds when it is shown and
 * detaches when hidden, so a count resumed after a restart needs nothing special.
 */
#include "ui/screen-live.h"

#include "ui/cue.h"
#include "ui/error-label.h"
#include "ui/i18n.h"
#include "ui/labels.h"
#include "ui/widgets.h"

struct _MusterKioskScreenLive {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  MusterKioskCountModel *model; /* while shown */
  GtkLabel *heading;
  GtkWidget *banner;
  GtkImage *banner_icon;
  GtkLabel *banner_title;
  GtkLabel *banner_item;
  GtkLabel *banner_detail;
  GtkListView *recent;
  GtkLabel *found;
  GtkWidget *expected_caption;
  GtkLabel *expected;
  GtkLabel *scans;
  GtkWidget *blind_note;
  GtkBox *readers;
  GtkBox *racks;
  GtkLabel *error;
  GtkWidget *close_button;
  GtkWidget *confirm_close_button;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenLive, muster_kiosk_screen_live, GTK_TYPE_WIDGET)

static void
set_number(GtkLabel *label, gint64 n)
{
  g_autofree char *text = g_strdup_printf("%" G_GINT64_FORMAT, n);
  gtk_label_set_text(label, text);
}

/* "R1/A: 12 / 40 found" (found of the expected / expected), with "+1 not expected here"
 * for finds the records put elsewhere; or only what was found (all of it) when expected
 * is not for this user — a blind counter must not learn what was not expected — or the
 * finds have no rack. */
static char *
rack_text(const MusterKioskRackProgress *p, gboolean see)
{
  if (*p->path == '\0')
    return g_strdup_printf(_("%s: %lld found"), _("scope"), (long long)p->found);
  if (!see)
    return g_strdup_printf(_("%s: %lld found"), p->path, (long long)p->found);
  /* Translators: progress of one rack: "R1/A: 12 / 40 found" (found / expected) */
  g_autofree char *text =
      g_strdup_printf(_("%s: %lld / %lld found"), p->path, (long long)(p->found - p->unexpected),
                      (long long)p->expected);
  if (p->unexpected == 0)
    return g_steal_pointer(&text);
  /* Translators: appended to a rack's progress: items found there that the records put
   * elsewhere (or not in store), "R1/A: 12 / 40 found, +1 not expected here" */
  return g_strdup_printf(_("%s, +%lld not expected here"), text, (long long)p->unexpected);
}

/* Progress by rack, refreshed after every commit: the racks listed only ever grow, so
 * while their number stays the same the labels keep their places and only their text
 * changes (GtkLabel ignores the same text), and hundreds of racks cost no relayout. */
static void
show_racks(MusterKioskScreenLive *self, MusterKioskCountModel *m, gboolean see)
{
  g_autoptr(GPtrArray) racks = muster_kiosk_count_model_dup_rack_progress(m);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < racks->len; i++) {
    const MusterKioskRackProgress *p = g_ptr_array_index(racks, i);
    /* A blind count lists only racks where something was found: the list of racks that
     * expect items would say where to look. */
    if (see || p->found > 0)
      g_ptr_array_add(texts, rack_text(p, see));
  }
  guint shown = 0;
  for (GtkWidget *c = gtk_widget_get_first_child(GTK_WIDGET(self->racks)); c != NULL;
       c = gtk_widget_get_next_sibling(c))
    shown++;
  if (shown != texts->len) {
    muster_kiosk_box_clear(self->racks);
    for (guint i = 0; i < texts->len; i++) {
      GtkWidget *label = gtk_label_new(NULL);
      gtk_label_set_xalign(GTK_LABEL(label), 0);
      gtk_box_append(self->racks, label);
    }
  }
  guint i = 0;
  for (GtkWidget *c = gtk_widget_get_first_child(GTK_WIDGET(self->racks)); c != NULL;
       c = gtk_widget_get_next_sibling(c))
    gtk_label_set_text(GTK_LABEL(c), g_ptr_array_index(texts, i++));
}

static void
show_progress(MusterKioskScreenLive *self)
{
  MusterKioskCountModel *m = self->model;
  const MusterCount *count = muster_kiosk_count_model_get_count(m);
  gboolean see = muster_kiosk_count_model_may_see_expected(m);
  set_number(self->found, muster_kiosk_count_model_get_found(m));
  set_number(self->expected, count->expected);
  set_number(self->scans, muster_kiosk_count_model_get_scans(m));
  gtk_widget_set_visible(self->expected_caption, see);
  gtk_widget_set_visible(GTK_WIDGET(self->expected), see);
  gtk_widget_set_visible(self->blind_note, !see);
  const char *where = muster_kiosk_count_model_get_location(m);
  g_autofree char *heading = g_strdup_printf(_("Count %lld · at %s"), (long long)count->id,
                                             *where != '\0' ? where : _("the whole scope"));
  gtk_label_set_text(self->heading, heading);

  show_racks(self, m, see);
}

static void
on_outcome(MusterKioskCountModel *m, MusterKioskScanRow *row, MusterKioskScreenLive *self)
{
  const MusterKioskCue *cue = muster_kiosk_cue_for(muster_kiosk_scan_row_get_outcome(row));
  gtk_label_set_text(self->banner_title, _(cue->title));
  gtk_image_set_from_icon_name(self->banner_icon, cue->icon_name);
  gtk_label_set_text(self->banner_item, muster_kiosk_scan_row_get_summary(row));
  g_autofree char *detail = muster_kiosk_scan_row_describe(row);
  gtk_label_set_text(self->banner_detail, detail);
  muster_kiosk_cue_show(cue, self->banner);
  /* The newest scan is the list's first row; a list view keeps its rows still while
   * rows are inserted above them, so bring the top back into view. */
  gtk_widget_activate_action(GTK_WIDGET(self->recent), "list.scroll-to-item", "u", 0);
}

static void
on_progress(MusterKioskCountModel *m, MusterKioskScreenLive *self)
{
  show_progress(self);
}

static void
on_last_error(MusterKioskCountModel *m, GParamSpec *pspec, MusterKioskScreenLive *self)
{
  const char *message = muster_kiosk_count_model_get_last_error(m);
  gtk_label_set_text(self->error, message != NULL ? message : "");
  gtk_widget_set_visible(GTK_WIDGET(self->error), message != NULL);
}

/* Readers: one line each, "sim0 (sim): ready", with the last error when there is one. */
static void
show_readers(MusterKioskScreenLive *self)
{
  muster_kiosk_box_clear(self->readers);
  const char *problem = muster_kiosk_session_get_readers_problem(self->session);
  if (problem != NULL) {
    GtkWidget *label = gtk_label_new(problem);
    gtk_label_set_xalign(GTK_LABEL(label), 0);
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
    gtk_widget_add_css_class(label, "reader-problem");
    gtk_box_append(self->readers, label);
  }
  GListModel *readers = muster_kiosk_session_get_readers(self->session);
  guint n = g_list_model_get_n_items(readers);
  if (n == 0 && problem == NULL) {
    GtkWidget *label = gtk_label_new(_("No reader: connect one, or type markings in lookup"));
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
    gtk_box_append(self->readers, label);
  }
  for (guint i = 0; i < n; i++) {
    g_autoptr(MusterReader) r = g_list_model_get_item(readers, i);
    MusterReaderState state = muster_reader_get_state(r);
    g_autofree char *err = muster_reader_dup_last_error(r);
    g_autofree char *text = g_strdup_printf(
        "%s (%s): %s%s%s", muster_reader_get_id(r), muster_reader_get_kind(r),
        muster_kiosk_reader_state_label(state), err != NULL ? " — " : "", err != NULL ? err : "");
    GtkWidget *label = gtk_label_new(text);
    gtk_label_set_xalign(GTK_LABEL(label), 0);
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
    gtk_widget_add_css_class(label,
                             state == MUSTER_READER_STATE_READY ? "reader-ok" : "reader-problem");
    gtk_box_append(self->readers, label);
  }
}

/* A reader plugged in while counting, or one whose state changed: show it. */
static void
on_readers_changed(MusterKioskSession *session, MusterKioskScreenLive *self)
{
  show_readers(self);
}

static void
connect_readers(MusterKioskScreenLive *self, gboolean on)
{
  if (on)
    g_signal_connect(self->session, "readers-changed::state", G_CALLBACK(on_readers_changed), self);
  else
    g_signal_handlers_disconnect_by_func(self->session, on_readers_changed, self);
}

/* The recent-scans list: a row is the outcome's word and the item. */
static void
setup_row(GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *word = gtk_label_new(NULL);
  gtk_widget_add_css_class(word, "scan-word");
  GtkWidget *what = gtk_label_new(NULL);
  gtk_label_set_xalign(GTK_LABEL(what), 0);
  gtk_label_set_ellipsize(GTK_LABEL(what), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand(what, TRUE);
  gtk_widget_add_css_class(what, "may-ellipsize");
  gtk_box_append(GTK_BOX(box), word);
  gtk_box_append(GTK_BOX(box), what);
  gtk_list_item_set_child(item, box);
}

static void
bind_row(GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  MusterKioskScanRow *row = gtk_list_item_get_item(item);
  GtkWidget *box = gtk_list_item_get_child(item);
  GtkWidget *word = gtk_widget_get_first_child(box);
  GtkWidget *what = gtk_widget_get_next_sibling(word);
  const MusterKioskCue *cue = muster_kiosk_cue_for(muster_kiosk_scan_row_get_outcome(row));
  gtk_label_set_text(GTK_LABEL(word), _(cue->title));
  for (const char *const *c = muster_kiosk_cue_classes(); *c != NULL; c++)
    gtk_widget_remove_css_class(box, *c);
  gtk_widget_add_css_class(box, cue->css_class);
  gtk_label_set_text(GTK_LABEL(what), muster_kiosk_scan_row_get_summary(row));
}

static void
attach(MusterKioskScreenLive *self)
{
  MusterKioskCountModel *m = muster_kiosk_session_get_count(self->session);
  if (m == self->model)
    return;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data(self->model, self);
  g_set_object(&self->model, m);
  if (m == NULL) {
    gtk_list_view_set_model(self->recent, NULL);
    return;
  }
  g_signal_connect(m, "outcome", G_CALLBACK(on_outcome), self);
  g_signal_connect(m, "progress", G_CALLBACK(on_progress), self);
  g_signal_connect(m, "notify::last-error", G_CALLBACK(on_last_error), self);
  GListModel *recent = muster_kiosk_count_model_get_recent(m);
  GtkNoSelection *sel = gtk_no_selection_new(g_object_ref(recent));
  gtk_list_view_set_model(self->recent, GTK_SELECTION_MODEL(sel));
  g_object_unref(sel);
  show_progress(self);
  on_last_error(m, NULL, self);
}

static void
on_count_changed(MusterKioskSession *session, MusterKioskScreenLive *self)
{
  if (gtk_widget_get_mapped(GTK_WIDGET(self)))
    attach(self);
}

static void
on_unmarked_clicked(GtkButton *b, MusterKioskScreenLive *self)
{
  muster_kiosk_session_navigate(self->session, "unmarked");
}

static void
on_close_clicked(GtkButton *b, MusterKioskScreenLive *self)
{
  gtk_widget_set_visible(self->confirm_close_button, TRUE);
}

static void
on_confirm_close_clicked(GtkButton *b, MusterKioskScreenLive *self)
{
  g_autoptr(GError) error = NULL;
  gtk_widget_set_visible(self->confirm_close_button, FALSE);
  if (!muster_kiosk_session_close_count(self->session, &error)) {
    muster_kiosk_show_error(self->error, error);
    return;
  }
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  muster_kiosk_session_navigate(self->session, user->role == MUSTER_ROLE_STAFF ? "home" : "review");
}

static void
muster_kiosk_screen_live_map(GtkWidget *widget)
{
  MusterKioskScreenLive *self = MUSTER_KIOSK_SCREEN_LIVE(widget);
  gtk_widget_set_visible(self->confirm_close_button, FALSE);
  attach(self);
  connect_readers(self, TRUE);
  show_readers(self);
  GTK_WIDGET_CLASS(muster_kiosk_screen_live_parent_class)->map(widget);
}

static void
muster_kiosk_screen_live_unmap(GtkWidget *widget)
{
  MusterKioskScreenLive *self = MUSTER_KIOSK_SCREEN_LIVE(widget);
  connect_readers(self, FALSE);
  GTK_WIDGET_CLASS(muster_kiosk_screen_live_parent_class)->unmap(widget);
}

static void
muster_kiosk_screen_live_dispose(GObject *object)
{
  MusterKioskScreenLive *self = MUSTER_KIOSK_SCREEN_LIVE(object);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data(self->model, self);
  g_clear_object(&self->model);
  if (self->session != NULL) {
    connect_readers(self, FALSE);
    g_signal_handlers_disconnect_by_data(self->session, self);
  }
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_LIVE);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_screen_live_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_live_class_init(MusterKioskScreenLiveClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_live_dispose;
  widget_class->map = muster_kiosk_screen_live_map;
  widget_class->unmap = muster_kiosk_screen_live_unmap;
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-live.ui");
#define BIND(name) gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenLive, name)
  BIND(heading);
  BIND(banner);
  BIND(banner_icon);
  BIND(banner_title);
  BIND(banner_item);
  BIND(banner_detail);
  BIND(recent);
  BIND(found);
  BIND(expected_caption);
  BIND(expected);
  BIND(scans);
  BIND(blind_note);
  BIND(readers);
  BIND(racks);
  BIND(error);
  BIND(close_button);
  BIND(confirm_close_button);
#undef BIND
  gtk_widget_class_bind_template_callback(widget_class, on_unmarked_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_confirm_close_clicked);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_live_init(MusterKioskScreenLive *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new();
  g_signal_connect(factory, "setup", G_CALLBACK(setup_row), NULL);
  g_signal_connect(factory, "bind", G_CALLBACK(bind_row), NULL);
  gtk_list_view_set_factory(self->recent, factory);
  g_object_unref(factory);
}

GtkWidget *
muster_kiosk_screen_live_new(MusterKioskSession *session)
{
  MusterKioskScreenLive *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_LIVE, NULL);
  self->session = g_object_ref(session);
  g_signal_connect(session, "count-changed", G_CALLBACK(on_count_changed), self);
  return GTK_WIDGET(self);
}

const char *
muster_kiosk_screen_live_get_banner_title(MusterKioskScreenLive *self)
{
  return gtk_label_get_text(self->banner_title);
}
