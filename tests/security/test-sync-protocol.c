/*
 * test-sync-protocol.c: the sync protocol and the registry's data rules against an
 * attacker (issue 10, rows 3, 9, 10, 11, 17, 18, the enrolment oracle, and the anchored
 * window): a real PostgreSQL cluster, the real muster-registry over verified TLS, real
 * appliance stores and real files. Each case is named after what it defends.
 */
#include "db/items.h"
#include "db/outbox.h"
#include "db/store-private.h" /* white-box: SQL behind the engine's back */
#include "db/sync-state.h"
#include "protocol/batch.h"
#include "sync-fixture.h"
#include "sync/apply.h"
#include "sync/media.h"
#include "sync/outbox-batch.h"
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------------------- */

static MusterUser *
admin_of(MusterStore *store)
{
  return muster_users_get(store, "admin", NULL);
}

/* A second armoury enrolled at the fixture's registry under code, configured like the
 * first. */
static MusterStore *
second_armoury(SyncFixture *f, const char *code, MusterSyncKey **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf("%s/%s.db", f->dir, code);
  MusterStore *store = muster_store_create(path, code, "Second armoury", &error);
  g_assert_no_error(error);
  g_autoptr(MusterUser) admin =
      muster_users_bootstrap_admin(store, "admin", "Admin", "1234", &error);
  g_assert_no_error(error);
  g_autofree char *key_path = muster_sync_key_path_for_db(path);
  *key = muster_sync_key_load_or_create(key_path, &error);
  g_assert_no_error(error);
  g_autofree char *pk = muster_sync_key_public_b64(*key);
  g_autofree char *out = sync_fixture_registry_cmd(
      f, "enroll", "--armoury", muster_store_armoury_uuid(store), "--code", code, "--public-key",
      pk, NULL);
  g_autofree char *registry_pk = sync_fixture_registry_cmd(f, "key", "--key", f->key_path, NULL);
  g_assert_true(
      muster_sync_state_configure(store, admin, f->url, sync_fixture_ca(), registry_pk, &error));
  g_assert_no_error(error);
  return store;
}

static void
add_events(MusterStore *store, guint n)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(muster_store_begin(store, &error));
  for (guint i = 0; i < n; i++) {
    g_autoptr(JsonNode) payload = json_from_string("{\"n\":1}", NULL);
    g_autofree char *uuid = muster_uuid_new();
    g_assert_true(muster_outbox_append(store, "test.event", uuid, payload, &error));
  }
  g_assert_true(muster_store_commit(store, &error));
}

static gint64
acked_of(MusterStore *store)
{
  g_autoptr(MusterSyncState) s = muster_sync_state_get(store, NULL);
  return s->acked_seq;
}

/* Exports the fixture's appliance and has the registry answer the file: *back. */
static char *
round_trip_at_registry(SyncFixture *f, const char *name, void (*edit)(JsonObject *file))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) admin = admin_of(f->store);
  g_autofree char *out = g_strdup_printf("%s/%s-out.json", f->dir, name);
  char *back = g_strdup_printf("%s/%s-back.json", f->dir, name);
  gint64 events = 0;
  g_assert_true(muster_media_export(f->store, admin, f->key, out, &events, &error));
  g_assert_no_error(error);
  if (edit != NULL) {
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_file(p, out, NULL));
    edit(json_node_get_object(json_parser_get_root(p)));
    g_autofree char *text = json_to_string(json_parser_get_root(p), FALSE);
    g_assert_true(g_file_set_contents(out, text, -1, NULL));
  }
  g_autofree char *o =
      sync_fixture_registry_cmd(f, "import", out, "--answer", back, "--key", f->key_path, NULL);
  return back;
}

/* Rewrites the top-level "armoury" of a JSON file. */
static void
set_file_armoury(const char *path, const char *armoury)
{
  g_autoptr(JsonParser) p = json_parser_new();
  g_assert_true(json_parser_load_from_file(p, path, NULL));
  json_object_set_string_member(json_node_get_object(json_parser_get_root(p)), "armoury", armoury);
  g_autofree char *text = json_to_string(json_parser_get_root(p), FALSE);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static char *
post_to(SyncFixture *f, const char *path, const MusterSigned *req, guint *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncClient) c = sync_fixture_client(f);
  g_autoptr(MusterSigned) answer = muster_sync_client_post(c, path, req, status, &error);
  g_assert_no_error(error);
  return g_strndup(g_bytes_get_data(answer->body, NULL), g_bytes_get_size(answer->body));
}

/* A signed batch of hand-made events (kind, entity, at) for store's armoury. */
static MusterSigned *
crafted_batch(MusterStore *store, const MusterSyncKey *key, gint64 seq, const char *kind,
              const char *entity, const char *at, const char *payload)
{
  g_autoptr(GPtrArray) events =
      g_ptr_array_new_with_free_func((GDestroyNotify)muster_outbox_event_free);
  MusterOutboxEvent *e = g_new0(MusterOutboxEvent, 1);
  e->seq = seq;
  e->at = g_strdup(at);
  e->kind = g_strdup(kind);
  e->entity_uuid = g_strdup(entity);
  e->payload = g_strdup(payload);
  g_ptr_array_add(events, e);
  g_autofree char *now = muster_now_iso();
  g_autofree char *nonce = muster_uuid_new();
  GBytes *body = muster_sync_batch_encode(muster_store_armoury_uuid(store),
                                          muster_store_armoury_code(store), events, now, nonce);
  g_autofree char *sig =
      muster_sync_sign_b64(key, g_bytes_get_data(body, NULL), g_bytes_get_size(body));
  return muster_signed_request(body, sig, muster_store_armoury_uuid(store), nonce);
}

/* ---- row 3: answers bound to the armoury and the request ------------------------------ */

static void
test_ack_bound_to_armoury(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncKey) b_key = NULL;
  g_autoptr(MusterStore) b = second_armoury(f, "ARM-02", &b_key);
  add_events(f->store, 20);
  add_events(b, 40); /* more than A sent: an ack of A's would fit B's outbox */
  g_autofree char *back = round_trip_at_registry(f, "a", NULL);
  set_file_armoury(back, muster_store_armoury_uuid(b));
  gint64 acked = 0, changes = 0;
  g_assert_false(muster_media_import(b, back, &acked, &changes, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED);
  g_assert_nonnull(strstr(error->message, "not this one"));
  g_assert_cmpint(acked_of(b), ==, 0);
  g_autoptr(MusterSyncState) s = muster_sync_state_get(b, NULL);
  g_assert_cmpint(s->backlog, ==, s->last_seq);
  /* B's events still reach the registry. */
  g_autoptr(MusterSyncClient) c = sync_fixture_client(f);
  g_clear_error(&error);
  g_assert_true(muster_sync_push(b, b_key, c, 0, NULL, &error));
  g_assert_no_error(error);
  g_assert_cmpint(acked_of(b), ==, s->last_seq + 1); /* and the anchor */
}

static void
drop_first_item(JsonObject *file)
{
  json_array_remove_element(json_object_get_array_member(file, "items"), 0);
}

static void
test_out_of_order_answer_not_silent(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  add_events(f->store, MUSTER_BATCH_DEFAULT_EVENTS + 100); /* two batches in the file */
  /* The first batch is lost on the way: the registry can only answer out_of_order. */
  g_autofree char *back = round_trip_at_registry(f, "gap", drop_first_item);
  gint64 acked = 0, changes = 0;
  g_assert_false(muster_media_import(f->store, back, &acked, &changes, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE);
  g_assert_nonnull(strstr(error->message, "did not store this batch"));
  g_assert_cmpint(acked_of(f->store), ==, 0);
}

/* ---- row 9 and the enrolment oracle ----------------------------------------------------- */

static void
test_signature_before_parse(SyncFixture *f, gconstpointer data)
{
  /* 15 MiB of what is not JSON at all, unsigned and wrongly signed: refused for the
   * signature, which only holds if it was checked before the body was parsed. */
  gsize big = 15 * 1024 * 1024;
  char *junk = g_malloc(big);
  memset(junk, '[', big);
  GBytes *body = g_bytes_new_take(junk, big);
  const char *armoury = muster_store_armoury_uuid(f->store);
  g_autoptr(MusterSigned) unsigned_req = muster_signed_request(g_bytes_ref(body), "", armoury, NULL);
  g_autofree char *wrong_sig = muster_sync_sign_b64(f->key, "other", 5);
  g_autoptr(MusterSigned) wrong = muster_signed_request(body, wrong_sig, armoury, NULL);
  guint status = 0;
  for (int i = 0; i < 3; i++) {
    g_autofree char *a1 = post_to(f, "/v1/batches", unsigned_req, &status);
    g_assert_cmpuint(status, ==, 401);
    g_assert_nonnull(strstr(a1, "\"bad_signature\""));
    g_autofree char *a2 = post_to(f, "/v1/batches", wrong, &status);
    g_assert_cmpuint(status, ==, 401);
    g_assert_nonnull(strstr(a2, "\"bad_signature\""));
  }
  /* A body naming another armoury than the one whose key signed it is refused. */
  g_autoptr(MusterSyncKey) b_key = NULL;
  g_autoptr(MusterStore) b = second_armoury(f, "ARM-02", &b_key);
  add_events(b, 1);
  g_autoptr(GPtrArray) events = muster_sync_outbox_after(b, 0, 1, NULL);
  g_autoptr(GBytes) b_body = muster_sync_batch_encode(muster_store_armoury_uuid(b), "ARM-02",
                                                      events, "2026-01-01T00:00:00.000Z", "n");
  g_autofree char *a_sig =
      muster_sync_sign_b64(f->key, g_bytes_get_data(b_body, NULL), g_bytes_get_size(b_body));
  g_autoptr(MusterSigned) mixed = muster_signed_request(g_bytes_ref(b_body), a_sig, armoury, "n");
  g_autofree char *a3 = post_to(f, "/v1/batches", mixed, &status);
  g_assert_cmpuint(status, ==, 400);
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT count(*) FROM event"), ==, 0);
}

static void
test_unknown_armoury_indistinguishable(SyncFixture *f, gconstpointer data)
{
  g_autoptr(MusterSyncKey) stranger = g_new0(MusterSyncKey, 1);
  crypto_sign_keypair(stranger->public_key, stranger->secret_key);
  const char *known = muster_store_armoury_uuid(f->store);
  const char *unknown = "0badc0de-0000-4000-8000-000000000000";
  guint st_known = 0, st_unknown = 0;
  g_autoptr(MusterSigned) k =
      crafted_batch(f->store, stranger, 1, "test.event", "x", "2026-01-01T00:00:00Z", "{}");
  g_autofree char *ak = post_to(f, "/v1/batches", k, &st_known);
  /* The same batch for an armoury nobody enrolled. */
  g_autoptr(GString) body = g_string_new_len(g_bytes_get_data(k->body, NULL),
                                             (gssize)g_bytes_get_size(k->body));
  g_string_replace(body, known, unknown, 0);
  g_autofree char *sig = muster_sync_sign_b64(stranger, body->str, body->len);
  g_autoptr(MusterSigned) u =
      muster_signed_request(g_bytes_new(body->str, body->len), sig, unknown, NULL);
  g_autofree char *au = post_to(f, "/v1/batches", u, &st_unknown);
  g_assert_cmpuint(st_known, ==, st_unknown);
  g_assert_cmpuint(st_known, ==, 401);
  g_autoptr(GString) ak_same = g_string_new(ak);
  g_string_replace(ak_same, known, unknown, 0);
  g_assert_cmpstr(ak_same->str, ==, au);
}

/* ---- row 10: pull replays ------------------------------------------------------------ */

static MusterSigned *
old_pull(SyncFixture *f, const char *sent_at)
{
  g_autofree char *nonce = muster_uuid_new();
  g_autofree char *text = g_strdup_printf(
      "{\"format\":\"muster-pull/1\",\"armoury\":\"%s\",\"since\":0,\"sent_at\":\"%s\","
      "\"nonce\":\"%s\"}",
      muster_store_armoury_uuid(f->store), sent_at, nonce);
  g_autofree char *sig = muster_sync_sign_b64(f->key, text, strlen(text));
  return muster_signed_request(g_bytes_new(text, strlen(text)), sig,
                               muster_store_armoury_uuid(f->store), nonce);
}

static void
test_pull_replay_refused(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* Made long ago and never used, e.g. left on a USB stick. */
  g_autoptr(MusterSigned) stale = old_pull(f, "2020-01-01T00:00:00.000Z");
  g_autoptr(MusterSigned) req = muster_sync_pull_request(f->store, f->key, &error);
  g_assert_no_error(error);
  guint status = 0;
  g_autofree char *first = post_to(f, "/v1/changes", req, &status);
  g_assert_cmpuint(status, ==, 200);
  g_autofree char *v = sync_fixture_registry_cmd(
      f, "change", "--armoury", muster_store_armoury_uuid(f->store), "--kind", "item.status",
      "--payload", "{\"item_uuid\":\"00000000-0000-4000-8000-000000000009\",\"status\":\"stolen\"}",
      NULL);
  g_autofree char *replayed = post_to(f, "/v1/changes", req, &status);
  g_assert_cmpuint(status, ==, 400);
  g_assert_nonnull(strstr(replayed, "replay"));
  g_assert_null(strstr(replayed, "00000000-0000-4000-8000-000000000009"));
  g_autofree char *late = post_to(f, "/v1/changes", stale, &status);
  g_assert_cmpuint(status, ==, 400);
  g_assert_null(strstr(late, "00000000-0000-4000-8000-000000000009"));
  /* A fresh request still gets the change. */
  g_autoptr(MusterSyncClient) c = sync_fixture_client(f);
  gint64 applied = 0;
  g_assert_true(muster_sync_pull(f->store, f->key, c, &applied, &error));
  g_assert_no_error(error);
  g_assert_cmpint(applied, ==, 1);
}

/* ---- row 11: who may change what; codes; receive order ---------------------------------- */

static void
test_armoury_changes_only_what_it_holds(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterUser) admin = admin_of(f->store);
  MusterItem fields = {.manufacturer = "Glock", .country = "AT", .serial = "HOLD-1",
                       .model = "G17", .category = "pistol", .status = MUSTER_STATUS_IN_STORE};
  g_autoptr(MusterItem) item = muster_items_add(f->store, admin, &fields, &error);
  g_assert_no_error(error);
  g_autoptr(MusterSyncClient) c = sync_fixture_client(f);
  g_assert_true(muster_sync_push(f->store, f->key, c, 0, NULL, &error));
  g_assert_no_error(error);
  g_autoptr(MusterSyncKey) b_key = NULL;
  g_autoptr(MusterStore) b = second_armoury(f, "ARM-02", &b_key);
  g_autoptr(MusterSigned) evil =
      crafted_batch(b, b_key, 1, "item.status", item->uuid, "2001-01-01T00:00:00.000Z",
                    "{\"status\":\"destroyed\",\"reason\":\"scrapped\"}");
  guint status = 0;
  g_autofree char *answer = post_to(f, "/v1/batches", evil, &status);
  g_assert_cmpuint(status, ==, 409);
  g_assert_nonnull(strstr(answer, item->uuid));
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT count(*) FROM event e JOIN armoury a ON a.id = "
                                         "e.armoury_id WHERE a.code = 'ARM-02'"),
                  ==, 0);
  /* The holder's own back-dated event is kept, claimed time and all, but ordered by
   * when the registry received it. */
  g_autoptr(MusterSigned) own =
      crafted_batch(f->store, f->key, acked_of(f->store) + 1, "item.status", item->uuid,
                    "2001-01-01T00:00:00.000Z", "{\"status\":\"in_repair\"}");
  g_autofree char *ok = post_to(f, "/v1/batches", own, &status);
  g_assert_cmpuint(status, ==, 200);
  g_autofree char *trace = sync_fixture_registry_cmd(f, "trace", "HOLD-1", NULL);
  g_autoptr(JsonNode) root = json_from_string(trace, NULL);
  JsonObject *it = json_array_get_object_element(
      json_object_get_array_member(json_node_get_object(root), "items"), 0);
  JsonArray *evs = json_object_get_array_member(it, "events");
  guint n = json_array_get_length(evs);
  g_assert_cmpuint(n, ==, 2);
  JsonObject *first = json_array_get_object_element(evs, 0);
  JsonObject *last = json_array_get_object_element(evs, n - 1);
  g_assert_cmpstr(json_object_get_string_member(first, "kind"), ==, "item.created");
  g_assert_cmpstr(json_object_get_string_member(last, "at"), ==, "2001-01-01T00:00:00.000Z");
  g_assert_true(json_object_has_member(last, "received_at"));
  g_assert_cmpstr(json_object_get_string_member(last, "received_at"), >,
                  json_object_get_string_member(first, "received_at"));
}

static int
registry_status(SyncFixture *f, const char *armoury, const char *code)
{
  g_autoptr(MusterSyncKey) k = g_new0(MusterSyncKey, 1);
  crypto_sign_keypair(k->public_key, k->secret_key);
  g_autofree char *pk = muster_sync_key_public_b64(k);
  const char *argv[] = {g_getenv("MUSTER_REGISTRY"), "--db", f->conninfo, "enroll", "--armoury",
                        armoury, "--code", code, "--public-key", pk, NULL};
  int status = 0;
  g_autofree char *err = NULL;
  g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                             NULL, &err, &status, NULL));
  g_test_message("enroll %s %s: %s", armoury, code, err);
  return g_spawn_check_wait_status(status, NULL) ? 0 : 1;
}

static void
test_armoury_code_unique(SyncFixture *f, gconstpointer data)
{
  g_assert_cmpint(registry_status(f, "11111111-0000-4000-8000-000000000002", "ARM-01"), !=, 0);
  g_assert_cmpint(sync_fixture_pg_int(f, "SELECT count(*) FROM armoury WHERE code = 'ARM-01'"), ==,
                  1);
  g_assert_cmpint(registry_status(f, "11111111-0000-4000-8000-000000000002", "ARM-02"), ==, 0);
}

/* ---- row 17: media import reads regular files only, capped ---------------------------- */

typedef struct {
  MusterStore *store;
  const char *path;
  GError *error;
  gboolean ok;
  gint done;
} Import;

static gpointer
import_thread(gpointer data)
{
  Import *im = data;
  gint64 acked = 0, changes = 0;
  im->ok = muster_media_import(im->store, im->path, &acked, &changes, &im->error);
  g_atomic_int_set(&im->done, 1);
  return NULL;
}

/* Imports path on a thread (its own connection), which must give up within 10 s:
 * a reader blocked on a FIFO or reading /dev/zero fails the test instead of hanging. */
static void
expect_refused_at_once(SyncFixture *f, const char *path, const char *why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterStore) store = muster_store_open(muster_store_path(f->store), &error);
  g_assert_no_error(error);
  Import im = {store, path, NULL, FALSE, 0};
  GThread *t = g_thread_new("import", import_thread, &im);
  for (int i = 0; i < 1000 && !g_atomic_int_get(&im.done); i++)
    g_usleep(10000);
  if (!g_atomic_int_get(&im.done))
    g_error("importing %s did not return within 10 s", path);
  g_thread_join(t);
  g_assert_false(im.ok);
  g_assert_nonnull(im.error);
  g_test_message("%s: %s", path, im.error->message);
  g_assert_nonnull(strstr(im.error->message, why));
  g_clear_error(&im.error);
}

static void
test_import_regular_files_only(SyncFixture *f, gconstpointer data)
{
  g_autofree char *link = g_build_filename(f->dir, "zero.json", NULL);
  g_autofree char *fifo = g_build_filename(f->dir, "fifo.json", NULL);
  g_autofree char *huge = g_build_filename(f->dir, "huge.json", NULL);
  g_assert_cmpint(symlink("/dev/zero", link), ==, 0);
  g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
  FILE *h = fopen(huge, "w");
  g_assert_nonnull(h);
  g_assert_cmpint(ftruncate(fileno(h), 127 * 1024 * 1024), ==, 0); /* sparse: no disk used */
  fclose(h);
  expect_refused_at_once(f, link, "symbolic link");
  expect_refused_at_once(f, fifo, "not a regular file");
  expect_refused_at_once(f, huge, "larger than a sync file can be");
  g_assert_cmpint(acked_of(f->store), ==, 0);
}

/* ---- row 18: exports audited and private --------------------------------------------- */

static void
test_export_audited_and_private(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  add_events(f->store, 5);
  g_autoptr(MusterUser) admin = admin_of(f->store);
  g_autofree char *out = g_build_filename(f->dir, "export.json", NULL);
  mode_t old = umask(0);
  gint64 events = 0;
  gboolean ok = muster_media_export(f->store, admin, f->key, out, &events, &error);
  umask(old);
  g_assert_no_error(error);
  g_assert_true(ok);
  GStatBuf st;
  g_assert_cmpint(g_stat(out, &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0777, ==, 0600);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_prepare_v2(muster_store_db(f->store),
                                     "SELECT user_name, detail FROM audit_log WHERE action = "
                                     "'sync.export' ORDER BY seq DESC LIMIT 1",
                                     -1, &stmt, NULL),
                  ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  g_assert_cmpstr((const char *)sqlite3_column_text(stmt, 0), ==, "admin");
  const char *detail = (const char *)sqlite3_column_text(stmt, 1);
  g_assert_nonnull(strstr(detail, out));
  g_autofree char *count = g_strdup_printf("\"events\":%" G_GINT64_FORMAT, events);
  g_assert_nonnull(strstr(detail, count));
  sqlite3_finalize(stmt);
}

/* ---- the anchored window -------------------------------------------------------------- */

static gint64
audit_head(SyncFixture *f)
{
  return muster_store_query_int(f->store, "SELECT max(seq) FROM audit_log", "head", NULL);
}

static void
test_anchor_every_sync_and_export(SyncFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MusterSyncClient) c = sync_fixture_client(f);
  add_events(f->store, 3);
  g_assert_true(muster_sync_push(f->store, f->key, c, 0, NULL, &error));
  g_autoptr(MusterAnchorReceipt) r1 = muster_sync_anchor_receipt(f->store, &error);
  g_assert_no_error(error);
  g_assert_cmpint(r1->audit_seq, >, 0);
  g_assert_cmpint(r1->unanchored, ==, 0);
  g_assert_nonnull(r1->registry_at);
  /* Audited, yet nothing for the outbox: reconfiguring the registry. */
  g_autoptr(MusterUser) admin = admin_of(f->store);
  g_autoptr(MusterSyncState) s = muster_sync_state_get(f->store, NULL);
  g_assert_true(muster_sync_state_configure(f->store, admin, s->registry_url, s->registry_ca,
                                            s->registry_key, &error));
  gint64 head = audit_head(f);
  g_autoptr(MusterAnchorReceipt) r2 = muster_sync_anchor_receipt(f->store, &error);
  g_assert_cmpint(r2->unanchored, >=, 1);
  g_assert_nonnull(r2->unanchored_since);
  g_assert_true(muster_sync_push(f->store, f->key, c, 0, NULL, &error));
  g_assert_no_error(error);
  g_autofree char *q = g_strdup_printf(
      "SELECT count(*) FROM event WHERE kind = 'audit.anchor' AND "
      "(payload->>'audit_seq')::bigint = %" G_GINT64_FORMAT,
      head);
  g_assert_cmpint(sync_fixture_pg_int(f, q), ==, 1);
  g_autoptr(MusterAnchorReceipt) r3 = muster_sync_anchor_receipt(f->store, &error);
  g_assert_cmpint(r3->audit_seq, ==, head);
  g_assert_cmpint(r3->unanchored, ==, 0);
  /* An export anchors too, whatever else waits. */
  g_assert_true(muster_sync_state_configure(f->store, admin, s->registry_url, s->registry_ca,
                                            s->registry_key, &error));
  gint64 head2 = audit_head(f);
  g_autofree char *out = g_build_filename(f->dir, "anchored.json", NULL);
  gint64 events = 0;
  g_assert_true(muster_media_export(f->store, admin, f->key, out, &events, &error));
  g_assert_no_error(error);
  g_assert_cmpint(events, ==, 1);
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(out, &text, NULL, NULL));
  g_autofree char *anchor = g_strdup_printf("\\\"audit_seq\\\":%" G_GINT64_FORMAT, head2);
  g_assert_nonnull(strstr(text, anchor));
}

/* ---- main ------------------------------------------------------------------------------ */

static const SyncFixtureCase cases[] = {
    {"/sync/ack-bound-to-armoury", test_ack_bound_to_armoury},
    {"/sync/out-of-order-answer-not-silent", test_out_of_order_answer_not_silent},
    {"/registry/signature-before-parse", test_signature_before_parse},
    {"/registry/unknown-armoury-indistinguishable", test_unknown_armoury_indistinguishable},
    {"/registry/pull-replay-refused", test_pull_replay_refused},
    {"/registry/armoury-changes-only-what-it-holds", test_armoury_changes_only_what_it_holds},
    {"/registry/armoury-code-unique", test_armoury_code_unique},
    {"/sync/import-regular-files-only", test_import_regular_files_only},
    {"/sync/export-audited-and-private", test_export_audited_and_private},
    {"/sync/anchor-every-sync-and-export", test_anchor_every_sync_and_export},
};

int
main(int argc, char **argv)
{
  return sync_fixture_main(argc, argv, cases, G_N_ELEMENTS(cases));
}
