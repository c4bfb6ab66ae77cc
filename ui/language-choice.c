/*
 * language-choice.c: the language and keyboard kept beside the database (see
 * language-choice.h).
 */
#include "ui/language-choice.h"

#include "ui/i18n.h"
#include "ui/keyboard.h"

#define GROUP "kiosk"

const MusterKioskLanguage muster_kiosk_languages[] = {
    {"en", "English"},
    {"de", "Deutsch"},
    {"ar", "العربية"},
    {NULL, NULL},
};

char *
muster_kiosk_language_choice_path(const char *db_path)
{
  g_autofree char *dir = g_path_get_dirname(db_path);
  return g_build_filename(dir, "kiosk.ini", NULL);
}

gboolean
muster_kiosk_language_choice_save(const char *db_path, const char *language, const char *keyboard,
                                  GError **error)
{
  g_autofree char *path = muster_kiosk_language_choice_path(db_path);
  g_autoptr(GKeyFile) file = g_key_file_new();
  g_key_file_set_comment(file, NULL, NULL,
                         " The kiosk's language and on-screen keyboard, chosen at first boot.\n"
                         " LANGUAGE in the kiosk's environment overrides the language.",
                         NULL);
  g_key_file_set_string(file, GROUP, "language", language);
  g_key_file_set_string(file, GROUP, "keyboard", keyboard);
  gsize len = 0;
  g_autofree char *text = g_key_file_to_data(file, &len, NULL);
  if (!g_file_set_contents_full(path, text, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                error)) {
    g_prefix_error(error, _("Keeping the kiosk's language in %s: "), path);
    return FALSE;
  }
  return TRUE;
}

void
muster_kiosk_language_choice_apply(const char *db_path)
{
  g_autofree char *path = muster_kiosk_language_choice_path(db_path);
  g_autoptr(GKeyFile) file = g_key_file_new();
  g_autoptr(GError) error = NULL;
  if (!g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, &error)) {
    if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      g_message("The kiosk's language in %s was not read (%s): the environment's is used", path,
                error->message);
    return;
  }
  g_autofree char *language = g_key_file_get_string(file, GROUP, "language", NULL);
  g_autofree char *keyboard = g_key_file_get_string(file, GROUP, "keyboard", NULL);
  const char *env = g_getenv("LANGUAGE");
  gboolean overridden = env != NULL && *env != '\0';
  if (language != NULL && !overridden)
    muster_kiosk_i18n_set_language(language);
  muster_kiosk_keyboard_choose_layout(keyboard);
  g_message("Language %s%s and keyboard %s, as chosen at first boot (%s)",
            language != NULL ? language : "?", overridden ? " (overridden by LANGUAGE)" : "",
            keyboard != NULL ? keyboard : "?", path);
}
