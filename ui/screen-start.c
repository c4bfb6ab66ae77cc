/*
 * screen-start.c: starting a count (see screen-start.h).
 *
 * The witness proves they are there with their PIN, or with their badge tapped on a
 * reader while this screen is shown: the tap chooses them (and, where the tap alone may
 * stand for the PIN, starts the count), as db/badges.h decides.
 */
#include "ui/screen-start.h"

#include "db/badges.h"
#include "db/locations.h"
#include "ui/badge-tap.h"
#include "ui/error-label.h"
#include "ui/i18n.h"
#include "ui/pin-pad.h"
#include "ui/scan-follow.h"
#include "ui/widgets.h"

struct _MusterKioskScreenStart {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkFlowBox *locations;
  GtkSwitch *blind;
  GtkDropDown *witness;
  MusterKioskPinPad *pin_pad;
  GtkLabel *witness_hint;
  GtkLabel *error;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenStart, muster_kiosk_screen_start, GTK_TYPE_WIDGET)

/* The ticked locations, NULL-terminated; { "" } (whole armoury) when none. */
static GStrv
chosen_scope(MusterKioskScreenStart *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  guint n = 0;
  for (GtkWidget *c = gtk_widget_get_first_child(GTK_WIDGET(self->locations)); c != NULL;
       c = gtk_widget_get_next_sibling(c)) {
    GtkWidget *check = gtk_flow_box_child_get_child(GTK_FLOW_BOX_CHILD(c));
    if (gtk_check_button_get_active(GTK_CHECK_BUTTON(check))) {
      g_strv_builder_add(b, g_object_get_data(G_OBJECT(check), "path"));
      n++;
    }
  }
  if (n == 0)
    g_strv_builder_add(b, "");
  return g_strv_builder_end(b);
}

static void
start_with(MusterKioskScreenStart *self, const MusterUser *witness, GError **error)
{
  g_auto(GStrv) scope = chosen_scope(self);
  muster_kiosk_session_start_count(self->session, witness, (const char *const *)scope,
                                   gtk_switch_get_active(self->blind), error);
}

static void
on_pin_submitted(MusterKioskPinPad *pad, const char *pin, MusterKioskScreenStart *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = muster_kiosk_dropdown_get_string(self->witness);
  MusterStore *store = muster_kiosk_session_get_store(self->session);
  if (name == NULL) {
    g_set_error(&error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("A count needs a witness: add another user first"));
  } else {
    g_autoptr(MusterUser) witness = muster_users_authenticate(store, name, pin, &error);
    if (witness != NULL)
      start_with(self, witness, &error);
  }
  muster_kiosk_show_error(self->error, error);
}

static void
on_badge(MusterKioskScreenStart *self, const MusterScan *scan)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  g_autoptr(MusterUser) witness =
      muster_kiosk_badge_choose(self->session, scan, MUSTER_BADGE_FOR_WITNESS, self->witness,
                                _("%s cannot witness a count they are counting"), &holder, &error);
  if (witness != NULL) {
    start_with(self, witness, &error);
  } else if (holder != NULL) {
    g_autofree char *text = g_strdup_printf(_("Badge of %s: the witness types their PIN"), holder);
    gtk_label_set_text(self->witness_hint, text);
    muster_kiosk_pin_pad_clear(self->pin_pad);
  }
  muster_kiosk_show_error(self->error, error);
}

static void
on_scan(GtkWidget *screen, const MusterScan *scan)
{
  MusterKioskScreenStart *self = MUSTER_KIOSK_SCREEN_START(screen);
  if (muster_kiosk_session_get_count(self->session) != NULL)
    return; /* started: the scan is the count's */
  if (muster_kiosk_scan_is_card(scan)) {
    on_badge(self, scan);
    return;
  }
  g_autoptr(GError) error = g_error_new_literal(
      MUSTER_ERROR, MUSTER_ERROR_STATE,
      _("That scan was not counted: no count has started. Start the count, then scan it again."));
  muster_kiosk_show_error(self->error, error);
}

static void
fill_locations(MusterKioskScreenStart *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->locations))) != NULL)
    gtk_flow_box_remove(self->locations, child);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) locations =
      muster_locations_list(muster_kiosk_session_get_store(self->session), &error);
  if (locations == NULL) {
    muster_kiosk_show_error(self->error, error);
    return;
  }
  for (guint i = 0; i < locations->len; i++) {
    const MusterLocation *loc = g_ptr_array_index(locations, i);
    /* Rooms and racks: slots are too many to tick one by one. */
    if (g_strcmp0(loc->kind, "room") != 0 && g_strcmp0(loc->kind, "rack") != 0)
      continue;
    GtkWidget *check = gtk_check_button_new_with_label(loc->path);
    g_autofree char *widget_name = g_strconcat("location:", loc->path, NULL);
    gtk_widget_set_name(check, widget_name);
    gtk_widget_add_css_class(check, "big-check");
    g_object_set_data_full(G_OBJECT(check), "path", g_strdup(loc->path), g_free);
    gtk_flow_box_append(self->locations, check);
  }
}

static void
refresh(MusterKioskScreenStart *self)
{
  const MusterUser *user = muster_kiosk_session_get_user(self->session);
  muster_kiosk_show_error(self->error, NULL);
  muster_kiosk_pin_pad_clear(self->pin_pad);
  gtk_label_set_text(self->witness_hint, _("The witness types their PIN to start"));
  g_autoptr(GtkStringList) names = muster_kiosk_user_names(
      muster_kiosk_session_get_store(self->session), user != NULL ? user->name : NULL);
  gtk_drop_down_set_model(self->witness, G_LIST_MODEL(names));
  fill_locations(self);
}

static void
muster_kiosk_screen_start_map(GtkWidget *widget)
{
  refresh(MUSTER_KIOSK_SCREEN_START(widget));
  GTK_WIDGET_CLASS(muster_kiosk_screen_start_parent_class)->map(widget);
}

static void
muster_kiosk_screen_start_dispose(GObject *object)
{
  MusterKioskScreenStart *self = MUSTER_KIOSK_SCREEN_START(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_START);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  G_OBJECT_CLASS(muster_kiosk_screen_start_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_start_class_init(MusterKioskScreenStartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_start_dispose;
  widget_class->map = muster_kiosk_screen_start_map;
  g_type_ensure(MUSTER_KIOSK_TYPE_PIN_PAD);
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-start.ui");
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStart, locations);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStart, blind);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStart, witness);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStart, pin_pad);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStart, witness_hint);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenStart, error);
  gtk_widget_class_bind_template_callback(widget_class, on_pin_submitted);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_start_init(MusterKioskScreenStart *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
muster_kiosk_screen_start_new(MusterKioskSession *session)
{
  MusterKioskScreenStart *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_START, NULL);
  self->session = g_object_ref(session);
  muster_kiosk_follow_scans(GTK_WIDGET(self), session, on_scan);
  return GTK_WIDGET(self);
}
