/*
 * error-label.c: an engine error shown on a screen (see error-label.h).
 */
#include "ui/error-label.h"

#include "core/muster-error.h"
#include "ui/window.h"

void
muster_kiosk_show_error(GtkLabel *label, const GError *error)
{
  gtk_label_set_text(label, error != NULL ? error->message : "");
  gtk_widget_set_visible(GTK_WIDGET(label), error != NULL);
  /* A refusal may mean the person signed in may act no more (deactivated, locked out):
   * the session asks the engine, and sends them back to sign-in if so. */
  GtkRoot *root = gtk_widget_get_root(GTK_WIDGET(label));
  if (g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION) && MUSTER_KIOSK_IS_WINDOW(root))
    muster_kiosk_session_check_user(muster_kiosk_window_get_session(MUSTER_KIOSK_WINDOW(root)));
}
