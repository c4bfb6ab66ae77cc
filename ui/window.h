/*
 * window.h: the kiosk's one window — fullscreen, undecorated, no way out for staff.
 *
 * A top bar (armoury, who is signed in, sign out) over a GtkStack holding one page per
 * screen. The session says which page to show ("navigate"); every touch or key pokes
 * the session's idle lock. Closing (Alt-F4, a window manager's close) is refused unless
 * an admin asked to leave through the session.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_WINDOW (muster_kiosk_window_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskWindow, muster_kiosk_window, MUSTER_KIOSK, WINDOW, GtkWindow)

/* fullscreen FALSE is for tests and screenshots at a fixed size. Fullscreen, the
 * layout follows the first monitor's size. */
MusterKioskWindow *muster_kiosk_window_new(MusterKioskSession *session, gboolean fullscreen);
/* Lays the screens out for width×height: below 1600×900 the compact style (it fits
 * 1024×600), above it the large one (bigger type and keys). Also sets the default size. */
void muster_kiosk_window_set_layout_size(MusterKioskWindow *self, int width, int height);
MusterKioskSession *muster_kiosk_window_get_session(MusterKioskWindow *self);
/* The page shown ("sign-in", "home", ...), and a page's widget (NULL until first shown:
 * screens are built on demand). */
const char *muster_kiosk_window_get_page(MusterKioskWindow *self);
GtkWidget *muster_kiosk_window_get_screen(MusterKioskWindow *self, const char *page);

/* Swallows GTK's own keys for its Inspector (Ctrl+Shift+I, Ctrl+Shift+D) on a window:
 * the Inspector edits any widget, a way out of the kiosk. Every kiosk window has it;
 * call it on any other toplevel the kiosk shows. */
void muster_kiosk_block_inspector_keys(GtkWidget *window);

G_END_DECLS
