/*
 * sha256.h: streaming SHA-256 for the audit seal, through OpenSSL's libcrypto.
 *
 * The seal hashes every history row at every commit, a scan batch included, and
 * libsodium's portable SHA-256 was the largest single cost of storing a scan. libcrypto
 * uses the processor's SHA extensions where they exist. The digest is plain SHA-256
 * (FIPS 180-4) either way, so seals written on one appliance verify on another.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_SHA256_BYTES 32

typedef struct _MusterSha256 MusterSha256;

MusterSha256 *muster_sha256_new(void);
/* Starts over, for the next message (a context kept for many small ones). */
void muster_sha256_reset(MusterSha256 *h);
void muster_sha256_update(MusterSha256 *h, const void *data, gsize len);
/* Writes the digest; h may not be updated afterwards. */
void muster_sha256_final(MusterSha256 *h, guint8 digest[MUSTER_SHA256_BYTES]);
void muster_sha256_free(MusterSha256 *h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSha256, muster_sha256_free)

G_END_DECLS
