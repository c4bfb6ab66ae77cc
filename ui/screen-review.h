/*
 * screen-review.h: supervisor review — discrepancies, detail with history, resolve,
 * sign off.
 *
 * The list is a GtkListView over ui/review-model.h, filtered by kind, location and
 * "unresolved only" in the engine. A closed count is reconciled when first reviewed
 * (idempotent). Resolving a missing item or a status conflict asks a second person for
 * their name and PIN; the engine checks both people and their roles.
 */
#pragma once
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MUSTER_KIOSK_TYPE_SCREEN_REVIEW (muster_kiosk_screen_review_get_type())
G_DECLARE_FINAL_TYPE(MusterKioskScreenReview, muster_kiosk_screen_review, MUSTER_KIOSK,
                     SCREEN_REVIEW, GtkWidget)

GtkWidget *muster_kiosk_screen_review_new(MusterKioskSession *session);
/* The list's model (tests, benchmark). */
GListModel *muster_kiosk_screen_review_get_model(MusterKioskScreenReview *self);
/* Selects row i and shows its detail. */
void muster_kiosk_screen_review_select(MusterKioskScreenReview *self, guint i);

G_END_DECLS
