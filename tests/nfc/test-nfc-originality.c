/*
 * test-nfc-originality.c: NXP originality signatures: real NTAG21x and MIFARE Ultralight
 * EV1 UIDs with the signatures NXP gave them, each verified by the engine under the key of
 * its own family; the keys' values checked against NXP's application notes and recovered
 * from those signatures; and what a clone looks like (a signature over another UID, a
 * flipped bit, none at all, a cloner's own key).
 */
#include "core/muster-error.h"
#include "drivers/nfc/originality.h"
#include "drivers/nfc/type2.h"
#include "nfc-fixture.h"
#include "pn532-emu-private.h" /* the tag's own READ_SIG answer */

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <string.h>

#define KEY_NTAG21X "NXP NTAG21x"
#define KEY_ULTRALIGHT_EV1 "NXP MIFARE Ultralight EV1"

/* NXP's public keys, as its application notes print them: AN11350 "NTAG21x Originality
 * Signature Validation" and AN11341 "MIFARE Ultralight EV1 Originality Signature
 * Validation". Cross-checked byte for byte with proxmark3's key table
 * (client/src/crypto/originality.c, which cites both notes) and SpringCard's .NET library
 * (its ECC self-test carries the EV1 key as bytes). Typed here, not taken from the engine:
 * test_nxp_key_values shows the engine verifies with exactly these. */
static const struct {
  const char *name;
  const char *public_hex;
} nxp_keys[] = {
    {KEY_NTAG21X, "04494E1A386D3D3CFE3DC10E5DE68A499B1C202DB5B132393E89ED19FE5BE8BC61"},
    {KEY_ULTRALIGHT_EV1, "0490933BDCD6E99B4E255E3DA55389A827564E11718E017292FAF23226A96614B8"},
};

typedef struct {
  const char *uid;
  const char *signature;
  const char *key_name; /* the family whose key NXP signed it with */
} Sample;

/* Genuine tags, as published with reader tools that check the signatures: proxmark3's
 * tools/recover_pk.py self-tests (two of each family), and SpringCard's .NET library ECC
 * self-test (04CFD71A084080, an EV1). */
static const Sample nxp_samples[] = {
    {"04E10CDA993C80", "8B76052EE42F5567BEB53238B3E3F9950707C0DCC956B5C5EFCFDB709B2D82B3",
     KEY_NTAG21X},
    {"04DB0BDA993C80", "6048EFD9417CD10F6B7F1818D471A7FE5B46868D2EABDC6307A1E0AAE139D8D0",
     KEY_NTAG21X},
    {"04C1285A373080", "CEA2EB0B3C95D0844A95B824A7553703B3702378033BF0987899DB70151A19E7",
     KEY_ULTRALIGHT_EV1},
    {"04C2285A373080", "A561506723D422D29ED9F93E60D20B9ED1E05CC1BF81DA19FE500CA0B81CC0ED",
     KEY_ULTRALIGHT_EV1},
    {"04CFD71A084080", "1B27E94B9BD4AF3BDB77D2359F3F9997C2C99D04ACA61896CC199E1F4234F9F1",
     KEY_ULTRALIGHT_EV1},
};

static MusterAuthenticity
verify(MusterOriginalityKeys *keys, GBytes *uid, GBytes *sig, const char **key_name)
{
  return muster_originality_verify(keys, g_bytes_get_data(uid, NULL), g_bytes_get_size(uid),
                                   g_bytes_get_data(sig, NULL), g_bytes_get_size(sig), key_name);
}

static char *
hex_upper(const guint8 *data, gsize len)
{
  GString *hex = g_string_sized_new(2 * len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf(hex, "%02X", data[i]);
  return g_string_free(hex, FALSE);
}

/* Every sample is genuine, and the engine names the key of the sample's own family: an
 * engine that dropped the EV1 key, loaded the NTAG21x key twice or swapped the names fails
 * here. */
static void
test_nxp_samples(void)
{
  g_autoptr(MusterOriginalityKeys) keys = muster_originality_keys_new();
  for (gsize i = 0; i < G_N_ELEMENTS(nxp_samples); i++) {
    g_autoptr(GBytes) uid = nfc_fixture_unhex(nxp_samples[i].uid);
    g_autoptr(GBytes) sig = nfc_fixture_unhex(nxp_samples[i].signature);
    const char *key_name = NULL;
    g_test_message("sample %s", nxp_samples[i].uid);
    g_assert_cmpint(verify(keys, uid, sig, &key_name), ==, MUSTER_AUTH_GENUINE);
    g_assert_cmpstr(key_name, ==, nxp_samples[i].key_name);
  }
}

/* The public keys that can have made sig over uid: ECDSA public key recovery (SEC 1
 * v2, 4.1.6), Q = r^-1 (s R - z G) for each point R whose x is r. z is the UID itself: it
 * is shorter than the curve order, and NXP signs it without a hash. x = r + n is not tried:
 * on secp128r1 it exceeds p unless r < p - n, about 2^96 (one r in 2^32). */
static GPtrArray *
recover_public_keys(GBytes *uid, GBytes *sig)
{
  GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
  EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_secp128r1);
  BN_CTX *ctx = BN_CTX_new();
  g_assert_nonnull(group);
  g_assert_nonnull(ctx);
  BN_CTX_start(ctx);
  BIGNUM *r = BN_CTX_get(ctx), *s = BN_CTX_get(ctx), *z = BN_CTX_get(ctx);
  BIGNUM *r_inv = BN_CTX_get(ctx), *u1 = BN_CTX_get(ctx), *u2 = BN_CTX_get(ctx);
  BIGNUM *zero = BN_CTX_get(ctx);
  g_assert_nonnull(zero); /* BN_CTX_get fails for good once it fails */
  gsize uid_len = 0;
  const guint8 *u = g_bytes_get_data(uid, &uid_len), *rs = g_bytes_get_data(sig, NULL);
  const BIGNUM *n = EC_GROUP_get0_order(group);
  BN_zero(zero);
  g_assert_nonnull(BN_bin2bn(rs, 16, r));
  g_assert_nonnull(BN_bin2bn(rs + 16, 16, s));
  g_assert_nonnull(BN_bin2bn(u, (int)uid_len, z));
  g_assert_nonnull(BN_mod_inverse(r_inv, r, n, ctx));
  /* Q = u1 G + u2 R with u1 = -z r^-1, u2 = s r^-1 (mod n). */
  g_assert_true(BN_mod_mul(u1, z, r_inv, n, ctx) == 1 && BN_mod_sub(u1, zero, u1, n, ctx) == 1 &&
                BN_mod_mul(u2, s, r_inv, n, ctx) == 1);
  EC_POINT *R = EC_POINT_new(group), *Q = EC_POINT_new(group);
  g_assert_true(R != NULL && Q != NULL);
  for (int y_bit = 0; y_bit < 2; y_bit++) {
    if (EC_POINT_set_compressed_coordinates(group, R, r, y_bit, ctx) != 1)
      continue; /* no point has x = r */
    guint8 point[33];
    g_assert_cmpint(EC_POINT_mul(group, Q, u1, R, u2, ctx), ==, 1);
    g_assert_cmpuint(
        EC_POINT_point2oct(group, Q, POINT_CONVERSION_UNCOMPRESSED, point, sizeof point, ctx), ==,
        sizeof point);
    g_ptr_array_add(found, hex_upper(point, sizeof point));
  }
  ERR_clear_error();
  EC_POINT_free(Q);
  EC_POINT_free(R);
  BN_CTX_end(ctx);
  BN_CTX_free(ctx);
  EC_GROUP_free(group);
  return found;
}

/* The key each family's genuine signatures were made with, recovered from them alone, is
 * the one NXP's application note prints. No key but those recovered verifies a signature
 * (every sample's r is far above 2^96), and the engine verifies all of a family's samples
 * under that family's entry (test_nxp_samples): so the key the engine loads for the family
 * is that value too, byte for byte. */
static void
test_nxp_key_values(void)
{
  for (gsize k = 0; k < G_N_ELEMENTS(nxp_keys); k++) {
    g_autoptr(GPtrArray) common = NULL; /* keys that fit every sample so far */
    for (gsize i = 0; i < G_N_ELEMENTS(nxp_samples); i++) {
      if (strcmp(nxp_samples[i].key_name, nxp_keys[k].name) != 0)
        continue;
      g_autoptr(GBytes) uid = nfc_fixture_unhex(nxp_samples[i].uid);
      g_autoptr(GBytes) sig = nfc_fixture_unhex(nxp_samples[i].signature);
      g_autoptr(GPtrArray) candidates = recover_public_keys(uid, sig);
      g_assert_cmpuint(candidates->len, >, 0);
      if (common == NULL) {
        common = g_steal_pointer(&candidates);
        continue;
      }
      for (guint c = common->len; c-- > 0;)
        if (!g_ptr_array_find_with_equal_func(candidates, g_ptr_array_index(common, c), g_str_equal,
                                              NULL))
          g_ptr_array_remove_index(common, c);
    }
    g_test_message("%s", nxp_keys[k].name);
    g_assert_nonnull(common);
    g_assert_cmpuint(common->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(common, 0), ==, nxp_keys[k].public_hex);
  }
}

static void
test_clones(void)
{
  g_autoptr(MusterOriginalityKeys) keys = muster_originality_keys_new();
  g_autoptr(GBytes) uid0 = nfc_fixture_unhex(nxp_samples[0].uid);
  g_autoptr(GBytes) sig0 = nfc_fixture_unhex(nxp_samples[0].signature);
  /* A genuine signature copied onto another UID of the same family: NTAG21x, EV1. */
  for (gsize i = 0; i + 1 < G_N_ELEMENTS(nxp_samples); i += 2) {
    g_autoptr(GBytes) sig = nfc_fixture_unhex(nxp_samples[i].signature);
    g_autoptr(GBytes) other = nfc_fixture_unhex(nxp_samples[i + 1].uid);
    g_assert_cmpstr(nxp_samples[i].key_name, ==, nxp_samples[i + 1].key_name);
    g_assert_cmpint(verify(keys, other, sig, NULL), ==, MUSTER_AUTH_NOT_GENUINE);
  }
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

/* A key added at run time (the emulator's test key) is trusted; a cloner's is not. Both
 * families, through the emulated tag's own GET_VERSION and READ_SIG answers: the product
 * the reader would name, then the signature it would check. */
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
  g_autoptr(Pn532EmuTag) ntag = pn532_emu_tag_new_ntag(PN532_EMU_NTAG215, uid);
  g_autoptr(Pn532EmuTag) ev1 = pn532_emu_tag_new_ultralight_ev1(PN532_EMU_MF0UL11, uid);
  const struct {
    Pn532EmuTag *tag;
    const char *product;
  } cases[] = {{ntag, "ntag215"}, {ev1, "ultralight-ev1"}};
  static const guint8 get_version[1] = {0x60}, read_sig[2] = {0x3C, 0x00};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Pn532EmuTag *tag = cases[i].tag;
    guint8 answer[64];
    gboolean is_signed = FALSE;
    g_assert_cmpint(pn532_emu_tag_answer(tag, get_version, 1, answer, sizeof answer), ==, 8);
    g_assert_cmpstr(muster_type2_identify(answer, 8, &is_signed), ==, cases[i].product);
    g_assert_true(is_signed);

    g_assert_true(pn532_emu_tag_sign(tag, trusted));
    g_assert_cmpint(pn532_emu_tag_answer(tag, read_sig, 2, answer, sizeof answer), ==, 32);
    const char *name = NULL;
    g_assert_cmpint(muster_originality_verify(keys, uid, 7, answer, 32, &name), ==,
                    MUSTER_AUTH_GENUINE);
    g_assert_cmpstr(name, ==, "test");

    g_assert_true(pn532_emu_tag_sign(tag, rogue));
    g_assert_cmpint(pn532_emu_tag_answer(tag, read_sig, 2, answer, sizeof answer), ==, 32);
    g_assert_cmpint(muster_originality_verify(keys, uid, 7, answer, 32, NULL), ==,
                    MUSTER_AUTH_NOT_GENUINE);
  }
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
  g_test_add_func("/nfc/originality/nxp-key-values", test_nxp_key_values);
  g_test_add_func("/nfc/originality/clones", test_clones);
  g_test_add_func("/nfc/originality/added-key", test_added_key);
  g_test_add_func("/nfc/originality/bad-keys", test_bad_keys);
  return g_test_run();
}
