/*
 * test-nfc-originality.c: NXP originality signatures: real NTAG21x UIDs with the
 * signatures NXP gave them, verified against NXP's published key, and what a clone looks
 * like (a signature over another UID, a flipped bit, none at all, a cloner's own key).
 */
#include "db/muster-error.h"
#include "drivers/nfc/originality.h"
#include "pn532-emu-private.h" /* the tag's own READ_SIG answer */

#include <openssl/evp.h>
#include <string.h>

typedef struct {
  const char *uid;
  const char *signature;
} Sample;

/* Genuine NTAG21x tags, as published with reader tools that check AN11350 signatures. */
static const Sample nxp_samples[] = {
    {"04E10CDA993C80", "8B76052EE42F5567BEB53238B3E3F9950707C0DCC956B5C5EFCFDB709B2D82B3"},
    {"04DB0BDA993C80", "6048EFD9417CD10F6B7F1818D471A7FE5B46868D2EABDC6307A1E0AAE139D8D0"},
};

static GBytes *
unhex(const char *hex)
{
  gsize len = strlen(hex) / 2;
  guint8 *data = g_malloc(len);
  for (gsize i = 0; i < len; i++)
    data[i] =
        (guint8)(g_ascii_xdigit_value(hex[2 * i]) << 4 | g_ascii_xdigit_value(hex[2 * i + 1]));
  return g_bytes_new_take(data, len);
}

static MusterAuthenticity
verify(MusterOriginalityKeys *keys, GBytes *uid, GBytes *sig, const char **key_name)
{
  return muster_originality_verify(keys, g_bytes_get_data(uid, NULL), g_bytes_get_size(uid),
                                   g_bytes_get_data(sig, NULL), g_bytes_get_size(sig), key_name);
}

static void
test_nxp_samples(void)
{
  g_autoptr(MusterOriginalityKeys) keys = muster_originality_keys_new();
  for (gsize i = 0; i < G_N_ELEMENTS(nxp_samples); i++) {
    g_autoptr(GBytes) uid = unhex(nxp_samples[i].uid);
    g_autoptr(GBytes) sig = unhex(nxp_samples[i].signature);
    const char *key_name = NULL;
    g_assert_cmpint(verify(keys, uid, sig, &key_name), ==, MUSTER_AUTH_GENUINE);
    g_assert_cmpstr(key_name, ==, "NXP NTAG21x");
  }
}

static void
test_clones(void)
{
  g_autoptr(MusterOriginalityKeys) keys = muster_originality_keys_new();
  g_autoptr(GBytes) uid0 = unhex(nxp_samples[0].uid);
  g_autoptr(GBytes) sig0 = unhex(nxp_samples[0].signature);
  g_autoptr(GBytes) uid1 = unhex(nxp_samples[1].uid);
  /* A genuine signature copied onto another UID. */
  g_assert_cmpint(verify(keys, uid1, sig0, NULL), ==, MUSTER_AUTH_NOT_GENUINE);
  /* One bit flipped in r, then in s. */
  for (gsize bit = 0; bit < 256; bit += 131) {
    g_autoptr(GByteArray) bad = g_byte_array_new();
    g_byte_array_append(bad, g_bytes_get_data(sig0, NULL), 32);
    bad->data[bit / 8] ^= (guint8)(1u << (bit % 8));
    g_assert_cmpint(
        muster_originality_verify(keys, g_bytes_get_data(uid0, NULL), 7, bad->data, 32, NULL), ==,
        MUSTER_AUTH_NOT_GENUINE);
  }
  /* All zeros, all ones (r, s out of range), wrong lengths. */
  guint8 zeros[32] = {0}, ones[32];
  memset(ones, 0xFF, sizeof ones);
  const guint8 *u = g_bytes_get_data(uid0, NULL);
  g_assert_cmpint(muster_originality_verify(keys, u, 7, zeros, 32, NULL), ==,
                  MUSTER_AUTH_NOT_GENUINE);
  g_assert_cmpint(muster_originality_verify(keys, u, 7, ones, 32, NULL), ==,
                  MUSTER_AUTH_NOT_GENUINE);
  g_assert_cmpint(muster_originality_verify(keys, u, 7, g_bytes_get_data(sig0, NULL), 31, NULL), ==,
                  MUSTER_AUTH_NOT_GENUINE);
  g_assert_cmpint(muster_originality_verify(keys, u, 0, g_bytes_get_data(sig0, NULL), 32, NULL), ==,
                  MUSTER_AUTH_NOT_GENUINE);
}

/* A key added at run time (the emulator's test key) is trusted; a cloner's is not. */
static void
test_added_key(void)
{
  g_autoptr(MusterOriginalityKeys) keys = muster_originality_keys_new();
  g_autofree char *trusted_hex = NULL, *rogue_hex = NULL;
  EVP_PKEY *trusted = pn532_emu_test_key_new(&trusted_hex);
  EVP_PKEY *rogue = pn532_emu_test_key_new(&rogue_hex);
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_originality_keys_add(keys, "test", trusted_hex, &error));
  g_assert_no_error(error);

  static const guint8 uid[7] = {0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66};
  g_autoptr(Pn532EmuTag) tag = pn532_emu_tag_new_ntag(PN532_EMU_NTAG215, uid);
  /* READ_SIG through the emulated tag's own command handler. */
  guint8 sig[64];
  g_assert_true(pn532_emu_tag_sign(tag, trusted));
  guint8 cmd[2] = {0x3C, 0x00};
  g_assert_cmpint(pn532_emu_tag_answer(tag, cmd, 2, sig, sizeof sig), ==, 32);
  const char *name = NULL;
  g_assert_cmpint(muster_originality_verify(keys, uid, 7, sig, 32, &name), ==, MUSTER_AUTH_GENUINE);
  g_assert_cmpstr(name, ==, "test");

  g_assert_true(pn532_emu_tag_sign(tag, rogue));
  g_assert_cmpint(pn532_emu_tag_answer(tag, cmd, 2, sig, sizeof sig), ==, 32);
  g_assert_cmpint(muster_originality_verify(keys, uid, 7, sig, 32, NULL), ==,
                  MUSTER_AUTH_NOT_GENUINE);
  EVP_PKEY_free(trusted);
  EVP_PKEY_free(rogue);
}

static void
test_bad_keys(void)
{
  g_autoptr(MusterOriginalityKeys) keys = muster_originality_keys_new();
  const char *bad[] = {
      "",
      "04494E1A386D3D3CFE3DC10E5DE68A499B1C202DB5B132393E89ED19FE5BE8BC",   /* short */
      "02494E1A386D3D3CFE3DC10E5DE68A499B1C202DB5B132393E89ED19FE5BE8BC61", /* not 04 */
      "04494E1A386D3D3CFE3DC10E5DE68A499B1C202DB5B132393E89ED19FE5BE8BC62", /* off the curve */
      "04494E1A386D3D3CFE3DC10E5DE68A499B1C202DB5B132393E89ED19FE5BE8BCZZ", /* not hex */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_assert_false(muster_originality_keys_add(keys, "bad", bad[i], &error));
    g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/nfc/originality/nxp-samples", test_nxp_samples);
  g_test_add_func("/nfc/originality/clones", test_clones);
  g_test_add_func("/nfc/originality/added-key", test_added_key);
  g_test_add_func("/nfc/originality/bad-keys", test_bad_keys);
  return g_test_run();
}
