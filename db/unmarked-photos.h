/*
 * unmarked-photos.h: photos of unmarked items, as bytes in the record store.
 *
 * An unmarked weapon is a finding that must be kept for decades and be tamper-evident.
 * A path to a file is neither, so the photo's bytes are stored (table unmarked_photo,
 * migration 005) with their SHA-256, in the same transaction as the item they show
 * (muster_counts_record_unmarked_photo() in db/counts.h). The digest goes into the audit
 * entry and the outbox event of the item; the rows themselves are sealed into the audit
 * chain, so `muster audit verify` finds a photo altered later, and reading a photo back
 * checks its bytes against its digest again.
 *
 * Only PNG and JPEG are accepted, recognised by their magic bytes (whatever a file is
 * called), at most MUSTER_PHOTO_MAX_BYTES. Width and height come from the image header
 * (PNG's IHDR, JPEG's start-of-frame) when it says; nothing else is decoded here.
 *
 * Roles: whoever may record the unmarked item adds its photo (the same check, the same
 * transaction). Reading needs no role, as reading the discrepancy it belongs to.
 */
#pragma once
#include "db/store.h"
#include "db/users.h"

G_BEGIN_DECLS

#define MUSTER_PHOTO_MAX_BYTES (8 * 1024 * 1024)

/* What the engine finds in a photo's bytes. */
typedef struct {
  const char *media_type; /* "image/png" or "image/jpeg" (static) */
  guint width;            /* 0 when the header does not say */
  guint height;
  gsize size;
  char sha256[65]; /* lowercase hex */
} MusterPhotoFacts;

/* Checks bytes: not empty, at most MUSTER_PHOTO_MAX_BYTES, a PNG or a JPEG by its
 * magic bytes (a PNG with an intact header); media_type, when not NULL, must be what
 * the bytes are. INVALID with a message saying what is wrong and what is accepted. */
gboolean muster_photo_inspect(GBytes *bytes, const char *media_type, MusterPhotoFacts *facts,
                              GError **error);

/* A photo to store with an unmarked item. */
typedef struct {
  GBytes *bytes;
  const char *media_type; /* NULL: whatever the bytes are */
  gint64 taken_at_us;     /* wall clock when taken; 0: when it is stored */
} MusterPhotoInput;

/* For db/counts.c, inside its transaction: appends photo (already inspected into facts)
 * to unmarked item unmarked_id, taken by actor. taken_at is ISO 8601 UTC. */
gboolean muster_unmarked_photos_insert(MusterStore *store, gint64 unmarked_id,
                                       const MusterUser *actor, GBytes *bytes,
                                       const MusterPhotoFacts *facts, const char *taken_at,
                                       char **uuid_out, GError **error);

typedef struct {
  gint64 id;
  char *uuid;
  char *unmarked_uuid;
  char *media_type;
  GBytes *bytes;
  char *sha256;
  guint width; /* 0 when unknown */
  guint height;
  char *taken_at;
  char *taken_by; /* user name */
} MusterUnmarkedPhoto;

void muster_unmarked_photo_free(MusterUnmarkedPhoto *photo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterUnmarkedPhoto, muster_unmarked_photo_free)

/* The newest photo of the unmarked item with this uuid. NOT_FOUND when it has none (or
 * there is no such item); TAMPERED when its bytes no longer match their SHA-256. */
MusterUnmarkedPhoto *muster_unmarked_photos_get(MusterStore *store, const char *unmarked_uuid,
                                                GError **error);

G_END_DECLS
