/*
 * screen-settings.h: the armoury's settings, for admins.
 *
 * One row per known setting (db/settings.h: its meaning, a spin button within its
 * bounds). Saving goes through the engine, which refuses anyone but an admin and
 * audits the change.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_SETTINGS (muster_kiosk_screen_settings_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenSettings, muster_kiosk_screen_settings, MUSTER_KIOSK,
                     SCREEN_SETTINGS, GtkWidget)

GtkWidget *muster_kiosk_screen_settings_new(MusterKioskSession *session);

G_END_DECLS
