/*
 * language-choice.h: the kiosk's language and keyboard layout, as chosen at first boot.
 *
 * The engine has no setting for either (its settings are the armoury's policy, and
 * numbers), and the kiosk has always taken its language from the environment (LANGUAGE,
 * the locale). The first-boot screen's choice is kept in a small key file beside the
 * database, kiosk.ini in the database's folder: the one folder the kiosk's service may
 * write, and it goes wherever the database goes. Each start applies it, unless LANGUAGE
 * is set in the environment, which still wins (tests, a technician's override).
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *id;   /* a gettext LANGUAGE value, and the keyboard layout of that name */
  const char *name; /* in its own language: what a reader of it looks for */
} MusterKioskLanguage;

/* The languages the kiosk has catalogues for, English first; NULL-id-terminated. */
extern const MusterKioskLanguage muster_kiosk_languages[];

/* The choice file of a database: kiosk.ini in its folder. */
char *muster_kiosk_language_choice_path(const char *db_path);
/* Keeps the choice (written whole, 0600). The error names the file. */
gboolean muster_kiosk_language_choice_save(const char *db_path, const char *language,
                                           const char *keyboard, GError **error);
/* Applies the kept choice, if there is one and LANGUAGE is not set in the environment:
 * the language (muster_kiosk_i18n_set_language()) and the keyboard layout. Call before
 * any screen is built. A file that cannot be read is said in the log and passed over:
 * the kiosk still starts, in the environment's language. */
void muster_kiosk_language_choice_apply(const char *db_path);

G_END_DECLS
