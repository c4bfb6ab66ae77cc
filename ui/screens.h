/*
 * screens.h: the table of the kiosk's screens, in the order the window adds them.
 *
 * Each screen is a widget with its own .c/.h and GtkBuilder template, made from the
 * session; it refreshes from the engine whenever it is shown (GtkWidget::map), so no
 * screen holds stale data and none needs to be told that another changed something.
 */
#pragma once
#include "db/badges.h"
#include "db/counts.h"
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  const char *page;
  GtkWidget *(*create)(MusterKioskSession *session);
} MusterKioskScreenInfo;

/* NULL-page-terminated. */
extern const MusterKioskScreenInfo muster_kiosk_screens[];

/* Helpers the screens share. */

/* Shows an engine error in a label (the message says what, where and what to do), or
 * hides the label when error is NULL. After a refusal (PERMISSION) in the kiosk window,
 * someone who may act no more is sent back to sign-in
 * (muster_kiosk_session_check_user()). */
void muster_kiosk_show_error(GtkLabel *label, const GError *error);
/* Active users' names, sorted, except `except` (may be NULL). */
GtkStringList *muster_kiosk_user_names(MusterStore *store, const char *except);
/* The selected string of a dropdown over a GtkStringList, or NULL. */
const char *muster_kiosk_dropdown_get_string(GtkDropDown *dropdown);
/* Selects the string in a dropdown over a GtkStringList; FALSE when absent. */
gboolean muster_kiosk_dropdown_select(GtkDropDown *dropdown, const char *value);
/* A reader state and a role as a person reads them, translated. */
const char *muster_kiosk_reader_state_label(MusterReaderState state);
const char *muster_kiosk_role_label(MusterRole role);
const char *muster_kiosk_count_state_label(MusterCountState state);
/* Screens that take what a reader reads while they are shown (sign-in: badges; settings:
 * a badge to give; start: the witness's badge; review: the confirmer's badge; lookup: a
 * marking) follow the session's readers with this: func gets every scan but rack labels while screen is
 * mapped, readers plugged in meanwhile included, and nothing once it is not. */
typedef void (*MusterKioskScanFunc)(GtkWidget *screen, const MusterScan *scan);
void muster_kiosk_follow_scans(GtkWidget *screen, MusterKioskSession *session,
                               MusterKioskScanFunc func);
/* TRUE when scan is a tap of an NFC card (a badge, where a screen expects one). */
gboolean muster_kiosk_scan_is_card(const MusterScan *scan);
/* A second person's badge tapped to vouch for purpose (the witness, the confirmer), as
 * the engine decides (db/badges.h), and chosen in people, the dropdown of who may vouch.
 * Returns the holder, authenticated, when the tap alone stands for their PIN. Else NULL:
 * with *holder set when they still type their PIN, or with error set — the engine's
 * refusal, or not_listed (one %s, the name) when people does not offer the holder (the
 * person signed in cannot vouch for themselves). */
MusterUser *muster_kiosk_badge_choose(MusterKioskSession *session, const MusterScan *scan,
                                      MusterBadgePurpose purpose, GtkDropDown *people,
                                      const char *not_listed, char **holder, GError **error);
/* Removes every child of a box. */
void muster_kiosk_box_clear(GtkBox *box);

G_END_DECLS
