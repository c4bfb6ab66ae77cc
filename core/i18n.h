/*
 * i18n.h: the engine's own gettext domain, "muster", for the messages a person reads.
 *
 * Refusals and errors reach people as they are: the kiosk shows them on screen in its
 * language, the command line prints them. So they are translated where they are made, in
 * the engine's domain (translations in db/po/), not in the kiosk's. A program that wants
 * them translated binds the domain (muster_engine_i18n_bind()); one that does not gets
 * the English. Only the engine's .c files include this: it defines _() for this domain.
 */
#pragma once
#define MUSTER_ENGINE_GETTEXT_DOMAIN "muster"
#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE MUSTER_ENGINE_GETTEXT_DOMAIN
#endif
#include <glib/gi18n-lib.h>

/* Binds the engine's domain to the translations in locale_dir (UTF-8). */
void muster_engine_i18n_bind(const char *locale_dir);
