/*
 * error-label.h: an engine error shown on a screen.
 *
 * The engine's message already says what, where and what to do, so a screen shows it as
 * it is. A refusal may also mean that the person signed in may act no more; the error
 * label is where every screen learns of a refusal, so that is handled here, once.
 */
#pragma once
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows an engine error in a label, or hides the label when error is NULL. After a
 * refusal (PERMISSION) in the kiosk window, someone who may act no more is sent back to
 * sign-in (muster_kiosk_session_check_user()). */
void muster_kiosk_show_error(GtkLabel *label, const GError *error);

G_END_DECLS
