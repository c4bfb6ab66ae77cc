/*
 * scan-follow.h: a screen taking what the readers read while it is shown.
 *
 * Screens that take what a reader reads while they are shown (sign-in: badges;
 * settings: a badge to give; start: the witness's badge; review: the confirmer's badge;
 * lookup: a marking) follow the session's readers with this, so that no hidden screen
 * acts on a scan meant for the one in front of the user.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* func gets every scan but rack labels while screen is mapped, readers plugged in
 * meanwhile included, and nothing once it is not. */
typedef void (*MusterKioskScanFunc)(GtkWidget *screen, const MusterScan *scan);
void muster_kiosk_follow_scans(GtkWidget *screen, MusterKioskSession *session,
                               MusterKioskScanFunc func);

G_END_DECLS
