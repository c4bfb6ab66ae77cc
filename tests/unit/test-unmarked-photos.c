/*
 * test-unmarked-photos.c: photos of unmarked items, through the real SQLite file.
 *
 * Pictures are real PNG and JPEG files made by gdk-pixbuf; digests are checked against
 * GLib's own SHA-256 (not the engine's), and what was stored is read back both through
 * the engine and straight from the file. The register is one room with two racks:
 * carol (staff) counts R1 with walt (staff) as witness.
 */
#include "db/audit.h"
#include "db/counts.h"
#include "db/items.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "db/unmarked-photos.h"
#include "test-util.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <string.h>

static const char register_csv[] =
    "manufacturer,country_of_manufacture,serial,model,category,calibre,status,location,"
    "markings\n"
    "Glock,AT,GL-1001,G17,pistol,9x19,in_store,R1/A/01,\n"
    "Glock,AT,GL-1002,G17,pistol,9x19,in_store,R1/B/01,\n"
    "Heckler & Koch,DE,HK-2001,G36,rifle,5.56x45,in_store,R2/A/01,\n";

typedef struct {
  TestDb db;
  MusterUser *carol; /* counter */
  MusterUser *walt;  /* witness */
  gint64 count_id;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  test_db_setup(&f->db, data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  MusterImportResult result = {0};
  g_assert_true(muster_items_import_csv(f->db.store, f->db.admin, register_csv,
                                        strlen(register_csv), &result, &problems, &error));
  g_assert_no_error(error);
  f->carol = test_db_add_user(&f->db, "carol", MUSTER_ROLE_STAFF);
  f->walt = test_db_add_user(&f->db, "walt", MUSTER_ROLE_STAFF);
  const char *scope[] = {"R1", NULL};
  g_autoptr(MusterCount) c =
      muster_counts_start(f->db.store, f->carol, f->walt, scope, FALSE, &error);
  g_assert_no_error(error);
  f->count_id = c->id;
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  muster_user_free(f->carol);
  muster_user_free(f->walt);
  test_db_teardown(&f->db, data);
}

/* A width×height RGB picture (gradients, and noise in blue so that it does not
 * compress to nothing) saved by gdk-pixbuf as "png" or "jpeg". */
static GBytes *
make_picture(const char *format, int width, int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels(pixbuf);
  int stride = gdk_pixbuf_get_rowstride(pixbuf);
  guint32 noise = 12345;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++) {
      guint8 *p = pixels + y * stride + 3 * x;
      noise = noise * 1103515245u + 12345u;
      p[0] = (guint8)(x * 255 / width);
      p[1] = (guint8)(y * 255 / height);
      p[2] = (guint8)(noise >> 24);
    }
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize len = 0;
  g_assert_true(gdk_pixbuf_save_to_buffer(pixbuf, &buffer, &len, format, &error, NULL));
  g_assert_no_error(error);
  return g_bytes_new_take(buffer, len);
}

static char *
glib_sha256(GBytes *bytes)
{
  return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, bytes);
}

static gboolean
record(Fixture *f, const MusterUser *who, GBytes *bytes, const char *media_type, char **uuid,
       GError **error)
{
  MusterPhotoInput photo = {bytes, media_type, 0};
  return muster_counts_record_unmarked_photo(f->db.store, who, f->count_id, "Rifle, no marks",
                                             "R1/B", bytes != NULL ? &photo : NULL, uuid, error);
}

static JsonObject *
parse_object(JsonParser *parser, const char *json)
{
  g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
  return json_node_get_object(json_parser_get_root(parser));
}

/* A PNG stored with its item: the same bytes back, its digest, its size from the header,
 * who took it; the registry and the audit chain get the digest, not the bytes. */
static void
test_png_round_trip(Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) png = make_picture("png", 40, 30);
  g_autofree char *want_sha = glib_sha256(png);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_assert_true(record(f, f->carol, png, NULL, &uuid, &error));
  g_assert_no_error(error);

  g_autoptr(MusterUnmarkedPhoto) p = muster_unmarked_photos_get(f->db.store, uuid, &error);
  g_assert_no_error(error);
  g_assert_true(g_bytes_equal(p->bytes, png));
  g_assert_cmpstr(p->media_type, ==, "image/png");
  g_assert_cmpstr(p->sha256, ==, want_sha);
  g_assert_cmpuint(p->width, ==, 40);
  g_assert_cmpuint(p->height, ==, 30);
  g_assert_cmpstr(p->taken_by, ==, "carol");
  g_assert_cmpstr(p->unmarked_uuid, ==, uuid);
  g_assert_nonnull(p->taken_at);

  /* Straight from the file: the blob and its digest. */
  g_autofree char *sql =
      g_strdup_printf("SELECT lower(hex(p.bytes)) FROM unmarked_photo p JOIN unmarked_item u"
                      " ON u.id = p.unmarked_id WHERE u.uuid = '%s'",
                      uuid);
  g_autofree char *stored_hex = test_sql_text(&f->db, sql);
  gsize len = 0;
  const guint8 *raw = g_bytes_get_data(png, &len);
  g_assert_cmpuint(strlen(stored_hex), ==, 2 * len);
  g_autofree char *first = g_strdup_printf("%02x%02x%02x%02x", raw[0], raw[1], raw[2], raw[3]);
  g_assert_true(g_str_has_prefix(stored_hex, first));
  g_autofree char *stored_sha = test_sql_text(&f->db, "SELECT sha256 FROM unmarked_photo");
  g_assert_cmpstr(stored_sha, ==, want_sha);

  /* The bytes read back decode as the picture that was stored. */
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new();
  g_assert_true(gdk_pixbuf_loader_write_bytes(loader, p->bytes, &error));
  g_assert_true(gdk_pixbuf_loader_close(loader, &error));
  g_assert_no_error(error);
  g_assert_cmpint(gdk_pixbuf_get_width(gdk_pixbuf_loader_get_pixbuf(loader)), ==, 40);

  /* The outbox event: digest, type and size, never the bytes. */
  g_autofree char *payload =
      test_sql_text(&f->db, "SELECT payload FROM outbox WHERE kind = 'unmarked.recorded'");
  g_assert_cmpuint(strlen(payload), <, len);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *photo = json_object_get_object_member(parse_object(parser, payload), "photo");
  g_assert_nonnull(photo);
  g_assert_cmpstr(json_object_get_string_member(photo, "sha256"), ==, want_sha);
  g_assert_cmpstr(json_object_get_string_member(photo, "media_type"), ==, "image/png");
  g_assert_cmpint(json_object_get_int_member(photo, "size"), ==, (gint64)len);
  g_assert_cmpint(json_object_get_int_member(photo, "width"), ==, 40);
  g_assert_cmpstr(json_object_get_string_member(photo, "uuid"), ==, p->uuid);
  g_assert_false(json_object_has_member(photo, "bytes"));
  /* The audit entry of the item carries the digest too. */
  g_autofree char *detail =
      test_sql_text(&f->db, "SELECT detail FROM audit_log WHERE action = 'unmarked.record'");
  g_assert_nonnull(strstr(detail, want_sha));

  MusterAuditReport report;
  g_assert_true(muster_audit_verify(f->db.store, &report, &error));
  g_assert_no_error(error);
  muster_audit_report_clear(&report);
}

/* A JPEG: its type and size from the start-of-frame; a type that contradicts the bytes
 * is refused. */
static void
test_jpeg(Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) jpeg = make_picture("jpeg", 64, 48);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_assert_false(record(f, f->carol, jpeg, "image/png", NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "given as image/png but its bytes are image/jpeg"));
  g_clear_error(&error);
  g_assert_true(record(f, f->carol, jpeg, "image/jpeg", &uuid, &error));
  g_assert_no_error(error);
  g_autoptr(MusterUnmarkedPhoto) p = muster_unmarked_photos_get(f->db.store, uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(p->media_type, ==, "image/jpeg");
  g_assert_cmpuint(p->width, ==, 64);
  g_assert_cmpuint(p->height, ==, 48);
  g_assert_true(g_bytes_equal(p->bytes, jpeg));
}

/* The header parsers on their own: sizes, and what is refused or left unknown. */
static void
test_inspect(void)
{
  MusterPhotoFacts facts;
  g_autoptr(GError) error = NULL;
  /* A JPEG cut off before its frame header is still a JPEG, of unknown size. */
  g_autoptr(GBytes) cut = g_bytes_new_static("\xff\xd8\xff\xe0\x00\x10JFIF", 10);
  g_assert_true(muster_photo_inspect(cut, NULL, &facts, &error));
  g_assert_cmpstr(facts.media_type, ==, "image/jpeg");
  g_assert_cmpuint(facts.width, ==, 0);
  g_assert_cmpuint(facts.height, ==, 0);
  /* A segment length running past the end stops the walk, no read beyond it. */
  g_autoptr(GBytes) overrun = g_bytes_new_static("\xff\xd8\xff\xc0\xff\xff\x08", 7);
  g_assert_true(muster_photo_inspect(overrun, NULL, &facts, &error));
  g_assert_cmpuint(facts.width, ==, 0);
  /* A PNG signature without its IHDR chunk is damaged. */
  g_autoptr(GBytes) png_magic = g_bytes_new_static("\x89PNG\r\n\x1a\n\0\0\0\rIHDX", 16);
  g_assert_false(muster_photo_inspect(png_magic, NULL, &facts, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "header is damaged"));
  g_clear_error(&error);
  g_assert_false(muster_photo_inspect(NULL, NULL, &facts, &error));
  g_assert_nonnull(strstr(error->message, "empty"));
  g_clear_error(&error);
  /* Media types compare without case. */
  g_autoptr(GBytes) png = make_picture("png", 3, 2);
  g_assert_true(muster_photo_inspect(png, "IMAGE/PNG", &facts, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(facts.width, ==, 3);
  g_assert_cmpuint(facts.height, ==, 2);
  g_autofree char *sha = glib_sha256(png);
  g_assert_cmpstr(facts.sha256, ==, sha);
}

static void
assert_nothing_recorded(Fixture *f)
{
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM unmarked_item"), ==, 0);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM unmarked_photo"), ==, 0);
  g_assert_cmpint(
      test_sql_int(&f->db, "SELECT count(*) FROM outbox WHERE kind = 'unmarked.recorded'"), ==, 0);
}

/* Not an image, empty, too big, a damaged PNG: refused with what is wrong, and nothing
 * recorded (not the item without its photo either). Exactly 8 MiB is accepted. */
static void
test_refused(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static("<html>not a photo</html>", 24);
  g_assert_false(record(f, f->carol, text, NULL, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "not a PNG or JPEG image"));
  g_assert_nonnull(strstr(error->message, "3c 68 74 6d"));
  g_assert_nonnull(strstr(error->message, "count"));
  g_clear_error(&error);

  g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
  g_assert_false(record(f, f->carol, empty, NULL, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);

  /* A real PNG header, padded: the limit is on the bytes, nothing is decoded. */
  g_autoptr(GBytes) small = make_picture("png", 8, 8);
  gsize small_len = 0;
  const guint8 *small_data = g_bytes_get_data(small, &small_len);
  guint8 *big = g_malloc0(MUSTER_PHOTO_MAX_BYTES + 1);
  memcpy(big, small_data, small_len);
  g_autoptr(GBytes) too_big = g_bytes_new_take(big, MUSTER_PHOTO_MAX_BYTES + 1);
  g_assert_false(record(f, f->carol, too_big, NULL, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "at most 8 MiB"));
  g_clear_error(&error);

  g_autoptr(GBytes) damaged = g_bytes_new_static("\x89PNG\r\n\x1a\nrest", 12);
  g_assert_false(record(f, f->carol, damaged, NULL, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);

  /* A photo dated in the future: the clock is wrong. */
  MusterPhotoInput future = {small, NULL, g_get_real_time() + (gint64)3600 * G_USEC_PER_SEC};
  g_assert_false(muster_counts_record_unmarked_photo(f->db.store, f->carol, f->count_id, "Rifle",
                                                     "R1/B", &future, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_clear_error(&error);
  assert_nothing_recorded(f);

  g_autoptr(GBytes) at_limit = g_bytes_new_from_bytes(too_big, 0, MUSTER_PHOTO_MAX_BYTES);
  g_autofree char *uuid = NULL;
  g_assert_true(record(f, f->carol, at_limit, NULL, &uuid, &error));
  g_assert_no_error(error);
  g_autoptr(MusterUnmarkedPhoto) p = muster_unmarked_photos_get(f->db.store, uuid, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(g_bytes_get_size(p->bytes), ==, MUSTER_PHOTO_MAX_BYTES);
}

/* The time the kiosk took it is kept; no photo: the event says so, reading says so. */
static void
test_taken_at_and_none(Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = make_picture("png", 4, 4);
  gint64 taken = g_get_real_time() - (gint64)90 * G_USEC_PER_SEC;
  MusterPhotoInput photo = {png, "image/png", taken};
  g_autofree char *uuid = NULL;
  g_assert_true(muster_counts_record_unmarked_photo(f->db.store, f->walt, f->count_id, "Pistol",
                                                    "R1/A", &photo, &uuid, &error));
  g_assert_no_error(error);
  g_autoptr(MusterUnmarkedPhoto) p = muster_unmarked_photos_get(f->db.store, uuid, &error);
  g_assert_no_error(error);
  g_autofree char *want = muster_time_iso(taken);
  g_assert_cmpstr(p->taken_at, ==, want);
  g_assert_cmpstr(p->taken_by, ==, "walt"); /* the witness may record one too */

  g_autofree char *bare = NULL;
  g_assert_true(muster_counts_record_unmarked_photo(f->db.store, f->carol, f->count_id, "Revolver",
                                                    "R1/A", NULL, &bare, &error));
  g_assert_no_error(error);
  g_assert_null(muster_unmarked_photos_get(f->db.store, bare, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_assert_null(muster_unmarked_photos_get(f->db.store, "no-such-uuid", &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND);
  g_clear_error(&error);
  g_autofree char *payload = test_sql_text(
      &f->db, "SELECT payload FROM outbox WHERE kind = 'unmarked.recorded' ORDER BY seq DESC");
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_object(parser, payload);
  g_assert_true(json_object_has_member(o, "photo"));
  g_assert_true(json_object_get_null_member(o, "photo"));
}

static void
assert_sql_refused(Fixture *f, const char *sql, const char *why)
{
  char *msg = NULL;
  g_assert_cmpint(sqlite3_exec(muster_store_db(f->db.store), sql, NULL, NULL, &msg), !=, SQLITE_OK);
  g_assert_nonnull(msg);
  g_assert_nonnull(strstr(msg, why));
  sqlite3_free(msg);
}

/* History: the database itself refuses to change or remove a photo. */
static void
test_append_only(Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) png = make_picture("png", 5, 5);
  g_autoptr(GError) error = NULL;
  g_assert_true(record(f, f->carol, png, NULL, NULL, &error));
  assert_sql_refused(f, "UPDATE unmarked_photo SET bytes = x'00'", "append-only");
  assert_sql_refused(f, "UPDATE unmarked_photo SET taken_by = 1", "append-only");
  assert_sql_refused(f, "DELETE FROM unmarked_photo", "append-only");
  /* and its checks hold for rows written behind the engine's back */
  assert_sql_refused(f,
                     "INSERT INTO unmarked_photo (uuid, unmarked_id, media_type, bytes,"
                     " sha256, taken_at, taken_by) VALUES ('u', 1, 'image/gif', x'47',"
                     " '00', 'now', 1)",
                     "CHECK");
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM unmarked_photo"), ==, 1);
}

static void
assert_tampered(Fixture *f, const char *uuid, const char *mention)
{
  g_autoptr(GError) error = NULL;
  MusterAuditReport report;
  g_assert_false(muster_audit_verify(f->db.store, &report, &error));
  muster_audit_report_clear(&report);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_assert_nonnull(strstr(error->message, mention));
  g_clear_error(&error);
  g_assert_null(muster_unmarked_photos_get(f->db.store, uuid, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
}

/* A photo edited in the file is found by audit verify (its seal) and when read. */
static void
test_edited_photo_detected(Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) png = make_picture("png", 6, 6);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_assert_true(record(f, f->carol, png, NULL, &uuid, &error));
  test_sql_exec(&f->db, "DROP TRIGGER unmarked_photo_no_update;"
                        "UPDATE unmarked_photo SET bytes = zeroblob(length(bytes))");
  assert_tampered(f, uuid, "of 'unmarked_photo'");
}

/* Edited together with its recorded digest: the seal still finds it. */
static void
test_rehashed_photo_detected(Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) png = make_picture("png", 6, 6);
  g_autoptr(GBytes) other = make_picture("png", 7, 7);
  g_autofree char *other_sha = glib_sha256(other);
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_assert_true(record(f, f->carol, png, NULL, &uuid, &error));
  sqlite3_stmt *stmt = NULL;
  test_sql_exec(&f->db, "DROP TRIGGER unmarked_photo_no_update");
  g_assert_cmpint(sqlite3_prepare_v2(muster_store_db(f->db.store),
                                     "UPDATE unmarked_photo SET bytes = ?, sha256 = ?", -1, &stmt,
                                     NULL),
                  ==, SQLITE_OK);
  gsize len = 0;
  const void *data_other = g_bytes_get_data(other, &len);
  sqlite3_bind_blob(stmt, 1, data_other, (int)len, SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, other_sha, -1, SQLITE_STATIC);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
  sqlite3_finalize(stmt);
  MusterAuditReport report;
  g_assert_false(muster_audit_verify(f->db.store, &report, &error));
  muster_audit_report_clear(&report);
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_assert_nonnull(strstr(error->message, "'unmarked_photo'"));
}

/* Only someone who may record the item adds its photo; a closed count takes none. */
static void
test_roles(Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) png = make_picture("png", 5, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) eve = test_db_add_user(&f->db, "eve", MUSTER_ROLE_STAFF);
  g_assert_false(record(f, eve, png, NULL, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION);
  g_clear_error(&error);
  assert_nothing_recorded(f);
  g_autoptr(MusterUser) sue = test_db_add_user(&f->db, "sue", MUSTER_ROLE_SUPERVISOR);
  g_autofree char *uuid = NULL;
  g_assert_true(record(f, sue, png, NULL, &uuid, &error));
  g_assert_no_error(error);
  g_autoptr(MusterUnmarkedPhoto) p = muster_unmarked_photos_get(f->db.store, uuid, &error);
  g_assert_cmpstr(p->taken_by, ==, "sue");
  g_assert_true(muster_counts_close(f->db.store, f->carol, f->count_id, &error));
  g_assert_false(record(f, f->carol, png, NULL, NULL, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_assert_cmpint(test_sql_int(&f->db, "SELECT count(*) FROM unmarked_photo"), ==, 1);
}

static void
add(const char *path, void (*test)(Fixture *, gconstpointer))
{
  g_test_add(path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/unmarked-photos/inspect", test_inspect);
  add("/unmarked-photos/png-round-trip", test_png_round_trip);
  add("/unmarked-photos/jpeg", test_jpeg);
  add("/unmarked-photos/refused", test_refused);
  add("/unmarked-photos/taken-at-and-none", test_taken_at_and_none);
  add("/unmarked-photos/append-only", test_append_only);
  add("/unmarked-photos/edited-photo-detected", test_edited_photo_detected);
  add("/unmarked-photos/rehashed-photo-detected", test_rehashed_photo_detected);
  add("/unmarked-photos/roles", test_roles);
  return g_test_run();
}
