/*
 * ingest-lookup.c: the marking lookups of an ingest flush, on a thread of their own.
 *
 * Shape, and why:
 *  - A flush looks up every scan's marking (the marking_value index, then the item) and
 *    stores the scans. The lookups were a fifth of a flush and need nothing the flush
 *    writes, so this thread does them on its own read-only connection while the flush
 *    stores the scans whose answers are in. With a second core free, a flush takes
 *    about as long as its stores; with one core, the two take turns a chunk at a time.
 *  - The answers are exactly those of the flush's own transaction: the flush starts the
 *    lookups only once it holds the write lock, so no other program can commit before
 *    the lookups' read transaction begins, and ingest never writes markings or items.
 *  - LOOKUP_CHUNK values go in one statement, as a JSON array whose index (j.key) is
 *    the value's place in the chunk: a statement per value cost twice as much per
 *    lookup, most of it the statement itself. CROSS JOIN keeps the plan: the array
 *    outside, the marking_value index inside. (json_each is built into SQLite since
 *    3.38, which CMakeLists.txt requires.) Each chunk is handed over under the mutex
 *    when it is complete.
 *  - The connection is used by one thread at a time, so it is opened without SQLite's
 *    per-call mutex (SQLITE_OPEN_NOMUTEX). Its page cache is as large as the store's:
 *    it now holds the marking and item pages.
 *  - Both threads allocate through SQLite, whose memory statistics (on by default) take
 *    one global mutex per allocation; the threads contended for it, some tenth of a
 *    flush over a large register, so store_connect() turns them off.
 */
#include "db/ingest-lookup.h"
#include "core/json-member.h"
#include "core/muster-error.h"
#include "db/store-private.h"

#include <sqlite3.h>
#include <string.h>

#define LOOKUP_CHUNK 256

static const char sql_lookup[] =
    "SELECT j.key, m.item_id, i.status, i.location_id, i.uuid, i.manufacturer, i.model, "
    "i.calibre, i.serial FROM json_each(?1) AS j CROSS JOIN marking AS m "
    "CROSS JOIN item AS i WHERE m.value = j.value AND m.retired_at IS NULL "
    "AND i.id = m.item_id";

struct _MusterLookup {
  char *path;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  GThread *thread;
  GString *json;       /* the chunk's values */
  GString *scratch;    /* one item text being built */
  GStringChunk *texts; /* the batch's item texts: their addresses stay put */
  GMutex lock;         /* guards what follows; cond signals any change of it */
  GCond cond;
  gboolean quit;
  gboolean running; /* a batch is being looked up */
  const char *const *values;
  MusterLookupHit *hits;
  guint n;
  gboolean want_text;
  guint done; /* hits[0..done) are in */
  int rc;     /* SQLITE_OK, or why the batch failed */
  char *errmsg;
};

static const char *
static_status(const char *status)
{
  static const char *const names[] = {"in_store", "issued", "in_repair", "in_transit",
                                      "lost",     "stolen", "destroyed", "seized"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    if (g_strcmp0(status, names[i]) == 0)
      return names[i];
  return "in_store"; /* the schema's CHECK allows nothing else */
}

/* ["GL-1",null,"04A1B2C3D4E5F6",...] for values[from..to). */
static const char *
chunk_json(MusterLookup *lookup, guint from, guint to)
{
  GString *s = lookup->json;
  g_string_assign(s, "[");
  for (guint i = from; i < to; i++) {
    if (i > from)
      g_string_append_c(s, ',');
    if (lookup->values[i] != NULL)
      muster_json_append_string(s, lookup->values[i]);
    else
      g_string_append(s, "null");
  }
  g_string_append_c(s, ']');
  return s->str;
}

static void
append_column(GString *s, sqlite3_stmt *st, int col)
{
  const char *text = (const char *)sqlite3_column_text(st, col);
  if (text != NULL)
    g_string_append_len(s, text, sqlite3_column_bytes(st, col));
}

/* "<uuid>\0Glock 17 9x19 SN GL-123456" from a lookup row. */
static const char *
item_text(MusterLookup *lookup)
{
  sqlite3_stmt *st = lookup->stmt;
  GString *s = lookup->scratch;
  g_string_truncate(s, 0);
  append_column(s, st, 4);
  g_string_append_c(s, '\0');
  append_column(s, st, 5);
  g_string_append_c(s, ' ');
  append_column(s, st, 6);
  if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
    g_string_append_c(s, ' ');
    append_column(s, st, 7);
  }
  g_string_append(s, " SN ");
  append_column(s, st, 8);
  return g_string_chunk_insert_len(lookup->texts, s->str, (gssize)s->len);
}

/* One lookup row into the hit it answers. A value on two items is ambiguous: which one
 * is here cannot be told. */
static void
take_row(MusterLookup *lookup, MusterLookupHit *hit)
{
  sqlite3_stmt *st = lookup->stmt;
  gint64 item_id = sqlite3_column_int64(st, 1);
  if (hit->n_items == 0) {
    hit->n_items = 1;
    hit->item_id = item_id;
    hit->status = static_status((const char *)sqlite3_column_text(st, 2));
    hit->location_id = sqlite3_column_int64(st, 3);
    hit->text = lookup->want_text ? item_text(lookup) : NULL;
  } else if (hit->n_items == 1 && item_id != hit->item_id) {
    memset(hit, 0, sizeof *hit);
    hit->n_items = 2;
  }
}

/* Resolves values[from..to) into hits[from..to). */
static int
run_chunk(MusterLookup *lookup, guint from, guint to)
{
  memset(&lookup->hits[from], 0, (to - from) * sizeof *lookup->hits);
  sqlite3_stmt *st = lookup->stmt;
  sqlite3_bind_text(st, 1, chunk_json(lookup, from, to), -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    gint64 key = sqlite3_column_int64(st, 0);
    if (key >= 0 && key < to - from)
      take_row(lookup, &lookup->hits[from + key]);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
publish(MusterLookup *lookup, guint done, int rc)
{
  g_mutex_lock(&lookup->lock);
  lookup->done = done;
  if (rc != SQLITE_OK) {
    lookup->rc = rc;
    lookup->errmsg = g_strdup(sqlite3_errmsg(lookup->db));
  }
  g_cond_broadcast(&lookup->cond);
  g_mutex_unlock(&lookup->lock);
}

/* One batch, in one read transaction. */
static void
run_batch(MusterLookup *lookup)
{
  int rc = sqlite3_exec(lookup->db, "BEGIN", NULL, NULL, NULL);
  guint done = 0;
  while (rc == SQLITE_OK && done < lookup->n) {
    guint to = MIN(done + LOOKUP_CHUNK, lookup->n);
    rc = run_chunk(lookup, done, to);
    if (rc == SQLITE_OK) {
      done = to;
      publish(lookup, done, rc);
    }
  }
  if (rc != SQLITE_OK)
    publish(lookup, done, rc);
  if (!sqlite3_get_autocommit(lookup->db))
    sqlite3_exec(lookup->db, "COMMIT", NULL, NULL, NULL);
}

static gpointer
lookup_thread(gpointer data)
{
  MusterLookup *lookup = data;
  g_mutex_lock(&lookup->lock);
  while (TRUE) {
    while (!lookup->running && !lookup->quit)
      g_cond_wait(&lookup->cond, &lookup->lock);
    if (lookup->quit)
      break;
    g_mutex_unlock(&lookup->lock);
    run_batch(lookup);
    g_mutex_lock(&lookup->lock);
    lookup->running = FALSE;
    g_cond_broadcast(&lookup->cond);
  }
  g_mutex_unlock(&lookup->lock);
  return NULL;
}

static gboolean
lookup_fail(MusterLookup *lookup, int rc, const char *msg, GError **error)
{
  gboolean busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
  g_set_error(error, MUSTER_ERROR, busy ? MUSTER_ERROR_DB_BUSY : MUSTER_ERROR_FAILED,
              "Looking up markings in %s failed: %s", lookup->path, msg);
  return FALSE;
}

static gboolean
open_connection(MusterLookup *lookup, GError **error)
{
  int rc =
      sqlite3_open_v2(lookup->path, &lookup->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(lookup->db, 5000);
    rc = sqlite3_exec(lookup->db, "PRAGMA query_only=ON; PRAGMA cache_size=-65536;", NULL, NULL,
                      NULL);
  }
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v3(lookup->db, sql_lookup, -1, SQLITE_PREPARE_PERSISTENT, &lookup->stmt,
                            NULL);
  if (rc != SQLITE_OK)
    return lookup_fail(lookup, rc,
                       lookup->db != NULL ? sqlite3_errmsg(lookup->db) : sqlite3_errstr(rc), error);
  return TRUE;
}

MusterLookup *
muster_lookup_new(const char *path, GError **error)
{
  g_autoptr(MusterLookup) lookup = g_new0(MusterLookup, 1);
  lookup->path = g_strdup(path);
  lookup->json = g_string_new(NULL);
  lookup->scratch = g_string_new(NULL);
  lookup->texts = g_string_chunk_new(64 * 1024);
  g_mutex_init(&lookup->lock);
  g_cond_init(&lookup->cond);
  if (!open_connection(lookup, error))
    return NULL;
  lookup->thread = g_thread_try_new("muster-lookup", lookup_thread, lookup, error);
  if (lookup->thread == NULL)
    return NULL;
  return g_steal_pointer(&lookup);
}

void
muster_lookup_free(MusterLookup *lookup)
{
  if (lookup == NULL)
    return;
  if (lookup->thread != NULL) {
    g_mutex_lock(&lookup->lock);
    lookup->quit = TRUE;
    g_cond_broadcast(&lookup->cond);
    g_mutex_unlock(&lookup->lock);
    g_thread_join(lookup->thread);
  }
  sqlite3_finalize(lookup->stmt);
  sqlite3_close(lookup->db);
  g_mutex_clear(&lookup->lock);
  g_cond_clear(&lookup->cond);
  g_string_free(lookup->json, TRUE);
  g_string_free(lookup->scratch, TRUE);
  g_string_chunk_free(lookup->texts);
  g_free(lookup->errmsg);
  g_free(lookup->path);
  g_free(lookup);
}

void
muster_lookup_start(MusterLookup *lookup, const char *const *values, guint n, gboolean want_text,
                    MusterLookupHit *hits)
{
  g_mutex_lock(&lookup->lock);
  if (lookup->running) {
    g_mutex_unlock(&lookup->lock);
    g_critical("muster_lookup_start() while a batch is being looked up");
    return;
  }
  g_string_chunk_clear(lookup->texts); /* the previous batch's results hold copies */
  lookup->values = values;
  lookup->hits = hits;
  lookup->n = n;
  lookup->want_text = want_text;
  lookup->done = 0;
  lookup->rc = SQLITE_OK;
  g_clear_pointer(&lookup->errmsg, g_free);
  lookup->running = TRUE;
  g_cond_broadcast(&lookup->cond);
  g_mutex_unlock(&lookup->lock);
}

gboolean
muster_lookup_wait(MusterLookup *lookup, guint upto, GError **error)
{
  g_mutex_lock(&lookup->lock);
  while (lookup->done < upto && lookup->rc == SQLITE_OK)
    g_cond_wait(&lookup->cond, &lookup->lock);
  gboolean ok = lookup->done >= upto;
  int rc = lookup->rc;
  g_autofree char *msg = g_strdup(lookup->errmsg);
  g_mutex_unlock(&lookup->lock);
  return ok || lookup_fail(lookup, rc, msg, error);
}

void
muster_lookup_finish(MusterLookup *lookup)
{
  g_mutex_lock(&lookup->lock);
  while (lookup->running)
    g_cond_wait(&lookup->cond, &lookup->lock);
  g_mutex_unlock(&lookup->lock);
}
