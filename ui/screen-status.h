/*
 * screen-status.h: readers and sync.
 *
 * Each reader's id, kind, state, scans and last error (what went wrong and what to
 * do), live as the reader changes; and the registry sync, which says "not configured"
 * until the sync part is in place.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_STATUS (muster_kiosk_screen_status_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenStatus, muster_kiosk_screen_status, MUSTER_KIOSK,
                     SCREEN_STATUS, GtkWidget)

GtkWidget *muster_kiosk_screen_status_new(MusterKioskSession *session);

G_END_DECLS
