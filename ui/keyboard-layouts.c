/*
 * keyboard-layouts.c: the layouts (see keyboard-layouts.h).
 *
 * Each row is laid out as on the physical keyboard of that language: English QWERTY,
 * German QWERTZ (ß beside the digits, Ü Ö Ä where they sit on a German keyboard), and
 * the Arabic 101 layout (ذ left of the digits, the hamza forms on shift). Digits are
 * the Western ones everywhere, as on an Arabic keyboard: markings use them. Hyphen,
 * slash and dot sit on the bottom row of every layout because markings contain them,
 * and the comma because reasons and notes do.
 */
#include "ui/keyboard-layouts.h"

#include <string.h>

static const MusterKioskKeyboardLayout layouts[] = {
    {
        .id = "en",
        .name = "English",
        .label = "ABC",
        .latin = TRUE,
        .rows =
            {
                "1 2 3 4 5 6 7 8 9 0 @backspace",
                "q w e r t y u i o p",
                "a s d f g h j k l @enter",
                "@shift z x c v b n m",
                "@switch - / @space , . @hide",
            },
    },
    {
        .id = "de",
        .name = "Deutsch",
        .label = "ABC",
        .latin = TRUE,
        .rows =
            {
                "1 2 3 4 5 6 7 8 9 0 ß @backspace",
                "q w e r t z u i o p ü",
                "a s d f g h j k l ö ä @enter",
                "@shift y x c v b n m",
                "@switch - / @space , . @hide",
            },
    },
    {
        .id = "ar",
        .name = "العربية",
        .label = "أبج",
        .latin = FALSE,
        .rows =
            {
                "ذ 1 2 3 4 5 6 7 8 9 0 @backspace",
                "ض ص ث ق ف غ ع ه خ ح ج د",
                "ش س ي ب ل ا ت ن م ك ط @enter",
                "@shift ئ ء ؤ ر لا ى ة و ز ظ",
                "@switch - / @space , . @hide",
            },
        /* Arabic 101's shift layer, for what a name or a reason needs: hamza forms,
         * lam-alef with hamza, Arabic comma, semicolon and question mark, harakat. */
        .shifted = "ا أ غ إ ى آ ل لأ ف لإ لا لآ ن ، ح ؛ ظ ؟ "
                   /* shadda, fatha, fathatan, damma, dammatan, kasra, kasratan, sukun */
                   "ذ \u0651 ض \u064E ص \u064B ث \u064F ق \u064C ش \u0650 س \u064D ء \u0652",
    },
};

const MusterKioskKeyboardLayout *
muster_kiosk_keyboard_layout_find(const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS(layouts); i++)
    if (g_str_equal(layouts[i].id, id))
      return &layouts[i];
  return NULL;
}

/* The text after `key` in the layout's "key shifted" pairs, or NULL. */
static char *
shifted_from_table(const MusterKioskKeyboardLayout *layout, const char *key)
{
  if (layout->shifted == NULL)
    return NULL;
  g_auto(GStrv) words = g_strsplit(layout->shifted, " ", -1);
  for (guint i = 0; words[i] != NULL && words[i + 1] != NULL; i += 2)
    if (g_str_equal(words[i], key))
      return g_strdup(words[i + 1]);
  return NULL;
}

char *
muster_kiosk_keyboard_layout_shift(const MusterKioskKeyboardLayout *layout, const char *key)
{
  char *shifted = shifted_from_table(layout, key);
  if (shifted != NULL)
    return shifted;
  /* One character: its upper case (ß has none of its own and stays ß). */
  if (g_utf8_strlen(key, -1) == 1) {
    char buf[8] = {0};
    g_unichar_to_utf8(g_unichar_toupper(g_utf8_get_char(key)), buf);
    return g_strdup(buf);
  }
  return g_strdup(key);
}
