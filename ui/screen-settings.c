/*
 * screen-settings.c: admin settings (see screen-settings.h).
 */
#include "ui/screen-settings.h"

#include "db/settings.h"
#include "ui/i18n.h"
#include "ui/screens.h"

struct _MusterKioskScreenSettings {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkGrid *grid;
  GtkLabel *message;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenSettings, muster_kiosk_screen_settings, GTK_TYPE_WIDGET)

static void
fill(MusterKioskScreenSettings *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->grid))) != NULL)
    gtk_grid_remove(self->grid, child);
  MusterStore *store = muster_kiosk_session_get_store(self->session);
  int row = 0;
  for (const MusterSettingInfo *s = muster_settings_known; s->key != NULL; s++, row++) {
    g_autofree char *text = g_strdup_printf("%s\n<small>%s</small>", s->key, s->meaning);
    GtkWidget *label = gtk_label_new(NULL);
    gtk_label_set_markup(GTK_LABEL(label), text);
    gtk_label_set_xalign(GTK_LABEL(label), 0);
    gtk_label_set_wrap(GTK_LABEL(label), TRUE);
    gtk_widget_set_hexpand(label, TRUE);
    GtkWidget *spin = gtk_spin_button_new_with_range((double)s->min, (double)s->max, 1);
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(spin), (double)muster_settings_get(store, s->key));
    gtk_widget_set_name(spin, s->key);
    g_object_set_data(G_OBJECT(spin), "key", (gpointer)s->key);
    gtk_grid_attach(self->grid, label, 0, row, 1, 1);
    gtk_grid_attach(self->grid, spin, 1, row, 1, 1);
  }
}

static void
on_save_clicked(GtkButton *b, MusterKioskScreenSettings *self)
{
  MusterStore *store = muster_kiosk_session_get_store(self->session);
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  g_autoptr(GError) error = NULL;
  for (GtkWidget *c = gtk_widget_get_first_child(GTK_WIDGET(self->grid)); c != NULL && !error;
       c = gtk_widget_get_next_sibling(c)) {
    if (!GTK_IS_SPIN_BUTTON(c))
      continue;
    const char *key = g_object_get_data(G_OBJECT(c), "key");
    gint64 value = gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(c));
    if (value != muster_settings_get(store, key))
      muster_settings_set(store, user, key, value, &error);
  }
  gtk_label_set_text(self->message, error != NULL ? error->message : _("Saved"));
  gtk_widget_set_visible(GTK_WIDGET(self->message), TRUE);
  muster_kiosk_session_reload_settings(self->session);
}

static void
muster_kiosk_screen_settings_map(GtkWidget *widget)
{
  MusterKioskScreenSettings *self = MUSTER_KIOSK_SCREEN_SETTINGS(widget);
  gtk_widget_set_visible(GTK_WIDGET(self->message), FALSE);
  fill(self);
  GTK_WIDGET_CLASS(muster_kiosk_screen_settings_parent_class)->map(widget);
}

static void
muster_kiosk_screen_settings_dispose(GObject *object)
{
  MusterKioskScreenSettings *self = MUSTER_KIOSK_SCREEN_SETTINGS(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_SETTINGS);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_screen_settings_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_settings_class_init(MusterKioskScreenSettingsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_settings_dispose;
  widget_class->map = muster_kiosk_screen_settings_map;
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-settings.ui");
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSettings, grid);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSettings, message);
  gtk_widget_class_bind_template_callback(widget_class, on_save_clicked);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_settings_init(MusterKioskScreenSettings *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
muster_kiosk_screen_settings_new(MusterKioskSession *session)
{
  MusterKioskScreenSettings *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_SETTINGS, NULL);
  self->session = g_object_ref(session);
  return GTK_WIDGET(self);
}
