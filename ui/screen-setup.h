/*
 * screen-setup.h: first boot — the armoury, its first admin, language and keyboard.
 *
 * With no database at the kiosk's path the window shows only this screen (the session
 * has no store yet). The technician types the armoury's code and name and the first
 * admin's login and full name on the on-screen keyboard, chooses the language (the
 * screen re-labels itself at once) and the keyboard layout, sees the readers the kiosk
 * found, and types the admin's PIN twice on the PIN pad. The second OK creates the
 * armoury through the engine exactly as `muster init` does (db/armoury-setup.h) and the
 * kiosk goes on to the sign-in screen on the new database, with no restart. A refusal
 * shows the engine's words and keeps what was typed, except the PINs. The language and
 * layout are kept beside the database (ui/language-choice.h).
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_SETUP (muster_kiosk_screen_setup_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenSetup, muster_kiosk_screen_setup, MUSTER_KIOSK, SCREEN_SETUP,
                     GtkWidget)

GtkWidget *muster_kiosk_screen_setup_new(MusterKioskSession *session);

G_END_DECLS
