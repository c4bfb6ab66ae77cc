/*
 * test-ui-photo.c: the photo of an unmarked item, from the camera to the review.
 *
 * The session has a real MusterCameraReader whose frames come from a test frame source
 * (there is no camera here, see drivers/camera/README.md): a fixed 320×240 grey pattern,
 * one frame every 40 ms. Through the screens: bob signs in, starts a count, opens the
 * unmarked-item screen, takes a photo, retakes it and records the item; the count is
 * closed and sue reviews it. Then, through the test's own connection, the stored photo
 * is read back through the engine and decoded: a PNG of the frame's size whose every
 * pixel is the pattern's. Also: without a camera there is no photo button and nothing
 * said about a photo; a camera that stops giving frames makes Take photo say so, and
 * the item is still recorded, without a photo.
 */
#include "ui-test.h"

#include "db/counts.h"
#include "db/reconcile.h"
#include "db/unmarked-photos.h"
#include "drivers/camera/camera-reader.h"
#include "ui/count-model.h"
#include "ui/i18n.h"
#include "ui/review-model.h"
#include "ui/screen-review.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#define FRAME_W 320
#define FRAME_H 240

static guint8
pattern(guint x, guint y)
{
  return (guint8)((x * 3 + y * 5) ^ (x / 16 * 40));
}

/* ---- A camera that always sees the same thing -------------------------------------- */

typedef struct {
  MusterFrameSource parent;
  MusterGreyImage *frame;
  gint interrupted; /* atomic */
} StillSource;

static gboolean
still_open(MusterFrameSource *base, GError **error)
{
  g_atomic_int_set(&((StillSource *)base)->interrupted, 0);
  return TRUE;
}

/* One frame every 40 ms (25 fps), until interrupted. */
static MusterGreyImage *
still_next_frame(MusterFrameSource *base, guint timeout_ms, GError **error)
{
  StillSource *self = (StillSource *)base;
  for (guint waited = 0; waited < MIN(timeout_ms, 40); waited += 5) {
    if (g_atomic_int_get(&self->interrupted))
      return NULL;
    g_usleep(5000);
  }
  return muster_grey_image_copy(self->frame);
}

static void
still_close(MusterFrameSource *base)
{
}

static void
still_interrupt(MusterFrameSource *base)
{
  g_atomic_int_set(&((StillSource *)base)->interrupted, 1);
}

static void
still_free(MusterFrameSource *base)
{
  StillSource *self = (StillSource *)base;
  muster_grey_image_free(self->frame);
  g_free(self);
}

static const MusterFrameSourceFuncs still_funcs = {
    .open = still_open,
    .next_frame = still_next_frame,
    .close = still_close,
    .interrupt = still_interrupt,
    .free = still_free,
};

static MusterCameraReader *
camera_new(void)
{
  StillSource *source = g_new0(StillSource, 1);
  source->parent.funcs = &still_funcs;
  source->frame = muster_grey_image_new(FRAME_W, FRAME_H);
  for (guint y = 0; y < FRAME_H; y++)
    for (guint x = 0; x < FRAME_W; x++)
      source->frame->pixels[y * FRAME_W + x] = pattern(x, y);
  MusterCameraReader *camera = muster_camera_reader_new_with_source("camera:test", &source->parent);
  MusterCameraReaderSettings settings;
  muster_camera_reader_get_settings(camera, &settings);
  settings.dmtx_budget_ms = 10; /* nothing to find in the pattern: spare the CPU */
  muster_camera_reader_set_settings(camera, &settings);
  return camera;
}

static gboolean
has_still(gpointer camera)
{
  g_autoptr(MusterGreyImage) still = muster_camera_reader_snapshot(camera);
  return still != NULL &&
         muster_reader_get_state(MUSTER_READER(camera)) == MUSTER_READER_STATE_READY;
}

/* The camera among the session's readers, reading. */
static MusterCameraReader *
add_camera(UiTest *t)
{
  MusterCameraReader *camera = camera_new();
  muster_kiosk_session_add_reader(t->session, MUSTER_READER(camera));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(camera), &error));
  g_assert_no_error(error);
  g_assert_true(ui_test_wait(has_still, camera, 10000));
  return camera;
}

/* ---- Through the screens ----------------------------------------------------------- */

static gint64
start_count(UiTest *t)
{
  return muster_kiosk_count_model_get_count_id(ui_test_start_count(t));
}

static void
open_unmarked(UiTest *t, const char *description)
{
  ui_test_click(t, NULL, "unmarked");
  g_assert_cmpstr(ui_test_page(t), ==, "unmarked");
  gtk_editable_set_text(GTK_EDITABLE(ui_test_get(t, "description")), description);
}

static gboolean
shown(UiTest *t, const char *name)
{
  return gtk_widget_get_mapped(ui_test_get(t, name));
}

static GdkPaintable *
preview(UiTest *t)
{
  return gtk_picture_get_paintable(GTK_PICTURE(ui_test_get(t, "photo-preview")));
}

static void
render(UiTest *t, const char *name)
{
  const char *dir = g_getenv("MUSTER_UI_OUT");
  g_autofree char *path =
      g_strdup_printf("%s/%s-%dx%d.png", dir != NULL ? dir : t->dir, name, t->width, t->height);
  if (dir != NULL)
    g_mkdir_with_parents(dir, 0755);
  ui_test_render_and_check(t, path);
}

static void
close_count(UiTest *t)
{
  ui_test_click(t, NULL, "close");
  ui_test_click(t, NULL, "confirm-close");
  g_assert_cmpstr(ui_test_page(t), ==, "home");
  ui_test_click(t, NULL, "sign-out-button");
}

/* The engine's unmarked-item discrepancies of the count, read on the test's connection. */
static GPtrArray *
unmarked_findings(UiTest *t, gint64 count_id)
{
  g_autoptr(GError) error = NULL;
  MusterDiscrepancyFilter filter = {.kind = "unmarked_item", .resolved = -1};
  GPtrArray *list = muster_discrepancies_list(t->store, count_id, &filter, &error);
  g_assert_no_error(error);
  return list;
}

/* The stored photo decodes, on its own, to the pattern the camera saw. */
static void
assert_photo_is_pattern(UiTest *t, const char *unmarked_uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUnmarkedPhoto) photo =
      muster_unmarked_photos_get(t->store, unmarked_uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(photo->media_type, ==, "image/png");
  g_assert_cmpstr(photo->taken_by, ==, "bob");
  g_assert_cmpuint(photo->width, ==, FRAME_W);
  g_assert_cmpuint(photo->height, ==, FRAME_H);
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes(photo->bytes, &error);
  g_assert_no_error(error);
  g_assert_cmpint(gdk_texture_get_width(texture), ==, FRAME_W);
  g_assert_cmpint(gdk_texture_get_height(texture), ==, FRAME_H);
  gsize stride = FRAME_W * 4;
  g_autofree guint8 *px = g_malloc(stride * FRAME_H);
  gdk_texture_download(texture, px, stride); /* B, G, R, A */
  guint wrong = 0;
  for (guint y = 0; y < FRAME_H; y++)
    for (guint x = 0; x < FRAME_W; x++) {
      const guint8 *p = px + y * stride + 4 * x;
      guint8 want = pattern(x, y);
      wrong += p[0] != want || p[1] != want || p[2] != want || p[3] != 0xff;
    }
  g_assert_cmpuint(wrong, ==, 0);
}

static void
review_shows_photo(UiTest *t, gint64 count_id)
{
  ui_test_sign_in(t, "sue", "1234");
  ui_test_click(t, NULL, "review");
  g_assert_cmpstr(ui_test_page(t), ==, "review");
  MusterKioskScreenReview *review =
      MUSTER_KIOSK_SCREEN_REVIEW(muster_kiosk_window_get_screen(t->window, "review"));
  GListModel *model = muster_kiosk_screen_review_get_model(review);
  guint unmarked = G_MAXUINT, other = G_MAXUINT;
  for (guint i = 0; i < g_list_model_get_n_items(model); i++) {
    g_autoptr(MusterKioskDiscrepancyRow) row = g_list_model_get_item(model, i);
    gboolean is_unmarked =
        g_strcmp0(muster_kiosk_discrepancy_row_get_kind(row), "unmarked_item") == 0;
    if (is_unmarked && unmarked == G_MAXUINT)
      unmarked = i;
    else if (!is_unmarked && other == G_MAXUINT)
      other = i;
  }
  g_assert_cmpuint(unmarked, !=, G_MAXUINT);
  g_assert_cmpuint(other, !=, G_MAXUINT);
  /* Another kind of discrepancy shows no photo... */
  muster_kiosk_screen_review_select(review, other);
  g_assert_null(ui_test_find(GTK_WIDGET(review), "detail-photo"));
  /* ...the unmarked item shows its own. */
  muster_kiosk_screen_review_select(review, unmarked);
  GtkWidget *picture = ui_test_find(GTK_WIDGET(review), "detail-photo");
  g_assert_nonnull(picture);
  GdkPaintable *paintable = gtk_picture_get_paintable(GTK_PICTURE(picture));
  g_assert_cmpint(gdk_paintable_get_intrinsic_width(paintable), ==, FRAME_W);
  g_assert_cmpint(gdk_paintable_get_intrinsic_height(paintable), ==, FRAME_H);
  g_assert_false(gtk_widget_get_visible(ui_test_get(t, "review-error")));
  ui_test_wait_frame(t);
  g_assert_true(gtk_widget_get_mapped(picture));
  g_assert_cmpint(gtk_widget_get_height(picture), >=, 180);
  render(t, "review-unmarked-photo");
}

static void
test_take_save_review(void)
{
  UiTest t;
  ui_test_setup(&t, 40, 1024, 600);
  g_autoptr(MusterCameraReader) camera = add_camera(&t);
  gint64 count_id = start_count(&t);
  open_unmarked(&t, "Rifle, no marks");
  g_assert_true(shown(&t, "take-photo"));
  g_assert_false(shown(&t, "retake"));
  g_assert_false(shown(&t, "photo-preview"));

  ui_test_click(&t, NULL, "take-photo");
  g_assert_false(gtk_widget_get_visible(ui_test_get(&t, "unmarked-error")));
  GdkPaintable *first = preview(&t);
  g_assert_nonnull(first);
  g_assert_cmpint(gdk_paintable_get_intrinsic_width(first), ==, FRAME_W);
  g_assert_cmpint(gdk_paintable_get_intrinsic_height(first), ==, FRAME_H);
  ui_test_wait_frame(&t);
  g_assert_true(shown(&t, "photo-preview"));
  g_assert_true(shown(&t, "retake"));
  g_assert_false(shown(&t, "take-photo"));
  render(&t, "unmarked-photo");

  /* Retake: a new still replaces the first. */
  ui_test_click(&t, NULL, "retake");
  g_assert_true(preview(&t) != first);
  g_assert_nonnull(preview(&t));

  ui_test_click(&t, NULL, "save");
  g_assert_cmpstr(ui_test_page(&t), ==, "live");
  g_autoptr(GPtrArray) none = unmarked_findings(&t, count_id); /* only found at reconcile */
  g_assert_cmpuint(none->len, ==, 0);
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t.store, count_id, NULL);
  g_assert_cmpint(c->unmarked, ==, 1);

  /* Back on the screen: the photo taken before is gone, a new one can be taken. */
  open_unmarked(&t, "");
  g_assert_true(shown(&t, "take-photo"));
  g_assert_false(shown(&t, "photo-preview"));
  ui_test_click(&t, NULL, "cancel");

  close_count(&t);
  review_shows_photo(&t, count_id);
  g_autoptr(GPtrArray) found = unmarked_findings(&t, count_id);
  g_assert_cmpuint(found->len, ==, 1);
  const MusterDiscrepancy *d = g_ptr_array_index(found, 0);
  assert_photo_is_pattern(&t, d->subject);

  muster_reader_stop(MUSTER_READER(camera));
  ui_test_teardown(&t);
}

/* On a large screen the photo column grows with the type; everything still fits. */
static void
test_large_screen(void)
{
  UiTest t;
  ui_test_setup(&t, 40, 1920, 1080);
  g_autoptr(MusterCameraReader) camera = add_camera(&t);
  start_count(&t);
  open_unmarked(&t, "Submachine gun, no marks");
  ui_test_click(&t, NULL, "take-photo");
  ui_test_wait_frame(&t);
  GtkWidget *picture = ui_test_get(&t, "photo-preview");
  g_assert_true(gtk_widget_get_mapped(picture));
  g_assert_cmpint(gtk_widget_get_width(picture), >=, 400); /* style.css: window.large */
  g_assert_cmpint(gtk_widget_get_width(ui_test_get(&t, "retake")), >=, 320);
  render(&t, "unmarked-photo");
  muster_reader_stop(MUSTER_READER(camera));
  ui_test_teardown(&t);
}

/* No camera: no photo button, no word about a photo; the item is recorded without. */
static void
test_no_camera(void)
{
  UiTest t;
  ui_test_setup(&t, 40, 1024, 600);
  gint64 count_id = start_count(&t);
  open_unmarked(&t, "Pistol, no marks");
  ui_test_wait_frame(&t);
  g_assert_false(shown(&t, "photo-box"));
  g_assert_false(shown(&t, "take-photo"));
  g_assert_false(gtk_widget_get_visible(ui_test_get(&t, "unmarked-error")));
  render(&t, "unmarked-no-camera");
  ui_test_click(&t, NULL, "save");
  g_assert_cmpstr(ui_test_page(&t), ==, "live");
  close_count(&t);
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t.store, count_id, NULL);
  g_assert_cmpint(c->unmarked, ==, 1);
  g_autoptr(GError) error = NULL;
  MusterReconcileSummary summary;
  g_autoptr(MusterUser) sue = muster_users_authenticate(t.store, "sue", "1234", &error);
  g_assert_true(muster_reconcile(t.store, sue, count_id, &summary, &error));
  g_autoptr(GPtrArray) found = unmarked_findings(&t, count_id);
  g_assert_cmpuint(found->len, ==, 1);
  const MusterDiscrepancy *d = g_ptr_array_index(found, 0);
  g_assert_null(muster_unmarked_photos_get(t.store, d->subject, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  ui_test_teardown(&t);
}

static gboolean
take_photo_shown(gpointer data)
{
  return gtk_widget_get_mapped(ui_test_get(data, "take-photo"));
}

/* A camera plugged in while the screen is open offers its photo at once. */
static void
test_camera_plugged_in(void)
{
  UiTest t;
  ui_test_setup(&t, 40, 1024, 600);
  start_count(&t);
  open_unmarked(&t, "Pistol, grip only");
  ui_test_wait_frame(&t);
  g_assert_false(gtk_widget_get_mapped(ui_test_get(&t, "take-photo")));
  g_autoptr(MusterCameraReader) camera = add_camera(&t);
  g_assert_true(ui_test_wait(take_photo_shown, &t, 5000));
  ui_test_click(&t, NULL, "take-photo");
  g_assert_true(gtk_widget_get_mapped(ui_test_get(&t, "photo-preview")));
  muster_reader_stop(MUSTER_READER(camera));
  ui_test_teardown(&t);
}

/* The camera stops while the screen is open: Take photo says so and takes nothing; the
 * item is still recorded, without a photo. */
static void
test_camera_stops(void)
{
  UiTest t;
  ui_test_setup(&t, 40, 1024, 600);
  g_autoptr(MusterCameraReader) camera = add_camera(&t);
  gint64 count_id = start_count(&t);
  open_unmarked(&t, "Carbine, no marks");
  g_assert_true(shown(&t, "take-photo"));
  muster_reader_stop(MUSTER_READER(camera));
  ui_test_click(&t, NULL, "take-photo");
  GtkWidget *error_label = ui_test_get(&t, "unmarked-error");
  g_assert_true(gtk_widget_get_visible(error_label));
  g_assert_cmpstr(gtk_label_get_text(GTK_LABEL(error_label)), ==,
                  _("The camera shows no picture: check it, or record the item without a "
                    "photo."));
  g_assert_null(preview(&t));
  ui_test_click(&t, NULL, "save");
  g_assert_cmpstr(ui_test_page(&t), ==, "live");
  g_autoptr(MusterCount) c = muster_counts_get_by_id(t.store, count_id, NULL);
  g_assert_cmpint(c->unmarked, ==, 1);
  /* With the camera gone the screen no longer offers a photo. */
  open_unmarked(&t, "");
  g_assert_false(shown(&t, "photo-box"));
  ui_test_click(&t, NULL, "cancel");
  ui_test_teardown(&t);
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  gtk_test_init(&argc, &argv, NULL);
  g_test_add_func("/ui/photo/take-save-review", test_take_save_review);
  g_test_add_func("/ui/photo/camera-plugged-in", test_camera_plugged_in);
  g_test_add_func("/ui/photo/large-screen", test_large_screen);
  g_test_add_func("/ui/photo/no-camera", test_no_camera);
  g_test_add_func("/ui/photo/camera-stops", test_camera_stops);
  return g_test_run();
}
