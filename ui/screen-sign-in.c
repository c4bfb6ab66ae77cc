/*
 * screen-sign-in.c: the sign-in screen (see screen-sign-in.h).
 *
 * While it is shown, the screen listens to every reader: a card tapped on an NFC reader
 * is a badge (db/badges.h), anything else read here is not counted, and the screen says
 * so, since nobody is signed in to count it.
 */
#include "ui/screen-sign-in.h"

#include "ui/badge-tap.h"
#include "ui/error-label.h"
#include "ui/i18n.h"
#include "ui/pin-pad.h"
#include "ui/scan-follow.h"

struct _MusterKioskScreenSignIn {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkFlowBox *users;
  GtkLabel *chosen;
  MusterKioskPinPad *pin_pad;
  GtkLabel *badge_hint;
  GtkLabel *notice; /* what happened that is no error (a restore) */
  GtkLabel *error;
  char *name;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenSignIn, muster_kiosk_screen_sign_in, GTK_TYPE_WIDGET)

static void
choose(MusterKioskScreenSignIn *self, const char *name, const char *prompt_format)
{
  g_free(self->name);
  self->name = g_strdup(name);
  g_autofree char *text = g_strdup_printf(prompt_format, self->name);
  gtk_label_set_text(self->chosen, text);
  muster_kiosk_pin_pad_clear(self->pin_pad);
  muster_kiosk_show_error(self->error, NULL);
  gtk_widget_grab_focus(GTK_WIDGET(self->pin_pad));
}

static void
on_user_clicked(GtkButton *button, MusterKioskScreenSignIn *self)
{
  choose(self, g_object_get_data(G_OBJECT(button), "user"), _("PIN for %s"));
}

static void
on_badge(MusterKioskScreenSignIn *self, const MusterScan *scan)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  if (muster_kiosk_session_tap_badge(self->session, scan, &holder, &error)) {
    muster_kiosk_session_navigate(self->session, "home");
    return;
  }
  if (holder != NULL) {
    /* Translators: shown after a badge tap, when its holder must still type the PIN. */
    choose(self, holder, _("Badge of %s: type your PIN"));
    return;
  }
  muster_kiosk_show_error(self->error, error);
}

static void
on_scan(GtkWidget *screen, const MusterScan *scan)
{
  MusterKioskScreenSignIn *self = MUSTER_KIOSK_SCREEN_SIGN_IN(screen);
  muster_kiosk_session_poke(self->session);
  if (muster_kiosk_scan_is_card(scan)) {
    on_badge(self, scan);
    return;
  }
  g_autoptr(GError) error = g_error_new_literal(
      MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
      _("That scan was not counted: nobody is signed in. Sign in, then scan it again."));
  muster_kiosk_show_error(self->error, error);
}

static void
on_pin_submitted(MusterKioskPinPad *pad, const char *pin, MusterKioskScreenSignIn *self)
{
  g_autoptr(GError) error = NULL;
  if (self->name == NULL) {
    g_set_error(&error, MUSTER_ERROR, MUSTER_ERROR_INVALID, _("Choose your name first"));
  } else if (muster_kiosk_session_sign_in(self->session, self->name, pin, &error)) {
    muster_kiosk_session_navigate(self->session, "home");
  }
  muster_kiosk_show_error(self->error, error);
}

static void
refresh(MusterKioskScreenSignIn *self)
{
  g_clear_pointer(&self->name, g_free);
  gtk_label_set_text(self->chosen, _("Choose your name"));
  muster_kiosk_pin_pad_clear(self->pin_pad);
  /* Sent back here because the engine refused the person signed in: say why. */
  g_autofree char *why = muster_kiosk_session_take_sign_out_reason(self->session);
  g_autoptr(GError) reason =
      why != NULL ? g_error_new_literal(MUSTER_ERROR, MUSTER_ERROR_PERMISSION, why) : NULL;
  muster_kiosk_show_error(self->error, reason);
  g_autofree char *notice = muster_kiosk_session_take_notice(self->session);
  gtk_label_set_text(self->notice, notice != NULL ? notice : "");
  gtk_widget_set_visible(GTK_WIDGET(self->notice), notice != NULL);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->users))) != NULL)
    gtk_flow_box_remove(self->users, child);
  g_autoptr(GPtrArray) users =
      muster_users_list(muster_kiosk_session_get_store(self->session), NULL);
  gboolean badges = FALSE;
  for (guint i = 0; users != NULL && i < users->len; i++) {
    const MusterUser *u = g_ptr_array_index(users, i);
    if (!u->active)
      continue;
    badges = badges || u->has_badge;
    const char *name = u->name;
    GtkWidget *button = gtk_button_new_with_label(name);
    g_autofree char *widget_name = g_strconcat("user:", name, NULL);
    gtk_widget_set_name(button, widget_name);
    gtk_widget_add_css_class(button, "big-button");
    g_object_set_data_full(G_OBJECT(button), "user", g_strdup(name), g_free);
    g_signal_connect(button, "clicked", G_CALLBACK(on_user_clicked), self);
    gtk_flow_box_append(self->users, button);
  }
  gtk_widget_set_visible(GTK_WIDGET(self->badge_hint), badges);
}

static void
muster_kiosk_screen_sign_in_map(GtkWidget *widget)
{
  refresh(MUSTER_KIOSK_SCREEN_SIGN_IN(widget));
  GTK_WIDGET_CLASS(muster_kiosk_screen_sign_in_parent_class)->map(widget);
}

static void
muster_kiosk_screen_sign_in_dispose(GObject *object)
{
  MusterKioskScreenSignIn *self = MUSTER_KIOSK_SCREEN_SIGN_IN(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_SIGN_IN);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  g_clear_pointer(&self->name, g_free);
  G_OBJECT_CLASS(muster_kiosk_screen_sign_in_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_sign_in_class_init(MusterKioskScreenSignInClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_sign_in_dispose;
  widget_class->map = muster_kiosk_screen_sign_in_map;
  g_type_ensure(MUSTER_KIOSK_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-sign-in.ui");
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSignIn, users);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSignIn, chosen);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSignIn, pin_pad);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSignIn, badge_hint);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSignIn, error);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenSignIn, notice);
  gtk_widget_class_bind_template_callback(widget_class, on_pin_submitted);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_sign_in_init(MusterKioskScreenSignIn *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
muster_kiosk_screen_sign_in_new(MusterKioskSession *session)
{
  MusterKioskScreenSignIn *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_SIGN_IN, NULL);
  self->session = g_object_ref(session);
  muster_kiosk_follow_scans(GTK_WIDGET(self), session, on_scan);
  return GTK_WIDGET(self);
}
