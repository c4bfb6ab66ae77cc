/*
 * sha256.c: SHA-256 through OpenSSL's EVP interface.
 *
 * Why libcrypto and not libsodium here: libsodium's SHA-256 is portable C, about ten
 * times slower than libcrypto's SHA-extension code, and the seal hashes every row a
 * scan batch adds. The SHA256 method is fetched once; each hash gets its own context.
 * A failure inside libcrypto means it cannot hash at all, which the seal cannot work
 * around, so it aborts with the library's reason rather than write a wrong digest.
 */
#include "core/sha256.h"

#include <openssl/err.h>
#include <openssl/evp.h>

struct _MusterSha256 {
  EVP_MD_CTX *ctx;
};

static const EVP_MD *
sha256_method(void)
{
  static gsize once = 0;
  static EVP_MD *md;
  if (g_once_init_enter(&once)) {
    md = EVP_MD_fetch(NULL, "SHA256", NULL);
    g_once_init_leave(&once, 1);
  }
  return md;
}

static void
check(int ok, const char *what)
{
  if (ok == 1)
    return;
  char reason[256];
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  g_error("SHA-256 %s failed in libcrypto: %s", what, reason);
}

MusterSha256 *
muster_sha256_new(void)
{
  MusterSha256 *h = g_new0(MusterSha256, 1);
  const EVP_MD *md = sha256_method();
  check(md != NULL, "fetch");
  h->ctx = EVP_MD_CTX_new();
  check(h->ctx != NULL, "context");
  check(EVP_DigestInit_ex2(h->ctx, md, NULL), "init");
  return h;
}

void
muster_sha256_reset(MusterSha256 *h)
{
  check(EVP_DigestInit_ex2(h->ctx, sha256_method(), NULL), "init");
}

void
muster_sha256_update(MusterSha256 *h, const void *data, gsize len)
{
  if (len > 0)
    check(EVP_DigestUpdate(h->ctx, data, len), "update");
}

void
muster_sha256_final(MusterSha256 *h, guint8 digest[MUSTER_SHA256_BYTES])
{
  unsigned int n = 0;
  check(EVP_DigestFinal_ex(h->ctx, digest, &n), "final");
  g_assert(n == MUSTER_SHA256_BYTES);
}

void
muster_sha256_free(MusterSha256 *h)
{
  if (h == NULL)
    return;
  EVP_MD_CTX_free(h->ctx);
  g_free(h);
}
