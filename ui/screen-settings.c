/*
 * screen-settings.c: admin settings (see screen-settings.h).
 *
 * Besides the policy settings, an admin gives badges here and goes on to backup and
 * restore (screen-backup.c). A badge: choose the person, press "Give a badge", tap the
 * card on any NFC reader. A tap counts only between that press and the tap (leaving the
 * screen forgets the press), so no other scan is taken for a badge.
 */
#include "ui/screen-settings.h"

#include "db/badges.h"
#include "db/settings.h"
#include "ui/badge-tap.h"
#include "ui/i18n.h"
#include "ui/scan-follow.h"
#include "ui/widgets.h"

struct _MusterKioskScreenSettings {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkGrid *grid;
  GtkLabel *message;
  GtkDropDown *badge_user;
  GtkLabel *badge_status;
  gboolean waiting; /* between "Give a badge" and the tap */
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenSettings, muster_kiosk_screen_settings, GTK_TYPE_WIDGET)

/* What the kiosk calls each setting, in the screen's language; a setting missing here
 * shows the engine's key and English meaning. */
static const struct {
  const char *key, *title, *meaning;
} setting_words[] = {
    {"overdue_days", N_("Overdue after (days)"),
     N_("A location not counted for this many days is overdue")},
    {"lockout_attempts", N_("Wrong PINs before lock-out"),
     N_("Wrong PINs in a row that lock an account until an admin unlocks it")},
    {"kiosk_lock_seconds", N_("Lock the kiosk after (seconds)"),
     N_("Idle seconds before the kiosk signs its user out")},
    {"badge_needs_pin", N_("Badge needs PIN (1 = yes)"),
     N_("1: a badge tap names its holder, who then types the PIN; 0: the tap alone signs in")},
};

static void
describe(const MusterSettingInfo *s, const char **title, const char **meaning)
{
  *title = s->key;
  *meaning = s->meaning;
  for (guint i = 0; i < G_N_ELEMENTS(setting_words); i++)
    if (g_str_equal(setting_words[i].key, s->key)) {
      *title = _(setting_words[i].title);
      *meaning = _(setting_words[i].meaning);
    }
}

static void
fill(MusterKioskScreenSettings *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->grid))) != NULL)
    gtk_grid_remove(self->grid, child);
  MusterStore *store = muster_kiosk_session_get_store(self->session);
  int row = 0;
  for (const MusterSettingInfo *s = muster_settings_known; s->key != NULL; s++, row++) {
    const char *title, *meaning;
    describe(s, &title, &meaning);
    g_autofree char *text = g_markup_printf_escaped("%s\n<small>%s</small>", title, meaning);
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
badge_say(MusterKioskScreenSettings *self, const char *text, gboolean is_error)
{
  gtk_label_set_text(self->badge_status, text);
  gtk_widget_set_visible(GTK_WIDGET(self->badge_status), text != NULL);
  if (is_error)
    gtk_widget_add_css_class(GTK_WIDGET(self->badge_status), "error-text");
  else
    gtk_widget_remove_css_class(GTK_WIDGET(self->badge_status), "error-text");
}

/* Every reader's scans while the screen is shown; a tap counts only after "Give a badge". */
static void
on_scan(GtkWidget *screen, const MusterScan *scan)
{
  MusterKioskScreenSettings *self = MUSTER_KIOSK_SCREEN_SETTINGS(screen);
  if (!self->waiting)
    return;
  if (!muster_kiosk_scan_is_card(scan)) {
    badge_say(self, _("That was not an NFC card. Tap the badge itself on an NFC reader."), TRUE);
    return;
  }
  self->waiting = FALSE;
  const char *name = muster_kiosk_dropdown_get_string(self->badge_user);
  g_autoptr(GError) error = NULL;
  if (!muster_badges_assign(muster_kiosk_session_get_store(self->session),
                            muster_kiosk_session_get_user(self->session), name, scan->marking_value,
                            scan->authenticity, &error)) {
    badge_say(self, error->message, TRUE);
    return;
  }
  g_autofree char *done = g_strdup_printf(_("The badge is %s's now."), name);
  badge_say(self, done, FALSE);
}

static void
on_badge_give_clicked(GtkButton *b, MusterKioskScreenSettings *self)
{
  const char *name = muster_kiosk_dropdown_get_string(self->badge_user);
  if (name == NULL)
    return;
  self->waiting = TRUE;
  g_autofree char *text = g_strdup_printf(_("Tap the badge for %s on an NFC reader."), name);
  badge_say(self, text, FALSE);
}

static void
on_badge_revoke_clicked(GtkButton *b, MusterKioskScreenSettings *self)
{
  self->waiting = FALSE;
  const char *name = muster_kiosk_dropdown_get_string(self->badge_user);
  g_autoptr(GError) error = NULL;
  if (name == NULL ||
      !muster_badges_revoke(muster_kiosk_session_get_store(self->session),
                            muster_kiosk_session_get_user(self->session), name, &error)) {
    badge_say(self, error != NULL ? error->message : NULL, TRUE);
    return;
  }
  g_autofree char *done = g_strdup_printf(_("%s's badge no longer signs in."), name);
  badge_say(self, done, FALSE);
}

static void
on_backup_clicked(GtkButton *b, MusterKioskScreenSettings *self)
{
  muster_kiosk_session_navigate(self->session, "backup");
}

static void
muster_kiosk_screen_settings_map(GtkWidget *widget)
{
  MusterKioskScreenSettings *self = MUSTER_KIOSK_SCREEN_SETTINGS(widget);
  gtk_widget_set_visible(GTK_WIDGET(self->message), FALSE);
  fill(self);
  g_autoptr(GtkStringList) names =
      muster_kiosk_user_names(muster_kiosk_session_get_store(self->session), NULL);
  gtk_drop_down_set_model(self->badge_user, G_LIST_MODEL(names));
  badge_say(self, NULL, FALSE);
  self->waiting = FALSE;
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
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSettings, badge_user);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSettings, badge_status);
  gtk_widget_class_bind_template_callback(widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_badge_give_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_badge_revoke_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_backup_clicked);
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
  muster_kiosk_follow_scans(GTK_WIDGET(self), session, on_scan);
  return GTK_WIDGET(self);
}
