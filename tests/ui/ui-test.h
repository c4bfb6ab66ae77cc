/*
 * ui-test.h: what the kiosk tests share — an armoury database, the kiosk window on the
 * test's own X display, finding and pressing widgets as a finger would, waiting on
 * the main loop, and rendering to PNG with the checks every screen must pass.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"
#include "demo/demo.h"
#include "ui/session.h"
#include "ui/window.h"
#include <gtk/gtk.h>

typedef struct {
  char *dir;
  char *path;
  MusterStore *store; /* the test's own connection, for checking */
  MusterUser *admin;  /* "admin", PIN 123456 */
  MusterDemo *demo;   /* the register imported, and its scan feed */
  MusterKioskSession *session;
  MusterKioskWindow *window;
  int width, height; /* the screen size the window is laid out for */
} UiTest;

/* A database (admin; supervisors sue and vic; staff bob and carol, PIN 1234 each) with
 * a demo register of n_items, and the kiosk window at width×height, shown. */
void ui_test_setup(UiTest *t, guint n_items, int width, int height);
/* First boot: no database yet at path (NULL: new/armoury.db in a fresh folder t->dir,
 * the folder itself missing), and the window on a session waiting for the setup screen.
 * t->store and t->admin stay NULL. */
void ui_test_setup_first_boot(UiTest *t, const char *path, int width, int height);
/* Destroys the window and session (as a crash would lose them) and opens new ones on
 * the same database. */
void ui_test_restart(UiTest *t, int width, int height);
void ui_test_teardown(UiTest *t);

/* Runs the main loop until cond(data) or timeout_ms; FALSE on timeout. */
gboolean ui_test_wait(gboolean (*cond)(gpointer), gpointer data, guint timeout_ms);
/* Runs the main loop until the window has drawn a new frame. */
void ui_test_wait_frame(UiTest *t);

/* The first descendant of root whose widget name is name, or NULL. */
GtkWidget *ui_test_find(GtkWidget *root, const char *name);
/* The same from the window, failing the test when absent. */
GtkWidget *ui_test_get(UiTest *t, const char *name);
/* Activates (clicks) the named button, which must be mapped and sensitive. */
void ui_test_click(UiTest *t, GtkWidget *root, const char *name);
/* Types a PIN on the named pin pad, then OK. */
void ui_test_type_pin(UiTest *t, const char *pad_name, const char *pin);
/* Signs in through the sign-in screen. */
void ui_test_sign_in(UiTest *t, const char *name, const char *pin);
/* Signs bob in and starts a count of the whole armoury on the start screen, witnessed by
 * carol's PIN; returns the count the live screen now shows. */
MusterKioskCountModel *ui_test_start_count(UiTest *t);
/* The page the window shows. */
const char *ui_test_page(UiTest *t);

/* Renders the window to PATH (PNG) and checks it: not blank, not overflowing its
 * size, no key label truncated or clipped, every touch target at least 48×48 px. Returns the number
 * of distinct colours seen (for the log). */
guint ui_test_render_and_check(UiTest *t, const char *png_path);
/* Asserts that each named widget is present, mapped and has a non-zero size. */
void ui_test_assert_visible(UiTest *t, const char *const *names);
