/*
 * history.c: the answer to a tracing request.
 *
 * A weapon's history is spread over the tables that record it, each append-only:
 * item_event (creation, status, location, custody and marking changes), count_find with
 * its scan (every count that found it), count_expected without a find (every closed
 * count that expected it and did not find it), and discrepancy and resolution. This
 * module reads each source with one query per item, turns every row into a line a
 * person can read, and merges them in time order. Nothing here writes: a tracing answer
 * must never change what it reports on.
 *
 * Scans of a marking that matched no record are kept by ingest and answered separately
 * (muster_history_unknown_scans), so a trace of an unknown weapon still shows where and
 * when it was seen.
 */
#include "db/history.h"
#include "db/rows-private.h"
#include "db/store-private.h"
#include "marking/marking.h"

#include <string.h>

static void
event_free(MusterHistoryEvent *e)
{
  if (e == NULL)
    return;
  g_free(e->at);
  g_free(e->kind);
  g_free(e->summary);
  g_free(e->user);
  g_free(e->count_uuid);
  g_free(e->location_path);
  g_free(e);
}

void
muster_item_history_free(MusterItemHistory *h)
{
  if (h == NULL)
    return;
  muster_item_free(h->item);
  if (h->events != NULL)
    g_ptr_array_unref(h->events);
  g_free(h->last_counted_at);
  g_free(h);
}

/* Takes ownership of summary. */
static MusterHistoryEvent *
event_add(GPtrArray *events, sqlite3_stmt *stmt, int at_col, const char *kind, char *summary)
{
  MusterHistoryEvent *e = g_new0(MusterHistoryEvent, 1);
  e->at = muster_column_dup(stmt, at_col);
  e->kind = g_strdup(kind);
  e->summary = summary;
  g_ptr_array_add(events, e);
  return e;
}

/* A location path as people read it. */
static const char *
place(const char *path)
{
  if (path == NULL)
    return "no location";
  return *path == '\0' ? "the armoury" : path;
}

static char *
status_words(const char *status)
{
  char *s = g_strdup(status != NULL ? status : "unknown");
  g_strdelimit(s, "_", ' ');
  return s;
}

static char *
with_reason(char *summary, const char *reason)
{
  if (reason == NULL || *reason == '\0')
    return summary;
  char *out = g_strdup_printf("%s: %s", summary, reason);
  g_free(summary);
  return out;
}

/* ---- item events -------------------------------------------------------------------- */

static char *
marking_summary(const char *old_value, const char *new_value)
{
  if (old_value == NULL)
    return g_strdup_printf("Marking added (%s)", new_value ? new_value : "?");
  return g_strdup_printf("Marking %s (%s)",
                         g_strcmp0(new_value, "retired") == 0 ? "retired" : "changed", old_value);
}

static char *
custody_summary(const char *old_value, const char *new_value)
{
  if (old_value == NULL)
    return g_strdup_printf("Given into the custody of %s", new_value ? new_value : "?");
  if (new_value == NULL)
    return g_strdup_printf("Returned from the custody of %s", old_value);
  return g_strdup_printf("Custody passed from %s to %s", old_value, new_value);
}

/* Corrections store "FIELD: VALUE" on both sides (db/items.h); an empty value is none. */
static char *
correction_summary(const char *verb, const char *old_value, const char *new_value)
{
  const char *old_sep = old_value != NULL ? strstr(old_value, ": ") : NULL;
  const char *new_sep = new_value != NULL ? strstr(new_value, ": ") : NULL;
  if (old_sep == NULL || new_sep == NULL)
    return g_strdup_printf("%s: %s -> %s", verb, old_value ? old_value : "(none)",
                           new_value ? new_value : "(none)");
  g_autofree char *field = g_strndup(old_value, (gsize)(old_sep - old_value));
  const char *from = old_sep[2] != '\0' ? old_sep + 2 : "(none)";
  const char *to = new_sep[2] != '\0' ? new_sep + 2 : "(none)";
  return g_strdup_printf("%s %s from %s to %s", verb, field, from, to);
}

static char *
item_event_summary(const char *kind, const char *old_value, const char *new_value,
                   const char *first_place)
{
  if (g_strcmp0(kind, "created") == 0) {
    g_autofree char *status = status_words(new_value);
    return g_strdup_printf("Recorded, %s at %s", status, place(first_place));
  }
  if (g_strcmp0(kind, "status") == 0) {
    g_autofree char *from = status_words(old_value);
    g_autofree char *to = status_words(new_value);
    return g_strdup_printf("Status changed from %s to %s", from, to);
  }
  if (g_strcmp0(kind, "location") == 0)
    return g_strdup_printf("Moved from %s to %s", place(old_value), place(new_value));
  if (g_strcmp0(kind, "custody") == 0)
    return custody_summary(old_value, new_value);
  if (g_strcmp0(kind, "marking") == 0)
    return marking_summary(old_value, new_value);
  return correction_summary(g_strcmp0(kind, "registry") == 0 ? "Updated by the registry"
                                                             : "Corrected",
                            old_value, new_value);
}

/* Where the item was when it was recorded: before its first move, or where it is now. */
static gboolean
first_place(MusterStore *store, const MusterItem *item, char **out, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT old_value FROM item_event WHERE item_id = ? AND kind = 'location'"
                        " ORDER BY id LIMIT 1",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, item->id);
  int rc = sqlite3_step(stmt);
  *out = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : g_strdup(item->location_path);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the item's history", error);
  return TRUE;
}

/* What a source's rows are turned into events with. */
typedef struct {
  MusterItemHistory *h;
  const char *start; /* where the item was when recorded (first_place) */
} HistoryReading;

static void
item_event_row(sqlite3_stmt *stmt, HistoryReading *r)
{
  const char *kind = (const char *)sqlite3_column_text(stmt, 1);
  const char *old_value = (const char *)sqlite3_column_text(stmt, 2);
  const char *new_value = (const char *)sqlite3_column_text(stmt, 3);
  char *summary = with_reason(item_event_summary(kind, old_value, new_value, r->start),
                              (const char *)sqlite3_column_text(stmt, 5));
  MusterHistoryEvent *e = event_add(r->h->events, stmt, 0, kind, summary);
  e->user = muster_column_dup(stmt, 4);
  if (g_strcmp0(kind, "location") == 0)
    e->location_path = g_strdup(new_value);
  else if (g_strcmp0(kind, "created") == 0)
    e->location_path = g_strdup(r->start);
}

/* Columns 1-4 of the count sources: count uuid, count id, location path, user. */
static MusterHistoryEvent *
count_event(HistoryReading *r, sqlite3_stmt *stmt, const char *kind, const char *path,
            char *summary)
{
  MusterHistoryEvent *e = event_add(r->h->events, stmt, 0, kind, summary);
  e->count_uuid = muster_column_dup(stmt, 1);
  e->location_path = g_strdup(path);
  e->user = muster_column_dup(stmt, 4);
  return e;
}

static void
counted_row(sqlite3_stmt *stmt, HistoryReading *r)
{
  const char *path =
      sqlite3_column_int(stmt, 6) ? NULL : (const char *)sqlite3_column_text(stmt, 3);
  g_autofree char *outcome = status_words((const char *)sqlite3_column_text(stmt, 5));
  char *summary = g_strdup_printf("Found by count %" G_GINT64_FORMAT " at %s (%s)",
                                  (gint64)sqlite3_column_int64(stmt, 2),
                                  path ? place(path) : "an unrecorded place", outcome);
  MusterHistoryEvent *e = count_event(r, stmt, "counted", path, summary);
  g_free(r->h->last_counted_at);
  r->h->last_counted_at = g_strdup(e->at);
}

static void
missed_row(sqlite3_stmt *stmt, HistoryReading *r)
{
  const char *path = (const char *)sqlite3_column_text(stmt, 3);
  char *summary = g_strdup_printf("Expected at %s by count %" G_GINT64_FORMAT ", not found",
                                  place(path), (gint64)sqlite3_column_int64(stmt, 2));
  count_event(r, stmt, "missed", path, summary);
}

static void
discrepancy_row(sqlite3_stmt *stmt, HistoryReading *r)
{
  g_autofree char *kind = status_words((const char *)sqlite3_column_text(stmt, 5));
  char *summary = g_strdup_printf("Discrepancy (%s) in count %" G_GINT64_FORMAT ": %s", kind,
                                  (gint64)sqlite3_column_int64(stmt, 2),
                                  (const char *)sqlite3_column_text(stmt, 6));
  count_event(r, stmt, "discrepancy", (const char *)sqlite3_column_text(stmt, 3), summary);
}

static void
resolution_row(sqlite3_stmt *stmt, HistoryReading *r)
{
  g_autofree char *kind = status_words((const char *)sqlite3_column_text(stmt, 5));
  g_autofree char *action = status_words((const char *)sqlite3_column_text(stmt, 6));
  const char *confirmer = (const char *)sqlite3_column_text(stmt, 8);
  g_autofree char *confirmed =
      confirmer != NULL ? g_strdup_printf(" (confirmed by %s)", confirmer) : g_strdup("");
  char *summary =
      g_strdup_printf("Discrepancy (%s) of count %" G_GINT64_FORMAT " resolved as %s%s: %s", kind,
                      (gint64)sqlite3_column_int64(stmt, 2), action, confirmed,
                      (const char *)sqlite3_column_text(stmt, 7));
  count_event(r, stmt, "resolution", (const char *)sqlite3_column_text(stmt, 3), summary);
}

/* Every table that records the item, as one query each with the item's id as ?1; the
 * count sources share columns 0-4 (time, count uuid, count id, location, user or NULL). */
static const struct {
  const char *sql;
  void (*row)(sqlite3_stmt *stmt, HistoryReading *r);
  const char *doing;
} history_sources[] = {
    {"SELECT e.at, e.kind, e.old_value, e.new_value, u.name, e.reason"
     " FROM item_event e LEFT JOIN app_user u ON u.id = e.user_id"
     " WHERE e.item_id = ?1 ORDER BY e.id",
     item_event_row, "Reading the item's history"},
    {"SELECT s.read_at, c.uuid, c.id, l.path, u.name, s.outcome, l.id IS NULL"
     " FROM count_find f JOIN scan s ON s.id = f.scan_id"
     " JOIN count_session c ON c.id = f.count_id"
     " JOIN app_user u ON u.id = c.counter_id"
     " LEFT JOIN location l ON l.id = coalesce(f.location_id, s.location_id)"
     " WHERE f.item_id = ?1 ORDER BY s.read_at, s.id",
     counted_row, "Reading the counts that found the item"},
    {"SELECT c.closed_at, c.uuid, c.id, l.path, u.name"
     " FROM count_expected e JOIN count_session c ON c.id = e.count_id"
     " JOIN app_user u ON u.id = c.counter_id"
     " LEFT JOIN location l ON l.id = e.location_id"
     " WHERE e.item_id = ?1 AND c.state IN ('closed', 'reconciled', 'signed_off')"
     " AND NOT EXISTS (SELECT 1 FROM count_find f WHERE f.count_id = e.count_id"
     "  AND f.item_id = e.item_id) ORDER BY c.closed_at, c.id",
     missed_row, "Reading the counts that missed the item"},
    {"SELECT d.created_at, c.uuid, c.id, l.path, NULL, d.kind, d.detail"
     " FROM discrepancy d JOIN count_session c ON c.id = d.count_id"
     " LEFT JOIN location l ON l.id = d.location_id"
     " WHERE d.item_id = ?1 OR d.other_item_id = ?1 ORDER BY d.id",
     discrepancy_row, "Reading the item's discrepancies"},
    {"SELECT r.resolved_at, c.uuid, c.id, l.path, u.name, d.kind, r.action, r.reason,"
     " cu.name FROM resolution r JOIN discrepancy d ON d.id = r.discrepancy_id"
     " JOIN count_session c ON c.id = d.count_id"
     " JOIN app_user u ON u.id = r.resolved_by"
     " LEFT JOIN app_user cu ON cu.id = r.confirmed_by"
     " LEFT JOIN location l ON l.id = d.location_id"
     " WHERE d.item_id = ?1 OR d.other_item_id = ?1 ORDER BY r.id",
     resolution_row, "Reading the item's resolutions"},
};

static gboolean
read_source(MusterStore *store, guint i, HistoryReading *r, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, history_sources[i].sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, r->h->item->id);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    history_sources[i].row(stmt, r);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, history_sources[i].doing, error);
  return TRUE;
}

/* ---- the answer --------------------------------------------------------------------- */

static gint
by_time(gconstpointer a, gconstpointer b)
{
  const MusterHistoryEvent *ea = *(MusterHistoryEvent *const *)a;
  const MusterHistoryEvent *eb = *(MusterHistoryEvent *const *)b;
  return g_strcmp0(ea->at, eb->at);
}

/* Takes ownership of item, also on failure. */
static MusterItemHistory *
item_history(MusterStore *store, MusterItem *item, GError **error)
{
  g_autoptr(MusterItemHistory) h = g_new0(MusterItemHistory, 1);
  h->item = item;
  h->events = g_ptr_array_new_with_free_func((GDestroyNotify)event_free);
  g_autofree char *start = NULL;
  gboolean ok = first_place(store, item, &start, error);
  HistoryReading reading = {h, start};
  for (guint i = 0; ok && i < G_N_ELEMENTS(history_sources); i++)
    ok = read_source(store, i, &reading, error);
  if (!ok) {
    g_prefix_error(error, "Tracing item %s (%s %s): ", item->uuid, item->manufacturer,
                   item->serial);
    return NULL;
  }
  /* Stable: events of the same instant keep the order they were gathered in. */
  g_ptr_array_sort(h->events, by_time);
  return g_steal_pointer(&h);
}

GPtrArray *
muster_history_trace(MusterStore *store, const char *marking_text, GError **error)
{
  g_autoptr(GPtrArray) items = muster_items_find_by_marking(store, marking_text, error);
  if (items == NULL)
    return NULL;
  g_autoptr(GPtrArray) out =
      g_ptr_array_new_with_free_func((GDestroyNotify)muster_item_history_free);
  while (items->len > 0) {
    MusterItem *item = g_ptr_array_steal_index(items, 0);
    MusterItemHistory *h = item_history(store, item, error);
    if (h == NULL)
      return NULL;
    g_ptr_array_add(out, h);
  }
  return g_steal_pointer(&out);
}

/* One scan of the marking that matched no item, as an event added to events. */
static gboolean
unknown_scan_row(sqlite3_stmt *stmt, gpointer events, GError **error)
{
  const char *path =
      sqlite3_column_int(stmt, 8) ? NULL : (const char *)sqlite3_column_text(stmt, 3);
  g_autofree char *outcome = status_words((const char *)sqlite3_column_text(stmt, 5));
  char *summary = g_strdup_printf(
      "%s read by count %" G_GINT64_FORMAT " at %s (%s, reader %s); no record carries it",
      (const char *)sqlite3_column_text(stmt, 7), (gint64)sqlite3_column_int64(stmt, 2),
      path ? place(path) : "an unrecorded place", outcome,
      (const char *)sqlite3_column_text(stmt, 6));
  MusterHistoryEvent *e = event_add(events, stmt, 0, "unknown_scan", summary);
  e->count_uuid = muster_column_dup(stmt, 1);
  e->location_path = g_strdup(path);
  e->user = muster_column_dup(stmt, 4);
  return TRUE;
}

GPtrArray *
muster_history_unknown_scans(MusterStore *store, const char *marking_text, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)event_free);
  g_autoptr(GPtrArray) forms = muster_items_lookup_forms(marking_text != NULL ? marking_text : "");
  if (forms->len == 0)
    return g_steal_pointer(&out);
  sqlite3_stmt *stmt =
      muster_store_stmt(store,
                        "SELECT s.read_at, c.uuid, c.id, l.path, u.name, s.outcome, s.reader,"
                        " s.marking_value, l.id IS NULL FROM scan s"
                        " JOIN count_session c ON c.id = s.count_id"
                        " JOIN app_user u ON u.id = c.counter_id"
                        " LEFT JOIN location l ON l.id = s.location_id"
                        " WHERE s.marking_value IN (?1, ?2, ?3, ?4) AND s.item_id IS NULL"
                        " ORDER BY s.read_at, s.id",
                        error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < forms->len; i++)
    sqlite3_bind_text(stmt, (int)i + 1, g_ptr_array_index(forms, i), -1, SQLITE_TRANSIENT);
  if (!muster_rows_foreach(store, stmt, unknown_scan_row, out, "Reading scans of the marking",
                           error))
    return NULL;
  return g_steal_pointer(&out);
}
