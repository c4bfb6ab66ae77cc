/*
 * ingest.c: scans into an open count, durably, fast.
 *
 * Shape, and why:
 *  - Scans are queued and stored in batches, one transaction per flush. With WAL and
 *    synchronous=FULL a commit costs an fsync, so committing per scan would cap a count
 *    at a few hundred scans a second; a batch costs one fsync however many it holds.
 *    Outcomes are handed back only after the commit, so a scan anyone has seen is on
 *    disk. A failed flush (database busy, disk full) rolls back and keeps the queue.
 *  - Queued scans are copied into one GStringChunk (a bump allocator cleared after each
 *    commit) and their raw GBytes are referenced, not copied: no malloc per field.
 *  - The per-scan path is two cached statements held for the whole flush (the marking
 *    lookup through the marking_value index, and the scan insert) plus a hash lookup in
 *    the in-memory set of items found so far. The finds of a batch go in afterwards with
 *    one INSERT ... SELECT over the scan rows just stored. The found set is loaded from
 *    count_find when ingest starts, so a restarted feed dedupes exactly as before; the
 *    count_find primary key backs it in the database. A failed flush takes its finds
 *    back out of the set.
 *  - Location paths are cached per ingest (locations are few and never renamed), so the
 *    marking lookup needs no join to say where an item is recorded.
 *  - No in-memory map of every marking: the index lookup measured at about a seventh of
 *    the ingest time, while a map would cost tens of MiB for a large register and would
 *    go stale when another program adds a marking during the count.
 *  - One "scan.batch" audit entry per flush, never one per scan; the scan rows
 *    themselves are sealed into the audit chain by the store at commit.
 *
 * Outcome precedence: unreadable, not_genuine, unknown, ambiguous, duplicate,
 * status_conflict, wrong_location, accepted. Only the last three are finds (a
 * count_find row); a not-genuine tag or an ambiguous marking says nothing reliable about
 * which weapon is here.
 */
#include "db/ingest.h"
#include "db/audit.h"
#include "db/locations.h"

#include <string.h>
#include <time.h>

/* A flush is due once this many scans wait, whatever their age. */
#define INGEST_QUEUE_MAX 4096

typedef struct {
  GBytes *raw;                /* referenced, may be NULL */
  const char *reader;         /* the rest live in the ingest's string chunk */
  const char *reader_kind;
  const char *symbology;
  const char *text;
  const char *marking_kind;
  const char *marking_value;
  const char *check_group;
  const char *component;
  const char *read_at;
  const char *location_path;  /* NULL: the count's scope */
  gint64 location_id;         /* 0: none known */
  MusterAuthenticity authenticity;
} Queued;

struct _MusterIngest {
  MusterStore *store;
  char *actor_name;
  gint64 count_id;
  char *count_uuid;
  GPtrArray *scope_paths;     /* char* */
  gint64 scope_single_id;     /* the scope location when there is only one */
  gint64 loc_id;              /* current location; 0 = the scope */
  char *loc_path;
  GArray *queue;              /* Queued */
  GStringChunk *strings;
  gint64 oldest_mono_us;
  GHashTable *found;          /* item ids found in this count */
  GHashTable *paths;          /* location id -> path, read as needed */
  gint64 n_found;
  gint64 n_scans;
  gint64 time_secs;           /* the second time_prefix was formatted for */
  char time_prefix[40];       /* "2026-11-25T20:14:57." */
};

static const char *const outcome_names[] = {
    "accepted",        "duplicate",  "unknown",    "wrong_location",
    "status_conflict", "not_genuine", "unreadable", "ambiguous",
};

const char *
muster_outcome_to_string(MusterOutcome o)
{
  return (guint)o < G_N_ELEMENTS(outcome_names) ? outcome_names[o] : "unknown";
}

void
muster_ingest_result_clear(MusterIngestResult *r)
{
  g_clear_pointer(&r->item_uuid, g_free);
  g_clear_pointer(&r->summary, g_free);
  g_clear_pointer(&r->recorded_location, g_free);
  g_clear_pointer(&r->item_status, g_free);
  g_clear_pointer(&r->marking_value, g_free);
  g_clear_pointer(&r->location_path, g_free);
}

static void
queued_clear(Queued *q)
{
  g_clear_pointer(&q->raw, g_bytes_unref);
}

void
muster_ingest_free(MusterIngest *ingest)
{
  if (ingest == NULL)
    return;
  for (guint i = 0; i < ingest->queue->len; i++)
    queued_clear(&g_array_index(ingest->queue, Queued, i));
  g_array_unref(ingest->queue);
  g_string_chunk_free(ingest->strings);
  g_hash_table_unref(ingest->found);
  g_hash_table_unref(ingest->paths);
  g_ptr_array_unref(ingest->scope_paths);
  g_free(ingest->actor_name);
  g_free(ingest->count_uuid);
  g_free(ingest->loc_path);
  g_free(ingest);
}

/* ---- starting ---------------------------------------------------------------------- */

static gboolean
load_count(MusterIngest *ingest, const MusterUser *actor, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      ingest->store, "SELECT uuid, state, counter_id, witness_id FROM count_session "
                     "WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, ingest->count_id);
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
      return muster_store_fail(ingest->store, rc, "Reading the count", error);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_NOT_FOUND,
                "There is no count %" G_GINT64_FORMAT "; list the counts with "
                "'muster count list'.", ingest->count_id);
    return FALSE;
  }
  ingest->count_uuid = muster_column_dup(stmt, 0);
  g_autofree char *state = muster_column_dup(stmt, 1);
  gboolean participant = actor->id == sqlite3_column_int64(stmt, 2) ||
                         actor->id == sqlite3_column_int64(stmt, 3);
  sqlite3_reset(stmt);
  if (g_strcmp0(state, "open") != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "Count %" G_GINT64_FORMAT " is %s; scans can only be added to an open "
                "count. Start a new count to scan again.", ingest->count_id,
                g_strcmp0(state, "signed_off") == 0 ? "signed off" : state);
    return FALSE;
  }
  g_autofree char *what = g_strdup_printf("Scanning into count %" G_GINT64_FORMAT
                                          " (not its counter or witness)", ingest->count_id);
  if (!muster_require_role(actor, MUSTER_ROLE_STAFF, "Scanning", error))
    return FALSE;
  return participant || muster_require_role(actor, MUSTER_ROLE_SUPERVISOR, what, error);
}

static gboolean
load_scope(MusterIngest *ingest, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      ingest->store, "SELECT l.id, l.path FROM count_scope cs JOIN location l "
                     "ON l.id = cs.location_id WHERE cs.count_id = ? ORDER BY l.path", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, ingest->count_id);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ingest->scope_single_id = sqlite3_column_int64(stmt, 0);
    g_ptr_array_add(ingest->scope_paths, muster_column_dup(stmt, 1));
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(ingest->store, rc, "Reading the count's scope", error);
  if (ingest->scope_paths->len != 1)
    ingest->scope_single_id = 0;
  return TRUE;
}

/* The items already found and the scans already stored: a restarted feed goes on. */
static gboolean
load_progress(MusterIngest *ingest, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      ingest->store, "SELECT item_id FROM count_find WHERE count_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, ingest->count_id);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    g_hash_table_add(ingest->found, GSIZE_TO_POINTER((gsize)sqlite3_column_int64(stmt, 0)));
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(ingest->store, rc, "Reading the count's finds", error);
  ingest->n_found = g_hash_table_size(ingest->found);
  stmt = muster_store_stmt(ingest->store, "SELECT count(*) FROM scan WHERE count_id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, ingest->count_id);
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW)
    ingest->n_scans = sqlite3_column_int64(stmt, 0);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(ingest->store, rc, "Counting the count's scans", error);
  return TRUE;
}

MusterIngest *
muster_ingest_new(MusterStore *store, const MusterUser *actor, gint64 count_id,
                  GError **error)
{
  g_autoptr(MusterIngest) ingest = g_new0(MusterIngest, 1);
  ingest->store = store;
  ingest->count_id = count_id;
  ingest->actor_name = g_strdup(actor != NULL ? actor->name : NULL);
  ingest->scope_paths = g_ptr_array_new_with_free_func(g_free);
  ingest->queue = g_array_sized_new(FALSE, TRUE, sizeof(Queued), 256);
  ingest->strings = g_string_chunk_new(64 * 1024);
  ingest->found = g_hash_table_new(g_direct_hash, g_direct_equal);
  ingest->paths = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  if (actor == NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
                "Scanning into a count needs someone signed in.");
    return NULL;
  }
  if (!load_count(ingest, actor, error) || !load_scope(ingest, error) ||
      !load_progress(ingest, error))
    return NULL;
  return g_steal_pointer(&ingest);
}

/* ---- location ---------------------------------------------------------------------- */

static gboolean
in_scope(MusterIngest *ingest, const char *path)
{
  for (guint i = 0; i < ingest->scope_paths->len; i++)
    if (muster_location_path_within(path, g_ptr_array_index(ingest->scope_paths, i)))
      return TRUE;
  return FALSE;
}

static char *
scope_text(MusterIngest *ingest)
{
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; i < ingest->scope_paths->len; i++) {
    const char *p = g_ptr_array_index(ingest->scope_paths, i);
    g_string_append_printf(s, "%s%s", i > 0 ? ", " : "", *p ? p : "the whole armoury");
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
}

gboolean
muster_ingest_set_location(MusterIngest *ingest, const char *path, GError **error)
{
  if (path == NULL || *path == '\0') {
    ingest->loc_id = 0;
    g_clear_pointer(&ingest->loc_path, g_free);
    return TRUE;
  }
  g_autoptr(MusterLocation) loc = muster_locations_get(ingest->store, path, error);
  if (loc == NULL)
    return FALSE;
  if (!in_scope(ingest, loc->path)) {
    g_autofree char *scope = scope_text(ingest);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "Location %s is outside count %" G_GINT64_FORMAT ", which covers %s. Scan "
                "only inside the count's locations, or start another count for %s.",
                loc->path, ingest->count_id, scope, loc->path);
    return FALSE;
  }
  ingest->loc_id = loc->id;
  g_free(ingest->loc_path);
  ingest->loc_path = g_strdup(loc->path);
  return TRUE;
}

/* ---- queueing ---------------------------------------------------------------------- */

static const char *
chunk_const(MusterIngest *ingest, const char *s)
{
  return s != NULL ? g_string_chunk_insert_const(ingest->strings, s) : NULL;
}

static const char *
chunk_copy(MusterIngest *ingest, const char *s)
{
  return s != NULL ? g_string_chunk_insert(ingest->strings, s) : NULL;
}

/* "2026-11-25T20:14:57.123Z", like muster_time_iso() but cheap: scans arrive many to
 * the second, so the date and time part is formatted once per second. */
static const char *
chunk_time(MusterIngest *ingest, gint64 unix_us)
{
  gint64 secs = unix_us / G_USEC_PER_SEC;
  gint64 rem = unix_us % G_USEC_PER_SEC;
  if (rem < 0) {
    secs--;
    rem += G_USEC_PER_SEC;
  }
  if (secs != ingest->time_secs || ingest->time_prefix[0] == '\0') {
    time_t t = (time_t)secs;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL)
      memset(&tm, 0, sizeof tm);
    g_snprintf(ingest->time_prefix, sizeof ingest->time_prefix, "%04d-%02d-%02dT%02d:%02d:%02d.",
               tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    ingest->time_secs = secs;
  }
  char buf[48];
  gsize n = MIN(g_strlcpy(buf, ingest->time_prefix, sizeof buf - 5), sizeof buf - 6);
  int ms = (int)(rem / 1000);
  buf[n++] = (char)('0' + ms / 100);
  buf[n++] = (char)('0' + ms / 10 % 10);
  buf[n++] = (char)('0' + ms % 10);
  buf[n++] = 'Z';
  buf[n] = '\0';
  return g_string_chunk_insert_len(ingest->strings, buf, (gssize)n);
}

void
muster_ingest_add(MusterIngest *ingest, const MusterScan *scan)
{
  g_return_if_fail(scan != NULL);
  /* A location the reader reports applies from this scan on. One outside the count
   * cannot be counted against: the scan is taken where the counter last was, and the
   * result's location_path says so. */
  if (scan->location_path != NULL) {
    g_autoptr(GError) error = NULL;
    if (!muster_ingest_set_location(ingest, scan->location_path, &error))
      g_debug("scan location ignored: %s", error->message);
  }
  if (ingest->queue->len == 0)
    ingest->oldest_mono_us = g_get_monotonic_time();
  Queued q = {
      .raw = scan->raw != NULL ? g_bytes_ref(scan->raw) : NULL,
      .reader = chunk_const(ingest, scan->reader != NULL ? scan->reader : "unknown"),
      .reader_kind = chunk_const(ingest, scan->reader_kind != NULL ? scan->reader_kind
                                                                   : "manual"),
      .symbology = chunk_const(ingest, scan->symbology),
      .text = chunk_copy(ingest, scan->text),
      .marking_kind = chunk_const(ingest, scan->marking_kind),
      .marking_value = chunk_copy(ingest, scan->marking_value),
      .check_group = chunk_const(ingest, scan->check_group),
      .component = chunk_const(ingest, scan->component),
      .read_at = chunk_time(ingest, scan->read_at_us),
      .location_path = chunk_const(ingest, ingest->loc_path),
      .location_id = ingest->loc_id != 0 ? ingest->loc_id : ingest->scope_single_id,
      .authenticity = scan->authenticity,
  };
  g_array_append_val(ingest->queue, q);
}

guint
muster_ingest_pending(MusterIngest *ingest)
{
  return ingest->queue->len;
}

gboolean
muster_ingest_due(MusterIngest *ingest, gint64 max_wait_us)
{
  if (ingest->queue->len == 0)
    return FALSE;
  return ingest->queue->len >= INGEST_QUEUE_MAX ||
         g_get_monotonic_time() - ingest->oldest_mono_us >= max_wait_us;
}

gint64
muster_ingest_found(MusterIngest *ingest)
{
  return ingest->n_found;
}

gint64
muster_ingest_scans(MusterIngest *ingest)
{
  return ingest->n_scans;
}

/* ---- flushing ---------------------------------------------------------------------- */

/* The statements of one flush, fetched once from the store's cache. */
typedef struct {
  sqlite3_stmt *lookup;
  sqlite3_stmt *insert_scan;
  const char *stored_at;
  GArray *new_finds;          /* gint64 item ids added to ingest->found in this batch */
  GArray *results;            /* MusterIngestResult, or NULL when nobody asked */
  gint64 first_scan;
  gint64 last_scan;
} Batch;

static const char sql_lookup[] =
    "SELECT m.item_id, i.status, i.location_id, i.uuid, i.manufacturer, i.model, "
    "i.calibre, i.serial FROM marking m JOIN item i ON i.id = m.item_id "
    "WHERE m.value = ? AND m.retired_at IS NULL";
static const char sql_insert_scan[] =
    "INSERT INTO scan (count_id, reader, reader_kind, symbology, raw, text, marking_kind, "
    "marking_value, check_group, component, location_id, read_at, stored_at, authenticity, "
    "outcome, item_id, item_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_insert_finds[] =
    "INSERT INTO count_find (count_id, item_id, scan_id, location_id) "
    "SELECT count_id, item_id, id, location_id FROM scan WHERE count_id = ?1 "
    "AND id BETWEEN ?2 AND ?3 AND outcome IN ('accepted', 'wrong_location', "
    "'status_conflict') ORDER BY id";

/* What the marking resolved to. */
typedef struct {
  int n_items;                /* 0, 1, or 2 meaning "more than one" */
  gint64 item_id;
  const char *status;         /* a static string */
  gint64 location_id;         /* recorded location; 0 when none */
  const char *path;           /* its path (owned by the ingest's cache) */
  char *uuid;                 /* for results only */
  char *summary;
} Resolved;

static void
resolved_clear(Resolved *r)
{
  g_clear_pointer(&r->uuid, g_free);
  g_clear_pointer(&r->summary, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Resolved, resolved_clear)

static const char *
static_status(const char *status)
{
  static const char *const names[] = {"in_store", "issued", "in_repair", "in_transit",
                                      "lost", "stolen", "destroyed", "seized"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    if (g_strcmp0(status, names[i]) == 0)
      return names[i];
  return "in_store"; /* the schema's CHECK allows nothing else */
}

/* "Glock 17 9x19 SN GL-123456" from the lookup row. */
static char *
item_summary(sqlite3_stmt *lookup)
{
  const char *calibre = (const char *)sqlite3_column_text(lookup, 6);
  return g_strconcat((const char *)sqlite3_column_text(lookup, 4), " ",
                     (const char *)sqlite3_column_text(lookup, 5), calibre != NULL ? " " : "",
                     calibre != NULL ? calibre : "", " SN ",
                     (const char *)sqlite3_column_text(lookup, 7), NULL);
}

/* Copies what the first row says; the row is gone once the statement steps on. */
static void
take_first_row(Batch *b, Resolved *r)
{
  sqlite3_stmt *st = b->lookup;
  r->n_items = 1;
  r->item_id = sqlite3_column_int64(st, 0);
  r->status = static_status((const char *)sqlite3_column_text(st, 1));
  r->location_id = sqlite3_column_int64(st, 2);
  if (b->results != NULL) {
    r->uuid = muster_column_dup(st, 3);
    r->summary = item_summary(st);
  }
}

/* Paths never change and there are few locations, so each is read once per ingest:
 * that spares the marking lookup a join. */
static gboolean
location_path(MusterIngest *ingest, gint64 id, const char **path, GError **error)
{
  *path = g_hash_table_lookup(ingest->paths, GSIZE_TO_POINTER((gsize)id));
  if (*path != NULL)
    return TRUE;
  sqlite3_stmt *stmt = muster_store_stmt(ingest->store, "SELECT path FROM location WHERE id = ?",
                                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, id);
  int rc = sqlite3_step(stmt);
  char *found = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (found == NULL)
    return muster_store_fail(ingest->store, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc,
                             "Reading an item's location", error);
  g_hash_table_insert(ingest->paths, GSIZE_TO_POINTER((gsize)id), found);
  *path = found;
  return TRUE;
}

static gboolean
resolve(MusterIngest *ingest, Batch *b, const Queued *q, Resolved *r, GError **error)
{
  sqlite3_reset(b->lookup);
  sqlite3_bind_text(b->lookup, 1, q->marking_value, -1, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(b->lookup)) == SQLITE_ROW) {
    if (r->n_items == 0) {
      take_first_row(b, r);
    } else if (sqlite3_column_int64(b->lookup, 0) != r->item_id) {
      /* the same value on two items: which one is here cannot be told */
      resolved_clear(r);
      r->n_items = 2;
      r->item_id = 0;
      r->status = NULL;
      r->location_id = 0;
      break;
    }
  }
  sqlite3_reset(b->lookup);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(ingest->store, rc, "Looking up a marking", error);
  return r->location_id == 0 || location_path(ingest, r->location_id, &r->path, error);
}

static gboolean
status_conflicts(const char *status)
{
  static const char *const conflicting[] = {"issued", "lost", "stolen", "destroyed",
                                            "in_transit"};
  for (guint i = 0; i < G_N_ELEMENTS(conflicting); i++)
    if (g_strcmp0(status, conflicting[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Is the recorded location inside where the scan was taken? */
static gboolean
where_expected(MusterIngest *ingest, const Queued *q, const char *recorded)
{
  if (recorded == NULL) /* no recorded place: only a count of the whole armoury covers it */
    return q->location_path != NULL ? *q->location_path == '\0' : in_scope(ingest, "");
  if (q->location_path != NULL)
    return muster_location_path_within(recorded, q->location_path);
  return in_scope(ingest, recorded);
}

static MusterOutcome
decide(MusterIngest *ingest, const Queued *q, const Resolved *r)
{
  if (q->marking_value == NULL)
    return MUSTER_OUTCOME_UNREADABLE;
  if (q->authenticity == MUSTER_AUTH_NOT_GENUINE)
    return MUSTER_OUTCOME_NOT_GENUINE;
  if (r->n_items == 0)
    return MUSTER_OUTCOME_UNKNOWN;
  if (r->n_items > 1)
    return MUSTER_OUTCOME_AMBIGUOUS;
  if (g_hash_table_contains(ingest->found, GSIZE_TO_POINTER((gsize)r->item_id)))
    return MUSTER_OUTCOME_DUPLICATE;
  if (status_conflicts(r->status))
    return MUSTER_OUTCOME_STATUS_CONFLICT;
  if (!where_expected(ingest, q, r->path))
    return MUSTER_OUTCOME_WRONG_LOCATION;
  return MUSTER_OUTCOME_ACCEPTED;
}

static void
bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
  if (s != NULL)
    sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(stmt, idx);
}

static gboolean
insert_scan(MusterIngest *ingest, Batch *b, const Queued *q, MusterOutcome outcome,
            const Resolved *r, gint64 *scan_id, GError **error)
{
  sqlite3_stmt *s = b->insert_scan;
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, ingest->count_id);
  bind_text(s, 2, q->reader);
  bind_text(s, 3, q->reader_kind);
  bind_text(s, 4, q->symbology);
  gsize raw_len = 0;
  const void *raw = q->raw != NULL ? g_bytes_get_data(q->raw, &raw_len) : NULL;
  if (raw_len > 0)
    sqlite3_bind_blob(s, 5, raw, (int)raw_len, SQLITE_STATIC);
  else
    sqlite3_bind_zeroblob(s, 5, 0);
  bind_text(s, 6, q->text);
  bind_text(s, 7, q->marking_kind);
  bind_text(s, 8, q->marking_value);
  bind_text(s, 9, q->check_group);
  bind_text(s, 10, q->component);
  if (q->location_id != 0)
    sqlite3_bind_int64(s, 11, q->location_id);
  else
    sqlite3_bind_null(s, 11);
  bind_text(s, 12, q->read_at);
  bind_text(s, 13, b->stored_at);
  bind_text(s, 14, muster_authenticity_to_string(q->authenticity));
  bind_text(s, 15, muster_outcome_to_string(outcome));
  if (r->n_items == 1) {
    sqlite3_bind_int64(s, 16, r->item_id);
    bind_text(s, 17, r->status);
  } else {
    sqlite3_bind_null(s, 16);
    sqlite3_bind_null(s, 17);
  }
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE)
    return muster_store_fail(ingest->store, rc, "Storing a scan", error);
  *scan_id = sqlite3_last_insert_rowid(muster_store_db(ingest->store));
  return TRUE;
}

/* The finds of the batch, in one statement from the scan rows just stored: cheaper
 * than a statement per find, and the rows say exactly what was decided. */
static gboolean
insert_finds(MusterIngest *ingest, Batch *b, GError **error)
{
  if (b->new_finds->len == 0)
    return TRUE;
  sqlite3_stmt *s = muster_store_stmt(ingest->store, sql_insert_finds, error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64(s, 1, ingest->count_id);
  sqlite3_bind_int64(s, 2, b->first_scan);
  sqlite3_bind_int64(s, 3, b->last_scan);
  if (!muster_store_step_done(ingest->store, s, "Recording the finds", error))
    return FALSE;
  gint64 n = sqlite3_changes64(muster_store_db(ingest->store));
  if (n == b->new_finds->len)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED,
              "recorded %" G_GINT64_FORMAT " finds where %u were made; nothing was stored",
              n, b->new_finds->len);
  return FALSE;
}

static void
add_result(Batch *b, const Queued *q, MusterOutcome outcome, Resolved *r, gint64 scan_id)
{
  MusterIngestResult res = {
      .scan_id = scan_id,
      .outcome = outcome,
      .item_id = r->item_id,
      .item_uuid = g_steal_pointer(&r->uuid),
      .summary = g_steal_pointer(&r->summary),
      .recorded_location = g_strdup(r->path),
      .item_status = g_strdup(r->status),
      .marking_value = g_strdup(q->marking_value),
      .location_path = g_strdup(q->location_path),
  };
  if (res.summary == NULL)
    res.summary = g_strdup(q->marking_value != NULL ? q->marking_value
                           : q->text != NULL        ? q->text
                                                    : "unreadable scan");
  g_array_append_val(b->results, res);
}

static gboolean
ingest_one(MusterIngest *ingest, Batch *b, const Queued *q, GError **error)
{
  g_auto(Resolved) r = {0};
  if (q->marking_value != NULL && !resolve(ingest, b, q, &r, error))
    return FALSE;
  MusterOutcome outcome = decide(ingest, q, &r);
  gint64 scan_id = 0;
  if (!insert_scan(ingest, b, q, outcome, &r, &scan_id, error))
    return FALSE;
  if (b->first_scan == 0)
    b->first_scan = scan_id;
  b->last_scan = scan_id;
  gboolean is_find = outcome == MUSTER_OUTCOME_ACCEPTED ||
                     outcome == MUSTER_OUTCOME_WRONG_LOCATION ||
                     outcome == MUSTER_OUTCOME_STATUS_CONFLICT;
  if (is_find) {
    g_hash_table_add(ingest->found, GSIZE_TO_POINTER((gsize)r.item_id));
    g_array_append_val(b->new_finds, r.item_id);
  }
  if (b->results != NULL)
    add_result(b, q, outcome, &r, scan_id);
  return TRUE;
}

/* Another program may have closed the count since ingest started. */
static gboolean
check_still_open(MusterIngest *ingest, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      ingest->store, "SELECT state FROM count_session WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, ingest->count_id);
  int rc = sqlite3_step(stmt);
  g_autofree char *state = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(ingest->store, rc, "Reading the count", error);
  if (g_strcmp0(state, "open") == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
              "count %" G_GINT64_FORMAT " was %s meanwhile, so these scans cannot be added "
              "to it; start a new count to scan them again", ingest->count_id,
              g_strcmp0(state, "signed_off") == 0 ? "signed off" : state);
  return FALSE;
}

static gboolean
audit_batch(MusterIngest *ingest, Batch *b, GError **error)
{
  g_autofree char *detail = g_strdup_printf(
      "{\"count\":\"%s\",\"first_scan\":%" G_GINT64_FORMAT ",\"last_scan\":%" G_GINT64_FORMAT
      ",\"scans\":%u,\"new_finds\":%u}",
      ingest->count_uuid, b->first_scan, b->last_scan, ingest->queue->len, b->new_finds->len);
  return muster_audit_append(ingest->store, ingest->actor_name, "scan.batch",
                             ingest->count_uuid, detail, error);
}

static gboolean
flush_in_tx(MusterIngest *ingest, Batch *b, GError **error)
{
  if (!check_still_open(ingest, error))
    return FALSE;
  /* The store keeps these prepared for its lifetime; holding the pointers for one flush
   * spares a cache lookup per scan. */
  b->lookup = muster_store_stmt(ingest->store, sql_lookup, error);
  if (b->lookup == NULL)
    return FALSE;
  b->insert_scan = muster_store_stmt(ingest->store, sql_insert_scan, error);
  if (b->insert_scan == NULL)
    return FALSE;
  for (guint i = 0; i < ingest->queue->len; i++)
    if (!ingest_one(ingest, b, &g_array_index(ingest->queue, Queued, i), error))
      return FALSE;
  return insert_finds(ingest, b, error) && audit_batch(ingest, b, error) &&
         muster_store_commit(ingest->store, error);
}

static void
batch_undo(MusterIngest *ingest, Batch *b)
{
  for (guint i = 0; i < b->new_finds->len; i++)
    g_hash_table_remove(ingest->found,
                        GSIZE_TO_POINTER((gsize)g_array_index(b->new_finds, gint64, i)));
  if (b->results != NULL)
    for (guint i = 0; i < b->results->len; i++)
      muster_ingest_result_clear(&g_array_index(b->results, MusterIngestResult, i));
}

static void
queue_reset(MusterIngest *ingest)
{
  for (guint i = 0; i < ingest->queue->len; i++)
    queued_clear(&g_array_index(ingest->queue, Queued, i));
  g_array_set_size(ingest->queue, 0);
  g_string_chunk_clear(ingest->strings);
}

gboolean
muster_ingest_flush(MusterIngest *ingest, GArray *results, GError **error)
{
  guint n = ingest->queue->len;
  if (n == 0)
    return TRUE;
  g_autoptr(GArray) new_finds = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GArray) batch_results =
      results != NULL ? g_array_sized_new(FALSE, TRUE, sizeof(MusterIngestResult), n) : NULL;
  if (!muster_store_begin(ingest->store, error)) {
    g_prefix_error(error, "Storing %u scans of count %" G_GINT64_FORMAT " (kept for a "
                   "retry): ", n, ingest->count_id);
    return FALSE;
  }
  /* after BEGIN, which may have waited for another program's lock */
  g_autofree char *stored_at = muster_now_iso();
  Batch b = {.stored_at = stored_at, .new_finds = new_finds, .results = batch_results};
  if (!flush_in_tx(ingest, &b, error)) {
    muster_store_rollback(ingest->store); /* no-op when commit already rolled back */
    batch_undo(ingest, &b);
    g_prefix_error(error, "Storing %u scans of count %" G_GINT64_FORMAT " (kept for a "
                   "retry): ", n, ingest->count_id);
    return FALSE;
  }
  ingest->n_scans += n;
  ingest->n_found += new_finds->len;
  if (results != NULL)
    g_array_append_vals(results, batch_results->data, batch_results->len);
  queue_reset(ingest);
  return TRUE;
}
