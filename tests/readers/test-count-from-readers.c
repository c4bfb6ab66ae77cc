/*
 * test-count-from-readers.c: a stock count fed by emulated readers ends with the right
 * reconciliation.
 *
 * An NFC reader (libnfc's pn532_uart driver on the PN532 emulator's pty) and a USB
 * keyboard-wedge scanner (libusb on umockdev, the scanner emulated in code) run at once
 * under one reader manager, feeding a live count of rack R1. The armourer taps a genuine
 * tag, a cloned tag, scans serial barcodes (one twice, one of an issued weapon, one no
 * record knows) and leaves one weapon unscanned. After close and reconcile the count must
 * show exactly: the clone as not genuine, the issued weapon as a status conflict, the
 * stranger as an unknown marking, the unscanned weapon as missing (and the weapon the
 * clone claims to be, which nothing genuine showed); every scan stored, with the reader
 * that read it, before it was reported.
 *
 * The same emulated NFC reader also carries badges (test_badge_taps): a genuine card
 * names its holder or signs in, a copy of it is refused.
 */
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <string.h>
#include <umockdev.h>
#include <unistd.h>

#include "db/badges.h"
#include "db/counts.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "db/settings.h"
#include "drivers/nfc/nfc-reader.h"
#include "drivers/usbhid/usbhid-reader.h"
#include "live/live-count.h"
#include "pn532-emu.h"
#include "scanner-emulator.h"
#include "test-util.h"
#include "umockdev-preload.h"

static const guint8 uid_genuine[7] = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0x01};
static const guint8 uid_cloned[7] = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0x03};

typedef struct {
  TestDb db;
  gint64 count_id;
  Pn532Emu *emu;
  gpointer key;       /* EVP_PKEY the NFC reader trusts */
  gpointer rogue_key; /* a cloner's */
  char *link_dir;     /* holds link, a symlink to the emulator's pty */
  char *link;
  UMockdevTestbed *testbed;
  ScannerEmulator *scanner;
  MusterReaderManager *manager;
  MusterLiveCount *live;
  GPtrArray *results; /* char*: "outcome marking reader-kind" */
  GPtrArray *badges;  /* char*: what each card tap did as a badge (test_badge_taps) */
} Fixture;

static void
on_result(MusterLiveCount *live, const MusterIngestResult *r, Fixture *f)
{
  (void)live;
  g_autofree char *sql =
      g_strdup_printf("SELECT reader FROM scan WHERE id = %" G_GINT64_FORMAT, r->scan_id);
  g_autofree char *reader = test_sql_text(&f->db, sql); /* committed before reported */
  g_ptr_array_add(f->results, g_strdup_printf("%s %s %s", muster_outcome_to_string(r->outcome),
                                              r->marking_value, reader));
}

static void
import_register(Fixture *f)
{
  const char *csv =
      "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location,"
      "markings\n"
      "Glock,AT,GLK-1001,G17,pistol,9x19,in_store,R1/A/01,hf_uid:frame:04A1B2C3D4E501\n"
      "Glock,AT,GLK-1002,G17,pistol,9x19,in_store,R1/A/02,\n"
      "Glock,AT,GLK-1003,G19,pistol,9x19,in_store,R1/A/03,hf_uid:frame:04A1B2C3D4E503\n"
      "Glock,AT,GLK-1004,G19,pistol,9x19,in_store,R1/A/04,\n"
      "Glock,AT,GLK-1005,G19,pistol,9x19,issued,R1/A/05,\n";
  MusterImportResult result = {0};
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_items_import_csv(f->db.store, f->db.admin, csv, strlen(csv), &result,
                                        &errors, &error));
  g_assert_no_error(error);
}

static MusterReader *
nfc_reader(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  f->emu = pn532_emu_new(&error);
  g_assert_no_error(error);
  g_autofree char *public_hex = NULL;
  f->key = pn532_emu_test_key_new(&public_hex);
  g_autofree char *rogue_hex = NULL;
  f->rogue_key = pn532_emu_test_key_new(&rogue_hex);
  /* umockdev redirects every /dev path into its testbed, the emulator's pty too: the
   * reader reaches the pty through a link outside /dev, which the kernel follows. */
  f->link_dir = g_dir_make_tmp("muster-pn532-XXXXXX", &error);
  g_assert_no_error(error);
  f->link = g_build_filename(f->link_dir, "pn532", NULL);
  const char *pty = pn532_emu_get_connstring(f->emu) + strlen("pn532_uart:");
  g_assert_cmpint(symlink(pty, f->link), ==, 0);
  g_autofree char *connstring = g_strdup_printf("pn532_uart:%s", f->link);
  MusterNfcReader *reader = muster_nfc_reader_new(connstring);
  g_assert_true(muster_nfc_reader_add_trusted_key(reader, "test", public_hex, &error));
  return MUSTER_READER(reader);
}

static MusterReader *
usb_reader(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  f->testbed = umockdev_testbed_new();
  f->scanner = scanner_emulator_new(f->testbed, "/dev/bus/usb/001/002", &error);
  g_assert_no_error(error);
  g_autofree char *device =
      g_build_filename(MUSTER_USBHID_TEST_DIR, "zebra-keyboard", "device.umockdev", NULL);
  g_assert_true(umockdev_testbed_add_from_file(f->testbed, device, &error));
  g_assert_no_error(error);
  return MUSTER_READER(muster_usbhid_reader_new(NULL, "any", NULL));
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  import_register(f);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) witness = test_db_add_user(&f->db, "will", MUSTER_ROLE_STAFF);
  const char *scope[] = {"R1", NULL};
  g_autoptr(MusterCount) c =
      muster_counts_start(f->db.store, f->db.admin, witness, scope, FALSE, &error);
  g_assert_no_error(error);
  f->count_id = c->id;
  f->results = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func(g_object_unref);
  g_ptr_array_add(readers, nfc_reader(f));
  g_ptr_array_add(readers, usb_reader(f));
  f->manager = muster_reader_manager_new_for_readers(readers);
  f->live = muster_live_count_new(f->db.store, f->db.admin, f->count_id, f->manager, &error);
  g_assert_no_error(error);
  g_signal_connect(f->live, "result", G_CALLBACK(on_result), f);
  g_assert_true(muster_reader_manager_start(f->manager, &error));
  g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  scanner_emulator_let_go(f->scanner);
  muster_reader_manager_stop(f->manager);
  while (g_main_context_iteration(NULL, FALSE))
    ;
  g_clear_object(&f->live);
  g_clear_object(&f->manager);
  scanner_emulator_free(f->scanner);
  g_clear_object(&f->testbed);
  pn532_emu_free(f->emu);
  g_unlink(f->link);
  g_rmdir(f->link_dir);
  g_free(f->link);
  g_free(f->link_dir);
  EVP_PKEY_free(f->key);
  EVP_PKEY_free(f->rogue_key);
  g_ptr_array_unref(f->results);
  g_clear_pointer(&f->badges, g_ptr_array_unref);
  test_db_teardown(&f->db, data);
}

static gboolean
wait_results(Fixture *f, guint n)
{
  gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
  while (f->results->len < n && g_get_monotonic_time() < deadline)
    g_main_context_iteration(NULL, TRUE);
  return f->results->len >= n;
}

static gboolean
usb_ready(Fixture *f)
{
  gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
  while (!scanner_emulator_reading(f->scanner) && g_get_monotonic_time() < deadline)
    g_main_context_iteration(NULL, FALSE), g_usleep(1000);
  return scanner_emulator_reading(f->scanner);
}

/* Taps a tag and waits until its scan is committed, then takes it away. */
static void
tap(Fixture *f, const guint8 uid[7], gpointer key, guint expect)
{
  Pn532EmuTag *tag = pn532_emu_tag_new_ntag(PN532_EMU_NTAG215, uid);
  g_autoptr(GBytes) text = pn532_emu_ndef_text("en", "Glock");
  g_assert_true(pn532_emu_tag_write_ndef(tag, text));
  g_assert_true(pn532_emu_tag_sign(tag, key));
  pn532_emu_present(f->emu, tag);
  g_assert_true(wait_results(f, expect));
  pn532_emu_present(f->emu, NULL);
}

static int
count_kind(GPtrArray *list, const char *kind, const char *subject_part)
{
  int n = 0;
  for (guint i = 0; i < list->len; i++) {
    MusterDiscrepancy *d = list->pdata[i];
    gboolean about = subject_part == NULL ||
                     (d->item_summary != NULL && strstr(d->item_summary, subject_part)) ||
                     (d->subject != NULL && strstr(d->subject, subject_part));
    n += g_strcmp0(d->kind, kind) == 0 && about;
  }
  return n;
}

static void
test_count_from_readers(Fixture *f, gconstpointer data)
{
  g_assert_true(usb_ready(f));
  tap(f, uid_genuine, f->key, 1);
  scanner_emulator_type(f->scanner, "GLK-1002");
  g_assert_true(wait_results(f, 2));
  tap(f, uid_cloned, f->rogue_key, 3);
  scanner_emulator_type(f->scanner, "GLK-1005");
  scanner_emulator_type(f->scanner, "XX-9999");
  scanner_emulator_type(f->scanner, "GLK-1002");
  g_assert_true(wait_results(f, 6));

  const char *want[] = {
      "accepted 04A1B2C3D4E501 nfc:",    "accepted GLK-1002 usb-hid:",
      "not_genuine 04A1B2C3D4E503 nfc:", "status_conflict GLK-1005 usb-hid:",
      "unknown XX-9999 usb-hid:",        "duplicate GLK-1002 usb-hid:",
  };
  for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
    g_test_message("result %u: %s", i, (char *)f->results->pdata[i]);
    g_assert_true(g_str_has_prefix(f->results->pdata[i], want[i]));
  }
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM scan"), ==, 6);

  g_autoptr(GError) error = NULL;
  g_assert_true(muster_counts_close(f->db.store, f->db.admin, f->count_id, &error));
  g_assert_no_error(error);
  MusterReconcileSummary summary = {0};
  g_assert_true(muster_reconcile(f->db.store, f->db.admin, f->count_id, &summary, &error));
  g_assert_no_error(error);
  g_autoptr(GPtrArray) list = muster_discrepancies_list(f->db.store, f->count_id, NULL, &error);
  g_assert_no_error(error);
  for (guint i = 0; i < list->len; i++) {
    MusterDiscrepancy *d = list->pdata[i];
    g_test_message("%s %s: %s", d->kind, d->subject, d->detail);
  }
  g_assert_cmpint(count_kind(list, "not_genuine", "GLK-1003"), ==, 1);
  g_assert_cmpint(count_kind(list, "status_conflict", "GLK-1005"), ==, 1);
  g_assert_cmpint(count_kind(list, "unknown_marking", "XX-9999"), ==, 1);
  g_assert_cmpint(count_kind(list, "missing", "GLK-1004"), ==, 1);
  /* a cloned tag proves nothing about the weapon it claims: that one is missing too */
  g_assert_cmpint(count_kind(list, "missing", "GLK-1003"), ==, 1);
  g_assert_cmpuint(list->len, ==, 5);
}

/* What the kiosk's sign-in screen does with a card (ui/screen-sign-in.c), recorded. */
static void
on_card(MusterReaderManager *manager, MusterReader *reader, const MusterScan *scan, Fixture *f)
{
  if (g_strcmp0(scan->marking_kind, "hf_uid") != 0)
    return;
  g_autoptr(GError) error = NULL;
  g_autofree char *holder = NULL;
  g_autoptr(MusterUser) user =
      muster_badges_tap(f->db.store, scan->marking_value, scan->authenticity,
                        MUSTER_BADGE_FOR_SIGN_IN, &holder, &error);
  g_ptr_array_add(f->badges, user != NULL     ? g_strdup_printf("signed in %s", user->name)
                             : holder != NULL ? g_strdup_printf("PIN for %s", holder)
                                              : g_strdup_printf("refused: %s", error->message));
}

/* Badges through the real NFC path: libnfc reads the card on the PN532 emulator, the
 * driver checks its NXP originality signature, and the engine decides. A card signed by
 * the trusted key names its holder (then, with badge_needs_pin 0, signs in alone); the
 * same UID on a card signed by a cloner's key is refused as a copy. */
static void
test_badge_taps(Fixture *f, gconstpointer data)
{
  static const guint8 badge_uid[7] = {0x04, 0xBA, 0xD6, 0xE0, 0x00, 0x00, 0x07};
  f->badges = g_ptr_array_new_with_free_func(g_free);
  g_signal_connect(f->manager, "scan", G_CALLBACK(on_card), f);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_badges_assign(f->db.store, f->db.admin, "will", "04:BA:D6:E0:00:00:07",
                                     MUSTER_AUTH_UNKNOWN, &error));
  g_assert_no_error(error);
  tap(f, badge_uid, f->key, 1);
  g_assert_true(muster_settings_set(f->db.store, f->db.admin, "badge_needs_pin", 0, &error));
  tap(f, badge_uid, f->key, 2);
  tap(f, badge_uid, f->rogue_key, 3);
  g_assert_cmpuint(f->badges->len, ==, 3);
  g_assert_cmpstr(f->badges->pdata[0], ==, "PIN for will");
  g_assert_cmpstr(f->badges->pdata[1], ==, "signed in will");
  g_assert_true(g_str_has_prefix(f->badges->pdata[2], "refused: "));
  g_assert_nonnull(strstr(f->badges->pdata[2], "authenticity"));
  g_assert_cmpint(test_sql_int(&f->db,
                               "SELECT count(*) FROM audit_log WHERE action = "
                               "'badge.refused' AND detail = '{\"reason\":\"not_genuine\"}'"),
                  ==, 1);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  umockdev_preload_require();
  g_test_add("/readers/count-from-readers", Fixture, NULL, fixture_setup, test_count_from_readers,
             fixture_teardown);
  g_test_add("/readers/badge-taps", Fixture, NULL, fixture_setup, test_badge_taps,
             fixture_teardown);
  return g_test_run();
}
