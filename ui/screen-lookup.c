/*
 * screen-lookup.c: item lookup (see screen-lookup.h).
 */
#include "ui/screen-lookup.h"

#include "db/history.h"
#include "db/items.h"
#include "ui/i18n.h"
#include "ui/keyboard.h"
#include "ui/scan-follow.h"
#include "ui/widgets.h"

struct _MusterKioskScreenLookup {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkEntry *marking;
  GtkBox *results;
  MusterKioskKeyboard *keyboard;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenLookup, muster_kiosk_screen_lookup, GTK_TYPE_WIDGET)

static void
add_line(MusterKioskScreenLookup *self, const char *text, const char *css_class)
{
  GtkWidget *label = gtk_label_new(text);
  gtk_label_set_xalign(GTK_LABEL(label), 0);
  gtk_label_set_wrap(GTK_LABEL(label), TRUE);
  gtk_label_set_selectable(GTK_LABEL(label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class(label, css_class);
  gtk_box_append(self->results, label);
}

static void
show_item(MusterKioskScreenLookup *self, const MusterItemHistory *h)
{
  const MusterItem *it = h->item;
  g_autofree char *head = g_strdup_printf("%s %s %s · SN %s", it->manufacturer, it->model,
                                          it->calibre != NULL ? it->calibre : "", it->serial);
  add_line(self, head, "title-3");
  g_autofree char *state = g_strdup_printf(
      _("Status %s · location %s · last counted %s"), muster_status_to_string(it->status),
      it->location_path != NULL ? it->location_path : _("none"),
      h->last_counted_at != NULL ? h->last_counted_at : _("never"));
  add_line(self, state, NULL);
  for (guint j = 0; j < h->events->len; j++) {
    const MusterHistoryEvent *e = g_ptr_array_index(h->events, j);
    g_autofree char *text =
        g_strdup_printf("%.16s  %s%s%s", e->at, e->summary, e->user != NULL ? " · " : "",
                        e->user != NULL ? e->user : "");
    add_line(self, text, "history-line");
  }
}

void
muster_kiosk_screen_lookup_run(MusterKioskScreenLookup *self, const char *marking)
{
  MusterStore *store = muster_kiosk_session_get_store(self->session);
  muster_kiosk_box_clear(self->results);
  if (marking == NULL || *marking == '\0')
    return;
  gtk_editable_set_text(GTK_EDITABLE(self->marking), marking);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = muster_history_trace(store, marking, &error);
  if (items == NULL) {
    add_line(self, error->message, "error-text");
    return;
  }
  for (guint i = 0; i < items->len; i++)
    show_item(self, g_ptr_array_index(items, i));
  g_autoptr(GPtrArray) unknown = muster_history_unknown_scans(store, marking, NULL);
  for (guint i = 0; unknown != NULL && i < unknown->len; i++) {
    const MusterHistoryEvent *e = g_ptr_array_index(unknown, i);
    g_autofree char *text = g_strdup_printf(_("%.16s  scanned at %s, matching no record"), e->at,
                                            e->location_path != NULL ? e->location_path : "?");
    add_line(self, text, "history-line");
  }
  if (items->len == 0 && (unknown == NULL || unknown->len == 0)) {
    g_autofree char *text =
        g_strdup_printf(_("No record carries %s, and it was never scanned"), marking);
    add_line(self, text, "error-text");
  }
}

static void
on_activate(GtkEntry *entry, MusterKioskScreenLookup *self)
{
  g_autofree char *text = g_strdup(gtk_editable_get_text(GTK_EDITABLE(self->marking)));
  muster_kiosk_screen_lookup_run(self, g_strstrip(text));
}

static void
on_search_clicked(GtkButton *b, MusterKioskScreenLookup *self)
{
  on_activate(self->marking, self);
}

/* Scans look items up only while no count is attached: during a count they count. */
static void
on_scan(GtkWidget *screen, const MusterScan *scan)
{
  MusterKioskScreenLookup *self = MUSTER_KIOSK_SCREEN_LOOKUP(screen);
  const char *text = scan->marking_value != NULL ? scan->marking_value : scan->text;
  if (muster_kiosk_session_get_count(self->session) == NULL && text != NULL)
    muster_kiosk_screen_lookup_run(self, text);
}

static void
muster_kiosk_screen_lookup_dispose(GObject *object)
{
  MusterKioskScreenLookup *self = MUSTER_KIOSK_SCREEN_LOOKUP(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_LOOKUP);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_screen_lookup_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_lookup_class_init(MusterKioskScreenLookupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_lookup_dispose;
  g_type_ensure(MUSTER_KIOSK_TYPE_KEYBOARD);
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-lookup.ui");
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenLookup, marking);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenLookup, results);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenLookup, keyboard);
  gtk_widget_class_bind_template_callback(widget_class, on_activate);
  gtk_widget_class_bind_template_callback(widget_class, on_search_clicked);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_lookup_init(MusterKioskScreenLookup *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
  muster_kiosk_keyboard_attach(self->keyboard, GTK_EDITABLE(self->marking));
}

GtkWidget *
muster_kiosk_screen_lookup_new(MusterKioskSession *session)
{
  MusterKioskScreenLookup *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_LOOKUP, NULL);
  self->session = g_object_ref(session);
  muster_kiosk_follow_scans(GTK_WIDGET(self), session, on_scan);
  return GTK_WIDGET(self);
}
