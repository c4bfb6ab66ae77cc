/*
 * test-nfc-ingest.c: NFC scans into a count. Tags read by the real reader (libnfc,
 * pn532_uart, the PN532 emulator) are ingested into a real record store and must match
 * the items whose hf_uid marking they carry; a clone of a registered tag must come out as
 * not genuine, an unregistered tag as unknown, and each scan row must keep what was read.
 */
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "nfc-fixture.h"
#include "test-util.h"

#include <string.h>

static const guint8 uid_frame[7] = {0x04, 0x6B, 0xA1, 0x52, 0x3C, 0x61, 0x80};
static const guint8 uid_other[7] = {0x04, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
static const guint8 uid_unregistered[7] = {0x04, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44};

/* Tag UIDs as an armourer types them: with separators, lower case. */
static const char register_csv[] =
    "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location,"
    "markings\n"
    "Heckler & Koch,DE,20-659225,HK416,rifle,5.56x45,in_store,R1/A/01,"
    "hf_uid:frame:04:6b:a1:52:3c:61:80\n"
    "Glock,AT,GL-1002,G17,pistol,9x19,in_store,R1/A/01,hf_uid:frame:04:22:33:44:55:66:77\n";

typedef struct {
  NfcFixture nfc;
  TestDb db;
  MusterIngest *ingest;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
  nfc_fixture_setup(&f->nfc, NULL);
  test_db_setup(&f->db, data);
  g_autoptr(GError) error = NULL;
  MusterImportResult result = {0};
  g_autoptr(GPtrArray) errors = NULL;
  g_assert_true(muster_items_import_csv(f->db.store, f->db.admin, register_csv,
                                        strlen(register_csv), &result, &errors, &error));
  g_assert_no_error(error);
  g_assert_cmpint(result.imported, ==, 2);
  g_autoptr(MusterUser) counter = test_db_add_user(&f->db, "carol", MUSTER_ROLE_STAFF);
  const char *scope[] = {"R1", NULL};
  g_autoptr(MusterCount) count =
      muster_counts_start(f->db.store, counter, f->db.admin, scope, FALSE, &error);
  g_assert_no_error(error);
  f->ingest = muster_ingest_new(f->db.store, counter, count->id, &error);
  g_assert_no_error(error);
  g_assert_true(muster_ingest_set_location(f->ingest, "R1/A/01", &error));
  g_assert_no_error(error);
}

static void
teardown(Fixture *f, gconstpointer data)
{
  nfc_fixture_teardown(&f->nfc);
  muster_ingest_free(f->ingest);
  test_db_teardown(&f->db, data);
}

static void
tap(Fixture *f, Pn532EmuTag *tag)
{
  guint before = f->nfc.scans->len;
  pn532_emu_present(f->nfc.emu, tag);
  g_assert_true(
      nfc_fixture_run_until(&f->nfc, nfc_fixture_has_scans, GUINT_TO_POINTER(before + 1), 10000));
  pn532_emu_present(f->nfc.emu, NULL);
  pn532_emu_reset_counters(f->nfc.emu);
  g_assert_true(
      nfc_fixture_run_until(&f->nfc, nfc_fixture_selects_seen, GUINT_TO_POINTER(2), 10000));
}

static void
test_scans_match_the_register(Fixture *f, gconstpointer data)
{
  nfc_fixture_start(&f->nfc);
  g_autoptr(GBytes) ndef = pn532_emu_ndef_text("en", "HK416 SN 20-659225");
  tap(f, nfc_fixture_ntag215(uid_frame, ndef, f->nfc.test_key));        /* the genuine tag */
  tap(f, nfc_fixture_ntag215(uid_other, NULL, f->nfc.rogue_key));       /* a clone of GL-1002's */
  tap(f, nfc_fixture_ntag215(uid_unregistered, NULL, f->nfc.test_key)); /* nobody's */
  g_assert_cmpuint(f->nfc.scans->len, ==, 3);

  for (guint i = 0; i < f->nfc.scans->len; i++)
    muster_ingest_add(f->ingest, g_ptr_array_index(f->nfc.scans, i));
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_ingest_flush(f->ingest, results, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(results->len, ==, 3);

  MusterIngestResult *r = &g_array_index(results, MusterIngestResult, 0);
  g_assert_cmpint(r->outcome, ==, MUSTER_OUTCOME_ACCEPTED);
  g_assert_true(strstr(r->summary, "20-659225") != NULL);
  r = &g_array_index(results, MusterIngestResult, 1);
  g_assert_cmpint(r->outcome, ==, MUSTER_OUTCOME_NOT_GENUINE);
  g_assert_cmpint(r->item_id, !=, 0); /* it claims to be GL-1002 */
  r = &g_array_index(results, MusterIngestResult, 2);
  g_assert_cmpint(r->outcome, ==, MUSTER_OUTCOME_UNKNOWN);

  /* What the file holds for the genuine tap: what the reader read. */
  g_autofree char *row = test_sql_text(
      &f->db, "SELECT reader_kind || '|' || symbology || '|' || marking_kind || '|' || "
              "marking_value || '|' || text || '|' || authenticity || '|' || length(raw) "
              "FROM scan ORDER BY id LIMIT 1");
  /* raw: pages 0-3, then READs of 16 bytes up to the end of the NDEF TLV. */
  gsize raw_len = (16 + 2 + g_bytes_get_size(ndef) + 15) / 16 * 16;
  g_autofree char *want =
      g_strdup_printf("nfc|ntag215|hf_uid|046BA1523C6180|HK416 SN 20-659225|genuine|%zu", raw_len);
  g_assert_cmpstr(row, ==, want);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM scan WHERE authenticity = "
                                       "'not_genuine' AND marking_value = '04223344556677'"),
                  ==, 1);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_setenv("LIBNFC_AUTO_SCAN", "false", FALSE);
  g_setenv("LIBNFC_LOG_LEVEL", "0", FALSE);
  g_test_add("/nfc/ingest/scans-match-the-register", Fixture, NULL, setup,
             test_scans_match_the_register, teardown);
  return g_test_run();
}
