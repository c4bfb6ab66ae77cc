/*
 * nfc-tag.c: one tag into one scan (see nfc-tag.h).
 *
 * Order of reads, and why: the memory first (it carries the NDEF message, the part a
 * person reads), four pages per READ and only as far as the TLVs need, then GET_VERSION
 * and READ_SIG. A tag that NAKs a command (a first-generation Ultralight has no
 * GET_VERSION) falls back to IDLE, so it is selected again afterwards: otherwise the
 * presence check that follows would take it for removed and its next poll for a new tap.
 */
#include "drivers/nfc/nfc-tag.h"
#include "core/muster-error.h"
#include "drivers/nfc/type2.h"
#include "marking/payload.h"

#include <string.h>

#define TAG_TIMEOUT_MS 200    /* one tag command through the controller, generously */
#define TYPE2_MAX_MEMORY 1024 /* bytes: larger than any Type 2 data area we read */

static const nfc_modulation modulation_a = {.nmt = NMT_ISO14443A, .nbr = NBR_106};

char *
muster_nfc_hex(const guint8 *data, gsize len)
{
  GString *hex = g_string_sized_new(2 * len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf(hex, "%02X", data[i]);
  return g_string_free(hex, FALSE);
}

static int
transceive(nfc_device *device, const guint8 *tx, gsize tx_len, guint8 *rx, gsize rx_size)
{
  return nfc_initiator_transceive_bytes(device, tx, tx_len, rx, rx_size, TAG_TIMEOUT_MS);
}

/* Selects the same tag again after a NAK; FALSE when it has gone. On success *target is
 * what libnfc now holds as its current target, which its presence check compares with. */
static gboolean
reselect(nfc_device *device, nfc_target *target)
{
  nfc_target again = {0};
  if (nfc_initiator_select_passive_target(device, modulation_a, NULL, 0, &again) <= 0)
    return FALSE;
  const nfc_iso14443a_info *a = &again.nti.nai, *b = &target->nti.nai;
  if (a->szUidLen != b->szUidLen || memcmp(a->abtUid, b->abtUid, a->szUidLen) != 0)
    return FALSE;
  *target = again;
  return TRUE;
}

/* Reads pages from `memory->len / 4` until memory holds `needed` bytes. */
static gboolean
read_memory(nfc_device *device, GByteArray *memory, gsize needed, GError **error)
{
  while (memory->len < needed) {
    guint8 page = (guint8)(memory->len / MUSTER_TYPE2_PAGE_SIZE);
    guint8 cmd[2] = {0x30, page}, rx[MUSTER_TYPE2_READ_SIZE];
    int n = transceive(device, cmd, sizeof cmd, rx, sizeof rx);
    if (n != MUSTER_TYPE2_READ_SIZE) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "READ of page %u failed (%s)", page,
                  n < 0 ? nfc_strerror(device) : "short answer");
      return FALSE;
    }
    g_byte_array_append(memory, rx, sizeof rx);
  }
  return TRUE;
}

/* The NDEF message of a Type 2 tag, read as far as its TLVs need. NULL without error
 * when the tag has none (blank, or not NDEF formatted). */
static GBytes *
read_ndef(nfc_device *device, GByteArray *memory, GError **error)
{
  if (!read_memory(device, memory, MUSTER_TYPE2_DATA_START, error))
    return NULL;
  MusterType2Cc cc;
  if (!muster_type2_parse_cc(memory->data, memory->len, &cc, NULL))
    return NULL; /* not NDEF formatted: a UID-only tag, nothing wrong */
  for (;;) {
    MusterType2NdefStatus status;
    gsize offset, length;
    if (!muster_type2_find_ndef(memory->data, memory->len, &cc, &status, &offset, &length, error))
      return NULL;
    if (status == MUSTER_TYPE2_NDEF_FOUND)
      return g_bytes_new(memory->data + offset, length);
    if (status == MUSTER_TYPE2_NDEF_ABSENT)
      return NULL;
    gsize rounded =
        (length + MUSTER_TYPE2_READ_SIZE - 1) / MUSTER_TYPE2_READ_SIZE * MUSTER_TYPE2_READ_SIZE;
    if (!read_memory(device, memory, MIN(rounded, TYPE2_MAX_MEMORY), error))
      return NULL;
    if (memory->len >= TYPE2_MAX_MEMORY && length > memory->len) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "its NDEF message is larger than %d bytes", TYPE2_MAX_MEMORY);
      return NULL;
    }
  }
}

static void add_problem(MusterScan *scan, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
add_problem(MusterScan *scan, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *problem = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  char *joined = scan->problem == NULL ? g_steal_pointer(&problem)
                                       : g_strdup_printf("%s; %s", scan->problem, problem);
  g_free(scan->problem);
  scan->problem = joined;
}

static void
apply_ndef(MusterScan *scan, GBytes *ndef)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(ndef, &len);
  g_autoptr(MusterPayload) payload = muster_payload_parse_ndef(data, len);
  /* Only a decoded Text or URI record replaces the UID as the text: the hex rendering
   * of a message that did not decode is no text a person can read. */
  if (payload->value != NULL && payload->text != NULL) {
    g_free(scan->text);
    scan->text = g_strdup(payload->text);
  }
  if (payload->problem != NULL)
    add_problem(scan, "NDEF message: %s", payload->problem);
  g_clear_pointer(&payload->problem, g_free);
  /* the marking stays the UID (see README.md); the records' fields go with the scan */
  muster_scan_take_payload(scan, payload, FALSE);
}

/* GET_VERSION, and READ_SIG when the product is signed: symbology and authenticity. */
static void
check_originality(nfc_device *device, nfc_target *target, MusterScan *scan,
                  MusterOriginalityKeys *keys)
{
  guint8 version[8], signature[MUSTER_ORIGINALITY_SIGNATURE_SIZE];
  int n = transceive(device, (const guint8[]){0x60}, 1, version, sizeof version);
  gboolean is_signed = FALSE;
  const char *product = n == 8 ? muster_type2_identify(version, 8, &is_signed) : NULL;
  if (product != NULL) {
    g_free(scan->symbology);
    scan->symbology = g_strdup(product);
  }
  if (n < 0) {
    reselect(device, target); /* a first-generation Ultralight: no GET_VERSION */
    return;
  }
  if (!is_signed)
    return;
  n = transceive(device, (const guint8[]){0x3C, 0x00}, 2, signature, sizeof signature);
  if (n < 0) {
    reselect(device, target); /* no READ_SIG after all: authenticity stays unknown */
    return;
  }
  const nfc_iso14443a_info *a = &target->nti.nai;
  scan->authenticity =
      muster_originality_verify(keys, a->abtUid, a->szUidLen, signature, (gsize)n, NULL);
  if (scan->authenticity == MUSTER_AUTH_NOT_GENUINE)
    add_problem(scan, "the tag's originality signature does not verify for its UID: it is "
                      "likely a clone");
}

static void
read_type2(nfc_device *device, nfc_target *target, MusterScan *scan, MusterOriginalityKeys *keys)
{
  g_autoptr(GByteArray) memory = g_byte_array_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ndef = read_ndef(device, memory, &error);
  if (memory->len > 0) {
    g_bytes_unref(scan->raw);
    scan->raw = g_bytes_new(memory->data, memory->len);
  }
  if (error != NULL && g_error_matches(error, MUSTER_ERROR, MUSTER_ERROR_IO)) {
    /* Gone, or a NAK from password-protected pages (NTAG21x AUTH0): only selecting it
     * again tells which, and a tag that NAKed must be selected again anyway. */
    if (!reselect(device, target)) {
      add_problem(scan,
                  "incomplete read: the tag left the field (%s); hold it still on the "
                  "reader and scan it again",
                  error->message);
      return; /* no GET_VERSION: authenticity stays unknown */
    }
    add_problem(scan, "memory read-protected: %s; its NDEF message was not read", error->message);
  } else if (error != NULL)
    add_problem(scan, "NDEF unreadable: %s", error->message);
  if (ndef != NULL)
    apply_ndef(scan, ndef);
  check_originality(device, target, scan, keys);
}

MusterScan *
muster_nfc_tag_read(nfc_device *device, nfc_target *target, MusterOriginalityKeys *keys)
{
  const nfc_iso14443a_info *a = &target->nti.nai;
  MusterScan *scan = muster_scan_new();
  scan->read_at_us = g_get_real_time();
  scan->read_mono_us = g_get_monotonic_time();
  scan->raw = g_bytes_new(a->abtUid, a->szUidLen);
  scan->marking_kind = g_strdup(muster_marking_kind_to_string(MUSTER_MARKING_HF_UID));
  scan->marking_value = muster_nfc_hex(a->abtUid, a->szUidLen);
  scan->text = g_strdup(scan->marking_value);
  scan->authenticity = MUSTER_AUTH_UNKNOWN;
  /* SAK 0x00: a Type 2 tag (NTAG, Ultralight); anything else (MIFARE Classic 0x08,
   * ISO 14443-4 cards 0x20) is read for its UID only. */
  gboolean type2 = a->btSak == 0x00 && a->szUidLen == 7;
  scan->symbology = g_strdup(type2 ? "ultralight" : "iso14443a");
  if (type2)
    read_type2(device, target, scan, keys);
  return scan;
}
