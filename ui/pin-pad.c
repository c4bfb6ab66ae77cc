/*
 * pin-pad.c: the on-screen PIN pad (see pin-pad.h).
 *
 * The keys are made in code from a table rather than twelve copies in the template:
 * one place says what each key is and where it sits.
 */
#include "ui/pin-pad.h"

#include "ui/i18n.h"
#include <string.h>

#define MAX_PIN 12

struct _MusterKioskPinPad {
  GtkWidget parent_instance;
  GtkWidget *box;
  GtkLabel *dots;
  GtkGrid *grid;
  char pin[MAX_PIN + 1];
  guint len;
};

enum { SIGNAL_SUBMITTED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(MusterKioskPinPad, muster_kiosk_pin_pad, GTK_TYPE_WIDGET)

static const struct {
  const char *key;
  const char *label; /* NULL: the key itself */
  const char *icon;
  int col, row;
} keys[] = {
    {"1", NULL, NULL, 0, 0}, {"2", NULL, NULL, 1, 0},
    {"3", NULL, NULL, 2, 0}, {"4", NULL, NULL, 0, 1},
    {"5", NULL, NULL, 1, 1}, {"6", NULL, NULL, 2, 1},
    {"7", NULL, NULL, 0, 2}, {"8", NULL, NULL, 1, 2},
    {"9", NULL, NULL, 2, 2}, {"back", NULL, "edit-clear-symbolic", 0, 3},
    {"0", NULL, NULL, 1, 3}, {"ok", N_("OK"), NULL, 2, 3},
};

static void
update_dots(MusterKioskPinPad *self)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < self->len; i++)
    g_string_append(s, "● ");
  gtk_label_set_text(self->dots, self->len > 0 ? s->str : _("Enter your PIN"));
  g_string_free(s, TRUE);
}

void
muster_kiosk_pin_pad_clear(MusterKioskPinPad *self)
{
  memset(self->pin, 0, sizeof self->pin);
  self->len = 0;
  update_dots(self);
}

guint
muster_kiosk_pin_pad_get_length(MusterKioskPinPad *self)
{
  return self->len;
}

void
muster_kiosk_pin_pad_press(MusterKioskPinPad *self, const char *key)
{
  if (g_ascii_isdigit(key[0]) && key[1] == '\0') {
    if (self->len < MAX_PIN)
      self->pin[self->len++] = key[0];
  } else if (g_str_equal(key, "back")) {
    if (self->len > 0)
      self->pin[--self->len] = '\0';
  } else if (g_str_equal(key, "clear")) {
    muster_kiosk_pin_pad_clear(self);
  } else if (g_str_equal(key, "ok") && self->len > 0) {
    char pin[MAX_PIN + 1];
    memcpy(pin, self->pin, sizeof pin);
    muster_kiosk_pin_pad_clear(self);
    g_signal_emit(self, signals[SIGNAL_SUBMITTED], 0, pin);
    memset(pin, 0, sizeof pin);
    return;
  }
  update_dots(self);
}

static void
on_key_clicked(GtkButton *button, gpointer user_data)
{
  muster_kiosk_pin_pad_press(MUSTER_KIOSK_PIN_PAD(user_data),
                             g_object_get_data(G_OBJECT(button), "key"));
}

static gboolean
on_key_pressed(GtkEventControllerKey *controller, guint keyval, guint keycode,
               GdkModifierType state, gpointer user_data)
{
  MusterKioskPinPad *self = user_data;
  guint32 c = gdk_keyval_to_unicode(keyval);
  if (c >= '0' && c <= '9') {
    char key[2] = {(char)c, '\0'};
    muster_kiosk_pin_pad_press(self, key);
  } else if (keyval == GDK_KEY_BackSpace) {
    muster_kiosk_pin_pad_press(self, "back");
  } else if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) {
    muster_kiosk_pin_pad_press(self, "ok");
  } else {
    return FALSE;
  }
  return TRUE;
}

static void
add_keys(MusterKioskPinPad *self)
{
  for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
    GtkWidget *button;
    if (keys[i].icon != NULL) {
      button = gtk_button_new_from_icon_name(keys[i].icon);
      gtk_accessible_update_property(GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                     _("Erase"), -1);
    } else {
      button = gtk_button_new_with_label(keys[i].label != NULL ? _(keys[i].label) : keys[i].key);
    }
    gtk_widget_add_css_class(button, "pin-key");
    if (g_str_equal(keys[i].key, "ok"))
      gtk_widget_add_css_class(button, "suggested-action");
    gtk_widget_set_name(button, keys[i].key);
    g_object_set_data(G_OBJECT(button), "key", (gpointer)keys[i].key);
    g_signal_connect(button, "clicked", G_CALLBACK(on_key_clicked), self);
    gtk_grid_attach(self->grid, button, keys[i].col, keys[i].row, 1, 1);
  }
}

static void
muster_kiosk_pin_pad_dispose(GObject *object)
{
  MusterKioskPinPad *self = MUSTER_KIOSK_PIN_PAD(object);
  memset(self->pin, 0, sizeof self->pin);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_PIN_PAD);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  G_OBJECT_CLASS(muster_kiosk_pin_pad_parent_class)->dispose(object);
}

static void
muster_kiosk_pin_pad_class_init(MusterKioskPinPadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_pin_pad_dispose;
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/pin-pad.ui");
  gtk_widget_class_bind_template_child(widget_class, MusterKioskPinPad, box);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskPinPad, dots);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskPinPad, grid);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name(widget_class, "pinpad");
  signals[SIGNAL_SUBMITTED] = g_signal_new("submitted", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
muster_kiosk_pin_pad_init(MusterKioskPinPad *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
  /* Keypads read left to right whatever the language. */
  gtk_widget_set_direction(GTK_WIDGET(self->grid), GTK_TEXT_DIR_LTR);
  add_keys(self);
  update_dots(self);
  GtkEventController *keys_ctl = gtk_event_controller_key_new();
  g_signal_connect(keys_ctl, "key-pressed", G_CALLBACK(on_key_pressed), self);
  gtk_widget_add_controller(GTK_WIDGET(self), keys_ctl);
  gtk_widget_set_focusable(GTK_WIDGET(self), TRUE);
}

GtkWidget *
muster_kiosk_pin_pad_new(void)
{
  return g_object_new(MUSTER_KIOSK_TYPE_PIN_PAD, NULL);
}
