/*
 * screen-lookup.h: the tracing answer for any marking.
 *
 * Type a serial, tag UID, UII or barcode, or scan it with any reader while this screen
 * is shown: every item carrying it, with its record and whole history (db/history.h),
 * and scans of the marking that matched no record.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_LOOKUP (muster_kiosk_screen_lookup_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenLookup, muster_kiosk_screen_lookup, MUSTER_KIOSK,
                     SCREEN_LOOKUP, GtkWidget)

GtkWidget *muster_kiosk_screen_lookup_new(MusterKioskSession *session);
/* Looks the marking up as if typed. */
void muster_kiosk_screen_lookup_run(MusterKioskScreenLookup *self, const char *marking);

G_END_DECLS
