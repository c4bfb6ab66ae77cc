/*
 * armoury-setup.h: setting up an armoury — its database and its first admin, in one step.
 *
 * `muster init` and the kiosk's first-boot screen both call this, so the rules of a new
 * armoury live in one place: the armoury code, the admin's login name and PIN are
 * checked before anything is made; the database's folder is made when missing; an
 * existing file is never overwritten; and a database whose admin could not be added
 * after all is removed again, so a failed set-up leaves no file behind, never one
 * without an admin. Both steps are audited (armoury.create, then the admin's addition).
 */
#pragma once
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

typedef struct {
  const char *path;            /* the database file to create */
  const char *code;            /* "ARM-01" */
  const char *name;            /* free text; NULL or "": the code */
  const char *admin;           /* the first admin's login name */
  const char *admin_full_name; /* NULL or "": the login name */
  const char *pin;             /* the admin's PIN; NULL: not checked (see below) */
} MusterArmourySetup;

/* The checks of muster_armoury_set_up() that need no file: the armoury code, then the
 * admin's name, then the PIN unless setup->pin is NULL (so a terminal can refuse a
 * wrong code before it asks for a PIN). MUSTER_ERROR_INVALID saying what is allowed. */
gboolean muster_armoury_setup_valid(const MusterArmourySetup *setup, GError **error);

/* Creates the armoury: checks everything, makes the database's folder when missing
 * (0750), creates the database (0600; MUSTER_ERROR_EXISTS when the file is there) and
 * its first admin. Returns the open store, and the admin in *admin when admin is not
 * NULL. On any failure nothing is left behind and the error says what, where and what
 * to do. */
MusterStore *muster_armoury_set_up(const MusterArmourySetup *setup, MusterUser **admin,
                                   GError **error);

G_END_DECLS
