/*
 * keymap.c: boot-keyboard reports → scan bytes (see keymap.h).
 *
 * The US layout is two strings indexed by usage (unshifted, shifted), not a switch: the
 * table is the layout, and reads as one. A key counts on the report where it first
 * appears, so the decoder keeps the previous report's keys; Alt+keypad codes accumulate
 * while Alt is held and become a byte when it is released.
 */
#include "drivers/usbhid/keymap.h"
#include "core/closed-list.h"
#include "core/muster-error.h"

#include <string.h>

#define MOD_CTRL (0x01 | 0x10)
#define MOD_SHIFT (0x02 | 0x20)
#define MOD_ALT (0x04 | 0x40)

#define USAGE_FIRST 0x04 /* a */
#define USAGE_ENTER 0x28
#define USAGE_TAB 0x2B
#define USAGE_6 0x23
#define USAGE_KP_FIRST 0x54 /* keypad / */
#define USAGE_KP_ENTER 0x58
#define USAGE_KP_1 0x59
#define USAGE_KP_0 0x62
#define USAGE_KP_LAST 0x63 /* keypad . */

/* Usages 0x04..0x38 on a US keyboard; '\0' = types nothing (Backspace). Enter '\r',
 * Escape 0x1B, Tab '\t'. 0x32 (non-US # ~) types what a US host makes of it. */
static const char us_plain[] = "abcdefghijklmnopqrstuvwxyz"
                               "1234567890"
                               "\r\x1b\0\t "
                               "-=[]\\#;'`,./";
static const char us_shift[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "!@#$%^&*()"
                               "\r\x1b\0\t "
                               "_+{}|~:\"~<>?";
G_STATIC_ASSERT(sizeof(us_plain) - 1 == 0x38 - USAGE_FIRST + 1);
G_STATIC_ASSERT(sizeof(us_shift) == sizeof(us_plain));

/* Keypad 0x54..0x63 with Num Lock on, as scanners send it. */
static const char keypad[] = "/*-+\r1234567890.";
G_STATIC_ASSERT(sizeof(keypad) - 1 == USAGE_KP_LAST - USAGE_KP_FIRST + 1);

struct _MusterKeyboardDecoder {
  MusterScanSuffix suffix;
  guint8 held[6];   /* keys of the previous report */
  GByteArray *scan; /* bytes of the scan in progress */
  gboolean alt_held;
  guint alt_code; /* decimal code typed on the keypad while Alt is held */
  guint alt_digits;
};

/* The suffixes by name, as readers.conf and scanners.conf write them (in any case). */
static const char *const suffix_names[] = {
    [MUSTER_SCAN_SUFFIX_ENTER] = "enter",
    [MUSTER_SCAN_SUFFIX_TAB] = "tab",
};
static const MusterClosedList suffix_list = MUSTER_CLOSED_LIST(suffix_names);

gboolean
muster_scan_suffix_from_string(const char *s, MusterScanSuffix *out)
{
  g_autofree char *lower = s != NULL ? g_ascii_strdown(s, -1) : NULL;
  int i = muster_closed_list_find(&suffix_list, lower);
  if (i < 0)
    return FALSE;
  *out = (MusterScanSuffix)i;
  return TRUE;
}

const char *
muster_scan_suffix_to_string(MusterScanSuffix suffix)
{
  return muster_closed_list_name(&suffix_list, suffix);
}

/* The ASCII control convention: Ctrl+@..Ctrl+_ and Ctrl+letter give 0x00..0x1F; Ctrl+6
 * gives RS as on terminals. -1 when Ctrl+key has no control character. */
static int
control_char(guint8 usage, int c)
{
  if (c == '\r' || c == '\t')
    return c;
  if (usage == USAGE_6)
    return 0x1E;
  if ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z'))
    return c & 0x1F;
  return -1;
}

int
muster_keymap_char(guint8 usage, guint8 modifiers)
{
  int c;
  if (usage >= USAGE_FIRST && usage < USAGE_FIRST + sizeof(us_plain) - 1)
    c = (modifiers & MOD_SHIFT) ? us_shift[usage - USAGE_FIRST] : us_plain[usage - USAGE_FIRST];
  else if (usage >= USAGE_KP_FIRST && usage <= USAGE_KP_LAST)
    c = keypad[usage - USAGE_KP_FIRST];
  else
    return -1;
  if (c == '\0')
    return -1;
  if (modifiers & MOD_CTRL)
    return control_char(usage, c);
  return c;
}

MusterKeyboardDecoder *
muster_keyboard_decoder_new(MusterScanSuffix suffix)
{
  MusterKeyboardDecoder *decoder = g_new0(MusterKeyboardDecoder, 1);
  decoder->suffix = suffix;
  decoder->scan = g_byte_array_new();
  return decoder;
}

void
muster_keyboard_decoder_free(MusterKeyboardDecoder *decoder)
{
  if (decoder == NULL)
    return;
  g_byte_array_unref(decoder->scan);
  g_free(decoder);
}

void
muster_keyboard_decoder_reset(MusterKeyboardDecoder *decoder)
{
  g_byte_array_set_size(decoder->scan, 0);
  memset(decoder->held, 0, sizeof decoder->held);
  decoder->alt_held = FALSE;
  decoder->alt_code = 0;
  decoder->alt_digits = 0;
}

gsize
muster_keyboard_decoder_pending(const MusterKeyboardDecoder *decoder)
{
  return decoder->scan->len;
}

GBytes *
muster_keyboard_decoder_take_scan(MusterKeyboardDecoder *decoder)
{
  GBytes *bytes = g_bytes_new(decoder->scan->data, decoder->scan->len);
  g_byte_array_set_size(decoder->scan, 0);
  return bytes;
}

static gboolean
was_held(const MusterKeyboardDecoder *decoder, guint8 usage)
{
  return memchr(decoder->held, usage, sizeof decoder->held) != NULL;
}

/* Rejects the reports a keyboard sends when it cannot say which keys are down. */
static gboolean
check_report(const guint8 *report, gsize len, GError **error)
{
  if (len != MUSTER_BOOT_REPORT_SIZE) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "a keyboard report of %" G_GSIZE_FORMAT " bytes (a boot keyboard sends %d)", len,
                MUSTER_BOOT_REPORT_SIZE);
    return FALSE;
  }
  for (gsize i = 2; i < len; i++) {
    if (report[i] >= 0x01 && report[i] <= 0x03) {
      static const char *const what[] = {"rollover error", "POST failure", "undefined error"};
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "a keyboard %s report (key code 0x%02x)", what[report[i] - 1], report[i]);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
append(MusterKeyboardDecoder *decoder, guint8 byte, GError **error)
{
  if (decoder->scan->len >= MUSTER_HID_MAX_SCAN) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "a scan longer than %d characters without its suffix (a stuck key?); discarded",
                MUSTER_HID_MAX_SCAN);
    g_byte_array_set_size(decoder->scan, 0);
    return FALSE;
  }
  g_byte_array_append(decoder->scan, &byte, 1);
  return TRUE;
}

/* Alt released: the keypad code typed becomes one byte. */
static gboolean
finish_alt_code(MusterKeyboardDecoder *decoder, GError **error)
{
  guint code = decoder->alt_code;
  gboolean typed = decoder->alt_digits > 0;
  decoder->alt_code = 0;
  decoder->alt_digits = 0;
  if (!typed)
    return TRUE;
  if (code == 0 || code > 255) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Alt+%u on the keypad is not a character code (1 to 255); ignored", code);
    return FALSE;
  }
  return append(decoder, (guint8)code, error);
}

/* One newly pressed key. Sets *done when it is the suffix. */
static gboolean
press(MusterKeyboardDecoder *decoder, guint8 usage, guint8 modifiers, gboolean *done,
      GError **error)
{
  if ((modifiers & MOD_ALT) && usage >= USAGE_KP_1 && usage <= USAGE_KP_0) {
    guint digit = usage == USAGE_KP_0 ? 0 : usage - USAGE_KP_1 + 1;
    decoder->alt_code = MIN(decoder->alt_code * 10 + digit, 10000u);
    decoder->alt_digits++;
    return TRUE;
  }
  int c = muster_keymap_char(usage, modifiers);
  if (c <= 0)
    return TRUE; /* a key that types nothing (or NUL, which is no data) */
  gboolean plain = (modifiers & (MOD_CTRL | MOD_ALT)) == 0;
  int suffix = decoder->suffix == MUSTER_SCAN_SUFFIX_TAB ? '\t' : '\r';
  if (plain && c == suffix &&
      (usage == USAGE_ENTER || usage == USAGE_TAB || usage == USAGE_KP_ENTER)) {
    *done = TRUE;
    return TRUE;
  }
  return append(decoder, (guint8)c, error);
}

MusterHidFeed
muster_keyboard_decoder_feed(MusterKeyboardDecoder *decoder, const guint8 *report, gsize len,
                             GError **error)
{
  if (!check_report(report, len, error))
    return MUSTER_HID_FEED_MALFORMED;
  guint8 modifiers = report[0];
  const guint8 *keys = report + 2;
  gboolean ok = TRUE;
  gboolean alt = (modifiers & MOD_ALT) != 0;
  if (decoder->alt_held && !alt)
    ok = finish_alt_code(decoder, error);
  decoder->alt_held = alt;

  gboolean done = FALSE;
  for (int i = 0; i < 6 && !done; i++) {
    if (keys[i] == 0 || was_held(decoder, keys[i]))
      continue;
    /* Keep the first error; a later key may still complete the scan. */
    if (!press(decoder, keys[i], modifiers, &done, ok ? error : NULL))
      ok = FALSE;
  }
  memcpy(decoder->held, keys, sizeof decoder->held);
  if (done) {
    g_clear_error(error);
    return MUSTER_HID_FEED_SCAN;
  }
  return ok ? MUSTER_HID_FEED_MORE : MUSTER_HID_FEED_MALFORMED;
}
