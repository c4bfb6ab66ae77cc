/*
 * screen-unmarked.c: recording an unmarked item (see screen-unmarked.h).
 *
 * The photo is taken when asked (a still of the camera reader, ui/photo.h), encoded to
 * PNG at once and kept until the item is recorded or the screen is left: what is shown
 * in the preview is exactly what is stored.
 */
#include "ui/screen-unmarked.h"

#include "db/locations.h"
#include "ui/error-label.h"
#include "ui/i18n.h"
#include "ui/keyboard.h"
#include "ui/photo.h"
#include "ui/widgets.h"

struct _MusterKioskScreenUnmarked {
  GtkWidget parent_instance;
  MusterKioskSession *session;
  GtkFlowBox *presets;
  GtkEntry *description;
  GtkDropDown *location;
  GtkLabel *error;
  GtkWidget *photo_box; /* shown only while a camera is reading */
  GtkPicture *photo_preview;
  GtkWidget *take_button;
  GtkWidget *retake_button;
  GBytes *photo_png; /* the photo taken, NULL before */
  gint64 photo_taken_us;
  MusterKioskKeyboard *keyboard;
};

G_DEFINE_FINAL_TYPE(MusterKioskScreenUnmarked, muster_kiosk_screen_unmarked, GTK_TYPE_WIDGET)

static const char *const presets[] = {
    N_("Pistol"),         N_("Revolver"), N_("Rifle"),       N_("Carbine"),
    N_("Submachine gun"), N_("Shotgun"),  N_("Machine gun"), N_("Frame or receiver only"),
};

static void
on_preset_clicked(GtkButton *b, MusterKioskScreenUnmarked *self)
{
  gtk_editable_set_text(GTK_EDITABLE(self->description), gtk_button_get_label(b));
}

static void
show_photo(MusterKioskScreenUnmarked *self, GdkTexture *texture)
{
  gtk_picture_set_paintable(self->photo_preview, GDK_PAINTABLE(texture));
  gtk_widget_set_visible(GTK_WIDGET(self->photo_preview), texture != NULL);
  gtk_widget_set_visible(self->take_button, texture == NULL);
  gtk_widget_set_visible(self->retake_button, texture != NULL);
}

static void
clear_photo(MusterKioskScreenUnmarked *self)
{
  g_clear_pointer(&self->photo_png, g_bytes_unref);
  self->photo_taken_us = 0;
  show_photo(self, NULL);
}

static MusterCameraReader *
camera(MusterKioskScreenUnmarked *self)
{
  return muster_kiosk_photo_find_camera(muster_kiosk_session_get_readers(self->session));
}

/* Take photo and Retake: a still of what the camera sees now replaces any before. */
static void
on_take_clicked(GtkButton *b, MusterKioskScreenUnmarked *self)
{
  g_autoptr(GError) error = NULL;
  MusterCameraReader *reader = camera(self);
  g_autoptr(MusterGreyImage) still = reader != NULL ? muster_camera_reader_snapshot(reader) : NULL;
  if (still == NULL) {
    g_set_error(&error, MUSTER_ERROR, MUSTER_ERROR_IO,
                _("The camera shows no picture: check it, or record the item without a "
                  "photo."));
    muster_kiosk_show_error(self->error, error);
    return;
  }
  g_autoptr(GdkTexture) texture = muster_kiosk_photo_texture_from_grey(still);
  g_clear_pointer(&self->photo_png, g_bytes_unref);
  self->photo_png = gdk_texture_save_to_png_bytes(texture);
  self->photo_taken_us = g_get_real_time();
  show_photo(self, texture);
  muster_kiosk_show_error(self->error, NULL);
}

static void
on_cancel_clicked(GtkButton *b, MusterKioskScreenUnmarked *self)
{
  clear_photo(self);
  muster_kiosk_session_navigate(self->session, "live");
}

static void
on_save_clicked(GtkButton *b, MusterKioskScreenUnmarked *self)
{
  g_autoptr(GError) error = NULL;
  MusterKioskCountModel *count = muster_kiosk_session_get_count(self->session);
  const char *where = muster_kiosk_dropdown_get_string(self->location);
  MusterPhotoInput photo = {self->photo_png, "image/png", self->photo_taken_us};
  if (count == NULL)
    g_set_error(&error, MUSTER_ERROR, MUSTER_ERROR_STATE, _("No count is being counted here"));
  else if (muster_kiosk_count_model_record_unmarked(
               count, gtk_editable_get_text(GTK_EDITABLE(self->description)),
               where != NULL ? where : "", self->photo_png != NULL ? &photo : NULL, &error)) {
    clear_photo(self);
    muster_kiosk_session_navigate(self->session, "live");
  }
  muster_kiosk_show_error(self->error, error);
}

/* No camera reading and no photo taken: no photo, and nothing said about one. */
static void
show_camera(MusterKioskScreenUnmarked *self)
{
  gtk_widget_set_visible(self->photo_box, camera(self) != NULL || self->photo_png != NULL);
}

/* A camera plugged in or starting while the screen is shown brings the photo button.
 * One that stops leaves it: Take photo then says why it took nothing, rather than the
 * button vanishing under a finger. */
static void
on_readers_changed(MusterKioskSession *session, MusterKioskScreenUnmarked *self)
{
  if (camera(self) != NULL)
    gtk_widget_set_visible(self->photo_box, TRUE);
}

static void
refresh(MusterKioskScreenUnmarked *self)
{
  muster_kiosk_show_error(self->error, NULL);
  gtk_editable_set_text(GTK_EDITABLE(self->description), "");
  clear_photo(self);
  show_camera(self);
  g_autoptr(GtkStringList) paths = gtk_string_list_new(NULL);
  g_autoptr(GPtrArray) all =
      muster_locations_list(muster_kiosk_session_get_store(self->session), NULL);
  for (guint i = 0; all != NULL && i < all->len; i++) {
    const MusterLocation *l = g_ptr_array_index(all, i);
    if (g_strcmp0(l->kind, "armoury") != 0)
      gtk_string_list_append(paths, l->path);
  }
  gtk_drop_down_set_model(self->location, G_LIST_MODEL(paths));
  MusterKioskCountModel *count = muster_kiosk_session_get_count(self->session);
  if (count != NULL)
    muster_kiosk_dropdown_select(self->location, muster_kiosk_count_model_get_location(count));
}

static void
muster_kiosk_screen_unmarked_map(GtkWidget *widget)
{
  MusterKioskScreenUnmarked *self = MUSTER_KIOSK_SCREEN_UNMARKED(widget);
  refresh(self);
  g_signal_connect(self->session, "readers-changed::state", G_CALLBACK(on_readers_changed), self);
  GTK_WIDGET_CLASS(muster_kiosk_screen_unmarked_parent_class)->map(widget);
}

static void
muster_kiosk_screen_unmarked_unmap(GtkWidget *widget)
{
  MusterKioskScreenUnmarked *self = MUSTER_KIOSK_SCREEN_UNMARKED(widget);
  g_signal_handlers_disconnect_by_func(self->session, on_readers_changed, self);
  GTK_WIDGET_CLASS(muster_kiosk_screen_unmarked_parent_class)->unmap(widget);
}

static void
muster_kiosk_screen_unmarked_dispose(GObject *object)
{
  MusterKioskScreenUnmarked *self = MUSTER_KIOSK_SCREEN_UNMARKED(object);
  gtk_widget_dispose_template(GTK_WIDGET(object), MUSTER_KIOSK_TYPE_SCREEN_UNMARKED);
  for (GtkWidget *c; (c = gtk_widget_get_first_child(GTK_WIDGET(object))) != NULL;)
    gtk_widget_unparent(c);
  g_clear_object(&self->session);
  g_clear_pointer(&self->photo_png, g_bytes_unref);
  G_OBJECT_CLASS(muster_kiosk_screen_unmarked_parent_class)->dispose(object);
}

static void
muster_kiosk_screen_unmarked_class_init(MusterKioskScreenUnmarkedClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
  G_OBJECT_CLASS(klass)->dispose = muster_kiosk_screen_unmarked_dispose;
  widget_class->map = muster_kiosk_screen_unmarked_map;
  widget_class->unmap = muster_kiosk_screen_unmarked_unmap;
  gtk_widget_class_set_template_from_resource(widget_class, "/org/muster/kiosk/screen-unmarked.ui");
  g_type_ensure(MUSTER_KIOSK_TYPE_KEYBOARD);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, presets);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, keyboard);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, description);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, location);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, error);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, photo_box);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, photo_preview);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, take_button);
  gtk_widget_class_bind_template_child(widget_class, MusterKioskScreenUnmarked, retake_button);
  gtk_widget_class_bind_template_callback(widget_class, on_take_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback(widget_class, on_save_clicked);
  gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
muster_kiosk_screen_unmarked_init(MusterKioskScreenUnmarked *self)
{
  gtk_widget_init_template(GTK_WIDGET(self));
  muster_kiosk_keyboard_attach(self->keyboard, GTK_EDITABLE(self->description));
  muster_kiosk_keyboard_hide_while_typing(self->keyboard, GTK_WIDGET(self->presets));
  for (guint i = 0; i < G_N_ELEMENTS(presets); i++) {
    GtkWidget *b = gtk_button_new_with_label(_(presets[i]));
    gtk_widget_add_css_class(b, "big-button");
    g_signal_connect(b, "clicked", G_CALLBACK(on_preset_clicked), self);
    gtk_flow_box_append(self->presets, b);
  }
}

GtkWidget *
muster_kiosk_screen_unmarked_new(MusterKioskSession *session)
{
  MusterKioskScreenUnmarked *self = g_object_new(MUSTER_KIOSK_TYPE_SCREEN_UNMARKED, NULL);
  self->session = g_object_ref(session);
  return GTK_WIDGET(self);
}
