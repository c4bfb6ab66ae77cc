/*
 * ingest.c: scans into an open count, durably, fast.
 *
 * Shape, and why:
 *  - Scans are queued and stored in batches, one transaction per flush. With WAL and
 *    synchronous=FULL a commit costs an fsync, so committing per scan would cap a count
 *    at a few hundred scans a second; a batch costs one fsync however many it holds.
 *    Outcomes are handed back only after the commit, so a scan anyone has seen is on
 *    disk. A failed flush (database busy, disk full) rolls back and keeps the queue.
 *  - Each flush ends within the bound the caller gives muster_ingest_due() (50 ms for a
 *    count): the queue waits until the oldest scan's age plus the flush's expected time
 *    (learnt from the flushes so far) reach half the bound, so batches size themselves
 *    to the feed and the machine.
 *  - WAL checkpoints run on a thread of their own while the ingest lives (checkpointer.c):
 *    a checkpoint inside a commit was what made the slowest flushes.
 *  - Queued scans are copied into one GStringChunk (a bump allocator cleared after each
 *    commit) and their raw GBytes are referenced, not copied: no malloc per field.
 *  - The markings of a batch are looked up on a second thread and connection
 *    (ingest-lookup.c), a chunk of values per statement, while this thread decides and
 *    stores the scans whose answers are in: the lookups were a fifth of a flush. Scans
 *    are stored several to an INSERT with ids given here (the next free ones), and the
 *    finds of the batch go in afterwards with one INSERT ... SELECT over the scan rows
 *    just stored: each run of a statement has a fixed cost of about a microsecond here,
 *    as much as a marking lookup itself.
 *  - Dedupe is a hash lookup in the in-memory set of items found so far, loaded from
 *    count_find when ingest starts, so a restarted feed dedupes exactly as before; the
 *    count_find primary key backs it in the database. A failed flush takes its finds
 *    back out of the set. Another program may scan into the same count (a second
 *    `count scan`, the kiosk): once a flush holds the write lock, the scans stored since
 *    this ingest last looked (ids are given in order, so they are the ones above the
 *    newest it knows) bring their finds into the set before anything is decided. Alone
 *    on the count, that costs a comparison with the max(id) the flush reads anyway.
 *  - Location paths are cached per ingest (locations are few and never renamed), so the
 *    marking lookup needs no join to say where an item is recorded.
 *  - No in-memory map of every marking: it would cost tens of MiB for a large register
 *    and would go stale when another program adds a marking during the count.
 *  - A result's strings share one allocation: a flush hands back thousands of results.
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
#include "db/checkpointer.h"
#include "db/count-row.h"
#include "db/ingest-lookup.h"
#include "db/items.h"
#include "db/locations.h"
#include "db/store-private.h"

#include <string.h>
#include <time.h>

/* A flush is due once this many scans wait, whatever their age. */
#define INGEST_QUEUE_MAX 4096

/* What a flush is taken to cost per scan before one has been measured. */
#define FLUSH_US_PER_SCAN_GUESS 20.0

/* The queued strings that usually repeat from one scan to the next. */
typedef enum {
  FIELD_READER,
  FIELD_READER_KIND,
  FIELD_SYMBOLOGY,
  FIELD_MARKING_KIND,
  FIELD_CHECK_GROUP,
  FIELD_COMPONENT,
  FIELD_LOCATION,
  N_FIELDS
} QueuedField;

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
  MusterUser *actor;          /* re-read from the store at every batch */
  gint64 count_id;
  char *count_uuid;
  GPtrArray *scope_paths;     /* char* */
  gint64 scope_single_id;     /* the scope location when there is only one */
  gint64 loc_id;              /* current location; 0 = the scope */
  char *loc_path;
  GArray *queue;              /* Queued */
  GStringChunk *strings;
  const char *last[N_FIELDS]; /* each field's latest copy in strings */
  gint64 oldest_mono_us;
  GHashTable *found;          /* item ids found in this count */
  GHashTable *paths;          /* location id -> path, read as needed */
  MusterLookup *lookup;       /* the marking lookups, on their own thread */
  MusterCheckpointer *checkpointer; /* WAL checkpoints, off the flush's path */
  gint64 seen_scan;           /* every scan up to this id is known: its find is in found */
  gint64 n_found;
  gint64 n_scans;
  double flushed_us;          /* time and scans of recent flushes, older ones decayed */
  double flushed_scans;
  gint64 time_secs;           /* the second time_prefix was formatted for */
  char time_prefix[40];       /* "2026-11-25T20:14:57." */
};

static const char *const outcome_names[] = {
    "accepted",        "duplicate",  "unknown",    "wrong_location",
    "status_conflict", "not_genuine", "unreadable", "ambiguous",
};

const MusterClosedList muster_outcome_list = MUSTER_CLOSED_LIST(outcome_names);

const char *
muster_outcome_to_string(MusterOutcome o)
{
  return muster_closed_list_name(&muster_outcome_list, o);
}

void
muster_ingest_result_clear(MusterIngestResult *r)
{
  g_clear_pointer(&r->strings, g_free);
  r->item_uuid = r->summary = r->recorded_location = NULL;
  r->item_status = r->marking_value = r->location_path = NULL;
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
  g_clear_pointer(&ingest->lookup, muster_lookup_free);
  g_clear_pointer(&ingest->checkpointer, muster_checkpointer_free);
  g_clear_pointer(&ingest->actor, muster_user_free);
  g_free(ingest->count_uuid);
  g_free(ingest->loc_path);
  g_free(ingest);
}

/* ---- starting ---------------------------------------------------------------------- */

static gboolean
load_count(MusterIngest *ingest, const MusterUser *actor, GError **error)
{
  g_auto(MusterCountRow) c = {0};
  if (!muster_count_load(ingest->store, ingest->count_id, &c, error))
    return FALSE;
  ingest->count_uuid = g_strdup(c.uuid);
  if (c.state != MUSTER_COUNT_OPEN) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "Count %" G_GINT64_FORMAT " is %s; scans can only be added to an open "
                "count. Start a new count to scan again.", ingest->count_id,
                muster_count_state_label(c.state));
    return FALSE;
  }
  g_autofree char *what = g_strdup_printf("Scanning into count %" G_GINT64_FORMAT
                                          " (not its counter or witness)", ingest->count_id);
  return muster_count_require_participant(ingest->store, &c, actor, TRUE, "Scanning", what,
                                          error);
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

/* The scans already stored and the items already found: a restarted feed goes on. The
 * newest scan id and the count's scans are read in one statement (one snapshot), before
 * the finds: a find stored in between is then also above seen_scan, and the first flush
 * reads it again, harmlessly. */
static gboolean
load_progress(MusterIngest *ingest, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      ingest->store, "SELECT coalesce(max(id), 0), (SELECT count(*) FROM scan WHERE "
                     "count_id = ?) FROM scan", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, ingest->count_id);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    ingest->seen_scan = sqlite3_column_int64(stmt, 0);
    ingest->n_scans = sqlite3_column_int64(stmt, 1);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(ingest->store, rc, "Counting the count's scans", error);
  stmt = muster_store_stmt(ingest->store, "SELECT item_id FROM count_find WHERE count_id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, ingest->count_id);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    g_hash_table_add(ingest->found, GSIZE_TO_POINTER((gsize)sqlite3_column_int64(stmt, 0)));
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(ingest->store, rc, "Reading the count's finds", error);
  ingest->n_found = g_hash_table_size(ingest->found);
  return TRUE;
}

MusterIngest *
muster_ingest_new(MusterStore *store, const MusterUser *actor, gint64 count_id,
                  GError **error)
{
  g_autoptr(MusterIngest) ingest = g_new0(MusterIngest, 1);
  ingest->store = store;
  ingest->count_id = count_id;
  ingest->actor = actor != NULL ? muster_user_copy(actor) : NULL;
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
  ingest->lookup = muster_lookup_new(muster_store_path(store), error);
  if (ingest->lookup != NULL)
    ingest->checkpointer = muster_checkpointer_new(store, error);
  if (ingest->lookup == NULL || ingest->checkpointer == NULL) {
    g_prefix_error(error, "Scanning into count %" G_GINT64_FORMAT ": ", count_id);
    return NULL;
  }
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

/* A string that repeats from scan to scan (reader, kind, component, location): the
 * previous scan's copy when it is the same, which spares hashing it into the chunk. */
static const char *
chunk_same(MusterIngest *ingest, QueuedField field, const char *s)
{
  const char **last = &ingest->last[field];
  if (s == NULL)
    return NULL;
  if (*last == NULL || strcmp(*last, s) != 0)
    *last = g_string_chunk_insert_const(ingest->strings, s);
  return *last;
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
      .reader = chunk_same(ingest, FIELD_READER, scan->reader != NULL ? scan->reader : "unknown"),
      .reader_kind = chunk_same(ingest, FIELD_READER_KIND,
                                scan->reader_kind != NULL ? scan->reader_kind : "manual"),
      .symbology = chunk_same(ingest, FIELD_SYMBOLOGY, scan->symbology),
      .text = chunk_copy(ingest, scan->text),
      .marking_kind = chunk_same(ingest, FIELD_MARKING_KIND, scan->marking_kind),
      .marking_value = chunk_copy(ingest, scan->marking_value),
      .check_group = chunk_same(ingest, FIELD_CHECK_GROUP, scan->check_group),
      .component = chunk_same(ingest, FIELD_COMPONENT, scan->component),
      .read_at = chunk_time(ingest, scan->read_at_us),
      .location_path = chunk_same(ingest, FIELD_LOCATION, ingest->loc_path),
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

/* The time a flush of n scans is expected to take, from the recent flushes: their
 * total time over their total scans, so the fixed cost of a commit (the fsync) weighs in
 * as it did for batches of their size. */
static gint64
flush_estimate_us(MusterIngest *ingest, guint n)
{
  double per_scan = ingest->flushed_scans > 0 ? ingest->flushed_us / ingest->flushed_scans
                                              : FLUSH_US_PER_SCAN_GUESS;
  return (gint64)(per_scan * n);
}

/* Half of max_wait_us is planned: the queue waits until the oldest scan's age plus the
 * expected flush reach it. The other half absorbs a flush slower than the last ones
 * (an fsync behind other writes, a busy processor). Batches then size themselves to
 * the arrival rate and to what flushes cost on this machine: under a full-speed feed
 * they stay small enough to commit in time, and a slow feed waits for company. */
gint64
muster_ingest_due_in(MusterIngest *ingest, gint64 max_wait_us)
{
  guint n = ingest->queue->len;
  if (n == 0)
    return -1;
  if (n >= INGEST_QUEUE_MAX)
    return 0;
  gint64 age = g_get_monotonic_time() - ingest->oldest_mono_us;
  gint64 left = max_wait_us / 2 - age - flush_estimate_us(ingest, n);
  return MAX(left, 0);
}

gboolean
muster_ingest_due(MusterIngest *ingest, gint64 max_wait_us)
{
  return muster_ingest_due_in(ingest, max_wait_us) == 0;
}

/* Learns from a flush of n scans that took us: halving the weight of the past at each
 * flush follows a count as its database grows or the machine gets busier. */
static void
flush_learn(MusterIngest *ingest, guint n, gint64 us)
{
  ingest->flushed_us = ingest->flushed_us / 2 + (double)us;
  ingest->flushed_scans = ingest->flushed_scans / 2 + (double)n;
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

/* One flush, worked out chunk by chunk as the marking lookups come in. */
typedef struct {
  sqlite3_stmt *insert_one;   /* the scan INSERTs, taken from the store's cache once a */
  sqlite3_stmt *insert_many;  /* flush: the cache hashes their SQL, long for many rows */
  const char *stored_at;
  gint64 first_scan;          /* scan i of the queue gets id first_scan + i */
  gint64 last_scan;
  const char **values;        /* each queued scan's marking value, for the lookups */
  MusterLookupHit *hits;      /* what each resolved to */
  const char **paths;         /* where each item is recorded (the ingest's cache), or NULL */
  MusterOutcome *outcomes;
  GArray *new_finds;          /* gint64 item ids added to ingest->found in this batch */
  GArray *results;            /* MusterIngestResult, or NULL when nobody asked */
} Batch;

/* Scans are decided and stored in chunks of this many, each as soon as its lookups are
 * in, while the lookup thread works on the next. */
#define STORE_CHUNK 256

/* Scans go in INSERT_ROWS to a statement: a run of the statement opens and closes
 * cursors on the table, its indexes and its foreign keys' parents, and 16 rows a run
 * took a quarter less time per scan than one. Ids are given explicitly (the next free
 * ones; the write lock is ours), so each scan's id is known. */
#define INSERT_ROWS 16
#define SCAN_COLUMNS 18
#define SCAN_VALUES_1 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define SCAN_VALUES_4 SCAN_VALUES_1 ", " SCAN_VALUES_1 ", " SCAN_VALUES_1 ", " SCAN_VALUES_1
#define SCAN_VALUES_16 SCAN_VALUES_4 ", " SCAN_VALUES_4 ", " SCAN_VALUES_4 ", " SCAN_VALUES_4
#define SQL_INSERT_SCANS                                                                     \
  "INSERT INTO scan (id, count_id, reader, reader_kind, symbology, raw, text, marking_kind, " \
  "marking_value, check_group, component, location_id, read_at, stored_at, authenticity, "   \
  "outcome, item_id, item_status) VALUES "
static const char sql_insert_scan[] = SQL_INSERT_SCANS SCAN_VALUES_1;
static const char sql_insert_scans[] = SQL_INSERT_SCANS SCAN_VALUES_16;
G_STATIC_ASSERT(INSERT_ROWS == 16);

/* The batch's rows are read by id alone ("+count_id" keeps the planner off the
 * scan_count index, which would cost a second search per row), and the outcome is
 * tested without an IN list: together a tenth less per find. */
static const char sql_insert_finds[] =
    "INSERT INTO count_find (count_id, item_id, scan_id, location_id) "
    "SELECT count_id, item_id, id, location_id FROM scan WHERE +count_id = ?1 "
    "AND id BETWEEN ?2 AND ?3 AND (outcome = 'accepted' OR outcome = 'wrong_location' "
    "OR outcome = 'status_conflict') ORDER BY id";

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

/* The recorded paths of scans [from, to), whose lookups are in. */
static gboolean
resolve_paths(MusterIngest *ingest, Batch *b, guint from, guint to, GError **error)
{
  for (guint i = from; i < to; i++) {
    gint64 loc = b->hits[i].location_id;
    b->paths[i] = NULL;
    if (loc != 0 && !location_path(ingest, loc, &b->paths[i], error))
      return FALSE;
  }
  return TRUE;
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
decide(MusterIngest *ingest, const Queued *q, const MusterLookupHit *r, const char *path)
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
  if (muster_status_conflicts_with_found(r->status))
    return MUSTER_OUTCOME_STATUS_CONFLICT;
  if (!where_expected(ingest, q, path))
    return MUSTER_OUTCOME_WRONG_LOCATION;
  return MUSTER_OUTCOME_ACCEPTED;
}

/* Decides scans [from, to) in queue order; the first find of an item makes it a
 * duplicate from the next scan on. */
static void
decide_range(MusterIngest *ingest, Batch *b, guint from, guint to)
{
  for (guint i = from; i < to; i++) {
    const MusterLookupHit *r = &b->hits[i];
    MusterOutcome o = decide(ingest, &g_array_index(ingest->queue, Queued, i), r, b->paths[i]);
    b->outcomes[i] = o;
    if (o == MUSTER_OUTCOME_ACCEPTED || o == MUSTER_OUTCOME_WRONG_LOCATION ||
        o == MUSTER_OUTCOME_STATUS_CONFLICT) {
      g_hash_table_add(ingest->found, GSIZE_TO_POINTER((gsize)r->item_id));
      g_array_append_val(b->new_finds, r->item_id);
    }
  }
}

static void
bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
  if (s != NULL)
    sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(stmt, idx);
}

/* Binds scan i of the queue as the row whose first parameter is at + 1. */
static void
bind_scan(MusterIngest *ingest, Batch *b, sqlite3_stmt *s, int at, guint i)
{
  const Queued *q = &g_array_index(ingest->queue, Queued, i);
  const MusterLookupHit *r = &b->hits[i];
  sqlite3_bind_int64(s, at + 1, b->first_scan + i);
  sqlite3_bind_int64(s, at + 2, ingest->count_id);
  bind_text(s, at + 3, q->reader);
  bind_text(s, at + 4, q->reader_kind);
  bind_text(s, at + 5, q->symbology);
  gsize raw_len = 0;
  const void *raw = q->raw != NULL ? g_bytes_get_data(q->raw, &raw_len) : NULL;
  if (raw_len > 0)
    sqlite3_bind_blob(s, at + 6, raw, (int)raw_len, SQLITE_STATIC);
  else
    sqlite3_bind_zeroblob(s, at + 6, 0);
  bind_text(s, at + 7, q->text);
  bind_text(s, at + 8, q->marking_kind);
  bind_text(s, at + 9, q->marking_value);
  bind_text(s, at + 10, q->check_group);
  bind_text(s, at + 11, q->component);
  if (q->location_id != 0)
    sqlite3_bind_int64(s, at + 12, q->location_id);
  else
    sqlite3_bind_null(s, at + 12);
  bind_text(s, at + 13, q->read_at);
  bind_text(s, at + 14, b->stored_at);
  bind_text(s, at + 15, muster_authenticity_to_string(q->authenticity));
  bind_text(s, at + 16, muster_outcome_to_string(b->outcomes[i]));
  if (r->n_items == 1) {
    sqlite3_bind_int64(s, at + 17, r->item_id);
    bind_text(s, at + 18, r->status);
  } else {
    sqlite3_bind_null(s, at + 17);
    sqlite3_bind_null(s, at + 18);
  }
}

/* The ids the batch's scans get: the next free ones. */
static gboolean
next_scan_id(MusterIngest *ingest, gint64 *id, GError **error)
{
  sqlite3_stmt *st = muster_store_stmt(ingest->store, "SELECT coalesce(max(id), 0) FROM scan",
                                       error);
  if (st == NULL)
    return FALSE;
  int rc = sqlite3_step(st);
  *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) + 1 : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW || muster_store_fail(ingest->store, rc, "Reading the scans", error);
}

/* Stores scans [from, to). */
static gboolean
insert_range(MusterIngest *ingest, Batch *b, guint from, guint to, GError **error)
{
  for (guint i = from; i < to;) {
    guint rows = to - i >= INSERT_ROWS ? INSERT_ROWS : 1;
    sqlite3_stmt *s = rows > 1 ? b->insert_many : b->insert_one;
    for (guint k = 0; k < rows; k++)
      bind_scan(ingest, b, s, (int)(k * SCAN_COLUMNS), i + k);
    if (!muster_store_step_done(ingest->store, s, "Storing the scans", error))
      return FALSE;
    i += rows;
  }
  return TRUE;
}

/* Holding the connection's mutex across the chunk makes the one every SQLite call takes
 * a cheap re-entry: 18 binds a scan made the locking alone a few percent of a flush. */
static gboolean
insert_scans(MusterIngest *ingest, Batch *b, guint from, guint to, GError **error)
{
  sqlite3_mutex *mutex = sqlite3_db_mutex(muster_store_db(ingest->store));
  sqlite3_mutex_enter(mutex);
  gboolean ok = insert_range(ingest, b, from, to, error);
  sqlite3_mutex_leave(mutex);
  return ok;
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

/* Appends s (when set) to the result's block, pointing *field at the copy. */
static void
put_string(char **field, char **at, const char *s, gsize len)
{
  if (s == NULL)
    return;
  memcpy(*at, s, len);
  (*at)[len] = '\0';
  *field = *at;
  *at += len + 1;
}

/* A result's strings share one allocation: a flush hands back thousands of results,
 * and six allocations each were a noticeable part of it. */
static void
add_result(MusterIngest *ingest, Batch *b, guint i)
{
  const Queued *q = &g_array_index(ingest->queue, Queued, i);
  const MusterLookupHit *r = &b->hits[i];
  const char *uuid = r->text;
  const char *summary = uuid != NULL             ? uuid + strlen(uuid) + 1
                        : q->marking_value != NULL ? q->marking_value
                        : q->text != NULL          ? q->text
                                                   : "unreadable scan";
  const char *parts[] = {uuid, summary, b->paths[i], r->status, q->marking_value,
                         q->location_path};
  gsize lens[G_N_ELEMENTS(parts)], total = 0;
  for (guint k = 0; k < G_N_ELEMENTS(parts); k++) {
    lens[k] = parts[k] != NULL ? strlen(parts[k]) : 0;
    total += lens[k] + 1;
  }
  MusterIngestResult res = {
      .scan_id = b->first_scan + i, .outcome = b->outcomes[i], .item_id = r->item_id};
  char *at = res.strings = g_malloc(total);
  char **fields[] = {&res.item_uuid,   &res.summary,       &res.recorded_location,
                     &res.item_status, &res.marking_value, &res.location_path};
  for (guint k = 0; k < G_N_ELEMENTS(parts); k++)
    put_string(fields[k], &at, parts[k], lens[k]);
  g_array_append_val(b->results, res);
}

/* Another program may have closed the count since ingest started. */
static gboolean
check_still_open(MusterIngest *ingest, GError **error)
{
  g_auto(MusterCountRow) c = {0};
  if (!muster_count_load(ingest->store, ingest->count_id, &c, error))
    return FALSE;
  if (c.state == MUSTER_COUNT_OPEN)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
              "count %" G_GINT64_FORMAT " was %s meanwhile, so these scans cannot be added "
              "to it; start a new count to scan them again", ingest->count_id,
              muster_count_state_label(c.state));
  return FALSE;
}

static gboolean
audit_batch(MusterIngest *ingest, Batch *b, GError **error)
{
  g_autofree char *detail = g_strdup_printf(
      "{\"count\":\"%s\",\"first_scan\":%" G_GINT64_FORMAT ",\"last_scan\":%" G_GINT64_FORMAT
      ",\"scans\":%u,\"new_finds\":%u}",
      ingest->count_uuid, b->first_scan, b->last_scan, ingest->queue->len, b->new_finds->len);
  return muster_audit_append(ingest->store, ingest->actor != NULL ? ingest->actor->name : NULL,
                             "scan.batch", ingest->count_uuid, detail, error);
}

/* Decides and stores the queued scans, a chunk at a time as their lookups come in. */
static gboolean
store_scans(MusterIngest *ingest, Batch *b, GError **error)
{
  guint n = ingest->queue->len;
  for (guint from = 0; from < n; from += STORE_CHUNK) {
    guint to = MIN(from + STORE_CHUNK, n);
    if (!muster_lookup_wait(ingest->lookup, to, error) ||
        !resolve_paths(ingest, b, from, to, error))
      return FALSE;
    decide_range(ingest, b, from, to);
    if (!insert_scans(ingest, b, from, to, error))
      return FALSE;
  }
  if (b->results != NULL)
    for (guint i = 0; i < n; i++)
      add_result(ingest, b, i);
  return TRUE;
}

/* The finds and scans other programs stored in this count since this ingest last
 * looked, up to last_id: read by id alone ("+count_id" keeps the planner on the rowid
 * range), so the cost is that of their scans, not the count's. */
static gboolean
catch_up(MusterIngest *ingest, gint64 last_id, GError **error)
{
  sqlite3_stmt *st = muster_store_stmt(
      ingest->store, "SELECT item_id, outcome = 'accepted' OR outcome = 'wrong_location' OR "
                     "outcome = 'status_conflict' FROM scan WHERE id > ?1 AND id <= ?2 AND "
                     "+count_id = ?3", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64(st, 1, ingest->seen_scan);
  sqlite3_bind_int64(st, 2, last_id);
  sqlite3_bind_int64(st, 3, ingest->count_id);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    ingest->n_scans++;
    if (sqlite3_column_int(st, 1))
      g_hash_table_add(ingest->found, GSIZE_TO_POINTER((gsize)sqlite3_column_int64(st, 0)));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    return muster_store_fail(ingest->store, rc, "Reading the scans stored meanwhile", error);
  /* those rows are committed: they stay known even if this flush fails */
  ingest->seen_scan = last_id;
  ingest->n_found = g_hash_table_size(ingest->found);
  return TRUE;
}

static gboolean
flush_in_tx(MusterIngest *ingest, Batch *b, GError **error)
{
  /* Every batch is an action of the counter's: one deactivated, locked out or demoted
   * since scanning began stores no more (the scans are refused, not lost: none of this
   * batch was acknowledged). */
  if (!check_still_open(ingest, error) ||
      !muster_require_role(ingest->store, ingest->actor, MUSTER_ROLE_STAFF, "Scanning", error) ||
      !next_scan_id(ingest, &b->first_scan, error))
    return FALSE;
  if (b->first_scan - 1 > ingest->seen_scan && !catch_up(ingest, b->first_scan - 1, error))
    return FALSE;
  b->insert_one = muster_store_stmt(ingest->store, sql_insert_scan, error);
  b->insert_many = b->insert_one != NULL
                       ? muster_store_stmt(ingest->store, sql_insert_scans, error)
                       : NULL;
  if (b->insert_many == NULL)
    return FALSE;
  guint n = ingest->queue->len;
  b->last_scan = b->first_scan + n - 1;
  for (guint i = 0; i < n; i++)
    b->values[i] = g_array_index(ingest->queue, Queued, i).marking_value;
  /* we hold the write lock now: the lookups see what this transaction builds on */
  muster_lookup_start(ingest->lookup, b->values, n, b->results != NULL, b->hits);
  gboolean ok = store_scans(ingest, b, error);
  muster_lookup_finish(ingest->lookup);
  return ok && insert_finds(ingest, b, error) && audit_batch(ingest, b, error) &&
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
  memset(ingest->last, 0, sizeof ingest->last);
}

gboolean
muster_ingest_flush(MusterIngest *ingest, GArray *results, GError **error)
{
  guint n = ingest->queue->len;
  if (n == 0)
    return TRUE;
  gint64 t0 = g_get_monotonic_time();
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
  g_autofree const char **values = g_new(const char *, n);
  g_autofree MusterLookupHit *hits = g_new(MusterLookupHit, n);
  g_autofree const char **paths = g_new0(const char *, n);
  g_autofree MusterOutcome *outcomes = g_new(MusterOutcome, n);
  Batch b = {.stored_at = stored_at,
             .values = values,
             .hits = hits,
             .paths = paths,
             .outcomes = outcomes,
             .new_finds = new_finds,
             .results = batch_results};
  if (!flush_in_tx(ingest, &b, error)) {
    muster_store_rollback(ingest->store); /* no-op when commit already rolled back */
    batch_undo(ingest, &b);
    g_prefix_error(error, "Storing %u scans of count %" G_GINT64_FORMAT " (kept for a "
                   "retry): ", n, ingest->count_id);
    return FALSE;
  }
  ingest->n_scans += n;
  ingest->n_found += new_finds->len;
  ingest->seen_scan = b.last_scan;
  if (results != NULL)
    g_array_append_vals(results, batch_results->data, batch_results->len);
  queue_reset(ingest);
  flush_learn(ingest, n, g_get_monotonic_time() - t0);
  return TRUE;
}
