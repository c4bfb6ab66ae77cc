/*
 * nfc-fixture.h: an NFC reader on libnfc's pn532_uart driver, talking to the PN532
 * emulator on a pty, run on the test's main loop. Shared by the reader tests and the
 * latency benchmark.
 */
#pragma once
#include "drivers/nfc/nfc-reader.h"
#include "pn532-emu.h"

G_BEGIN_DECLS

typedef struct {
  Pn532Emu *emu;
  MusterNfcReader *reader;
  GPtrArray *scans;   /* MusterScan copies, in the order delivered */
  GArray *states;     /* MusterReaderState, every change delivered */
  char *test_key_hex; /* trusted by the reader */
  gpointer test_key;  /* EVP_PKEY: signs "genuine" emulated tags */
  gpointer rogue_key; /* EVP_PKEY nobody trusts: a cloner's key */
} NfcFixture;

/* Emulator + reader (not started) on connstring, or on the emulator when NULL. */
void nfc_fixture_setup(NfcFixture *f, const char *connstring);
void nfc_fixture_teardown(NfcFixture *f);
/* A new reader (not started) on connstring (NULL: the emulator) in place of the old. */
void nfc_fixture_replace_reader(NfcFixture *f, const char *connstring);
void nfc_fixture_start(NfcFixture *f);

/* Runs the main loop until cond(f, data) holds or timeout_ms passes; returns cond. */
typedef gboolean (*NfcFixtureCond)(NfcFixture *f, gconstpointer data);
gboolean nfc_fixture_run_until(NfcFixture *f, NfcFixtureCond cond, gconstpointer data,
                               guint timeout_ms);

/* Conditions. */
gboolean nfc_fixture_has_scans(NfcFixture *f, gconstpointer n);    /* GUINT_TO_POINTER(n) */
gboolean nfc_fixture_in_state(NfcFixture *f, gconstpointer state); /* GINT_TO_POINTER */
gboolean nfc_fixture_selects_seen(NfcFixture *f, gconstpointer n);
gboolean nfc_fixture_frames_seen(NfcFixture *f, gconstpointer n);

/* Runs the loop for ms, whatever happens. */
void nfc_fixture_run_for(NfcFixture *f, guint ms);

/* Bytes from a hex string of even length (sample UIDs and signatures). */
GBytes *nfc_fixture_unhex(const char *hex);

/* Tags with the fixture's standard UID, signed with key (NULL: left unsigned). */
Pn532EmuTag *nfc_fixture_ntag215(const guint8 uid[7], GBytes *ndef, gpointer key);

G_END_DECLS
