/*
 * i18n.c: binds the engine's gettext domain (see i18n.h).
 */
#include "core/i18n.h"

void
muster_engine_i18n_bind(const char *locale_dir)
{
  bindtextdomain(MUSTER_ENGINE_GETTEXT_DOMAIN, locale_dir);
  bind_textdomain_codeset(MUSTER_ENGINE_GETTEXT_DOMAIN, "UTF-8");
}
