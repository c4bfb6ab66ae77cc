/*
 * readers-list.h: the session's readers as lines of text, for the screens that list them.
 *
 * The status screen and the first-boot screen both show what the kiosk's reader set-up
 * found: each reader with its kind, state and scans (green when ready, else in the
 * problem style with its last error), and first why the kiosk has no readers of its
 * own when another program holds them.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Empties box and lists the session's readers in it. */
void muster_kiosk_show_readers(GtkBox *box, MusterKioskSession *session);

G_END_DECLS
