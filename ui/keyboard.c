/*
 * keyboard.c: the on-screen keyboard (see keyboard.h).
 *
 * The keys are made in code from the layout's rows (ui/keyboard-layouts.c) on a grid
 * measured in half keys: a letter is two columns wide, the keys that do something three,
 * and the space bar takes what its row leaves; shorter rows are centred. The grid is
 * homogeneous, so every letter has the same width and the whole keyboard stretches to
 * the screen's width. Like the PIN pad, it is laid out left to right in every language:
 * it is a picture of a physical keyboard, and the Arabic one starts with ض on the left.
 */
#include "ui/keyboard.h"

#include "ui/i18n.h"
#include "ui/keyboard-layouts.h"

#include <string.h>

/* Width of a character key, in grid columns (half keys); a space bar is never less. */
#define CHAR_WIDTH 2
#define MIN_FILL_WIDTH 8

typedef enum { SHIFT_OFF, SHIFT_ONCE, SHIFT_LOCKED } ShiftState;

struct _MusterKioskKeyboard {
  GtkWidget parent_instance;
  GtkGrid *grid;
  const MusterKioskKeyboardLayout *home;   /* chosen, else the UI language's */
  const MusterKioskKeyboardLayout *layout; /* shown: home, or Latin after the switch key */
  GtkEditable *target;                     /* weak: where keys type */
  ShiftState shift;
  guint hide_source;
  GdkFrameClock *clock; /* while waiting for the layout to scroll the target into view */
  gulong after_paint;
};

G_DEFINE_FINAL_TYPE(MusterKioskKeyboard, muster_kiosk_keyboard, GTK_TYPE_WIDGET)

/* The keys that do something: how they look, what they are called, how wide. */
static const struct {
  const char *key;
  const char *label;       /* NULL: from the layout (space: its name; switch: the other's label) */
  const char *description; /* for the accessibility tree: the label is a symbol */
  int width;               /* grid columns; 0: the rest of the row */
  const char *css_class;
} actions[] = {
    {"@backspace", "⌫", N_("Erase"), 3, "key-action"},
    {"@enter", "⏎", N_("Done typing"), 3, "suggested-action"},
    {"@shift", "⇧", N_("Capital letters"), 3, "key-action"},
    {"@switch", NULL, N_("Switch the keyboard layout"), 3, "key-action"},
    {"@space", NULL, N_("Space bar"), 0, "key-space"},
    {"@hide", "⌨▾", N_("Hide the keyboard"), 3, "key-action"},
};

static int
action_index(const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS(actions); i++)
    if (g_str_equal(actions[i].key, key))
      return (int)i;
  return -1;
}

static int
key_width(const char *key)
{
  int i = action_index(key);
  return i < 0 ? CHAR_WIDTH : actions[i].width;
}

/* Where the switch key goes: Latin from a layout that is not, home from Latin. */
static const MusterKioskKeyboardLayout *
switch_target(MusterKioskKeyboard *self)
{
  if (self->home->latin)
    return NULL;
  return self->layout == self->home ? muster_kiosk_keyboard_layout_find(MUSTER_KIOSK_KEYBOARD_LATIN)
                                    : self->home;
}

/* A row's keys, without the switch key when there is nowhere to switch to. */
static GStrv
row_keys(MusterKioskKeyboard *self, guint row)
{
  g_auto(GStrv) all = g_strsplit(self->layout->rows[row], " ", -1);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new();
  for (guint i = 0; all[i] != NULL; i++)
    if (*all[i] != '\0' && (!g_str_equal(all[i], "@switch") || switch_target(self) != NULL))
      g_strv_builder_add(keys, all[i]);
  return g_strv_builder_end(keys);
}

/* The grid's width: the widest row, a space bar counted at its least. */
static int
grid_width(MusterKioskKeyboard *self)
{
  int widest = 0;
  for (guint r = 0; r < MUSTER_KIOSK_KEYBOARD_ROWS; r++) {
    g_auto(GStrv) keys = row_keys(self, r);
    int width = 0;
    for (guint i = 0; keys[i] != NULL; i++)
      width += key_width(keys[i]) > 0 ? key_width(keys[i]) : MIN_FILL_WIDTH;
    widest = MAX(widest, width);
  }
  return widest;
}

static const char *
key_of(GtkWidget *button)
{
  return g_object_get_data(G_OBJECT(button), "key");
}

static void
label_key(MusterKioskKeyboard *self, GtkWidget *button)
{
  const char *key = key_of(button);
  int i = action_index(key);
  g_autofree char *text = NULL;
  if (i < 0)
    text = self->shift != SHIFT_OFF ? muster_kiosk_keyboard_layout_shift(self->layout, key)
                                    : g_strdup(key);
  else if (g_str_equal(key, "@shift"))
    text = g_strdup(self->shift == SHIFT_LOCKED ? "⇪" : "⇧");
  else if (g_str_equal(key, "@space"))
    text = g_strdup(self->layout->name);
  else if (g_str_equal(key, "@switch"))
    text = g_strdup(switch_target(self)->label);
  else
    text = g_strdup(actions[i].label);
  gtk_button_set_label(GTK_BUTTON(button), text);
  if (g_str_equal(key, "@shift")) {
    if (self->shift != SHIFT_OFF)
      gtk_widget_add_css_class(button, "latched");
    else
      gtk_widget_remove_css_class(button, "latched");
  }
}

static void
label_keys(MusterKioskKeyboard *self)
{
  for (GtkWidget *c = gtk_widget_get_first_child(GTK_WIDGET(self->grid)); c != NULL;
       c = gtk_widget_get_next_sibling(c))
    label_key(self, c);
}

static void press(MusterKioskKeyboard *self, const char *key);

static void
on_key_clicked(GtkButton *button, MusterKioskKeyboard *self)
{
  press(self, key_of(GTK_WIDGET(button)));
}

/* A key never takes the focus: the entry keeps it, and its cursor. */
static GtkWidget *
make_key(MusterKioskKeyboard *self, const char *key)
{
  GtkWidget *button = gtk_button_new_with_label("");
  /* "⌨▾" reads the same in Arabic: the label is not mirrored either. */
  gtk_widget_set_direction(gtk_button_get_child(GTK_BUTTON(button)), GTK_TEXT_DIR_LTR);
  gtk_widget_set_focusable(button, FALSE);
  gtk_widget_set_focus_on_click(button, FALSE);
  g_autofree char *name = g_strconcat("key:", key[0] == '@' ? key + 1 : key, NULL);
  gtk_widget_set_name(button, name);
  g_object_set_data_full(G_OBJECT(button), "key", g_strdup(key), g_free);
  gtk_widget_add_css_class(button, "key");
  int i = action_index(key);
  if (i >= 0) {
    gtk_widget_add_css_class(button, actions[i].css_class);
    gtk_accessible_update_property(GTK_ACCESSIBLE(button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                   _(actions[i].description), -1);
  }
  g_signal_connect(button, "clicked", G_CALLBACK(on_key_clicked), self);
  label_key(self, button);
  return button;
}

static void
add_row(MusterKioskKeyboard *self, guint row, int width)
{
  g_auto(GStrv) keys = row_keys(self, row);
  int fixed = 0, fills = 0;
  for (guint i = 0; keys[i] != NULL; i++) {
    fixed += key_width(keys[i]);
    fills += key_width(keys[i]) == 0;
  }
  int column = fills > 0 ? 0 : (width - fixed) / 2;
  for (guint i = 0; keys[i] != NULL; i++) {
    int w = key_width(keys[i]);
    if (w == 0)
      w = (width - fixed) / fills;
    gtk_grid_attach(self->grid, make_key(self, keys[i]), column, (int)row, w, 1);
    column += w;
  }
}

static void
build_keys(MusterKioskKeyboard *self)
{
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(self->grid))) != NULL;)
    gtk_grid_remove(self->grid, c);
  int width = grid_width(self);
  for (guint r = 0; r < MUSTER_KIOSK_KEYBOARD_ROWS; r++)
    add_row(self, r, width);
}

/* --- typing into the entry --- */

static void
type_text(MusterKioskKeyboard *self, const char *text)
{
  GtkEditable *e = self->target;
  if (e == NULL || !gtk_editable_get_editable(e))
    return;
  gtk_editable_delete_selection(e);
  int position = gtk_editable_get_position(e);
  gtk_editable_insert_text(e, text, -1, &position);
  gtk_editable_set_position(e, position);
}

static void
erase(MusterKioskKeyboard *self)
{
  GtkEditable *e = self->target;
  if (e == NULL || !gtk_editable_get_editable(e))
    return;
  int start, end;
  if (gtk_editable_get_selection_bounds(e, &start, &end)) {
    gtk_editable_delete_selection(e);
    return;
  }
  int position = gtk_editable_get_position(e);
  if (position > 0)
    gtk_editable_delete_text(e, position - 1, position);
}

static void
type_key(MusterKioskKeyboard *self, const char *key)
{
  g_autofree char *text = self->shift != SHIFT_OFF
                              ? muster_kiosk_keyboard_layout_shift(self->layout, key)
                              : g_strdup(key);
  type_text(self, text);
  if (self->shift == SHIFT_ONCE) {
    self->shift = SHIFT_OFF;
    label_keys(self);
  }
}

static void
enter(MusterKioskKeyboard *self)
{
  /* Hide first: what the entry's activation shows (the lookup's answer) gets the room. */
  g_autoptr(GtkWidget) target =
      self->target != NULL ? g_object_ref(GTK_WIDGET(self->target)) : NULL;
  muster_kiosk_keyboard_hide(self);
  /* What Enter does: GtkEntry's "activate" (GTK 4.8's gtk_widget_activate() does not
   * reach it), another editable's activation signal. */
  if (target != NULL && GTK_IS_ENTRY(target))
    g_signal_emit_by_name(target, "activate");
  else if (target != NULL)
    gtk_widget_activate(target);
}

static void
press(MusterKioskKeyboard *self, const char *key)
{
  if (key[0] != '@') {
    type_key(self, key);
  } else if (g_str_equal(key, "@space")) {
    type_text(self, " ");
  } else if (g_str_equal(key, "@backspace")) {
    erase(self);
  } else if (g_str_equal(key, "@shift")) {
    self->shift = (self->shift + 1) % 3;
    label_keys(self);
  } else if (g_str_equal(key, "@switch") && switch_target(self) != NULL) {
    self->layout = switch_target(self);
    self->shift = SHIFT_OFF;
    build_keys(self);
  } else if (g_str_equal(key, "@enter")) {
    enter(self);
  } else if (g_str_equal(key, "@hide")) {
    muster_kiosk_keyboard_hide(self);
  }
}

/* --- showing, hiding, and keeping the entry in view --- */

static void
stop_waiting_for_layout(MusterKioskKeyboard *self)
{
  if (self->clock != NULL)
    g_clear_signal_handler(&self->after_paint, self->clock);
  g_clear_object(&self->clock);
}

/* The keyboard took height from the screen: the scrolled window holding the entry
 * (if any) scrolls so that the entry is still seen. */
static void
scroll_target_into_view(MusterKioskKeyboard *self)
{
  GtkWidget *target = GTK_WIDGET(self->target);
  for (GtkWidget *p = gtk_widget_get_parent(target); p != NULL; p = gtk_widget_get_parent(p)) {
    if (!GTK_IS_SCROLLED_WINDOW(p))
      continue;
    graphene_rect_t b;
    if (!gtk_widget_compute_bounds(target, p, &b))
      return;
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment(GTK_SCROLLED_WINDOW(p));
    double value = gtk_adjustment_get_value(adj);
    double height = gtk_widget_get_height(p);
    if (b.origin.y < 0)
      gtk_adjustment_set_value(adj, value + b.origin.y);
    else if (b.origin.y + b.size.height > height)
      gtk_adjustment_set_value(adj, value + b.origin.y + b.size.height - height);
    return;
  }
}

static void
on_after_paint(GdkFrameClock *clock, MusterKioskKeyboard *self)
{
  if (!gtk_widget_get_mapped(GTK_WIDGET(self)))
    return; /* a frame begun before the keyboard was shown: the next one */
  stop_waiting_for_layout(self);
  if (self->target != NULL && gtk_widget_get_visible(GTK_WIDGET(self)))
    scroll_target_into_view(self);
}

void
muster_kiosk_keyboard_show_for(MusterKioskKeyboard *self, GtkEditable *entry)
{
  g_return_if_fail(MUSTER_KIOSK_IS_KEYBOARD(self) && GTK_IS_EDITABLE(entry));
  g_set_weak_pointer(&self->target, entry);
  gtk_widget_set_visible(GTK_WIDGET(self), TRUE);
  /* Once laid out with the keyboard (the next frame's layout, seen after its paint). */
  GdkFrameClock *clock = gtk_widget_get_frame_clock(GTK_WIDGET(entry));
  if (clock != NULL && self->clock == NULL) {
    self->clock = g_object_ref(clock);
    self->after_paint = g_signal_connect(clock, "after-paint", G_CALLBACK(on_after_paint), self);
    gtk_widget_queue_draw(GTK_WIDGET(self));
  }
}

void
muster_kiosk_keyboard_hide(MusterKioskKeyboard *self)
{
  g_return_if_fail(MUSTER_KIOSK_IS_KEYBOARD(self));
  stop_waiting_for_layout(self);
  if (self->shift != SHIFT_OFF) {
    self->shift = SHIFT_OFF;
    label_keys(self);
  }
  gtk_widget_set_visible(GTK_WIDGET(self), FALSE);
}

GtkEditable *
muster_kiosk_keyboard_get_target(MusterKioskKeyboard *self)
{
  return self->target;
}

/* A tap on an attached entry, seen in the capture phase: before the entry's own text
 * claims the press (which still places the cursor). */
static void
on_entry_pressed(GtkGestureClick *gesture, int n_press, double x, double y,
                 MusterKioskKeyboard *self)
{
  GtkWidget *entry = gtk_event_controller_get_widget(GTK_EVENT_CONTROLLER(gesture));
  muster_kiosk_keyboard_show_for(self, GTK_EDITABLE(entry));
}

void
muster_kiosk_keyboard_attach(MusterKioskKeyboard *self, GtkEditable *entry)
{
  g_return_if_fail(MUSTER_KIOSK_IS_KEYBOARD(self) && GTK_IS_EDITABLE(entry));
  GtkGesture *tap = gtk_gesture_click_new();
  gtk_event_controller_set_propagation_phase(GTK_EVENT_CONTROLLER(tap), GTK_PHASE_CAPTURE);
  g_signal_connect_object(tap, "pressed", G_CALLBACK(on_entry_pressed), self, 0);
  gtk_widget_add_controller(GTK_WIDGET(entry), GTK_EVENT_CONTROLLER(tap));
}

void
muster_kiosk_keyboard_hide_while_typing(MusterKioskKeyboard *self, GtkWidget *widget)
{
  g_return_if_fail(MUSTER_KIOSK_IS_KEYBOARD(self) && GTK_IS_WIDGET(widget));
  g_object_bind_property(self, "visible", widget, "visible",
                         G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
}

/* --- layouts --- */

const char *
muster_kiosk_keyboard_get_layout(MusterKioskKeyboard *self)
{
  return self->layout->id;
}

const char *
muster_kiosk_keyboard_get_home_layout(MusterKioskKeyboard *self)
{
  return self->home->id;
}

/* The layout chosen at first boot (ui/language-choice.h), over the language's. */
static const MusterKioskKeyboardLayout *chosen_layout;

void
muster_kiosk_keyboard_choose_layout(const char *id)
{
  chosen_layout = muster_kiosk_keyboard_layout_find(id);
}

/* The chosen layout, else the UI language's, named by its translation as the text
 * direction is. */
static const MusterKioskKeyboardLayout *
language_layout(void)
{
  if (chosen_layout != NULL)
    return chosen_layout;
  /* Translators: the on-screen keyboard for this language: "keyboard-layout:de" (German
   * QWERTZ), "keyboard-layout:ar" (Arabic, with a switch to Latin letters), else leave
   * it (English QWERTY). */
  const char *chosen = _("keyboard-layout:en");
  const char *id = strchr(chosen, ':');
  const MusterKioskKeyboardLayout *layout =
      muster_kiosk_keyboard_layout_find(id != NULL ? id + 1 : NULL);
  return layout != NULL ? layout : muster_kiosk_keyboard_layout_find("en");
}

/* --- the widget --- */

static gboolean
hide_if_unmapped(gpointer data)
{
  MusterKioskKeyboard *self = data;
  self->hide_source = 0;
  if (!gtk_widget_get_mapped(GTK_WIDGET(self)))
    muster_kiosk_keyboard_hide(self);
  return G_SOURCE_REMOVE;
}

/* Leaving the screen puts the keyboard away: coming back shows the screen whole. (Not
 * hidden right here: changing visibility while GTK unmaps the screen is asking for
 * trouble.) */
static void
muster_kiosk_keyboard_unmap(GtkWidget *widget)
{
  MusterKioskKeyboard *self = MUSTER_KIOSK_KEYBOARD(widget);
  GTK_WIDGET_CLASS(muster_kiosk_keyboard_parent_class)->unmap(widget);
  if (self->hide_source == 0 && gtk_widget_get_visible(widget))
    self->hide_source = g_idle_add(hide_if_unmapped, self);
}

static void
muster_kiosk_keyboard_dispose(GObject *object)
{
  MusterKioskKeyboard *self = MUSTER_KIOSK_KEYBOARD(object);
  g_clear_handle_id(&self->hide_source, g_source_remove);
  stop_waiting_for_layout(self);
  g_clear_weak_pointer(&self->target);
  if (self->grid != NULL)
    gtk_widget_unparent(GTK_WIDGET(self->grid));
  self->grid = NULL;
  G_OBJECT_CLASS(muster_kiosk_keyboard_parent_class)->dispose(object);
}

static void
muster_kiosk_keyboard_class_init(MusterKioskKeyboardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_keyboard_dispose;
  widget_class->unmap = muster_kiosk_keyboard_unmap;
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name(widget_class, "keyboard");
}

static void
muster_kiosk_keyboard_init(MusterKioskKeyboard *self)
{
  self->grid = GTK_GRID(gtk_grid_new());
  gtk_grid_set_row_homogeneous(self->grid, TRUE);
  gtk_grid_set_column_homogeneous(self->grid, TRUE);
  gtk_grid_set_row_spacing(self->grid, 4);
  gtk_grid_set_column_spacing(self->grid, 4);
  gtk_widget_set_hexpand(GTK_WIDGET(self->grid), TRUE);
  /* A picture of a physical keyboard: left to right in every language. */
  gtk_widget_set_direction(GTK_WIDGET(self->grid), GTK_TEXT_DIR_LTR);
  gtk_widget_set_parent(GTK_WIDGET(self->grid), GTK_WIDGET(self));
  self->home = self->layout = language_layout();
  build_keys(self);
  gtk_widget_set_visible(GTK_WIDGET(self), FALSE);
}

GtkWidget *
muster_kiosk_keyboard_new(void)
{
  return g_object_new(MUSTER_KIOSK_TYPE_KEYBOARD, NULL);
}
