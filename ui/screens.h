/*
 * screens.h: the table of the kiosk's screens, in the order the window adds them.
 *
 * Each screen is a widget with its own .c/.h and GtkBuilder template, made from the
 * session; it refreshes from the engine whenever it is shown (GtkWidget::map), so no
 * screen holds stale data and none needs to be told that another changed something.
 * Only the window reads this table; a screen includes the helpers it uses (widgets.h,
 * labels.h, error-label.h, scan-follow.h, badge-tap.h), never another screen.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  const char *page;
  GtkWidget *(*create)(MusterKioskSession *session);
} MusterKioskScreenInfo;

/* NULL-page-terminated. */
extern const MusterKioskScreenInfo muster_kiosk_screens[];

G_END_DECLS
