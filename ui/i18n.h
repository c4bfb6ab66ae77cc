/*
 * i18n.h: gettext for the kiosk screens.
 *
 * Every string a person reads goes through _() (C) or translatable="yes" (templates),
 * in the "muster-kiosk" domain, so po/ can carry German, Arabic and whatever an
 * armoury needs. muster_kiosk_i18n_init() binds the domain and sets the text direction
 * from the translation itself, so an Arabic translation lays the screens out right to
 * left without any code knowing which languages are RTL.
 */
#pragma once
#define GETTEXT_PACKAGE "muster-kiosk"
#include <glib/gi18n-lib.h>

G_BEGIN_DECLS

/* Binds the domain (MUSTER_KIOSK_LOCALEDIR in the environment, else the build tree's
 * locale folder when it exists, else the installed one) and the text direction. Call
 * after setlocale() and before any screen is built. */
void muster_kiosk_i18n_init(void);

/* Switches the language now ("en", "de", "ar": a gettext LANGUAGE value), and the text
 * direction with it. What is built after this speaks it; what is shown already keeps
 * its words until rebuilt (the first-boot screen rebuilds itself). */
void muster_kiosk_i18n_set_language(const char *language);

G_END_DECLS
