/*
 * i18n.c: binds the kiosk's gettext domain (see i18n.h).
 */
#include "ui/i18n.h"

#include "core/i18n.h"

#include <gtk/gtk.h>
#include <locale.h>

static const char *
locale_dir(void)
{
  const char *env = g_getenv("MUSTER_KIOSK_LOCALEDIR");
  if (env != NULL && *env != '\0')
    return env;
  /* "" in an installed kiosk (MUSTER_KIOSK_BUILD_TREE_LOCALE=OFF) */
  if (*MUSTER_KIOSK_BUILD_LOCALEDIR != '\0' &&
      g_file_test(MUSTER_KIOSK_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return MUSTER_KIOSK_BUILD_LOCALEDIR;
  return MUSTER_KIOSK_LOCALEDIR;
}

static void
set_direction(void)
{
  /* Translators: write "default:RTL" for a right-to-left language, else leave it. */
  const char *direction = _("default:LTR");
  gtk_widget_set_default_direction(g_str_equal(direction, "default:RTL") ? GTK_TEXT_DIR_RTL
                                                                         : GTK_TEXT_DIR_LTR);
}

void
muster_kiosk_i18n_init(void)
{
  bindtextdomain(GETTEXT_PACKAGE, locale_dir());
  bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
  /* The engine's refusals are shown as they come: in the screen's language too. */
  muster_engine_i18n_bind(locale_dir());
  set_direction();
}

void
muster_kiosk_i18n_set_language(const char *language)
{
  g_setenv("LANGUAGE", language, TRUE);
  /* glibc ignores LANGUAGE under the plain C locale (a service started with no LANG). */
  const char *messages = setlocale(LC_MESSAGES, NULL);
  if (messages == NULL || g_str_equal(messages, "C") || g_str_equal(messages, "POSIX"))
    setlocale(LC_MESSAGES, "C.UTF-8");
  /* Setting the default domain again is gettext's documented way of saying that the
   * environment changed: the translations it cached are looked up anew. */
  g_autofree char *domain = g_strdup(textdomain(NULL));
  textdomain(domain);
  set_direction();
}
