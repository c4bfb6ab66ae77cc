/*
 * keys.h: an Ed25519 signing key (libsodium), kept in a file only its owner can read.
 *
 * The appliance signs every batch it sends with its own key; the registry signs every
 * answer with its key. A key is made the first time it is asked for and never
 * replaced silently: a key file that exists but cannot be read, or is readable by
 * others, is an error (a registry would reject a new key anyway, and a readable secret
 * key must be treated as leaked). The file holds the 64-byte secret key in base64.
 */
#pragma once
#include <glib.h>
#include <sodium.h>

G_BEGIN_DECLS

typedef struct {
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
} MusterSyncKey;

void muster_sync_key_free(MusterSyncKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterSyncKey, muster_sync_key_free)

/* Loads the key in path, creating it (mode 0600, parent must exist) if it is missing. */
MusterSyncKey *muster_sync_key_load_or_create(const char *path, GError **error);
/* Loads an existing key only. */
MusterSyncKey *muster_sync_key_load(const char *path, GError **error);

/* The key file of an appliance database: "<db>.sync-key" beside it. */
char *muster_sync_key_path_for_db(const char *db_path);

/* The public key in base64 (what the registry is told at enrolment). */
char *muster_sync_key_public_b64(const MusterSyncKey *key);
/* Parses a base64 public key; FALSE with an error saying what is wrong. */
gboolean muster_sync_public_key_parse(const char *b64, guint8 out[crypto_sign_PUBLICKEYBYTES],
                                      GError **error);

/* Detached signatures over exactly these bytes, in base64. */
char *muster_sync_sign_b64(const MusterSyncKey *key, const void *data, gsize len);
gboolean muster_sync_verify_b64(const guint8 public_key[crypto_sign_PUBLICKEYBYTES],
                                const void *data, gsize len, const char *signature_b64);

G_END_DECLS
