/*
 * test-usbhid-decode.c: the USB scanner decoders and scanner table on their own (no
 * device): key codes → characters in the scanner's US layout, control characters,
 * suffixes, HID POS reports and their continuation, scanners.conf parsing, the
 * readers-file driver, and the scan both protocols make of the same symbol (one meaning,
 * docs/scan-data.md).
 */
#include "drivers/manager.h"
#include "drivers/usbhid/hid-scan.h"
#include "drivers/usbhid/hidpos.h"
#include "drivers/usbhid/keymap.h"
#include "drivers/usbhid/scanner-table.h"
#include "drivers/usbhid/usbhid-reader.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define SHIFT 0x02
#define CTRL 0x01
#define ALT 0x04

static void
test_us_layout(void)
{
  g_assert_cmpint(muster_keymap_char(0x04, 0), ==, 'a');
  g_assert_cmpint(muster_keymap_char(0x04, SHIFT), ==, 'A');
  g_assert_cmpint(muster_keymap_char(0x04, 0x20), ==, 'A'); /* right shift */
  g_assert_cmpint(muster_keymap_char(0x1E, 0), ==, '1');
  g_assert_cmpint(muster_keymap_char(0x1E, SHIFT), ==, '!');
  g_assert_cmpint(muster_keymap_char(0x27, 0), ==, '0');
  g_assert_cmpint(muster_keymap_char(0x2D, 0), ==, '-');
  g_assert_cmpint(muster_keymap_char(0x2D, SHIFT), ==, '_');
  g_assert_cmpint(muster_keymap_char(0x38, SHIFT), ==, '?');
  g_assert_cmpint(muster_keymap_char(0x2C, 0), ==, ' ');
  g_assert_cmpint(muster_keymap_char(0x28, 0), ==, '\r');
  g_assert_cmpint(muster_keymap_char(0x2B, 0), ==, '\t');
  g_assert_cmpint(muster_keymap_char(0x62, 0), ==, '0'); /* keypad 0 */
  g_assert_cmpint(muster_keymap_char(0x59, 0), ==, '1');
  g_assert_cmpint(muster_keymap_char(0x63, 0), ==, '.');
  g_assert_cmpint(muster_keymap_char(0x2A, 0), ==, -1); /* backspace */
  g_assert_cmpint(muster_keymap_char(0x3A, 0), ==, -1); /* F1 */
  g_assert_cmpint(muster_keymap_char(0xE1, 0), ==, -1); /* a modifier as a key */
  g_assert_cmpint(muster_keymap_char(0x00, 0), ==, -1);
}

static void
test_control_characters(void)
{
  g_assert_cmpint(muster_keymap_char(0x30, CTRL), ==, 0x1D);         /* Ctrl+] = GS */
  g_assert_cmpint(muster_keymap_char(0x30, 0x10), ==, 0x1D);         /* right Ctrl */
  g_assert_cmpint(muster_keymap_char(0x23, CTRL | SHIFT), ==, 0x1E); /* Ctrl+^ = RS */
  g_assert_cmpint(muster_keymap_char(0x23, CTRL), ==, 0x1E);         /* Ctrl+6 = RS */
  g_assert_cmpint(muster_keymap_char(0x07, CTRL), ==, 0x04);         /* Ctrl+D = EOT */
  g_assert_cmpint(muster_keymap_char(0x2D, CTRL | SHIFT), ==, 0x1F); /* Ctrl+_ = US */
  g_assert_cmpint(muster_keymap_char(0x1F, CTRL), ==, -1);           /* Ctrl+2: none */
}

/* Feeds reports given as 16 hex digits each; returns the completed scans joined by '|'. */
static char *
feed_all(MusterScanSuffix suffix, const char *const *reports, guint *n_malformed)
{
  g_autoptr(MusterKeyboardDecoder) decoder = muster_keyboard_decoder_new(suffix);
  g_autoptr(GString) out = g_string_new(NULL);
  *n_malformed = 0;
  for (gsize i = 0; reports[i] != NULL; i++) {
    guint8 report[16];
    gsize len = strlen(reports[i]) / 2;
    for (gsize j = 0; j < len; j++)
      report[j] =
          (guint8)g_ascii_strtoull((char[]){reports[i][2 * j], reports[i][2 * j + 1], 0}, NULL, 16);
    g_autoptr(GError) error = NULL;
    MusterHidFeed feed = muster_keyboard_decoder_feed(decoder, report, len, &error);
    if (feed == MUSTER_HID_FEED_MALFORMED) {
      g_assert_nonnull(error);
      (*n_malformed)++;
    } else {
      g_assert_no_error(error);
    }
    if (feed == MUSTER_HID_FEED_SCAN) {
      g_autoptr(GBytes) scan = muster_keyboard_decoder_take_scan(decoder);
      gsize n = 0;
      const char *data = g_bytes_get_data(scan, &n);
      g_string_append_len(out, data, (gssize)n);
      g_string_append_c(out, '|');
    }
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
test_repeat_and_rollover(void)
{
  /* "aab": a held key repeated by the idle rate counts once; a release separates the two
   * a's; b pressed while a is still held counts. A rollover report changes nothing. */
  const char *const reports[] = {
      "0000040000000000", "0000040000000000", "0000000000000000", "0000040000000000",
      "0000010101010101", "0000040500000000", "0000280000000000", NULL,
  };
  guint malformed;
  g_autofree char *out = feed_all(MUSTER_SCAN_SUFFIX_ENTER, reports, &malformed);
  g_assert_cmpstr(out, ==, "aab|");
  g_assert_cmpuint(malformed, ==, 1);
}

static void
test_tab_suffix(void)
{
  /* With a Tab suffix, Enter is data (CR) and keypad Enter too; Tab ends the scan. */
  const char *const reports[] = {"0000040000000000", "0000280000000000", "0000580000000000",
                                 "00002B0000000000", NULL};
  guint malformed;
  g_autofree char *out = feed_all(MUSTER_SCAN_SUFFIX_TAB, reports, &malformed);
  g_assert_cmpstr(out, ==, "a\r\r|");
  g_assert_cmpuint(malformed, ==, 0);
}

static void
test_alt_codes(void)
{
  /* Alt+0,2,9 → GS; Alt+3,0 → RS; Alt alone types nothing; Alt+300 is refused. */
  const char *const reports[] = {
      "0400620000000000", "0400000000000000", "04005A0000000000",
      "0400000000000000", "0400610000000000", "0000000000000000",
      "04005B0000000000", "0400620000000000", "0000000000000000",
      "0400000000000000", "0000000000000000", "04005B0000000000",
      "0400620000000000", "0400000000000000", "0400620000000000",
      "0000000000000000", "0000580000000000", NULL,
  };
  guint malformed;
  g_autofree char *out = feed_all(MUSTER_SCAN_SUFFIX_ENTER, reports, &malformed);
  g_assert_cmpstr(out, ==, "\x1d\x1e|");
  g_assert_cmpuint(malformed, ==, 1);
}

static void
test_overlong_scan(void)
{
  g_autoptr(MusterKeyboardDecoder) decoder = muster_keyboard_decoder_new(MUSTER_SCAN_SUFFIX_ENTER);
  /* a, b, a, b ... never Enter: each report types one character. */
  guint8 reports[2][8] = {{0, 0, 0x04}, {0, 0, 0x05}};
  MusterHidFeed last = MUSTER_HID_FEED_MORE;
  for (int i = 0; i <= MUSTER_HID_MAX_SCAN && last != MUSTER_HID_FEED_MALFORMED; i++)
    last = muster_keyboard_decoder_feed(decoder, reports[i % 2], 8, NULL);
  g_assert_cmpint(last, ==, MUSTER_HID_FEED_MALFORMED);
  g_assert_cmpuint(muster_keyboard_decoder_pending(decoder), ==, 0);
}

static void
test_wrong_length(void)
{
  g_autoptr(MusterKeyboardDecoder) decoder = muster_keyboard_decoder_new(MUSTER_SCAN_SUFFIX_ENTER);
  guint8 report[9] = {0, 0, 0x04};
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(muster_keyboard_decoder_feed(decoder, report, 9, &error), ==,
                  MUSTER_HID_FEED_MALFORMED);
  g_assert_nonnull(strstr(error->message, "9 bytes"));
  g_clear_error(&error);
  g_assert_cmpint(muster_keyboard_decoder_feed(decoder, report, 0, &error), ==,
                  MUSTER_HID_FEED_MALFORMED);
  g_assert_cmpuint(muster_keyboard_decoder_pending(decoder), ==, 0);
}

static void
test_symbologies(void)
{
  g_assert_cmpstr(muster_hidpos_symbology((const guint8 *)"]C0"), ==, "code128");
  g_assert_cmpstr(muster_hidpos_symbology((const guint8 *)"]C1"), ==, "gs1-128");
  g_assert_cmpstr(muster_hidpos_symbology((const guint8 *)"]d1"), ==, "datamatrix");
  g_assert_cmpstr(muster_hidpos_symbology((const guint8 *)"]d2"), ==, "gs1-datamatrix");
  g_assert_cmpstr(muster_hidpos_symbology((const guint8 *)"]Q1"), ==, "qrcode");
  g_assert_cmpstr(muster_hidpos_symbology((const guint8 *)"]E0"), ==, "ean13");
  g_assert_cmpstr(muster_hidpos_symbology((const guint8 *)"]E4"), ==, "ean8");
  g_assert_null(muster_hidpos_symbology((const guint8 *)"]X0"));
  g_assert_null(muster_hidpos_symbology((const guint8 *)"\0\0\0"));
}

static gsize
pos_report(guint8 *report, gsize size, const char *aim, const char *data, gboolean continued)
{
  memset(report, 0, size);
  gsize n = strlen(data);
  report[0] = MUSTER_HIDPOS_SCANNED_DATA_REPORT;
  report[1] = (guint8)n;
  memcpy(report + 2, aim, 3);
  memcpy(report + 5, data, n);
  report[size - 1] = continued ? 1 : 0;
  return size;
}

static void
test_hidpos_continued(void)
{
  g_autoptr(MusterHidPosDecoder) decoder = muster_hidpos_decoder_new();
  guint8 report[16]; /* a small endpoint: 10 data bytes per report */
  g_autoptr(GError) error = NULL;
  pos_report(report, sizeof report, "]C0", "0123456789", TRUE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_MORE);
  g_assert_cmpuint(muster_hidpos_decoder_pending(decoder), ==, 10);
  pos_report(report, sizeof report, "]C0", "AB\x1d", FALSE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_SCAN);
  g_assert_no_error(error);
  const char *symbology = NULL;
  g_autoptr(GBytes) scan = muster_hidpos_decoder_take_scan(decoder, &symbology, NULL);
  gsize n = 0;
  const void *data = g_bytes_get_data(scan, &n);
  g_assert_cmpmem(data, n, "0123456789AB\x1d", 13);
  g_assert_cmpstr(symbology, ==, "code128");
  g_assert_cmpuint(muster_hidpos_decoder_pending(decoder), ==, 0);
}

static void
test_hidpos_malformed(void)
{
  g_autoptr(MusterHidPosDecoder) decoder = muster_hidpos_decoder_new();
  guint8 report[16];
  g_autoptr(GError) error = NULL;
  /* Too short, length beyond the data area, empty scan, symbology switch mid-scan. */
  pos_report(report, sizeof report, "]C0", "", FALSE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, 5, &error), ==,
                  MUSTER_HID_FEED_MALFORMED);
  g_clear_error(&error);
  report[1] = 11;
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_MALFORMED);
  g_assert_nonnull(strstr(error->message, "claiming 11 data bytes in a 10-byte data area"));
  g_clear_error(&error);
  pos_report(report, sizeof report, "]C0", "", FALSE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_MALFORMED);
  g_clear_error(&error);
  pos_report(report, sizeof report, "]C0", "ABC", TRUE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_MORE);
  pos_report(report, sizeof report, "]Q1", "DEF", FALSE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_MALFORMED);
  g_assert_cmpuint(muster_hidpos_decoder_pending(decoder), ==, 0);
  g_clear_error(&error);
  /* Other report IDs are not scans; an empty report is malformed. */
  report[0] = 0x04;
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_MORE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, 0, &error), ==,
                  MUSTER_HID_FEED_MALFORMED);
}

static void
test_table_builtin(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterScannerTable) table = muster_scanner_table_load(NULL, &error);
  g_assert_no_error(error);
  const MusterScannerEntry *zebra = muster_scanner_table_lookup(table, 0x05e0, 0x1200);
  g_assert_nonnull(zebra);
  g_assert_cmpint(zebra->protocol, ==, MUSTER_SCANNER_PROTOCOL_KEYBOARD);
  g_assert_cmpint(zebra->suffix, ==, MUSTER_SCAN_SUFFIX_ENTER);
  g_assert_true(muster_scanner_table_generic_boot_keyboards(table));
  g_assert_null(muster_scanner_table_lookup(table, 0x1234, 0x5678));
}

static void
test_table_override(void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("scanners-XXXXXX.conf", &path, &error);
  g_assert_no_error(error);
  close(fd);
  const char *site =
      "[generic]\nboot-keyboards=false\nsuffix=Tab\n"
      "[05E0:1200]\nprotocol=hidpos\n[0c2e:0b87]\nname=Site scanner\nprotocol=keyboard\n";
  g_assert_true(g_file_set_contents(path, site, -1, &error));
  const char *files[] = {"/nonexistent/scanners.conf", path, NULL};
  g_autoptr(MusterScannerTable) table = muster_scanner_table_load(files, &error);
  g_assert_no_error(error);
  g_assert_cmpint(muster_scanner_table_lookup(table, 0x05e0, 0x1200)->protocol, ==,
                  MUSTER_SCANNER_PROTOCOL_HIDPOS);
  const MusterScannerEntry *site_entry = muster_scanner_table_lookup(table, 0x0c2e, 0x0b87);
  g_assert_cmpstr(site_entry->name, ==, "Site scanner");
  g_assert_cmpint(site_entry->suffix, ==, MUSTER_SCAN_SUFFIX_TAB);
  g_assert_false(muster_scanner_table_generic_boot_keyboards(table));
  /* Names round-trip through the lists the configuration files are read with. */
  g_assert_cmpstr(muster_scan_suffix_to_string(site_entry->suffix), ==, "tab");
  g_assert_cmpstr(muster_scanner_protocol_to_string(MUSTER_SCANNER_PROTOCOL_HIDPOS), ==, "hidpos");
  g_assert_cmpstr(muster_scanner_protocol_to_string(MUSTER_SCANNER_PROTOCOL_KEYBOARD), ==,
                  "keyboard");
  g_unlink(path);
}

static void
test_usb_ids(void)
{
  guint16 vid = 0, pid = 0;
  g_assert_true(muster_usb_ids_parse("05e0:1200", &vid, &pid));
  g_assert_cmphex(vid, ==, 0x05e0);
  g_assert_cmphex(pid, ==, 0x1200);
  g_assert_true(muster_usb_ids_parse("0C2E:FFF0", &vid, &pid));
  g_assert_cmphex(pid, ==, 0xfff0);
  const char *bad[] = {" 5e0:1200", "05e0-1200", "0x5e:1200", "05e0:12000", "5e0:1200", "", NULL};
  for (int i = 0; bad[i] != NULL; i++)
    g_assert_false(muster_usb_ids_parse(bad[i], &vid, &pid));
  g_assert_false(muster_usb_ids_parse(NULL, &vid, &pid));
}

static void
assert_table_error(const char *text, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterScannerTable) table =
      muster_scanner_table_new_from_data(text, strlen(text), "test.conf", &error);
  g_assert_null(table);
  g_assert_nonnull(error);
  if (strstr(error->message, fragment) == NULL || strstr(error->message, "test.conf") == NULL)
    g_error("'%s' does not name test.conf and '%s'", error->message, fragment);
}

static void
test_table_errors(void)
{
  assert_table_error("[zebra]\nprotocol=keyboard\n", "[zebra]");
  assert_table_error("[05e0:12000]\nprotocol=keyboard\n", "VVVV:PPPP");
  assert_table_error("[05e0:1200]\nprotocol=serial\n", "protocol=serial");
  /* The refusal names every protocol there is, from the driver's list of them. */
  assert_table_error("[05e0:1200]\nprotocol=serial\n", "use keyboard or hidpos");
  assert_table_error("[05e0:1200]\n", "(missing)");
  assert_table_error("[05e0:1200]\nprotocol=keyboard\nsuffix=space\n", "suffix=space");
  assert_table_error("[generic]\nboot-keyboards=maybe\n", "boot-keyboards");
  assert_table_error("not a key file", "test.conf");
}

extern const MusterReaderDriver muster_usbhid_driver;

/* [reader NAME] kind=usb-hid groups: one reader each, named after the group; a match
 * that is no VVVV:PPPP is refused with the key in the message. */
static void
test_readers_file(void)
{
  const char *text = "[reader desk]\nkind=usb-hid\nmatch=05e0:1200\n"
                     "[reader any]\nkind=usb-hid\n"
                     "[reader bad]\nkind=usb-hid\nmatch=zebra\n";
  g_autoptr(GKeyFile) file = g_key_file_new();
  g_autoptr(GError) error = NULL;
  g_assert_true(g_key_file_load_from_data(file, text, -1, G_KEY_FILE_NONE, &error));
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func(g_object_unref);
  g_assert_cmpstr(muster_usbhid_driver.kind, ==, "usb-hid");
  g_assert_true(muster_usbhid_driver.create("desk", file, "reader desk", readers, &error));
  g_assert_true(muster_usbhid_driver.create("any", file, "reader any", readers, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(readers->len, ==, 2);
  g_assert_cmpstr(muster_reader_get_id(g_ptr_array_index(readers, 0)), ==, "usb-hid:desk");
  g_assert_cmpstr(muster_reader_get_kind(g_ptr_array_index(readers, 1)), ==, "usb-hid");
  g_assert_false(muster_usbhid_driver.create("bad", file, "reader bad", readers, &error));
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "match=zebra"));
  g_assert_cmpuint(readers->len, ==, 2);

  g_autoptr(GPtrArray) defaults = g_ptr_array_new_with_free_func(g_object_unref);
  g_assert_true(muster_usbhid_driver.create_default(defaults, NULL));
  g_assert_cmpuint(defaults->len, ==, 1);
  g_assert_cmpstr(muster_reader_get_id(g_ptr_array_index(defaults, 0)), ==, "usb-hid:any");
}

/* The usage and modifiers a US keyboard types c with (Ctrl for control characters, as
 * scanners send GS: Ctrl+]). */
static void
key_for(char c, guint8 *usage, guint8 *modifiers)
{
  static const guint8 mods[] = {0, SHIFT, CTRL};
  for (guint m = 0; m < G_N_ELEMENTS(mods); m++)
    for (guint u = 0x04; u <= 0x38; u++)
      if (muster_keymap_char((guint8)u, mods[m]) == (guchar)c) {
        *usage = (guint8)u;
        *modifiers = mods[m];
        return;
      }
  g_error("no key types 0x%02X", (guchar)c);
}

static void
press(MusterKeyboardDecoder *decoder, guint8 usage, guint8 modifiers, MusterHidFeed want)
{
  guint8 down[MUSTER_BOOT_REPORT_SIZE] = {modifiers, 0, usage};
  guint8 up[MUSTER_BOOT_REPORT_SIZE] = {0};
  g_autoptr(GError) error = NULL;
  g_assert_cmpint(muster_keyboard_decoder_feed(decoder, down, sizeof down, &error), ==, want);
  g_assert_cmpint(muster_keyboard_decoder_feed(decoder, up, sizeof up, &error), ==,
                  MUSTER_HID_FEED_MORE);
  g_assert_no_error(error);
}

/* What a keyboard-wedge scanner set to send AIM identifiers makes of data. */
static MusterScan *
wedge_scan(const char *data, gsize n)
{
  g_autoptr(MusterKeyboardDecoder) decoder = muster_keyboard_decoder_new(MUSTER_SCAN_SUFFIX_ENTER);
  for (gsize i = 0; i < n; i++) {
    guint8 usage = 0, modifiers = 0;
    key_for(data[i], &usage, &modifiers);
    press(decoder, usage, modifiers, MUSTER_HID_FEED_MORE);
  }
  press(decoder, 0x28, 0, MUSTER_HID_FEED_SCAN); /* Enter */
  g_autoptr(GBytes) bytes = muster_keyboard_decoder_take_scan(decoder);
  return muster_hid_scan_new(bytes, NULL);
}

/* What a HID POS scanner makes of data with these identifier bytes, in one report. */
static MusterScan *
hidpos_scan(const char *aim, const char *data)
{
  g_autoptr(MusterHidPosDecoder) decoder = muster_hidpos_decoder_new();
  guint8 report[64];
  g_autoptr(GError) error = NULL;
  pos_report(report, sizeof report, aim, data, FALSE);
  g_assert_cmpint(muster_hidpos_decoder_feed(decoder, report, sizeof report, &error), ==,
                  MUSTER_HID_FEED_SCAN);
  guint8 sent[3];
  g_autoptr(GBytes) bytes = muster_hidpos_decoder_take_scan(decoder, NULL, sent);
  g_assert_cmpmem(sent, 3, aim, 3);
  return muster_hid_scan_new(bytes, sent);
}

static void
assert_scan_raw(const MusterScan *scan, const char *raw)
{
  gsize n = 0;
  const void *data = g_bytes_get_data(scan->raw, &n);
  g_assert_cmpmem(data, n, raw, strlen(raw));
}

/* A GS1 Data Matrix (GTIN, lot, GS, serial) from a HID POS scanner and from a wedge
 * scanner typing "]d2" and Ctrl+] for GS: the same scan, a GS1 UII. */
static void
test_one_meaning(void)
{
  const char data[] = "0109506000134352" "10LOT7\x1d" "21ABC123";
  g_autoptr(MusterScan) pos = hidpos_scan("]d2", data);
  g_autofree char *typed = g_strconcat("]d2", data, NULL);
  g_autoptr(MusterScan) wedge = wedge_scan(typed, strlen(typed));
  const MusterScan *both[] = {pos, wedge};
  for (guint i = 0; i < G_N_ELEMENTS(both); i++) {
    const MusterScan *scan = both[i];
    assert_scan_raw(scan, typed);
    g_assert_cmpstr(scan->text, ==, data);
    g_assert_cmpstr(scan->symbology, ==, "gs1-datamatrix");
    g_assert_cmpstr(scan->payload_format, ==, "gs1");
    g_assert_cmpstr(scan->marking_kind, ==, "datamatrix_uii");
    g_assert_cmpstr(scan->marking_value, ==, "09506000134352ABC123");
    g_assert_cmpstr(g_hash_table_lookup(scan->fields, "10"), ==, "LOT7");
    g_assert_null(scan->problem);
  }
}

/* GS1 data that GS1's engine refuses is kept, with the engine's reason, unmarked. */
static void
test_hidpos_gs1_refused(void)
{
  g_autoptr(MusterScan) scan = hidpos_scan("]d2", "0109506000134353" "21ABC123");
  assert_scan_raw(scan, "]d20109506000134353" "21ABC123");
  g_assert_null(scan->marking_value);
  g_assert_cmpstr(scan->payload_format, ==, "gs1");
  g_assert_nonnull(strstr(scan->problem, "GS1 data failed GS1's checks: AI (01)"));
}

/* Identifiers Muster cannot read are kept and said, never taken as data. */
static void
test_hidpos_odd_identifiers(void)
{
  g_autoptr(MusterScan) unknown = hidpos_scan("]w1", "GL-1");
  assert_scan_raw(unknown, "]w1GL-1");
  g_assert_null(unknown->marking_value);
  g_assert_nonnull(strstr(unknown->problem, "\"]w1\""));

  g_autoptr(MusterScan) odd = hidpos_scan("\x01\x02\x03", "GL-1");
  assert_scan_raw(odd, "GL-1");
  g_assert_nonnull(strstr(odd->problem, "0x01 0x02 0x03, which are not an AIM identifier"));

  g_autoptr(MusterScan) none = hidpos_scan("\0\0\0", "GL-1");
  assert_scan_raw(none, "GL-1");
  g_assert_cmpstr(none->marking_value, ==, "GL-1");
  g_assert_null(none->symbology);
  g_assert_null(none->problem);

  /* EAN-13 keeps its digits as the marking; its check digit is GS1's to judge */
  g_autoptr(MusterScan) ean = hidpos_scan("]E0", "4006381333931");
  g_assert_cmpstr(ean->marking_value, ==, "4006381333931");
  g_assert_cmpstr(ean->symbology, ==, "ean13");
  g_autoptr(MusterScan) bad_ean = wedge_scan("]E04006381333932", 16);
  g_assert_null(bad_ean->marking_value);
  g_assert_nonnull(strstr(bad_ean->problem, "check digit"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/usbhid/keymap/us-layout", test_us_layout);
  g_test_add_func("/usbhid/keymap/control-characters", test_control_characters);
  g_test_add_func("/usbhid/keyboard/repeat-and-rollover", test_repeat_and_rollover);
  g_test_add_func("/usbhid/keyboard/tab-suffix", test_tab_suffix);
  g_test_add_func("/usbhid/keyboard/alt-codes", test_alt_codes);
  g_test_add_func("/usbhid/keyboard/overlong-scan", test_overlong_scan);
  g_test_add_func("/usbhid/keyboard/wrong-length", test_wrong_length);
  g_test_add_func("/usbhid/hidpos/symbologies", test_symbologies);
  g_test_add_func("/usbhid/hidpos/continued", test_hidpos_continued);
  g_test_add_func("/usbhid/hidpos/malformed", test_hidpos_malformed);
  g_test_add_func("/usbhid/scan/one-meaning", test_one_meaning);
  g_test_add_func("/usbhid/scan/gs1-refused", test_hidpos_gs1_refused);
  g_test_add_func("/usbhid/scan/odd-identifiers", test_hidpos_odd_identifiers);
  g_test_add_func("/usbhid/table/builtin", test_table_builtin);
  g_test_add_func("/usbhid/table/override", test_table_override);
  g_test_add_func("/usbhid/table/errors", test_table_errors);
  g_test_add_func("/usbhid/table/usb-ids", test_usb_ids);
  g_test_add_func("/usbhid/driver/readers-file", test_readers_file);
  return g_test_run();
}
