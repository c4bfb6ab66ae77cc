/*
 * originality.c: NXP originality signature verification (see originality.h).
 */
#include "drivers/nfc/originality.h"
#include "core/muster-error.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <string.h>

typedef struct {
  const char *name;
  const char *public_hex;
} KnownKey;

/* NXP's originality keys (secp128r1, uncompressed points). NTAG21x: AN11350 "NTAG21x
 * Originality Signature Validation". MIFARE Ultralight EV1: published with the MF0ULx1
 * documentation and used by the usual reader tools. */
static const KnownKey nxp_keys[] = {
    {"NXP NTAG21x", "04494E1A386D3D3CFE3DC10E5DE68A499B1C202DB5B132393E89ED19FE5BE8BC61"},
    {"NXP MIFARE Ultralight EV1",
     "0490933BDCD6E99B4E255E3DA55389A827564E11718E017292FAF23226A96614B8"},
};

typedef struct {
  char *name;
  EVP_PKEY *pkey;
} TrustedKey;

struct _MusterOriginalityKeys {
  GMutex lock;
  GArray *keys; /* TrustedKey */
};

static void
trusted_key_clear(gpointer data)
{
  TrustedKey *k = data;
  g_free(k->name);
  EVP_PKEY_free(k->pkey);
}

static EVP_PKEY *
pkey_from_point(const guint8 *point, gsize len)
{
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
  EVP_PKEY *pkey = NULL;
  if (bld != NULL && ctx != NULL &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "secp128r1", 0) &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, len) &&
      (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
    pkey = NULL;
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

/* fromdata accepts a point off the curve; a public key check refuses it. */
static gboolean
pkey_is_valid(EVP_PKEY *pkey)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
  gboolean ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

gboolean
muster_originality_keys_add(MusterOriginalityKeys *keys, const char *name, const char *public_hex,
                            GError **error)
{
  guint8 point[33];
  gsize len = strlen(public_hex);
  gboolean hex_ok = len == 2 * sizeof point;
  for (gsize i = 0; hex_ok && i < sizeof point; i++) {
    int hi = g_ascii_xdigit_value(public_hex[2 * i]);
    int lo = g_ascii_xdigit_value(public_hex[2 * i + 1]);
    hex_ok = hi >= 0 && lo >= 0;
    point[i] = hex_ok ? (guint8)(hi << 4 | lo) : 0;
  }
  EVP_PKEY *pkey = hex_ok && point[0] == 0x04 ? pkey_from_point(point, sizeof point) : NULL;
  if (pkey == NULL || !pkey_is_valid(pkey)) {
    EVP_PKEY_free(pkey);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Originality key “%s” is not a secp128r1 public key (expected 66 hex digits "
                "of an uncompressed point starting 04 and on the curve)",
                name);
    return FALSE;
  }
  TrustedKey k = {g_strdup(name), pkey};
  g_mutex_lock(&keys->lock);
  g_array_append_val(keys->keys, k);
  g_mutex_unlock(&keys->lock);
  return TRUE;
}

MusterOriginalityKeys *
muster_originality_keys_new(void)
{
  MusterOriginalityKeys *keys = g_new0(MusterOriginalityKeys, 1);
  g_mutex_init(&keys->lock);
  keys->keys = g_array_new(FALSE, FALSE, sizeof(TrustedKey));
  g_array_set_clear_func(keys->keys, trusted_key_clear);
  for (gsize i = 0; i < G_N_ELEMENTS(nxp_keys); i++) {
    g_autoptr(GError) error = NULL;
    if (!muster_originality_keys_add(keys, nxp_keys[i].name, nxp_keys[i].public_hex, &error))
      g_critical("%s", error->message); /* a typo in the table above */
  }
  return keys;
}

void
muster_originality_keys_free(MusterOriginalityKeys *keys)
{
  if (keys == NULL)
    return;
  g_array_unref(keys->keys);
  g_mutex_clear(&keys->lock);
  g_free(keys);
}

/* r || s as the DER ECDSA-Sig-Value that EVP_PKEY_verify takes; NULL on failure. */
static GBytes *
signature_to_der(const guint8 *signature)
{
  ECDSA_SIG *sig = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(signature, 16, NULL), *s = BN_bin2bn(signature + 16, 16, NULL);
  if (sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return NULL;
  }
  unsigned char *der = NULL;
  int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0)
    return NULL;
  GBytes *bytes = g_bytes_new(der, (gsize)len);
  OPENSSL_free(der);
  return bytes;
}

static gboolean
verify_one(EVP_PKEY *pkey, const guint8 *uid, gsize uid_len, GBytes *der)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
  gsize der_len = 0;
  const guint8 *der_data = g_bytes_get_data(der, &der_len);
  /* No digest: the UID itself is the message representative (AN11350). */
  gboolean ok = ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
                EVP_PKEY_verify(ctx, der_data, der_len, uid, uid_len) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

MusterAuthenticity
muster_originality_verify(MusterOriginalityKeys *keys, const guint8 *uid, gsize uid_len,
                          const guint8 *signature, gsize signature_len, const char **key_name)
{
  if (key_name != NULL)
    *key_name = NULL;
  if (signature_len != MUSTER_ORIGINALITY_SIGNATURE_SIZE || uid_len == 0)
    return MUSTER_AUTH_NOT_GENUINE;
  g_autoptr(GBytes) der = signature_to_der(signature);
  if (der == NULL)
    return MUSTER_AUTH_NOT_GENUINE;
  MusterAuthenticity verdict = MUSTER_AUTH_NOT_GENUINE;
  g_mutex_lock(&keys->lock);
  for (guint i = 0; i < keys->keys->len; i++) {
    TrustedKey *k = &g_array_index(keys->keys, TrustedKey, i);
    if (verify_one(k->pkey, uid, uid_len, der)) {
      verdict = MUSTER_AUTH_GENUINE;
      if (key_name != NULL)
        *key_name = k->name; /* the table lives as long as keys */
      break;
    }
  }
  g_mutex_unlock(&keys->lock);
  ERR_clear_error();
  return verdict;
}
