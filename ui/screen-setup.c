/*
 * screen-setup.c: the first-boot screen (see screen-setup.h).
 *
 * The form is built from screen-setup.ui with a GtkBuilder rather than as a class
 * template: GtkBuilder translates as it builds, so a language chosen here is shown by
 * building the form again (what was typed is carried over). Outside the form the screen
 * keeps only the language and layout chosen and the PIN typed first, which is wiped as
 * soon as it is no longer needed.
 */
#include "ui/screen-setup.h"

#include "ui/error-label.h"
#include "ui/i18n.h"
#include "ui/keyboard.h"
#include "ui/language-choice.h"
#include "ui/pin-pad.h"
#include "ui/readers-list.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* The text fields, by their names in screen-setup.ui, in the order they are typed. */
static const char *const field_ids[] = {"code", "name", "admin", "admin_full"};
enum { FIELD_CODE, FIELD_NAME, FIELD_ADMIN, FIELD_ADMIN_FULL, N_FIELDS };

struct _MusterKioskScreenSetup {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkWidget *form; /* built from screen-setup.ui; built again on a change of language */
  GtkEditable *fields[N_FIELDS];
  GtkLabel *intro, *error, *pin_prompt;
  GtkBox *languages, *keyboards, *readers;
  MusterKioskPinPad *pin_pad;
  MusterKioskKeyboard *keyboard;
  char *language;  /* "en", "de", "ar" */
  char *layout;    /* the keyboard's */
  char *first_pin; /* typed once, until typed again */
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenSetup, muster_kiosk_screen_setup, GTK_TYPE_WIDGET)

static void build_form(MusterKioskScreenSetup *self);

static void
forget_first_pin(MusterKioskScreenSetup *self)
{
  if (self->first_pin != NULL)
    memset(self->first_pin, 0, strlen(self->first_pin));
  g_clear_pointer(&self->first_pin, g_free);
}

static void
show_prompt(MusterKioskScreenSetup *self)
{
  gtk_label_set_text(self->pin_prompt, self->first_pin == NULL
                                           ? _("Choose the admin's PIN")
                                           : _("The same PIN again: OK creates the armoury"));
}

/* What is typed in a field, without the spaces around it (a space typed last on the
 * keyboard is no part of a code or a name). */
static char *
field_text(MusterKioskScreenSetup *self, int field)
{
  return g_strstrip(g_strdup(gtk_editable_get_text(self->fields[field])));
}

/* The nearest folder that exists at or above the database's, and whether it takes a new
 * file: tried by making one, since access() says yes to root even on a folder nobody
 * can write (/proc), and the kiosk must say so before the form is filled in. */
static char *
folder_problem(const char *db_path)
{
  g_autofree char *dir = g_path_get_dirname(db_path);
  while (!g_file_test(dir, G_FILE_TEST_IS_DIR) && strcmp(dir, "/") != 0) {
    char *up = g_path_get_dirname(dir);
    g_free(dir);
    dir = up;
  }
  g_autofree char *probe = g_build_filename(dir, ".muster-setup-XXXXXX", NULL);
  int fd = g_mkstemp_full(probe, O_RDWR, 0600);
  if (fd >= 0) {
    close(fd);
    g_unlink(probe);
    return NULL;
  }
  int saved = errno;
  /* Translators: "The database cannot be created in /var/lib: Permission denied. ..." */
  return g_strdup_printf(_("The database cannot be created in %s: %s. Let the kiosk's user "
                           "write to that folder (an installed appliance has /var/lib/muster "
                           "for it), or start the kiosk with another --db."),
                         dir, g_strerror(saved));
}

static void
show_folder_problem(MusterKioskScreenSetup *self)
{
  g_autofree char *problem = folder_problem(muster_kiosk_session_get_db_path(self->session));
  g_autoptr(GError) error =
      problem != NULL ? g_error_new_literal(MUSTER_ERROR, MUSTER_ERROR_IO, problem) : NULL;
  muster_kiosk_show_error(self->error, error);
}

static gboolean
create(MusterKioskScreenSetup *self, const char *pin, GError **error)
{
  g_autofree char *code = field_text(self, FIELD_CODE), *name = field_text(self, FIELD_NAME);
  g_autofree char *admin = field_text(self, FIELD_ADMIN);
  g_autofree char *admin_full = field_text(self, FIELD_ADMIN_FULL);
  const MusterArmourySetup setup = {
      .code = code, .name = name, .admin = admin, .admin_full_name = admin_full, .pin = pin};
  if (!muster_kiosk_session_set_up_armoury(self->session, &setup, error))
    return FALSE;
  g_autoptr(GError) kept = NULL;
  if (!muster_kiosk_language_choice_save(muster_kiosk_session_get_db_path(self->session),
                                         self->language, self->layout, &kept))
    g_warning("%s", kept->message);
  return TRUE;
}

/* First OK: the PIN, checked by the engine's rule at once. Second OK: the same again,
 * then the armoury is created. A mismatch or a refusal clears both. */
static void
on_pin_submitted(MusterKioskPinPad *pad, const char *pin, MusterKioskScreenSetup *self)
{
  g_autoptr(GError) error = NULL;
  if (self->first_pin == NULL) {
    if (muster_pin_valid(pin, &error))
      self->first_pin = g_strdup(pin);
  } else if (!g_str_equal(self->first_pin, pin)) {
    g_set_error_literal(&error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                        _("The two PINs differ. Type the admin's PIN again, twice."));
    forget_first_pin(self);
  } else {
    gboolean created = create(self, pin, &error);
    forget_first_pin(self);
    if (created)
      return; /* the session shows the sign-in screen */
  }
  muster_kiosk_pin_pad_clear(self->pin_pad);
  show_prompt(self);
  muster_kiosk_show_error(self->error, error);
}

/* A language (NULL: the same) and a keyboard layout chosen: the form is built again
 * in them. */
static void
choose(MusterKioskScreenSetup *self, const char *language, const char *layout)
{
  if (language != NULL) {
    g_free(self->language);
    self->language = g_strdup(language);
    muster_kiosk_i18n_set_language(language);
  }
  g_free(self->layout);
  self->layout = g_strdup(layout);
  muster_kiosk_keyboard_choose_layout(layout);
  build_form(self);
  /* Shown again: the window re-labels its top bar in the language now set. */
  muster_kiosk_session_navigate(self->session, "setup");
}

/* The id of a toggle just pressed, or NULL when it was released or is already chosen. */
static const char *
pressed_id(GtkToggleButton *button, const char *chosen)
{
  const char *id = g_object_get_data(G_OBJECT(button), "id");
  return gtk_toggle_button_get_active(button) && !g_str_equal(id, chosen) ? id : NULL;
}

static void
on_language_toggled(GtkToggleButton *button, MusterKioskScreenSetup *self)
{
  /* The keyboard follows the language; another can be chosen after. */
  const char *id = pressed_id(button, self->language);
  if (id != NULL)
    choose(self, id, id);
}

static void
on_layout_toggled(GtkToggleButton *button, MusterKioskScreenSetup *self)
{
  const char *id = pressed_id(button, self->layout);
  if (id != NULL)
    choose(self, NULL, id);
}

/* One toggle per language, each named in its own language ("language:de"). */
static void
add_choices(MusterKioskScreenSetup *self, GtkBox *box, const char *prefix, const char *chosen,
            GCallback on_toggled)
{
  GtkToggleButton *first = NULL;
  for (const MusterKioskLanguage *l = muster_kiosk_languages; l->id != NULL; l++) {
    GtkWidget *button = gtk_toggle_button_new_with_label(l->name);
    g_autofree char *widget_name = g_strconcat(prefix, ":", l->id, NULL);
    gtk_widget_set_name(button, widget_name);
    g_object_set_data(G_OBJECT(button), "id", (gpointer)l->id);
    gtk_toggle_button_set_group(GTK_TOGGLE_BUTTON(button), first);
    first = first != NULL ? first : GTK_TOGGLE_BUTTON(button);
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(button), g_str_equal(l->id, chosen));
    g_signal_connect(button, "toggled", on_toggled, self);
    gtk_box_append(box, button);
  }
}

static void
show_readers(MusterKioskScreenSetup *self)
{
  muster_kiosk_show_readers(self->readers, self->session);
}

static void
bind_form(MusterKioskScreenSetup *self, GtkBuilder *builder)
{
  for (int i = 0; i < N_FIELDS; i++)
    self->fields[i] = GTK_EDITABLE(gtk_builder_get_object(builder, field_ids[i]));
  self->intro = GTK_LABEL(gtk_builder_get_object(builder, "intro"));
  self->error = GTK_LABEL(gtk_builder_get_object(builder, "error"));
  self->pin_prompt = GTK_LABEL(gtk_builder_get_object(builder, "pin_prompt"));
  self->languages = GTK_BOX(gtk_builder_get_object(builder, "languages"));
  self->keyboards = GTK_BOX(gtk_builder_get_object(builder, "keyboards"));
  self->readers = GTK_BOX(gtk_builder_get_object(builder, "readers"));
  self->pin_pad = MUSTER_KIOSK_PIN_PAD(gtk_builder_get_object(builder, "pin_pad"));
  self->keyboard = MUSTER_KIOSK_KEYBOARD(gtk_builder_get_object(builder, "keyboard"));
}

/* Builds the form in the language now set, with what was typed in the one it replaces. */
static void
build_form(MusterKioskScreenSetup *self)
{
  g_auto(GStrv) typed = g_new0(char *, N_FIELDS + 1);
  for (int i = 0; self->form != NULL && i < N_FIELDS; i++)
    typed[i] = g_strdup(gtk_editable_get_text(self->fields[i]));
  g_clear_pointer(&self->form, gtk_widget_unparent);
  g_autoptr(GtkBuilder) builder =
      gtk_builder_new_from_resource("/org/muster/kiosk/screen-setup.ui");
  self->form = GTK_WIDGET(gtk_builder_get_object(builder, "form"));
  gtk_widget_set_parent(self->form, GTK_WIDGET(self));
  bind_form(self, builder);
  for (int i = 0; i < N_FIELDS; i++) {
    gtk_editable_set_text(self->fields[i], typed[i] != NULL ? typed[i] : "");
    muster_kiosk_keyboard_attach(self->keyboard, self->fields[i]);
  }
  /* While typing, the keyboard takes the PIN pad's height; the fields scroll. */
  GtkWidget *pin_column = GTK_WIDGET(gtk_builder_get_object(builder, "pin_column"));
  muster_kiosk_keyboard_hide_while_typing(self->keyboard, pin_column);
  muster_kiosk_keyboard_hide_while_typing(self->keyboard, GTK_WIDGET(self->intro));
  g_signal_connect(self->pin_pad, "submitted", G_CALLBACK(on_pin_submitted), self);
  if (self->language == NULL) /* first build: what the kiosk speaks now */
    self->language = g_strdup(muster_kiosk_keyboard_get_home_layout(self->keyboard));
  if (self->layout == NULL)
    self->layout = g_strdup(muster_kiosk_keyboard_get_home_layout(self->keyboard));
  add_choices(self, self->languages, "language", self->language, G_CALLBACK(on_language_toggled));
  add_choices(self, self->keyboards, "keyboard", self->layout, G_CALLBACK(on_layout_toggled));
  g_autofree char *intro = g_strdup_printf(
      _("There is no database at %s yet. Fill in the armoury and its first admin, choose the "
        "language, then type the admin's PIN twice on the pad: that creates the armoury."),
      muster_kiosk_session_get_db_path(self->session));
  gtk_label_set_text(self->intro, intro);
  show_prompt(self);
  show_readers(self);
  show_folder_problem(self);
}

static void
on_readers_changed(MusterKioskSession *session, MusterKioskScreenSetup *self)
{
  show_readers(self);
}

static void
muster_kiosk_screen_setup_map(GtkWidget *widget)
{
  MusterKioskScreenSetup *self = MUSTER_KIOSK_SCREEN_SETUP(widget);
  show_readers(self);
  /* Scans too: a tag tapped now shows the technician that the reader works. */
  g_signal_connect(self->session, "readers-changed", G_CALLBACK(on_readers_changed), self);
  GTK_WIDGET_CLASS(muster_kiosk_screen_setup_parent_class)->map(widget);
}

static void
muster_kiosk_screen_setup_unmap(GtkWidget *widget)
{
  MusterKioskScreenSetup *self = MUSTER_KIOSK_SCREEN_SETUP(widget);
  g_signal_handlers_disconnect_by_func(self->session, on_readers_changed, self);
  GTK_WIDGET_CLASS(muster_kiosk_screen_setup_parent_class)->unmap(widget);
}

static void
muster_kiosk_screen_setup_dispose(GObject *object)
{
  MusterKioskScreenSetup *self = MUSTER_KIOSK_SCREEN_SETUP(object);
  g_clear_pointer(&self->form, gtk_widget_unparent);
  g_clear_object(&self->session);
  forget_first_pin(self);
  g_clear_pointer(&self->language, g_free);
  g_clear_pointer(&self->layout, g_free);
  G_OBJECT_CLASS(muster_kiosk_screen_setup_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_setup_class_init(MusterKioskScreenSetupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_setup_dispose;
  widget_class->map = muster_kiosk_screen_setup_map;
  widget_class->unmap = muster_kiosk_screen_setup_unmap;
  g_type_ensure(MUSTER_KIOSK_TYPE_PIN_PAD);
  g_type_ensure(MUSTER_KIOSK_TYPE_KEYBOARD);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_setup_init(MusterKioskScreenSetup *self)
{
}

GtkWidget *
muster_kiosk_screen_setup_new(MusterKioskSession *session)
{
  MusterKioskScreenSetup *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_SETUP, NULL);
  self->session = g_object_ref(session);
  build_form(self);
  return GTK_WIDGET(self);
}
