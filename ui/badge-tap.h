/*
 * badge-tap.h: an NFC card tapped where a screen expects a badge.
 *
 * The engine decides what a tap stands for (db/badges.h); these only tell a card from
 * any other scan, and tie the holder to the dropdown of people a screen offers.
 */
#pragma once
#include "db/badges.h"
#include "ui/session.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

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

G_END_DECLS
