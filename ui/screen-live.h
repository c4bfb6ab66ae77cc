/*
 * screen-live.h: the live count.
 *
 * What a counter with gloves needs at a glance: a big banner in the outcome's colour
 * with its word, the item and what to do; found (and expected, unless the count is
 * blind for them); the last scans; each reader's state; progress by rack. Everything
 * shown comes from the count model after the commit (ui/count-model.h).
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_LIVE (muster_kiosk_screen_live_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenLive, muster_kiosk_screen_live, MUSTER_KIOSK, SCREEN_LIVE,
                     GtkWidget)

GtkWidget *muster_kiosk_screen_live_new(MusterKioskSession *session);
/* The banner's title as shown now (tests, benchmark). */
const char *muster_kiosk_screen_live_get_banner_title(MusterKioskScreenLive *self);

G_END_DECLS
