/*
 * screen-home.c: the menu (see screen-home.h).
 */
#include "ui/screen-home.h"

#include "db/counts.h"
#include "ui/error-label.h"
#include "ui/i18n.h"

struct _MusterKioskScreenHome {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkLabel *greeting;
  GtkLabel *open_count;
  GtkWidget *resume_button;
  GtkWidget *start_button;
  GtkWidget *review_button;
  GtkWidget *settings_button;
  GtkWidget *exit_button;
  GtkLabel *error;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenHome, muster_kiosk_screen_home, GTK_TYPE_WIDGET)

static void
on_resume_clicked(GtkButton *b, MusterKioskScreenHome *self)
{
  g_autoptr(GError) error = NULL;
  if (muster_kiosk_session_get_count(self->session) != NULL)
    muster_kiosk_session_navigate(self->session, "live");
  else
    muster_kiosk_session_resume_count(self->session, &error);
  muster_kiosk_show_error(self->error, error);
}

static void
on_start_clicked(GtkButton *b, MusterKioskScreenHome *self)
{
  muster_kiosk_session_navigate(self->session, "start");
}

static void
on_review_clicked(GtkButton *b, MusterKioskScreenHome *self)
{
  muster_kiosk_session_navigate(self->session, "review");
}

static void
on_lookup_clicked(GtkButton *b, MusterKioskScreenHome *self)
{
  muster_kiosk_session_navigate(self->session, "lookup");
}

static void
on_status_clicked(GtkButton *b, MusterKioskScreenHome *self)
{
  muster_kiosk_session_navigate(self->session, "status");
}

static void
on_settings_clicked(GtkButton *b, MusterKioskScreenHome *self)
{
  muster_kiosk_session_navigate(self->session, "settings");
}

static void
on_exit_clicked(GtkButton *b, MusterKioskScreenHome *self)
{
  g_autoptr(GError) error = NULL;
  muster_kiosk_session_request_exit(self->session, &error);
  muster_kiosk_show_error(self->error, error);
}

static void
refresh(MusterKioskScreenHome *self)
{
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  if (user == NULL)
    return;
  g_autofree char *hello =
      g_strdup_printf(_("Signed in as %s"), user->full_name != NULL ? user->full_name : user->name);
  gtk_label_set_text(self->greeting, hello);
  muster_kiosk_show_error(self->error, NULL);

  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open =
      muster_counts_open(muster_kiosk_session_get_store(self->session), &error);
  gboolean has_open = open != NULL && open->len > 0;
  if (has_open) {
    const MusterCount *c = g_ptr_array_index(open, 0);
    g_autofree char *text =
        g_strdup_printf(_("Count %lld is open (counter %s, witness %s, %lld scans)"),
                        (long long)c->id, c->counter, c->witness, (long long)c->scans);
    gtk_label_set_text(self->open_count, text);
  } else {
    gtk_label_set_text(self->open_count, _("No count is open"));
  }
  gtk_widget_set_sensitive(self->resume_button, has_open);
  gtk_widget_set_visible(self->review_button, user->role != MUSTER_ROLE_STAFF);
  gtk_widget_set_visible(self->settings_button, user->role == MUSTER_ROLE_ADMIN);
  gtk_widget_set_visible(self->exit_button, user->role == MUSTER_ROLE_ADMIN);
  if (open == NULL)
    muster_kiosk_show_error(self->error, error);
}

static void
muster_kiosk_screen_home_map(GtkWidget *widget)
{
  refresh(MUSTER_KIOSK_SCREEN_HOME(widget));
  GTK_WIDGET_CLASS(muster_kiosk_screen_home_parent_class)->map(widget);
}

static void
muster_kiosk_screen_home_dispose(GObject *object)
{
  MusterKioskScreenHome *self = MUSTER_KIOSK_SCREEN_HOME(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_HOME);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_screen_home_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_home_class_init(MusterKioskScreenHomeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_home_dispose;
  widget_class->map = muster_kiosk_screen_home_map;
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-home.ui");
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, greeting);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, open_count);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, resume_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, start_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, review_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, settings_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, exit_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenHome, error);
  gtk_widget_class_bind_template_callback(widget_class, on_resume_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_start_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_review_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_lookup_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_status_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_settings_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_exit_clicked);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_home_init(MusterKioskScreenHome *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
muster_kiosk_screen_home_new(MusterKioskSession *session)
{
  MusterKioskScreenHome *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_HOME, NULL);
  self->session = g_object_ref(session);
  return GTK_WIDGET(self);
}
