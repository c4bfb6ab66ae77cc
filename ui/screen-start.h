/*
 * screen-start.h: start a count — where, blind or not, and the witness signs in.
 *
 * The counter is whoever is signed in; the witness chooses their name and types their
 * PIN on the pad, which starts the count (the engine refuses the same person twice).
 * Locations are rooms and racks; none ticked means the whole armoury.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_START (muster_kiosk_screen_start_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenStart, muster_kiosk_screen_start, MUSTER_KIOSK, SCREEN_START,
                     GtkWidget)

GtkWidget *muster_kiosk_screen_start_new(MusterKioskSession *session);

G_END_DECLS
