/*
 * test-nfc-reader.c: the NFC reader through libnfc's real pn532_uart driver, against the
 * PN532 emulator on a pseudo-terminal: what each kind of tag gives as a scan, one scan
 * per tap, a tag leaving mid-read, a controller that stops answering or is missing.
 */
#include "core/muster-error.h"
#include "nfc-fixture.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define WAIT_MS 10000 /* generous: ASan and a loaded CI machine */

static const guint8 uid_a[7] = {0x04, 0x6B, 0xA1, 0x52, 0x3C, 0x61, 0x80};
static const char uid_a_hex[] = "046BA1523C6180";

static const MusterScan *
scan_at(NfcFixture *f, guint i)
{
  g_assert_cmpuint(f->scans->len, >, i);
  return g_ptr_array_index(f->scans, i);
}

static const MusterScan *
present_and_wait(NfcFixture *f, Pn532EmuTag *tag)
{
  guint before = f->scans->len;
  pn532_emu_present(f->emu, tag);
  g_assert_true(
      nfc_fixture_run_until(f, nfc_fixture_has_scans, GUINT_TO_POINTER(before + 1), WAIT_MS));
  return scan_at(f, before);
}

static void
assert_uid_marking(const MusterScan *scan, const char *hex)
{
  g_assert_cmpstr(scan->marking_kind, ==, "hf_uid");
  g_assert_cmpstr(scan->marking_value, ==, hex);
  g_assert_cmpstr(scan->reader_kind, ==, "nfc");
  g_assert_true(g_str_has_prefix(scan->reader, "nfc:pn532_uart:/dev/"));
  g_assert_cmpint(scan->read_at_us, >, 0);
}

static void
test_uid_only(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  static const guint8 uid[4] = {0xDE, 0xAD, 0xBE, 0xEF};
  const MusterScan *scan = present_and_wait(f, pn532_emu_tag_new_iso14443a(uid, 4, 0x08));
  assert_uid_marking(scan, "DEADBEEF");
  g_assert_cmpstr(scan->symbology, ==, "iso14443a");
  g_assert_cmpstr(scan->text, ==, "DEADBEEF");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_UNKNOWN);
  g_assert_null(scan->problem);
  gsize len = 0;
  const guint8 *raw = g_bytes_get_data(scan->raw, &len);
  g_assert_cmpmem(raw, len, uid, sizeof uid);
  /* Held: libnfc's presence check for a MIFARE Classic keeps it one scan. */
  pn532_emu_reset_counters(f->emu);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_frames_seen, GUINT_TO_POINTER(5), WAIT_MS));
  g_assert_cmpuint(f->scans->len, ==, 1);
}

static void
test_blank_ultralight(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  const MusterScan *scan = present_and_wait(f, pn532_emu_tag_new_ultralight(uid_a));
  assert_uid_marking(scan, uid_a_hex);
  g_assert_cmpstr(scan->symbology, ==, "ultralight");
  g_assert_cmpstr(scan->text, ==, uid_a_hex); /* no NDEF message: the UID is the text */
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_UNKNOWN); /* no READ_SIG */
  g_assert_null(scan->problem);
  gsize len = 0;
  const guint8 *raw = g_bytes_get_data(scan->raw, &len);
  g_assert_cmpuint(len, >=, 20); /* pages 0-3 and the empty NDEF TLV */
  g_assert_cmpmem(raw + 4, 4, uid_a + 3, 4);
  g_assert_cmphex(raw[12], ==, 0xE1);
  /* The NAK to GET_VERSION left it IDLE; it was selected again, so it stays one scan. */
  nfc_fixture_run_for(f, 600);
  g_assert_cmpuint(f->scans->len, ==, 1);
}

static void
test_ndef_text(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_autoptr(GBytes) ndef = pn532_emu_ndef_text("en", "HK416 SN 20-659225");
  const MusterScan *scan = present_and_wait(f, nfc_fixture_ntag215(uid_a, ndef, f->test_key));
  assert_uid_marking(scan, uid_a_hex);
  g_assert_cmpstr(scan->symbology, ==, "ntag215");
  g_assert_cmpstr(scan->text, ==, "HK416 SN 20-659225");
  g_assert_null(scan->problem);
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_GENUINE);
  gsize len = 0;
  const guint8 *raw = g_bytes_get_data(scan->raw, &len);
  g_assert_cmpuint(len % 16, ==, 0);
  g_assert_cmpuint(len, >=, 16 + 2 + g_bytes_get_size(ndef));
  g_assert_cmpuint(len, <, 540); /* read only as far as the TLVs go */
  g_assert_cmpmem(raw + 18, g_bytes_get_size(ndef), g_bytes_get_data(ndef, NULL),
                  g_bytes_get_size(ndef));
}

static void
test_ndef_uri(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  /* URI prefix 0x04 is "https://". */
  g_autoptr(GBytes) ndef = pn532_emu_ndef_uri(0x04, "registry.example.org/item/20-659225");
  const MusterScan *scan = present_and_wait(f, nfc_fixture_ntag215(uid_a, ndef, f->test_key));
  assert_uid_marking(scan, uid_a_hex);
  g_assert_cmpstr(scan->text, ==, "https://registry.example.org/item/20-659225");
  g_assert_null(scan->problem);
}

static void
test_no_tag(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_selects_seen, GUINT_TO_POINTER(5), WAIT_MS));
  g_assert_cmpuint(f->scans->len, ==, 0);
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(f->reader)), ==, MUSTER_READER_STATE_READY);
  g_assert_cmpuint(muster_reader_get_n_scans(MUSTER_READER(f->reader)), ==, 0);
}

static void
test_removed_mid_read(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_autoptr(GBytes) ndef = pn532_emu_ndef_text("en", "a long enough text to need a second read");
  Pn532EmuTag *tag = nfc_fixture_ntag215(uid_a, ndef, f->test_key);
  pn532_emu_present(f->emu, tag);
  pn532_emu_remove_after(f->emu, 1); /* answers the first READ, then leaves */
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_has_scans, GUINT_TO_POINTER(1), WAIT_MS));
  const MusterScan *scan = scan_at(f, 0);
  /* The UID came from anticollision and stands; nothing half-read is passed off as data. */
  assert_uid_marking(scan, uid_a_hex);
  g_assert_cmpstr(scan->text, ==, uid_a_hex);
  g_assert_nonnull(scan->problem);
  g_assert_true(strstr(scan->problem, "incomplete read") != NULL);
  g_assert_true(strstr(scan->problem, "scan it again") != NULL);
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_UNKNOWN);
  g_assert_cmpuint(g_bytes_get_size(scan->raw), ==, 16);

  /* The reader carries on: the tag put back whole is read whole. */
  nfc_fixture_run_for(f, 300);
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(f->reader)), ==, MUSTER_READER_STATE_READY);
  scan = present_and_wait(f, nfc_fixture_ntag215(uid_a, ndef, f->test_key));
  g_assert_cmpstr(scan->text, ==, "a long enough text to need a second read");
  g_assert_null(scan->problem);
}

/* Whatever a tag holds, the scan keeps its UID and says what was wrong. */
static void
test_corrupt_memory(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  static const guint8 garbage_record[] = {0x03, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE};
  static const guint8 tlv_past_end[] = {0x03, 0xFF, 0x0F, 0xFF, 0xD1, 0x01};
  static const guint8 unknown_tlv[] = {0x77, 0x02, 0x00, 0x00, 0xFE};
  const struct {
    const guint8 *data;
    gsize len;
    const char *problem;
  } cases[] = {{garbage_record, sizeof garbage_record, "NDEF message: "},
               {tlv_past_end, sizeof tlv_past_end, "NDEF unreadable: "},
               {unknown_tlv, sizeof unknown_tlv, "unknown TLV type 0x77"}};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Pn532EmuTag *tag = nfc_fixture_ntag215(uid_a, NULL, f->test_key);
    g_assert_true(pn532_emu_tag_write_data(tag, cases[i].data, cases[i].len));
    const MusterScan *scan = present_and_wait(f, tag);
    assert_uid_marking(scan, uid_a_hex);
    g_assert_cmpstr(scan->text, ==, uid_a_hex);
    g_assert_nonnull(scan->problem);
    g_assert_true(strstr(scan->problem, cases[i].problem) != NULL);
    g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_GENUINE);
    pn532_emu_present(f->emu, NULL);
    pn532_emu_reset_counters(f->emu);
    g_assert_true(nfc_fixture_run_until(f, nfc_fixture_selects_seen, GUINT_TO_POINTER(2), WAIT_MS));
  }
  g_assert_cmpuint(f->scans->len, ==, G_N_ELEMENTS(cases));
}

/* Password-protected memory NAKs like a tag that has gone; the reader must tell the two
 * apart, or a held protected tag would be scanned again at every poll. */
static void
test_read_protected(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_autoptr(GBytes) ndef = pn532_emu_ndef_text("en", "a text long enough for two reads");
  Pn532EmuTag *tag = nfc_fixture_ntag215(uid_a, ndef, f->test_key);
  pn532_emu_tag_protect_from(tag, 8);
  const MusterScan *scan = present_and_wait(f, tag);
  assert_uid_marking(scan, uid_a_hex);
  g_assert_cmpstr(scan->text, ==, uid_a_hex);
  g_assert_nonnull(scan->problem);
  g_assert_true(strstr(scan->problem, "read-protected") != NULL);
  g_assert_true(strstr(scan->problem, "page 8") != NULL);
  /* GET_VERSION and READ_SIG are not protected: the verdict still comes. */
  g_assert_cmpstr(scan->symbology, ==, "ntag215");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_GENUINE);
  pn532_emu_reset_counters(f->emu);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_frames_seen, GUINT_TO_POINTER(10), WAIT_MS));
  g_assert_cmpuint(f->scans->len, ==, 1);
}

/* An ISO 14443-4 card (a bank or ID card on the reader): UID only, and one scan while it
 * is held (libnfc pings it with an R(NAK) block). */
static void
test_iso14443_4_card(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  static const guint8 uid[4] = {0x08, 0x11, 0x22, 0x33};
  const MusterScan *scan = present_and_wait(f, pn532_emu_tag_new_iso14443a(uid, 4, 0x20));
  assert_uid_marking(scan, "08112233");
  g_assert_cmpstr(scan->symbology, ==, "iso14443a");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_UNKNOWN);
  pn532_emu_reset_counters(f->emu);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_frames_seen, GUINT_TO_POINTER(5), WAIT_MS));
  g_assert_cmpuint(f->scans->len, ==, 1);
}

static void
test_invalid_signature(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_autoptr(GBytes) ndef = pn532_emu_ndef_text("en", "G36 SN 18-004512");
  /* A clone: right memory, signed by a key NXP never had. */
  const MusterScan *scan = present_and_wait(f, nfc_fixture_ntag215(uid_a, ndef, f->rogue_key));
  assert_uid_marking(scan, uid_a_hex);
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_NOT_GENUINE);
  g_assert_nonnull(scan->problem);
  g_assert_true(strstr(scan->problem, "clone") != NULL);
  g_assert_cmpstr(scan->text, ==, "G36 SN 18-004512");
  pn532_emu_present(f->emu, NULL);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_selects_seen, GUINT_TO_POINTER(3), WAIT_MS));

  /* An unsigned (all-zero) signature is no better. */
  scan = present_and_wait(f, nfc_fixture_ntag215(uid_a, NULL, NULL));
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_NOT_GENUINE);
}

/* Puts tag in the field with the signature sig_hex (r || s), waits for its scan, then
 * empties the field and waits for the reader to poll for the next tap. */
static const MusterScan *
tap_signed(NfcFixture *f, Pn532EmuTag *tag, const char *sig_hex)
{
  g_autoptr(GBytes) sig = nfc_fixture_unhex(sig_hex);
  g_assert_cmpuint(g_bytes_get_size(sig), ==, 32);
  pn532_emu_tag_set_signature(tag, g_bytes_get_data(sig, NULL));
  const MusterScan *scan = present_and_wait(f, tag);
  pn532_emu_present(f->emu, NULL);
  pn532_emu_reset_counters(f->emu);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_selects_seen, GUINT_TO_POINTER(3), WAIT_MS));
  return scan;
}

/* A real NTAG21x UID and the signature NXP gave it, checked against NXP's own key. */
static void
test_genuine_nxp_signature(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  static const char sig[] = "8B76052EE42F5567BEB53238B3E3F9950707C0DCC956B5C5EFCFDB709B2D82B3";
  static const guint8 uid[7] = {0x04, 0xE1, 0x0C, 0xDA, 0x99, 0x3C, 0x80};
  const MusterScan *scan = tap_signed(f, pn532_emu_tag_new_ntag(PN532_EMU_NTAG213, uid), sig);
  assert_uid_marking(scan, "04E10CDA993C80");
  g_assert_cmpstr(scan->symbology, ==, "ntag213");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_GENUINE);

  /* The same genuine signature copied onto another UID: a clone. */
  static const guint8 other[7] = {0x04, 0xE1, 0x0C, 0xDA, 0x99, 0x3C, 0x81};
  scan = tap_signed(f, pn532_emu_tag_new_ntag(PN532_EMU_NTAG216, other), sig);
  g_assert_cmpstr(scan->symbology, ==, "ntag216");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_NOT_GENUINE);
}

/* Real MIFARE Ultralight EV1 UIDs and the signatures NXP gave them (proxmark3's
 * tools/recover_pk.py samples): genuine only if the reader holds NXP's EV1 key, which is
 * not the NTAG21x one. Both EV1 sizes, as GET_VERSION names them. */
static void
test_genuine_ev1_signature(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  static const char sig_c1[] = "CEA2EB0B3C95D0844A95B824A7553703B3702378033BF0987899DB70151A19E7";
  static const char sig_c2[] = "A561506723D422D29ED9F93E60D20B9ED1E05CC1BF81DA19FE500CA0B81CC0ED";
  static const guint8 uid_c1[7] = {0x04, 0xC1, 0x28, 0x5A, 0x37, 0x30, 0x80};
  static const guint8 uid_c2[7] = {0x04, 0xC2, 0x28, 0x5A, 0x37, 0x30, 0x80};
  const MusterScan *scan =
      tap_signed(f, pn532_emu_tag_new_ultralight_ev1(PN532_EMU_MF0UL11, uid_c1), sig_c1);
  assert_uid_marking(scan, "04C1285A373080");
  g_assert_cmpstr(scan->symbology, ==, "ultralight-ev1");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_GENUINE);
  g_assert_null(scan->problem);

  scan = tap_signed(f, pn532_emu_tag_new_ultralight_ev1(PN532_EMU_MF0UL21, uid_c2), sig_c2);
  assert_uid_marking(scan, "04C2285A373080");
  g_assert_cmpstr(scan->symbology, ==, "ultralight-ev1");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_GENUINE);

  /* The first tag's signature copied onto the second's UID: a clone. */
  scan = tap_signed(f, pn532_emu_tag_new_ultralight_ev1(PN532_EMU_MF0UL21, uid_c2), sig_c1);
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_NOT_GENUINE);
  g_assert_nonnull(scan->problem);
  g_assert_true(strstr(scan->problem, "clone") != NULL);
}

static void
test_held_tag_is_one_scan(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_autoptr(GBytes) ndef = pn532_emu_ndef_text("en", "HK416 SN 20-659225");
  present_and_wait(f, nfc_fixture_ntag215(uid_a, ndef, f->test_key));
  pn532_emu_reset_counters(f->emu);
  /* Held across many polls (presence checks): still one scan. */
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_frames_seen, GUINT_TO_POINTER(10), WAIT_MS));
  g_assert_cmpuint(f->scans->len, ==, 1);

  /* Taken away, then tapped again: a new scan. */
  pn532_emu_present(f->emu, NULL);
  pn532_emu_reset_counters(f->emu);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_selects_seen, GUINT_TO_POINTER(3), WAIT_MS));
  g_assert_cmpuint(f->scans->len, ==, 1);
  const MusterScan *scan = present_and_wait(f, nfc_fixture_ntag215(uid_a, ndef, f->test_key));
  assert_uid_marking(scan, uid_a_hex);
  g_assert_cmpuint(f->scans->len, ==, 2);
  g_assert_cmpuint(muster_reader_get_n_scans(MUSTER_READER(f->reader)), ==, 2);
}

static void
test_stops_answering(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_in_state,
                                      GINT_TO_POINTER(MUSTER_READER_STATE_READY), WAIT_MS));
  pn532_emu_set_silent(f->emu, TRUE);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_in_state,
                                      GINT_TO_POINTER(MUSTER_READER_STATE_FAILED), WAIT_MS));
  g_autofree char *error = muster_reader_dup_last_error(MUSTER_READER(f->reader));
  g_assert_nonnull(error);
  g_assert_true(strstr(error, "stopped answering") != NULL);
  g_assert_true(strstr(error, pn532_emu_get_connstring(f->emu)) != NULL);

  /* Not spun on: while the controller is silent the reader sends a handful of frames
   * (one reopen after 0.5 s, the next after 1 s more), not a stream of them. */
  pn532_emu_reset_counters(f->emu);
  nfc_fixture_run_for(f, 2000);
  g_test_message("frames sent to the silent controller in 2 s: %u",
                 pn532_emu_get_n_ignored(f->emu));
  g_assert_cmpuint(pn532_emu_get_n_ignored(f->emu), <, 40);

  pn532_emu_set_silent(f->emu, FALSE);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_in_state,
                                      GINT_TO_POINTER(MUSTER_READER_STATE_READY), WAIT_MS));
  const MusterScan *scan = present_and_wait(f, pn532_emu_tag_new_ultralight(uid_a));
  assert_uid_marking(scan, uid_a_hex);

  /* The states went READY → FAILED → (OPENING/FAILED)* → READY. */
  gboolean saw_failed = FALSE;
  for (guint i = 0; i < f->states->len; i++)
    saw_failed |= g_array_index(f->states, MusterReaderState, i) == MUSTER_READER_STATE_FAILED;
  g_assert_true(saw_failed);
}

static void
test_absent_at_start(NfcFixture *f, gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp("muster-nfc-XXXXXX", NULL);
  g_autofree char *link = g_build_filename(dir, "ttyNFC", NULL);
  g_autofree char *connstring = g_strdup_printf("pn532_uart:%s", link);
  nfc_fixture_replace_reader(f, connstring); /* a port that does not exist yet */
  nfc_fixture_start(f);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_in_state,
                                      GINT_TO_POINTER(MUSTER_READER_STATE_DISCONNECTED), WAIT_MS));
  g_autofree char *error = muster_reader_dup_last_error(MUSTER_READER(f->reader));
  g_assert_true(strstr(error, "not plugged in") != NULL);
  g_assert_true(strstr(error, link) != NULL);

  /* Plugged in: the reader finds it by itself. */
  const char *slave = strchr(pn532_emu_get_connstring(f->emu), ':') + 1;
  g_assert_cmpint(symlink(slave, link), ==, 0);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_in_state,
                                      GINT_TO_POINTER(MUSTER_READER_STATE_READY), WAIT_MS));
  muster_reader_stop(MUSTER_READER(f->reader));
  g_unlink(link);
  g_rmdir(dir);
}

static void
test_stop_and_restart(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_start(f);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_selects_seen, GUINT_TO_POINTER(2), WAIT_MS));
  muster_reader_stop(MUSTER_READER(f->reader));
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(f->reader)), ==,
                  MUSTER_READER_STATE_STOPPED);
  /* Stopped: a tag put down now is not read. */
  pn532_emu_present(f->emu, pn532_emu_tag_new_ultralight(uid_a));
  guint selects = pn532_emu_get_n_selects(f->emu);
  nfc_fixture_run_for(f, 400);
  g_assert_cmpuint(f->scans->len, ==, 0);
  g_assert_cmpuint(pn532_emu_get_n_selects(f->emu), ==, selects);
  /* Started again, it reads the tag that is there. */
  nfc_fixture_start(f);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_has_scans, GUINT_TO_POINTER(1), WAIT_MS));
  assert_uid_marking(scan_at(f, 0), uid_a_hex);

  /* Dropped while running, without stop(): disposing it stops its thread and frees the
   * device (ASan and the emulator's next client would show otherwise). */
  g_clear_object(&f->reader);
  while (g_main_context_iteration(NULL, FALSE))
    ; /* deliveries still queued hold the last references */
  nfc_fixture_replace_reader(f, NULL);
  pn532_emu_present(f->emu, NULL);
  nfc_fixture_start(f);
  g_assert_true(nfc_fixture_run_until(f, nfc_fixture_in_state,
                                      GINT_TO_POINTER(MUSTER_READER_STATE_READY), WAIT_MS));
}

static void
test_bad_connstring(void)
{
  g_autoptr(MusterNfcReader) reader = muster_nfc_reader_new("not a connstring");
  g_autoptr(GError) error = NULL;
  g_assert_false(muster_reader_start(MUSTER_READER(reader), &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_true(strstr(error->message, "not a libnfc connstring") != NULL);
  g_assert_cmpint(muster_reader_get_state(MUSTER_READER(reader)), ==, MUSTER_READER_STATE_STOPPED);
}

static void
setup(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_setup(f, NULL);
}

static void
teardown(NfcFixture *f, gconstpointer data)
{
  nfc_fixture_teardown(f);
}

#define ADD(path, fn) g_test_add(path, NfcFixture, NULL, setup, fn, teardown)

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_setenv("LIBNFC_AUTO_SCAN", "false", FALSE);
  g_setenv("LIBNFC_LOG_LEVEL", "0", FALSE);
  ADD("/nfc/reader/uid-only", test_uid_only);
  ADD("/nfc/reader/blank-ultralight", test_blank_ultralight);
  ADD("/nfc/reader/ndef-text", test_ndef_text);
  ADD("/nfc/reader/ndef-uri", test_ndef_uri);
  ADD("/nfc/reader/no-tag", test_no_tag);
  ADD("/nfc/reader/removed-mid-read", test_removed_mid_read);
  ADD("/nfc/reader/corrupt-memory", test_corrupt_memory);
  ADD("/nfc/reader/read-protected", test_read_protected);
  ADD("/nfc/reader/iso14443-4-card", test_iso14443_4_card);
  ADD("/nfc/reader/invalid-signature", test_invalid_signature);
  ADD("/nfc/reader/genuine-nxp-signature", test_genuine_nxp_signature);
  ADD("/nfc/reader/genuine-ev1-signature", test_genuine_ev1_signature);
  ADD("/nfc/reader/held-tag-is-one-scan", test_held_tag_is_one_scan);
  ADD("/nfc/reader/stops-answering", test_stops_answering);
  ADD("/nfc/reader/absent-at-start", test_absent_at_start);
  ADD("/nfc/reader/stop-and-restart", test_stop_and_restart);
  g_test_add_func("/nfc/reader/bad-connstring", test_bad_connstring);
  return g_test_run();
}
