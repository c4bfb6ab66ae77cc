/*
 * screen-status.c: readers and sync (see screen-status.h).
 *
 * The readers are the session's manager's: a reader plugged in while the screen is shown
 * appears at once (the list model's "items-changed"). When the kiosk has no readers of its
 * own (another program holds them), that comes first, in the error style.
 */
#include "ui/screen-status.h"
#include "db/sync-state.h"

#include "ui/i18n.h"
#include "ui/readers-list.h"

struct _MusterKioskScreenStatus {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkBox *readers;
  GtkLabel *sync;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenStatus, muster_kiosk_screen_status, GTK_TYPE_WIDGET)

static void show_sync(MusterKioskScreenStatus *self);

static void
show(MusterKioskScreenStatus *self)
{
  show_sync(self);
  muster_kiosk_show_readers(self->readers, self->session);
}

/* History the registry holds no anchor of yet could be rewritten unseen by someone with
 * the file (docs/threat-model.md): the supervisor sees since when. */
static void
append_anchor_window(MusterKioskScreenStatus *self, GString *text)
{
  g_autoptr(MusterAnchorReceipt) w =
      muster_sync_anchor_receipt(muster_kiosk_session_get_store(self->session), NULL);
  if (w == NULL || w->unanchored == 0)
    return;
  g_string_append(text, "\n");
  g_string_append_printf(text, _("Not yet anchored at the registry: history since %s"),
                         w->unanchored_since != NULL ? w->unanchored_since : "?");
}

/* Sync: where to, when it last worked, what waits, what went wrong (db/sync-state.h). */
static void
show_sync(MusterKioskScreenStatus *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncState) st =
      muster_sync_state_get(muster_kiosk_session_get_store(self->session), &error);
  g_autoptr(GString) text = g_string_new(NULL);
  if (st == NULL)
    g_string_append_printf(text, _("Sync state cannot be read: %s"), error->message);
  else if (st->registry_url == NULL)
    g_string_append(text,
                    _("Not configured: this appliance does not send counts to a registry yet"));
  else {
    g_string_append_printf(text, _("Registry %s"), st->registry_url);
    g_string_append(text, "\n");
    g_string_append_printf(text, _("Last successful sync: %s"),
                           st->last_success_at != NULL ? st->last_success_at : _("never"));
    g_string_append(text, "\n");
    g_string_append_printf(text, _("Waiting to be sent: %lld"), (long long)st->backlog);
    if (st->last_error != NULL) {
      g_string_append(text, "\n");
      g_string_append_printf(text, _("Last error: %s"), st->last_error);
    }
  }
  append_anchor_window(self, text);
  gtk_label_set_text(self->sync, text->str);
  gboolean bad = st == NULL || st->last_error != NULL;
  if (bad)
    gtk_widget_add_css_class(GTK_WIDGET(self->sync), "error-text");
  else
    gtk_widget_remove_css_class(GTK_WIDGET(self->sync), "error-text");
}

/* A reader added (hotplug), changed or reading: show it as it is now. */
static void
on_readers_changed(MusterKioskSession *session, MusterKioskScreenStatus *self)
{
  show(self);
}

static void
listen(MusterKioskScreenStatus *self, gboolean on)
{
  if (on)
    g_signal_connect(self->session, "readers-changed", G_CALLBACK(on_readers_changed), self);
  else
    g_signal_handlers_disconnect_by_func(self->session, on_readers_changed, self);
}

static void
muster_kiosk_screen_status_map(GtkWidget *widget)
{
  MusterKioskScreenStatus *self = MUSTER_KIOSK_SCREEN_STATUS(widget);
  show(self);
  listen(self, TRUE);
  GTK_WIDGET_CLASS(muster_kiosk_screen_status_parent_class)->map(widget);
}

static void
muster_kiosk_screen_status_unmap(GtkWidget *widget)
{
  listen(MUSTER_KIOSK_SCREEN_STATUS(widget), FALSE);
  GTK_WIDGET_CLASS(muster_kiosk_screen_status_parent_class)->unmap(widget);
}

static void
muster_kiosk_screen_status_dispose(GObject *object)
{
  MusterKioskScreenStatus *self = MUSTER_KIOSK_SCREEN_STATUS(object);
  if (self->session != NULL)
    listen(self, FALSE);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_STATUS);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_screen_status_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_status_class_init(MusterKioskScreenStatusClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_status_dispose;
  widget_class->map = muster_kiosk_screen_status_map;
  widget_class->unmap = muster_kiosk_screen_status_unmap;
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-status.ui");
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStatus, readers);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStatus, sync);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_status_init(MusterKioskScreenStatus *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
muster_kiosk_screen_status_new(MusterKioskSession *session)
{
  MusterKioskScreenStatus *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_STATUS, NULL);
  self->session = g_object_ref(session);
  return GTK_WIDGET(self);
}
