/*
 * unmarked-photos.c: checking, storing and reading photos of unmarked items (see
 * unmarked-photos.h).
 *
 * The format check reads only the magic bytes and the header that carries the size (a
 * PNG's IHDR chunk, a JPEG's start-of-frame segment): the engine keeps the bytes as
 * given and never decodes a picture, so a crafted image cannot reach an image decoder
 * here. Screens decode it when they show it.
 */
#include "db/unmarked-photos.h"
#include "core/i18n.h"
#include "core/sha256.h"
#include "db/store-private.h"

#include <string.h>

static const guint8 png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static guint32
be32(const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static guint
be16(const guint8 *p)
{
  return (guint)p[0] << 8 | p[1];
}

/* A PNG's first chunk is IHDR (13 bytes): width and height, each 1..2^31-1. */
static gboolean
png_size(const guint8 *data, gsize len, MusterPhotoFacts *facts, GError **error)
{
  if (len < 24 || be32(data + 8) != 13 || memcmp(data + 12, "IHDR", 4) != 0 ||
      be32(data + 16) == 0 || be32(data + 20) == 0 || be32(data + 16) > G_MAXINT32 ||
      be32(data + 20) > G_MAXINT32) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The photo starts like a PNG image but its header is damaged (no valid IHDR "
                  "chunk): save the picture again as PNG or JPEG."));
    return FALSE;
  }
  facts->width = be32(data + 16);
  facts->height = be32(data + 20);
  return TRUE;
}

/* Start-of-frame markers carry the size: C0..CF except DHT (C4), JPG (C8) and DAC (CC). */
static gboolean
is_sof(guint marker)
{
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

/* Walks the segments before the image data for a start of frame. A JPEG whose header
 * does not give its size is still a JPEG: width and height stay 0 (unknown). */
static void
jpeg_size(const guint8 *data, gsize len, MusterPhotoFacts *facts)
{
  gsize pos = 2;
  while (pos + 1 < len && data[pos] == 0xff) {
    while (pos < len && data[pos] == 0xff) /* fill bytes */
      pos++;
    if (pos >= len)
      return;
    guint marker = data[pos++];
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8))
      continue; /* markers without a segment */
    if (marker == 0xd9 || marker == 0xda || pos + 2 > len)
      return; /* end of image or start of scan: no frame header before it */
    guint seglen = be16(data + pos);
    if (seglen < 2 || pos + seglen > len)
      return;
    if (is_sof(marker) && seglen >= 7) {
      facts->height = be16(data + pos + 3);
      facts->width = be16(data + pos + 5);
      if (facts->width == 0 || facts->height == 0)
        facts->width = facts->height = 0; /* height 0: defined later (DNL), say unknown */
      return;
    }
    pos += seglen;
  }
}

static void
sha256_hex(const guint8 *data, gsize len, char out[65])
{
  g_autoptr(MusterSha256) sha = muster_sha256_new();
  guint8 digest[MUSTER_SHA256_BYTES];
  muster_sha256_update(sha, data, len);
  muster_sha256_final(sha, digest);
  for (guint i = 0; i < MUSTER_SHA256_BYTES; i++)
    g_snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static gboolean
check_size(gsize len, GError **error)
{
  if (len == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The photo is empty: take it again, or give a PNG or JPEG file."));
    return FALSE;
  }
  if (len > MUSTER_PHOTO_MAX_BYTES) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The photo is %.1f MiB; at most %d MiB is kept: save it at a lower "
                  "resolution or as a JPEG."),
                (double)len / (1024 * 1024), MUSTER_PHOTO_MAX_BYTES / (1024 * 1024));
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_format(const guint8 *data, gsize len, MusterPhotoFacts *facts, GError **error)
{
  if (len >= sizeof png_magic && memcmp(data, png_magic, sizeof png_magic) == 0) {
    facts->media_type = "image/png";
    return png_size(data, len, facts, error);
  }
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) {
    facts->media_type = "image/jpeg";
    jpeg_size(data, len, facts);
    return TRUE;
  }
  GString *start = g_string_new(NULL);
  for (gsize i = 0; i < MIN(len, 8); i++)
    g_string_append_printf(start, "%s%02x", i ? " " : "", data[i]);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              _("The photo is not a PNG or JPEG image (it starts with bytes %s): give a "
                "picture saved as PNG or JPEG."),
              start->str);
  g_string_free(start, TRUE);
  return FALSE;
}

gboolean
muster_photo_inspect(GBytes *bytes, const char *media_type, MusterPhotoFacts *facts, GError **error)
{
  memset(facts, 0, sizeof *facts);
  gsize len = 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data(bytes, &len) : NULL;
  if (!check_size(len, error) || !check_format(data, len, facts, error))
    return FALSE;
  if (media_type != NULL && g_ascii_strcasecmp(media_type, facts->media_type) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The photo was given as %s but its bytes are %s: give the right type, or "
                  "none and let the bytes say."),
                media_type, facts->media_type);
    return FALSE;
  }
  facts->size = len;
  sha256_hex(data, len, facts->sha256);
  return TRUE;
}

static void
bind_size(sqlite3_stmt *stmt, int idx, guint value)
{
  if (value > 0)
    sqlite3_bind_int64(stmt, idx, value);
  else
    sqlite3_bind_null(stmt, idx);
}

gboolean
muster_unmarked_photos_insert(MusterStore *store, gint64 unmarked_id, const MusterUser *actor,
                              GBytes *bytes, const MusterPhotoFacts *facts, const char *taken_at,
                              char **uuid_out, GError **error)
{
  g_return_val_if_fail(muster_store_in_transaction(store), FALSE);
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "INSERT INTO unmarked_photo (uuid, unmarked_id, media_type, bytes, sha256, width,"
      " height, taken_at, taken_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *uuid = muster_uuid_new();
  gsize len = 0;
  const void *data = g_bytes_get_data(bytes, &len);
  sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, unmarked_id);
  sqlite3_bind_text(stmt, 3, facts->media_type, -1, SQLITE_STATIC);
  sqlite3_bind_blob64(stmt, 4, data, len, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 5, facts->sha256, -1, SQLITE_TRANSIENT);
  bind_size(stmt, 6, facts->width);
  bind_size(stmt, 7, facts->height);
  sqlite3_bind_text(stmt, 8, taken_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 9, actor->id);
  gboolean ok = muster_store_step_done(store, stmt, "Storing the photo", error);
  /* The statement is cached: it must not keep pointing at the caller's bytes. */
  sqlite3_clear_bindings(stmt);
  if (ok && uuid_out != NULL)
    *uuid_out = g_steal_pointer(&uuid);
  return ok;
}

void
muster_unmarked_photo_free(MusterUnmarkedPhoto *photo)
{
  if (photo == NULL)
    return;
  g_free(photo->uuid);
  g_free(photo->unmarked_uuid);
  g_free(photo->media_type);
  g_clear_pointer(&photo->bytes, g_bytes_unref);
  g_free(photo->sha256);
  g_free(photo->taken_at);
  g_free(photo->taken_by);
  g_free(photo);
}

static MusterUnmarkedPhoto *
photo_from_row(sqlite3_stmt *stmt)
{
  MusterUnmarkedPhoto *p = g_new0(MusterUnmarkedPhoto, 1);
  p->id = sqlite3_column_int64(stmt, 0);
  p->uuid = muster_column_dup(stmt, 1);
  p->unmarked_uuid = muster_column_dup(stmt, 2);
  p->media_type = muster_column_dup(stmt, 3);
  p->bytes = g_bytes_new(sqlite3_column_blob(stmt, 4), (gsize)sqlite3_column_bytes(stmt, 4));
  p->sha256 = muster_column_dup(stmt, 5);
  p->width = (guint)CLAMP(sqlite3_column_int64(stmt, 6), 0, G_MAXUINT);
  p->height = (guint)CLAMP(sqlite3_column_int64(stmt, 7), 0, G_MAXUINT);
  p->taken_at = muster_column_dup(stmt, 8);
  p->taken_by = muster_column_dup(stmt, 9);
  return p;
}

/* The bytes must still be what was recorded: the seal finds an edit at the next audit
 * verify, this finds it the moment someone looks at the photo. */
static gboolean
check_digest(const MusterUnmarkedPhoto *p, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(p->bytes, &len);
  char got[65];
  sha256_hex(data, len, got);
  if (g_strcmp0(got, p->sha256) == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
              _("Photo %s of unmarked item %s does not match the SHA-256 recorded with it: it "
                "was changed outside Muster. Keep this database file as evidence and run "
                "'muster audit verify'."),
              p->uuid, p->unmarked_uuid);
  return FALSE;
}

MusterUnmarkedPhoto *
muster_unmarked_photos_get(MusterStore *store, const char *unmarked_uuid, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store,
      "SELECT p.id, p.uuid, u.uuid, p.media_type, p.bytes, p.sha256, p.width, p.height,"
      " p.taken_at, a.name FROM unmarked_item u JOIN unmarked_photo p"
      " ON p.unmarked_id = u.id JOIN app_user a ON a.id = p.taken_by"
      " WHERE u.uuid = ? ORDER BY p.id DESC LIMIT 1",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text(stmt, 1, unmarked_uuid != NULL ? unmarked_uuid : "", -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  g_autoptr(MusterUnmarkedPhoto) p = rc == SQLITE_ROW ? photo_from_row(stmt) : NULL;
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND, _("Unmarked item %s has no photo."),
                unmarked_uuid != NULL ? unmarked_uuid : "");
    return NULL;
  }
  if (rc != SQLITE_ROW) {
    muster_store_fail(store, rc, "Reading the photo of an unmarked item", error);
    return NULL;
  }
  if (!check_digest(p, error))
    return NULL;
  return g_steal_pointer(&p);
}
