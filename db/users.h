/*
 * users.h: people who use the appliance, their roles and PINs.
 *
 * PINs are stored only as argon2id hashes (libsodium crypto_pwhash_str, interactive
 * limits). After lockout_attempts wrong PINs in a row (setting, default 5) the account
 * locks until an admin unlocks it. Users are never deleted, only deactivated.
 *
 * A MusterUser returned by muster_users_authenticate() is the "actor" every engine
 * function takes: the engine, not the screen, decides what that role may do.
 */
#pragma once
#include "core/closed-list.h"
#include "db/store.h"

G_BEGIN_DECLS

typedef enum {
  MUSTER_ROLE_STAFF,
  MUSTER_ROLE_SUPERVISOR,
  MUSTER_ROLE_ADMIN,
} MusterRole;

typedef struct {
  gint64 id;
  char *uuid;
  char *name;       /* login name, unique */
  char *full_name;
  MusterRole role;
  gboolean locked;
  gboolean active;
  int failed_attempts;
  char *created_at;
  gboolean has_badge; /* a badge in force (db/badges.h) */
} MusterUser;

void muster_user_free(MusterUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterUser, muster_user_free)

/* The roles in rank order, named as stored: "staff", "supervisor", "admin". */
extern const MusterClosedList muster_role_list;
const char *muster_role_to_string(MusterRole role);     /* "staff", ... */
gboolean muster_role_from_string(const char *s, MusterRole *role, GError **error);

/* PINs: 4 to 12 digits. */
gboolean muster_pin_valid(const char *pin, GError **error);
/* User names: 2 to 32 letters, digits, '.', '-' or '_'. */
gboolean muster_user_name_valid(const char *name, GError **error);

/* Creates the first admin of a new database; fails if any user exists. */
MusterUser *muster_users_bootstrap_admin(MusterStore *store, const char *name,
                                         const char *full_name, const char *pin,
                                         GError **error);

/* Checks name and PIN. A wrong PIN counts towards lockout (and is audited) even though
 * this returns an error; MUSTER_ERROR_AUTH, MUSTER_ERROR_LOCKED_OUT, NOT_FOUND. */
MusterUser *muster_users_authenticate(MusterStore *store, const char *name, const char *pin,
                                      GError **error);

/* An account that is deactivated or locked out may not sign in, by PIN or badge:
 * PERMISSION or LOCKED_OUT saying what to do. */
gboolean muster_user_may_sign_in(const MusterUser *user, GError **error);

/* A person's sign-in at a terminal (where: "kiosk"): authenticate, then audited as
 * user.sign_in. The CLI authenticates each command instead (the command is audited). */
MusterUser *muster_users_sign_in(MusterStore *store, const char *name, const char *pin,
                                 const char *where, GError **error);
/* Audited as user.sign_out; why: "user", "idle", "terminated" (the kiosk was stopped),
 * "revoked" (the person may act no more). */
gboolean muster_users_sign_out(MusterStore *store, const MusterUser *user, const char *why,
                               GError **error);
/* Appends one audit entry about user's session (for db/badges.c). detail_json may be
 * NULL. */
gboolean muster_users_note_session(MusterStore *store, const MusterUser *user,
                                   const char *action, const char *detail_json,
                                   GError **error);

MusterUser *muster_user_copy(const MusterUser *user);

/* Admin only. */
MusterUser *muster_users_add(MusterStore *store, const MusterUser *actor, const char *name,
                             const char *full_name, MusterRole role, const char *pin,
                             GError **error);
gboolean muster_users_unlock(MusterStore *store, const MusterUser *actor, const char *name,
                             GError **error);
gboolean muster_users_set_active(MusterStore *store, const MusterUser *actor,
                                 const char *name, gboolean active, GError **error);
/* Admin, or the user themselves (actor->name == name). */
gboolean muster_users_set_pin(MusterStore *store, const MusterUser *actor, const char *name,
                              const char *new_pin, GError **error);

MusterUser *muster_users_get(MusterStore *store, const char *name, GError **error);
MusterUser *muster_users_get_by_id(MusterStore *store, gint64 id, GError **error);
/* Every user, by name. Element type MusterUser*. */
GPtrArray *muster_users_list(MusterStore *store, GError **error);

/* Role checks for engine modules: sets MUSTER_ERROR_PERMISSION with a message that says
 * what was refused ("Resolving a missing item needs a supervisor; alice is staff"). The
 * actor is checked as store has them now (read inside the caller's transaction when
 * there is one), not as the caller's copy says: someone deactivated, locked out or
 * given another role since they signed in is refused at once ("Adding a user refused:
 * ann was deactivated at ...; sign in again once ..."). */
gboolean muster_require_role(MusterStore *store, const MusterUser *actor, MusterRole at_least,
                             const char *what, GError **error);
gboolean muster_require_one_of(MusterStore *store, const MusterUser *actor, guint roles_mask,
                               const char *what, GError **error);
/* actor as store has them now, or NULL with PERMISSION when they may act no more
 * (deactivated or locked out since they signed in, saying when; or gone). For a terminal
 * to send such a person back to sign-in. */
MusterUser *muster_users_current(MusterStore *store, const MusterUser *actor, GError **error);
#define MUSTER_ROLE_BIT(r) (1u << (r))

G_END_DECLS
