/*
 * badges.h: NFC badges that sign their holder in at the kiosk with a tap.
 *
 * A badge is an NFC card (any ISO 14443A tag) known by its UID. The UID is no secret
 * and cheap cards can copy it, so by default a tap only says who is there and the PIN
 * is still typed (setting badge_needs_pin = 1, two factors); an armoury that accepts the
 * risk sets it to 0 and a tap alone signs in, but only from a tag whose NXP
 * originality signature the reader checked (MUSTER_AUTH_GENUINE): alone, the tap is the
 * only proof. A tag whose signature fails (a clone the reader caught,
 * MUSTER_AUTH_NOT_GENUINE) never signs anyone in; one that could not be checked
 * (UNKNOWN) only names its holder, whose PIN is then the proof.
 *
 * Only admins give and take back badges; both are audited and kept as history
 * (migration 004). Every badge sign-in and every refused tap is audited too.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"
#include "scan/scan.h"

G_BEGIN_DECLS

/* Admin only. Gives name the badge whose UID is uid (hex, any of "04A1B2C3",
 * "04:a1:b2:c3"); a badge name already had is revoked. A badge another person holds is
 * refused (MUSTER_ERROR_EXISTS, naming them), and so is a card read from a reader whose
 * authenticity check failed (auth MUSTER_AUTH_NOT_GENUINE; a UID typed in is UNKNOWN). */
gboolean muster_badges_assign(MusterStore *store, const MusterUser *actor, const char *name,
                              const char *uid, MusterAuthenticity auth, GError **error);
/* Admin only. Takes name's badge back (lost, left); NOT_FOUND when they have none. */
gboolean muster_badges_revoke(MusterStore *store, const MusterUser *actor, const char *name,
                              GError **error);

/* TRUE when the setting asks for the PIN after a tap (the default). */
gboolean muster_badges_need_pin(MusterStore *store);

/* What a tap is for: signing in at the kiosk, or a second person vouching for an action
 * of the one signed in (the witness of a count, the confirmer of a resolution). */
typedef enum {
  MUSTER_BADGE_FOR_SIGN_IN,
  MUSTER_BADGE_FOR_WITNESS,
  MUSTER_BADGE_FOR_CONFIRM,
} MusterBadgePurpose;

/* A tap of uid on a reader. When the tap alone may stand for the PIN, returns the
 * holder, authenticated, audited ("user.sign_in" by badge, or "user.badge_vouch" with
 * the purpose). When the PIN is still needed, returns NULL without an error and sets
 * *holder to the badge holder's name, for muster_users_sign_in() or
 * muster_users_authenticate(). Errors (audited as "badge.refused"): an unknown or revoked
 * badge (NOT_FOUND), a tag that is not genuine, a tap alone from a tag whose originality
 * was not checked (reason "not_verified"), a deactivated holder (PERMISSION), a
 * locked-out holder (LOCKED_OUT). */
MusterUser *muster_badges_tap(MusterStore *store, const char *uid, MusterAuthenticity auth,
                              MusterBadgePurpose purpose, char **holder, GError **error);

G_END_DECLS
