/*
 * originality.h: NXP originality signatures (NTAG21x, MIFARE Ultralight EV1).
 *
 * At the factory NXP signs each chip's 7-byte UID with ECDSA on secp128r1, without
 * hashing; READ_SIG (0x3C 0x00) returns the 32-byte signature r || s. A clone can copy
 * the UID and the memory, but a chip that lets its UID be written (a "magic" clone) either
 * has no signature or one that does not verify for its UID, unless the whole genuine
 * signature was copied along with the UID: the check proves the UID was issued by NXP, not
 * that this chip is the one it was issued to.
 *
 * The trusted keys are a table of NXP's published public keys; more can be added (a test
 * key for the emulator, a vendor's own key). Verification uses OpenSSL's libcrypto:
 * libsodium has no secp128r1.
 */
#pragma once
#include "scan/scan.h"
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_ORIGINALITY_SIGNATURE_SIZE 32

typedef struct _MusterOriginalityKeys MusterOriginalityKeys;

/* NXP's published keys. */
MusterOriginalityKeys *muster_originality_keys_new(void);
void muster_originality_keys_free(MusterOriginalityKeys *keys);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterOriginalityKeys, muster_originality_keys_free)

/* Adds a trusted secp128r1 public key, uncompressed point as hex ("04" + 64 digits).
 * FALSE with MUSTER_ERROR_INVALID when it is not a point on the curve. Thread-safe. */
gboolean muster_originality_keys_add(MusterOriginalityKeys *keys, const char *name,
                                     const char *public_hex, GError **error);

/* GENUINE when a trusted key verifies signature over uid (*key_name then names it),
 * NOT_GENUINE otherwise (a wrong length included). Thread-safe. */
MusterAuthenticity muster_originality_verify(MusterOriginalityKeys *keys, const guint8 *uid,
                                             gsize uid_len, const guint8 *signature,
                                             gsize signature_len, const char **key_name);

G_END_DECLS
