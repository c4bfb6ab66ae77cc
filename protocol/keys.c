/*
 * keys.c: Ed25519 keys in files. See keys.h.
 */
#include "protocol/keys.h"

#include "core/muster-error.h"
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

void
muster_sync_key_free(MusterSyncKey *key)
{
  if (key == NULL)
    return;
  sodium_memzero(key, sizeof *key);
  g_free(key);
}

char *
muster_sync_key_path_for_db(const char *db_path)
{
  return g_strconcat(db_path, ".sync-key", NULL);
}

static gboolean
sodium_ready(GError **error)
{
  if (sodium_init() < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED,
                "libsodium could not initialise (no entropy source?)");
    return FALSE;
  }
  return TRUE;
}

MusterSyncKey *
muster_sync_key_load(const char *path, GError **error)
{
  if (!sodium_ready(error))
    return NULL;
  GStatBuf st;
  if (g_stat(path, &st) != 0) {
    g_set_error(error, MUSTER_ERROR, errno == ENOENT ? MUSTER_ERROR_NOT_FOUND : MUSTER_ERROR_IO,
                "Reading the sync key %s: %s", path, g_strerror(errno));
    return NULL;
  }
  if ((st.st_mode & 077) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                "The sync key %s is readable by others (mode %03o): treat it as leaked, "
                "make a new key and enrol it with the registry again.",
                path, (unsigned)(st.st_mode & 0777));
    return NULL;
  }
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, error)) {
    g_prefix_error(error, "Reading the sync key: ");
    return NULL;
  }
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode(g_strstrip(text), &len);
  g_autoptr(MusterSyncKey) key = g_new0(MusterSyncKey, 1);
  if (len != sizeof key->secret_key) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The sync key %s is damaged (%zu bytes, not %zu). Restore it from a backup; "
                "a new key must be enrolled with the registry again.",
                path, len, sizeof key->secret_key);
    return NULL;
  }
  memcpy(key->secret_key, raw, len);
  sodium_memzero(raw, len);
  crypto_sign_ed25519_sk_to_pk(key->public_key, key->secret_key);
  return g_steal_pointer(&key);
}

static gboolean
write_new_key(const char *path, const MusterSyncKey *key, GError **error)
{
  int fd = g_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Creating the sync key %s: %s", path,
                g_strerror(errno));
    return FALSE;
  }
  g_autofree char *b64 = g_base64_encode(key->secret_key, sizeof key->secret_key);
  g_autofree char *line = g_strconcat(b64, "\n", NULL);
  gsize len = strlen(line);
  gboolean ok = write(fd, line, len) == (gssize)len && fsync(fd) == 0;
  int saved = errno;
  close(fd);
  sodium_memzero(b64, strlen(b64));
  sodium_memzero(line, len);
  if (!ok) {
    g_unlink(path);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_IO, "Writing the sync key %s: %s", path,
                g_strerror(saved));
  }
  return ok;
}

MusterSyncKey *
muster_sync_key_load_or_create(const char *path, GError **error)
{
  if (!sodium_ready(error))
    return NULL;
  if (g_file_test(path, G_FILE_TEST_EXISTS))
    return muster_sync_key_load(path, error);
  g_autoptr(MusterSyncKey) key = g_new0(MusterSyncKey, 1);
  crypto_sign_keypair(key->public_key, key->secret_key);
  if (!write_new_key(path, key, error))
    return NULL;
  return g_steal_pointer(&key);
}

char *
muster_sync_key_public_b64(const MusterSyncKey *key)
{
  return g_base64_encode(key->public_key, sizeof key->public_key);
}

gboolean
muster_sync_public_key_parse(const char *b64, guint8 out[crypto_sign_PUBLICKEYBYTES],
                             GError **error)
{
  gsize len = 0;
  g_autofree guchar *raw = b64 != NULL ? g_base64_decode(b64, &len) : NULL;
  if (len != crypto_sign_PUBLICKEYBYTES) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "\"%s\" is not an Ed25519 public key (base64 of %d bytes)", b64 ? b64 : "",
                crypto_sign_PUBLICKEYBYTES);
    return FALSE;
  }
  memcpy(out, raw, len);
  return TRUE;
}

char *
muster_sync_sign_b64(const MusterSyncKey *key, const void *data, gsize len)
{
  guint8 sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, NULL, data, len, key->secret_key);
  return g_base64_encode(sig, sizeof sig);
}

gboolean
muster_sync_verify_b64(const guint8 public_key[crypto_sign_PUBLICKEYBYTES], const void *data,
                       gsize len, const char *signature_b64)
{
  gsize slen = 0;
  g_autofree guchar *sig = signature_b64 != NULL ? g_base64_decode(signature_b64, &slen) : NULL;
  return slen == crypto_sign_BYTES && crypto_sign_verify_detached(sig, data, len, public_key) == 0;
}
