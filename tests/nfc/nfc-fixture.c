/*
 * nfc-fixture.c: see nfc-fixture.h.
 */
#include "nfc-fixture.h"

#include <openssl/evp.h>
#include <string.h>

static void
on_scan(MusterReader *reader, const MusterScan *scan, gpointer data)
{
  NfcFixture *f = data;
  g_ptr_array_add(f->scans, muster_scan_copy(scan));
}

static void
on_state(GObject *object, GParamSpec *pspec, gpointer data)
{
  NfcFixture *f = data;
  MusterReaderState state = muster_reader_get_state(MUSTER_READER(object));
  if (f->states->len == 0 ||
      g_array_index(f->states, MusterReaderState, f->states->len - 1) != state)
    g_array_append_val(f->states, state);
}

void
nfc_fixture_setup(NfcFixture *f, const char *connstring)
{
  *f = (NfcFixture){0};
  g_autoptr(GError) error = NULL;
  f->emu = pn532_emu_new(&error);
  g_assert_no_error(error);
  f->scans = g_ptr_array_new_with_free_func((GDestroyNotify)muster_scan_free);
  f->states = g_array_new(FALSE, FALSE, sizeof(MusterReaderState));
  f->test_key = pn532_emu_test_key_new(&f->test_key_hex);
  g_assert_nonnull(f->test_key);
  g_autofree char *rogue_hex = NULL;
  f->rogue_key = pn532_emu_test_key_new(&rogue_hex);
  g_assert_nonnull(f->rogue_key);
  nfc_fixture_replace_reader(f, connstring);
}

void
nfc_fixture_replace_reader(NfcFixture *f, const char *connstring)
{
  if (f->reader != NULL) {
    muster_reader_stop(MUSTER_READER(f->reader));
    g_signal_handlers_disconnect_by_data(f->reader, f);
    g_clear_object(&f->reader);
  }
  f->reader =
      muster_nfc_reader_new(connstring != NULL ? connstring : pn532_emu_get_connstring(f->emu));
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_nfc_reader_add_trusted_key(f->reader, "test key", f->test_key_hex, &error));
  g_assert_no_error(error);
  g_signal_connect(f->reader, "scan", G_CALLBACK(on_scan), f);
  g_signal_connect(f->reader, "notify::state", G_CALLBACK(on_state), f);
}

void
nfc_fixture_start(NfcFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_reader_start(MUSTER_READER(f->reader), &error));
  g_assert_no_error(error);
}

void
nfc_fixture_teardown(NfcFixture *f)
{
  if (f->reader != NULL)
    muster_reader_stop(MUSTER_READER(f->reader));
  g_clear_object(&f->reader);
  while (g_main_context_iteration(NULL, FALSE))
    ; /* deliveries queued before the stop hold references to the reader */
  pn532_emu_free(f->emu);
  g_ptr_array_unref(f->scans);
  g_array_unref(f->states);
  g_free(f->test_key_hex);
  EVP_PKEY_free(f->test_key);
  EVP_PKEY_free(f->rogue_key);
}

typedef struct {
  NfcFixture *f;
  NfcFixtureCond cond;
  gconstpointer data;
  gint64 deadline;
  GMainLoop *loop;
  gboolean met;
} Wait;

static gboolean
check_wait(gpointer data)
{
  Wait *w = data;
  w->met = w->cond == NULL ? FALSE : w->cond(w->f, w->data);
  if (w->met || g_get_monotonic_time() >= w->deadline) {
    g_main_loop_quit(w->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

gboolean
nfc_fixture_run_until(NfcFixture *f, NfcFixtureCond cond, gconstpointer data, guint timeout_ms)
{
  Wait w = {f,
            cond,
            data,
            g_get_monotonic_time() + (gint64)timeout_ms * 1000,
            g_main_loop_new(NULL, FALSE),
            FALSE};
  g_timeout_add(2, check_wait, &w);
  g_main_loop_run(w.loop);
  g_main_loop_unref(w.loop);
  return w.met;
}

void
nfc_fixture_run_for(NfcFixture *f, guint ms)
{
  nfc_fixture_run_until(f, NULL, NULL, ms);
}

gboolean
nfc_fixture_has_scans(NfcFixture *f, gconstpointer n)
{
  return f->scans->len >= GPOINTER_TO_UINT(n);
}

gboolean
nfc_fixture_in_state(NfcFixture *f, gconstpointer state)
{
  return muster_reader_get_state(MUSTER_READER(f->reader)) ==
         (MusterReaderState)GPOINTER_TO_INT(state);
}

gboolean
nfc_fixture_selects_seen(NfcFixture *f, gconstpointer n)
{
  return pn532_emu_get_n_selects(f->emu) >= GPOINTER_TO_UINT(n);
}

gboolean
nfc_fixture_frames_seen(NfcFixture *f, gconstpointer n)
{
  return pn532_emu_get_n_frames(f->emu) >= GPOINTER_TO_UINT(n);
}

GBytes *
nfc_fixture_unhex(const char *hex)
{
  gsize len = strlen(hex) / 2;
  g_assert_cmpuint(strlen(hex), ==, 2 * len);
  guint8 *data = g_malloc(len);
  for (gsize i = 0; i < len; i++) {
    int hi = g_ascii_xdigit_value(hex[2 * i]), lo = g_ascii_xdigit_value(hex[2 * i + 1]);
    g_assert_true(hi >= 0 && lo >= 0);
    data[i] = (guint8)(hi << 4 | lo);
  }
  return g_bytes_new_take(data, len);
}

Pn532EmuTag *
nfc_fixture_ntag215(const guint8 uid[7], GBytes *ndef, gpointer key)
{
  Pn532EmuTag *tag = pn532_emu_tag_new_ntag(PN532_EMU_NTAG215, uid);
  if (ndef != NULL)
    g_assert_true(pn532_emu_tag_write_ndef(tag, ndef));
  if (key != NULL)
    g_assert_true(pn532_emu_tag_sign(tag, key));
  return tag;
}
