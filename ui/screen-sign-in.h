/*
 * screen-sign-in.h: choose your name, type your PIN on the pad.
 *
 * Names are big buttons rather than a text field: nobody needs a keyboard. A wrong PIN
 * or a locked account shows the engine's message (which counts towards lockout).
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_SIGN_IN (muster_kiosk_screen_sign_in_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenSignIn, muster_kiosk_screen_sign_in, MUSTER_KIOSK,
                     SCREEN_SIGN_IN, GtkWidget)

GtkWidget *muster_kiosk_screen_sign_in_new(MusterKioskSession *session);

G_END_DECLS
