/*
 * screen-home.h: the menu after signing in.
 *
 * Count (start a new one, or resume the open one: the count lives in the database, so
 * a restarted kiosk offers it again), review, item lookup, readers and sync, settings,
 * and for admins the way out. Buttons a role can never use are hidden; the engine still
 * refuses them if reached.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_HOME (muster_kiosk_screen_home_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenHome, muster_kiosk_screen_home, MUSTER_KIOSK, SCREEN_HOME,
                     GtkWidget)

GtkWidget *muster_kiosk_screen_home_new(MusterKioskSession *session);

G_END_DECLS
