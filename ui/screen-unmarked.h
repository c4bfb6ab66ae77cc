/*
 * screen-unmarked.h: record an item found without any marking.
 *
 * An unmarked weapon in a state armoury is a finding (ITI), never a silent skip: the
 * counter says what it is (a few common descriptions are one tap) and where it was
 * found, and the engine records it in the count. Where a camera reader is reading, a
 * photo can be taken (and retaken) and is recorded with the item in the same
 * transaction; without one the screen offers none and says nothing is missing.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_UNMARKED (muster_kiosk_screen_unmarked_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenUnmarked, muster_kiosk_screen_unmarked, MUSTER_KIOSK,
                     SCREEN_UNMARKED, GtkWidget)

GtkWidget *muster_kiosk_screen_unmarked_new(MusterKioskSession *session);

G_END_DECLS
