/*
 * count-unmarked.c: items found without any marking, recorded in an open count.
 *
 * An unmarked weapon is still a weapon in the room: the counter or witness (or a
 * supervisor) records what it looks like and where it lies, which must be inside the
 * count. Its photo, when there is one, is checked and hashed before the write lock is
 * taken (up to 8 MiB of SHA-256) and stored in the same transaction as the record
 * (db/unmarked-photos.c); the audit entry and the registry's event carry its digest,
 * never its bytes. Reconciliation reports each one as an unmarked_item discrepancy.
 */
#include "core/i18n.h"
#include "db/audit.h"
#include "db/count-private.h"
#include "db/count-row.h"
#include "db/counts.h"
#include "db/locations.h"
#include "db/outbox.h"
#include "db/unmarked-photos.h"

#define UNMARKED_DESCRIPTION_MAX 500

static char *
check_description(const char *description, GError **error)
{
  if (description == NULL || !g_utf8_validate(description, -1, NULL)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Describe the unmarked item (make, model, calibre, what it looks like) in "
                  "valid UTF-8 text."));
    return NULL;
  }
  g_autofree char *text = g_strstrip(g_strdup(description));
  if (*text == '\0') {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Describe the unmarked item (make, model, calibre, what it looks like): the "
                  "description is empty."));
    return NULL;
  }
  glong chars = g_utf8_strlen(text, -1);
  if (chars > UNMARKED_DESCRIPTION_MAX) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The description has %ld characters; shorten it to at most %d."), chars,
                UNMARKED_DESCRIPTION_MAX);
    return NULL;
  }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
    if (g_unichar_iscntrl(g_utf8_get_char(p))) {
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  _("The description contains a control character; write it on one line."));
      return NULL;
    }
  }
  return g_steal_pointer(&text);
}

/* The place must exist and lie inside the count's scope. */
static MusterLocation *
unmarked_location(MusterStore *store, gint64 count_id, const char *path, GError **error)
{
  if (path == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("Say where the unmarked item was found (a location path such as R1/A/03)."));
    return NULL;
  }
  g_autoptr(MusterLocation) loc = muster_locations_get(store, path, error);
  if (loc == NULL)
    return NULL;
  g_autoptr(MusterCount) c = muster_counts_get_by_id(store, count_id, error);
  if (c == NULL)
    return NULL;
  for (guint i = 0; i < c->scope->len; i++)
    if (muster_location_path_within(loc->path, g_ptr_array_index(c->scope, i)))
      return g_steal_pointer(&loc);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "%s is outside count %" G_GINT64_FORMAT "; record the item in a count of the "
              "place where it was found.",
              count_place_words(loc->path), count_id);
  return NULL;
}

typedef struct {
  const char *uuid;
  const char *count_uuid;
  const char *description;
  const MusterLocation *loc;
  const MusterUser *actor;
  const char *photo_path;
  const char *now;
  /* the photo's bytes, NULL when none; facts and when it was taken then set */
  GBytes *photo;
  const MusterPhotoFacts *photo_facts;
  const char *photo_taken_at;
  const char *photo_uuid; /* set once stored */
} Unmarked;

static gboolean
insert_unmarked(MusterStore *store, gint64 count_id, const Unmarked *u, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "INSERT INTO unmarked_item (uuid, count_id, description, location_id, "
                        "recorded_by, recorded_at, photo_path) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, u->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, count_id);
  sqlite3_bind_text(stmt, 3, u->description, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 4, u->loc->id);
  sqlite3_bind_int64(stmt, 5, u->actor->id);
  sqlite3_bind_text(stmt, 6, u->now, -1, SQLITE_TRANSIENT);
  muster_bind_text_or_null(stmt, 7, u->photo_path);
  return muster_store_step_done(store, stmt, "Recording the unmarked item", error);
}

/* What the registry and the audit chain keep of a photo: its digest, never its bytes. */
static void
add_photo(JsonBuilder *b, const Unmarked *u)
{
  json_builder_set_member_name(b, "photo");
  if (u->photo == NULL) {
    json_builder_add_null_value(b);
    return;
  }
  const MusterPhotoFacts *f = u->photo_facts;
  json_builder_begin_object(b);
  muster_json_add_str(b, "uuid", u->photo_uuid);
  muster_json_add_str(b, "media_type", f->media_type);
  muster_json_add_str(b, "sha256", f->sha256);
  count_json_int(b, "size", (gint64)f->size);
  json_builder_set_member_name(b, "width");
  f->width > 0 ? json_builder_add_int_value(b, f->width) : json_builder_add_null_value(b);
  json_builder_set_member_name(b, "height");
  f->height > 0 ? json_builder_add_int_value(b, f->height) : json_builder_add_null_value(b);
  muster_json_add_str(b, "taken_at", u->photo_taken_at);
  json_builder_end_object(b);
}

static JsonNode *
unmarked_json(const Unmarked *u)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  muster_json_add_str(b, "uuid", u->uuid);
  muster_json_add_str(b, "count_uuid", u->count_uuid);
  muster_json_add_str(b, "description", u->description);
  muster_json_add_str(b, "location", u->loc->path);
  muster_json_add_str(b, "location_uuid", u->loc->uuid);
  muster_json_add_str(b, "recorded_by", u->actor->name);
  muster_json_add_str(b, "recorded_by_uuid", u->actor->uuid);
  muster_json_add_str(b, "recorded_at", u->now);
  muster_json_add_str(b, "photo_path", u->photo_path);
  add_photo(b, u);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

/* Right after insert_unmarked(): the photo belongs to the row just inserted. */
static gboolean
store_photo(MusterStore *store, const Unmarked *u, char **photo_uuid, GError **error)
{
  if (u->photo == NULL)
    return TRUE;
  gint64 unmarked_id = sqlite3_last_insert_rowid(muster_store_db(store));
  return muster_unmarked_photos_insert(store, unmarked_id, u->actor, u->photo, u->photo_facts,
                                       u->photo_taken_at, photo_uuid, error);
}

static gboolean
unmarked_in_tx(MusterStore *store, const MusterUser *actor, gint64 count_id,
               const char *description, const char *location_path, const char *photo_path,
               const MusterPhotoInput *photo, const MusterPhotoFacts *facts, char **uuid_out,
               GError **error)
{
  g_auto(MusterCountRow) c = {0};
  if (!muster_count_load(store, count_id, &c, error) ||
      !muster_count_require_participant(store, &c, actor, TRUE, "Recording an unmarked item in",
                                        NULL, error) ||
      !muster_count_require_state(&c, MUSTER_COUNT_OPEN, "Recording an unmarked item", error))
    return FALSE;
  g_autofree char *text = check_description(description, error);
  if (text == NULL)
    return FALSE;
  g_autoptr(MusterLocation) loc = unmarked_location(store, count_id, location_path, error);
  if (loc == NULL)
    return FALSE;
  g_autofree char *uuid = muster_uuid_new();
  g_autofree char *now = muster_now_iso();
  g_autofree char *taken_at =
      photo != NULL && photo->taken_at_us > 0 ? muster_time_iso(photo->taken_at_us) : g_strdup(now);
  Unmarked u = {
      .uuid = uuid,
      .count_uuid = c.uuid,
      .description = text,
      .loc = loc,
      .actor = actor,
      .photo_path = photo_path != NULL && *photo_path != '\0' ? photo_path : NULL,
      .now = now,
      .photo = photo != NULL ? photo->bytes : NULL,
      .photo_facts = facts,
      .photo_taken_at = taken_at,
  };
  g_autofree char *photo_uuid = NULL;
  if (!insert_unmarked(store, count_id, &u, error) || !store_photo(store, &u, &photo_uuid, error))
    return FALSE;
  u.photo_uuid = photo_uuid;
  g_autoptr(JsonNode) payload = unmarked_json(&u);
  g_autofree char *detail = json_to_string(payload, FALSE);
  if (!muster_audit_append(store, actor->name, "unmarked.record", uuid, detail, error) ||
      !muster_outbox_append(store, "unmarked.recorded", uuid, payload, error) ||
      !muster_store_commit(store, error))
    return FALSE;
  if (uuid_out != NULL)
    *uuid_out = g_steal_pointer(&uuid);
  return TRUE;
}

/* Checked and hashed before the write lock is taken: up to 8 MiB of SHA-256. */
static gboolean
inspect_photo(const MusterPhotoInput *photo, MusterPhotoFacts *facts, GError **error)
{
  if (photo == NULL)
    return TRUE;
  if (!muster_photo_inspect(photo->bytes, photo->media_type, facts, error))
    return FALSE;
  if (photo->taken_at_us > g_get_real_time() + 60 * G_USEC_PER_SEC) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                _("The photo is dated in the future; check the appliance's clock."));
    return FALSE;
  }
  return TRUE;
}

static gboolean
record_unmarked(MusterStore *store, const MusterUser *actor, gint64 count_id,
                const char *description, const char *location_path, const char *photo_path,
                const MusterPhotoInput *photo, char **uuid_out, GError **error)
{
  MusterPhotoFacts facts = {0};
  gboolean ok = inspect_photo(photo, &facts, error) && muster_store_begin(store, error);
  if (ok && !unmarked_in_tx(store, actor, count_id, description, location_path, photo_path, photo,
                            &facts, uuid_out, error)) {
    muster_store_rollback(store);
    ok = FALSE;
  }
  if (!ok)
    g_prefix_error(error, "Recording an unmarked item in count %" G_GINT64_FORMAT ": ", count_id);
  return ok;
}

gboolean
muster_counts_record_unmarked(MusterStore *store, const MusterUser *actor, gint64 count_id,
                              const char *description, const char *location_path,
                              const char *photo_path, char **uuid_out, GError **error)
{
  return record_unmarked(store, actor, count_id, description, location_path, photo_path, NULL,
                         uuid_out, error);
}

gboolean
muster_counts_record_unmarked_photo(MusterStore *store, const MusterUser *actor, gint64 count_id,
                                    const char *description, const char *location_path,
                                    const MusterPhotoInput *photo, char **uuid_out, GError **error)
{
  return record_unmarked(store, actor, count_id, description, location_path, NULL, photo, uuid_out,
                         error);
}
