/*
 * reconcile.c: the run of a reconciliation: what a closed count found against what was
 * expected, stored as discrepancies (read and resolved in discrepancies.c).
 *
 * Each kind of discrepancy (the table of discrepancy-kind.c, which the schema's CHECK and
 * the tests follow) is one INSERT ... SELECT: the work is set-based SQL, never a
 * loop in C over items, so a million-item register reconciles in about the time SQLite
 * needs for the anti-join itself. Every finding has a stable key (kind + subject) and an
 * id derived from it (muster_discrepancy_uuid(), a SQL function registered on the
 * connection: SHA-256 of count uuid, kind and subject, shaped as a version-8 UUID), and
 * rows go in with ON CONFLICT (count_id, kind, subject) DO NOTHING. So reconciling twice
 * stores nothing new, and two identical databases give identical discrepancies, uuids
 * included. ON CONFLICT rather than INSERT OR IGNORE: OR IGNORE would also drop a row
 * silently on a NOT NULL or CHECK failure; this way such a bug is an error.
 *
 * The inputs are the count's frozen expected list, its finds, its scans (with the outcome
 * ingest stored), its unmarked-item records, and for the register checks the marking and
 * item tables, through marking_repeat (the values on more than one item, kept by a
 * trigger; sign-off checks it lacks none). The scan table is read once: scans with an
 * outcome worth reporting, or part of an item check, are copied into a small temporary
 * table that the scan-based kinds then read. "Now" for overdue is the count's closed_at,
 * never the clock.
 */
#include "db/reconcile.h"
#include "db/audit.h"
#include "db/count-row.h"
#include "db/counts.h"
#include "core/i18n.h"
#include "core/json-member.h"
#include "db/locations.h"
#include "db/outbox.h"
#include "db/store-private.h"
#include "db/reconcile-private.h"

#include <sodium.h>
#include <string.h>

/* The SQL below is laid out by clause, not by the C formatter. */
/* clang-format off */
/* SQL pieces shared by the statements below (string literals, never user data);
 * SQL_ITEM is in reconcile-private.h. */
#define SQL_PATH(l, none) \
  "CASE WHEN " l ".id IS NULL THEN '" none "' WHEN " l ".path = '' THEN 'the armoury'" \
  " ELSE " l ".path END"
#define SQL_INSERT \
  "INSERT INTO discrepancy (uuid, count_id, kind, subject, item_id, other_item_id," \
  " scan_id, location_id, detail, created_at) "
#define SQL_UPSERT " ON CONFLICT (count_id, kind, subject) DO NOTHING"
#define SQL_DUUID(kind, subject) "muster_discrepancy_uuid(:cuuid, '" kind "', " subject ")"
/* An item in this count's scope: expected, or found. */
#define SQL_IN_COUNT(item) \
  "(EXISTS (SELECT 1 FROM count_expected e WHERE e.count_id = :cid AND e.item_id = " item ")" \
  " OR EXISTS (SELECT 1 FROM count_find f WHERE f.count_id = :cid AND f.item_id = " item "))"
/* The records carrying a marking value, on one line. */
#define SQL_ITEMS_WITH_MARKING(value) \
  "(SELECT group_concat(x, '; ') FROM (SELECT DISTINCT " SQL_ITEM("i2") " AS x" \
  " FROM marking m2 JOIN item i2 ON i2.id = m2.item_id WHERE m2.value = " value \
  " AND m2.retired_at IS NULL ORDER BY x))"
/* clang-format on */

/* ---- deterministic discrepancy ids ------------------------------------------------ */

static void
hash_part(crypto_hash_sha256_state *st, const unsigned char *s, int len)
{
  guint8 prefix[4] = {(guint8)(len >> 24), (guint8)(len >> 16), (guint8)(len >> 8), (guint8)len};
  crypto_hash_sha256_update(st, prefix, sizeof prefix);
  if (len > 0)
    crypto_hash_sha256_update(st, s, (unsigned long long)len);
}

/* muster_discrepancy_uuid(count_uuid, kind, subject): an RFC 9562 version-8 UUID from
 * the first 128 bits of SHA-256 over the three length-prefixed values. */
static void
sql_discrepancy_uuid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  crypto_hash_sha256_state st;
  guint8 d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_init(&st);
  for (int i = 0; i < argc; i++)
    hash_part(&st, sqlite3_value_text(argv[i]), sqlite3_value_bytes(argv[i]));
  crypto_hash_sha256_final(&st, d);
  d[6] = (guint8)((d[6] & 0x0f) | 0x80);
  d[8] = (guint8)((d[8] & 0x3f) | 0x80);
  char out[37];
  static const char hex[] = "0123456789abcdef";
  int o = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out[o++] = '-';
    out[o++] = hex[d[i] >> 4];
    out[o++] = hex[d[i] & 0xf];
  }
  sqlite3_result_text(ctx, out, 36, SQLITE_TRANSIENT);
}

/* muster_repeats(value): TRUE when value equals the value it was last called with.
 * Over an index scan in value order that marks every repeated value (the check of
 * marking_repeat, below). A stale previous value from an earlier statement can only add
 * a candidate that the exact check then drops, never hide one. */
typedef struct {
  GString *previous;
  gboolean any;
} RepeatState;

static void
repeat_state_free(void *p)
{
  RepeatState *st = p;
  g_string_free(st->previous, TRUE);
  g_free(st);
}

static void
sql_repeats(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  RepeatState *st = sqlite3_user_data(ctx);
  const char *v = (const char *)sqlite3_value_text(argv[0]);
  gsize len = (gsize)sqlite3_value_bytes(argv[0]);
  if (v == NULL) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  gboolean same = st->any && st->previous->len == len && memcmp(st->previous->str, v, len) == 0;
  if (!same) {
    g_string_truncate(st->previous, 0);
    g_string_append_len(st->previous, v, (gssize)len);
    st->any = TRUE;
  }
  sqlite3_result_int(ctx, same);
}

/* Registers the SQL functions once per connection. Registering again would expire every
 * cached statement, so first check whether they are there. */
static gboolean
ensure_sql_functions(MusterStore *store, GError **error)
{
  sqlite3 *db = muster_store_db(store);
  sqlite3_stmt *probe = NULL;
  if (sqlite3_prepare_v2(db, "SELECT muster_discrepancy_uuid('', '', ''), muster_repeats('')", -1,
                         &probe, NULL) == SQLITE_OK) {
    sqlite3_finalize(probe);
    return TRUE;
  }
  int rc = sqlite3_create_function_v2(db, "muster_discrepancy_uuid", 3,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                      sql_discrepancy_uuid, NULL, NULL, NULL);
  if (rc == SQLITE_OK) {
    RepeatState *st = g_new0(RepeatState, 1);
    st->previous = g_string_new(NULL);
    rc = sqlite3_create_function_v2(db, "muster_repeats", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, st,
                                    sql_repeats, NULL, NULL, repeat_state_free);
  }
  if (rc != SQLITE_OK)
    return muster_store_fail(store, rc, "Registering the reconciliation functions", error);
  return TRUE;
}

/* ---- the kinds ---------------------------------------------------------------------- */

/* clang-format off */

/* The working table of one run, private to the connection: scans worth reporting or
 * part of an item check. */
static const char sql_work_tables[] =
    "CREATE TEMP TABLE IF NOT EXISTS reconcile_scan ("
    " id INTEGER PRIMARY KEY, outcome TEXT NOT NULL, marking_kind TEXT,"
    " marking_value TEXT, check_group TEXT, location_id INTEGER, item_id INTEGER,"
    " item_status TEXT)";
static const char sql_scan_clear[] = "DELETE FROM temp.reconcile_scan";
/* The count's notable scans, through the partial index scan_notable (migration 002),
 * whose condition this repeats word for word: most scans of a big count are plain
 * accepted finds and are never read here. */
static const char sql_scan_fill[] =
    "INSERT INTO temp.reconcile_scan SELECT id, outcome, marking_kind, marking_value,"
    " check_group, location_id, item_id, item_status FROM scan WHERE count_id = :cid"
    " AND (check_group IS NOT NULL"
    " OR (outcome <> 'accepted' AND outcome <> 'duplicate' AND outcome <> 'unreadable'))";

/* Expected, not found. EXCEPT over the two primary keys, both already in item order:
 * with the ORDER BY kept (LIMIT -1 stops SQLite dropping it in a subquery) SQLite merges
 * the two sorted scans instead of probing count_find once per expected item, which is
 * about three times faster than the NOT EXISTS anti-join. A second run skips the rows
 * already stored before building their text. */
static const char sql_missing[] =
    "WITH gone(item_id) AS (SELECT item_id FROM count_expected WHERE count_id = :cid"
    " EXCEPT SELECT item_id FROM count_find WHERE count_id = :cid ORDER BY 1 LIMIT -1) "
    SQL_INSERT
    "SELECT " SQL_DUUID("missing", "i.uuid") ", :cid, 'missing', i.uuid, i.id, NULL, NULL,"
    " e.location_id, " SQL_ITEM("i") " || ' expected at ' || " SQL_PATH("l", "no location")
    " || ', not found', :now"
    " FROM gone CROSS JOIN count_expected e ON e.count_id = :cid AND e.item_id = gone.item_id"
    " JOIN item i ON i.id = e.item_id LEFT JOIN location l ON l.id = e.location_id"
    " WHERE NOT EXISTS (SELECT 1 FROM discrepancy d WHERE d.count_id = :cid"
    "  AND d.kind = 'missing' AND d.subject = i.uuid)" SQL_UPSERT;

static const char sql_wrong_location[] =
    SQL_INSERT
    "SELECT " SQL_DUUID("wrong_location", "i.uuid") ", :cid, 'wrong_location', i.uuid, i.id,"
    " NULL, s.id, fl.id, " SQL_ITEM("i") " || ' found at ' || " SQL_PATH("fl", "an unrecorded place")
    " || ', recorded at ' || " SQL_PATH("rl", "no location") ", :now"
    " FROM temp.reconcile_scan s"
    " CROSS JOIN count_find f ON f.count_id = :cid AND f.item_id = s.item_id AND f.scan_id = s.id"
    " JOIN item i ON i.id = s.item_id"
    " LEFT JOIN location fl ON fl.id = coalesce(f.location_id, s.location_id)"
    " LEFT JOIN count_expected e ON e.count_id = :cid AND e.item_id = i.id"
    " LEFT JOIN location rl ON rl.id = coalesce(e.location_id, i.location_id)"
    " WHERE s.outcome = 'wrong_location' ORDER BY s.id" SQL_UPSERT;

static const char sql_status_conflict[] =
    SQL_INSERT
    "SELECT " SQL_DUUID("status_conflict", "i.uuid") ", :cid, 'status_conflict', i.uuid, i.id,"
    " NULL, s.id, fl.id, " SQL_ITEM("i") " || ' is recorded as '"
    " || replace(coalesce(s.item_status, i.status), '_', ' ') || ', yet was found at ' || "
    SQL_PATH("fl", "an unrecorded place") ", :now"
    " FROM temp.reconcile_scan s"
    " CROSS JOIN count_find f ON f.count_id = :cid AND f.item_id = s.item_id AND f.scan_id = s.id"
    " JOIN item i ON i.id = s.item_id"
    " LEFT JOIN location fl ON fl.id = coalesce(f.location_id, s.location_id)"
    " WHERE s.outcome = 'status_conflict' ORDER BY s.id" SQL_UPSERT;

/* One row per distinct value; the first scan of it says where. */
#define SQL_FIRST_SCANS(outcome)                                                           \
  "WITH v AS (SELECT marking_value AS value, min(id) AS first_id, count(*) AS n"          \
  " FROM temp.reconcile_scan WHERE outcome = '" outcome "' AND marking_value IS NOT NULL"  \
  " GROUP BY marking_value) "
#define SQL_TIMES "'read ' || v.n || CASE v.n WHEN 1 THEN ' time' ELSE ' times' END"

static const char sql_unknown_marking[] =
    SQL_FIRST_SCANS("unknown") SQL_INSERT
    "SELECT " SQL_DUUID("unknown_marking", "v.value") ", :cid, 'unknown_marking', v.value,"
    " NULL, NULL, s.id, l.id, 'Marking ' || v.value || coalesce(' (' || s.marking_kind || ')', '')"
    " || ' ' || " SQL_TIMES " || ', first at ' || " SQL_PATH("l", "an unrecorded place")
    " || '; no record carries it', :now"
    " FROM v CROSS JOIN scan s ON s.id = v.first_id LEFT JOIN location l ON l.id = s.location_id"
    " WHERE true ORDER BY v.value" SQL_UPSERT;

static const char sql_not_genuine[] =
    SQL_FIRST_SCANS("not_genuine") SQL_INSERT
    "SELECT " SQL_DUUID("not_genuine", "v.value") ", :cid, 'not_genuine', v.value, i.id, NULL,"
    " s.id, l.id, 'Tag ' || v.value || ' failed its originality check (' || " SQL_TIMES
    " || ', first at ' || " SQL_PATH("l", "an unrecorded place")
    " || ')' || coalesce('; it claims to be ' || " SQL_ITEM("i") ", ''), :now"
    " FROM v CROSS JOIN scan s ON s.id = v.first_id LEFT JOIN location l ON l.id = s.location_id"
    " LEFT JOIN item i ON i.id = s.item_id WHERE true ORDER BY v.value" SQL_UPSERT;

/* A scan that matched more than one record. */
static const char sql_ambiguous[] =
    SQL_FIRST_SCANS("ambiguous") SQL_INSERT
    "SELECT " SQL_DUUID("duplicate_marking", "'marking:' || v.value") ", :cid,"
    " 'duplicate_marking', 'marking:' || v.value,"
    " (SELECT min(item_id) FROM marking WHERE value = v.value AND retired_at IS NULL),"
    " (SELECT max(item_id) FROM marking WHERE value = v.value AND retired_at IS NULL),"
    " s.id, l.id, 'Marking ' || v.value || ', read at ' || " SQL_PATH("l", "an unrecorded place")
    " || ', matches more than one record: ' || coalesce(" SQL_ITEMS_WITH_MARKING("v.value")
    ", 'none now'), :now"
    " FROM v CROSS JOIN scan s ON s.id = v.first_id LEFT JOIN location l ON l.id = s.location_id"
    " WHERE true ORDER BY v.value" SQL_UPSERT;

/* The register around the scope. The values recorded on more than one item are kept in
 * marking_repeat as markings are written (migration 009), so a reconcile reads those few
 * instead of the whole marking_value index; only they are looked at closely. Both items
 * must be in this count (expected or found).
 *
 * An active marking on two items, not only as their engraved serials (that is the
 * serial check's finding). */
static const char sql_duplicate_marking[] =
    "WITH dup AS (SELECT m.value AS value, min(m.item_id) AS a, max(m.item_id) AS b"
    "  FROM marking_repeat c CROSS JOIN marking m ON m.value = c.value"
    "  WHERE m.retired_at IS NULL AND " SQL_IN_COUNT("m.item_id")
    "  GROUP BY m.value HAVING count(DISTINCT m.item_id) > 1"
    "   AND sum(m.kind <> 'engraved_serial') > 0) " SQL_INSERT
    "SELECT " SQL_DUUID("duplicate_marking", "'marking:' || dup.value") ", :cid,"
    " 'duplicate_marking', 'marking:' || dup.value, dup.a, dup.b, NULL, NULL,"
    " 'Marking ' || dup.value || ' is on more than one record: ' || "
    SQL_ITEMS_WITH_MARKING("dup.value") ", :now"
    " FROM dup WHERE true ORDER BY dup.value" SQL_UPSERT;

/* Two items engraved with one serial (normalised), whatever their manufacturers. */
static const char sql_duplicate_serial[] =
    "WITH dup AS (SELECT m.value AS value, min(m.item_id) AS a, max(m.item_id) AS b"
    "  FROM marking_repeat c CROSS JOIN marking m ON m.value = c.value"
    "  WHERE m.kind = 'engraved_serial' AND m.retired_at IS NULL AND " SQL_IN_COUNT("m.item_id")
    "  GROUP BY m.value HAVING count(DISTINCT m.item_id) > 1) " SQL_INSERT
    "SELECT " SQL_DUUID("duplicate_marking", "'serial:' || dup.value") ", :cid,"
    " 'duplicate_marking', 'serial:' || dup.value, dup.a, dup.b, NULL, NULL,"
    " 'Serial ' || dup.value || ' is claimed by more than one record: ' || "
    SQL_ITEMS_WITH_MARKING("dup.value") ", :now"
    " FROM dup WHERE true ORDER BY dup.value" SQL_UPSERT;

/* Item checks: the scans of one physical item (check_group), each marking resolved to
 * (item, component). */
#define SQL_CHECKS                                                                         \
  "WITH g AS (SELECT s.check_group AS grp, s.id AS scan_id, s.location_id AS location_id," \
  "  m.value AS value, m.item_id AS item_id, m.component AS component"                    \
  "  FROM temp.reconcile_scan s CROSS JOIN marking m ON m.value = s.marking_value"              \
  "  AND m.retired_at IS NULL WHERE s.check_group IS NOT NULL),"                           \
  " frames AS (SELECT grp, min(item_id) AS a, max(item_id) AS b, min(scan_id) AS scan_id"  \
  "  FROM g WHERE component = 'frame' GROUP BY grp) "

static const char sql_marking_mismatch[] =
    SQL_CHECKS SQL_INSERT
    "SELECT " SQL_DUUID("marking_mismatch", "'group:' || fr.grp") ", :cid, 'marking_mismatch',"
    " 'group:' || fr.grp, fr.a, fr.b, fr.scan_id, s.location_id,"
    " 'Item check ' || fr.grp || ' at ' || " SQL_PATH("l", "an unrecorded place")
    " || ': its frame markings belong to different records: ' ||"
    " (SELECT group_concat(x, '; ') FROM (SELECT DISTINCT g2.value || ' is ' || " SQL_ITEM("i2")
    "  AS x FROM g g2 JOIN item i2 ON i2.id = g2.item_id"
    "  WHERE g2.grp = fr.grp AND g2.component = 'frame' ORDER BY x)), :now"
    " FROM frames fr CROSS JOIN scan s ON s.id = fr.scan_id LEFT JOIN location l ON l.id = s.location_id"
    " WHERE fr.a <> fr.b ORDER BY fr.grp" SQL_UPSERT;

static const char sql_component_mismatch[] =
    SQL_CHECKS ", comp AS (SELECT c.value AS value, min(c.grp) AS grp, min(c.scan_id) AS scan_id,"
    "  min(c.item_id) AS owner, min(c.component) AS component FROM g c"
    "  WHERE c.component <> 'frame' AND EXISTS (SELECT 1 FROM frames f WHERE f.grp = c.grp)"
    "  AND NOT EXISTS (SELECT 1 FROM g x WHERE x.grp = c.grp AND x.component = 'frame'"
    "   AND x.item_id = c.item_id) GROUP BY c.value) " SQL_INSERT
    "SELECT " SQL_DUUID("component_mismatch", "comp.value") ", :cid, 'component_mismatch',"
    " comp.value, fr.a, comp.owner, comp.scan_id, s.location_id,"
    " upper(substr(comp.component, 1, 1)) || substr(comp.component, 2) || ' marking '"
    " || comp.value || ' of ' || " SQL_ITEM("o") " || ' found on ' || " SQL_ITEM("i")
    " || ' (item check ' || comp.grp || ')', :now"
    " FROM comp CROSS JOIN frames fr ON fr.grp = comp.grp CROSS JOIN item o ON o.id = comp.owner"
    " CROSS JOIN item i ON i.id = fr.a CROSS JOIN scan s ON s.id = comp.scan_id"
    " WHERE true ORDER BY comp.value" SQL_UPSERT;

static const char sql_unmarked_item[] =
    SQL_INSERT
    "SELECT " SQL_DUUID("unmarked_item", "u.uuid") ", :cid, 'unmarked_item', u.uuid, NULL, NULL,"
    " NULL, u.location_id, 'Unmarked item: ' || u.description || ', found at ' || "
    SQL_PATH("l", "an unrecorded place") " || ', recorded by ' || a.name, :now"
    " FROM unmarked_item u JOIN app_user a ON a.id = u.recorded_by"
    " LEFT JOIN location l ON l.id = u.location_id WHERE u.count_id = :cid ORDER BY u.id"
    SQL_UPSERT;

/* Locations outside this count's scope not counted within overdue_days before it
 * closed. Racks where the armoury has racks, else any location holding items. A count
 * covers a location when one of its scope locations is it or an ancestor. */
#define SQL_COVERS(scope, loc)                                                             \
  "(" scope ".path = '' OR " loc ".path = " scope ".path OR substr(" loc ".path, 1,"     \
  " length(" scope ".path) + 1) = " scope ".path || '/')"

static const char sql_overdue[] =
    "WITH cut(at) AS (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', :closed, '-' || :days || ' days')),"
    " cand AS (SELECT l.id, l.kind, l.path, l.created_at FROM location l"
    "  WHERE CASE WHEN EXISTS (SELECT 1 FROM location WHERE kind = 'rack')"
    "   THEN l.kind = 'rack' ELSE EXISTS (SELECT 1 FROM item WHERE location_id = l.id) END"
    "  AND NOT EXISTS (SELECT 1 FROM count_scope cs JOIN location sl ON sl.id = cs.location_id"
    "   WHERE cs.count_id = :cid AND " SQL_COVERS("sl", "l") ")),"
    " last AS (SELECT cand.*, (SELECT max(c.closed_at) FROM count_session c"
    "  JOIN count_scope cs ON cs.count_id = c.id JOIN location sl ON sl.id = cs.location_id"
    "  WHERE c.id <> :cid AND c.state IN ('reconciled', 'signed_off')"
    "  AND c.closed_at <= :closed AND " SQL_COVERS("sl", "cand") ") AS last_at FROM cand) "
    SQL_INSERT
    "SELECT " SQL_DUUID("overdue", "last.path") ", :cid, 'overdue', last.path, NULL, NULL,"
    " NULL, last.id, upper(substr(last.kind, 1, 1)) || substr(last.kind, 2) || ' '"
    " || CASE WHEN last.path = '' THEN 'the armoury' ELSE last.path END || CASE"
    " WHEN last.last_at IS NULL THEN ' has never been counted (created '"
    "  || substr(last.created_at, 1, 10) || ')'"
    " ELSE ' was last counted ' || substr(last.last_at, 1, 10) END"
    " || ', more than ' || :days || ' days before this count closed', :now"
    " FROM last, cut WHERE coalesce(last.last_at, last.created_at) < cut.at"
    " ORDER BY last.path" SQL_UPSERT;

/* At least one statement per kind of the table (/reconcile/every-kind fails on a kind
 * without one). In this order: ambiguous scans before the register check, so a scanned
 * duplicate keeps the scan that showed it. */
static const char *const kind_statements[] = {
    sql_missing,           sql_wrong_location,   sql_status_conflict,
    sql_unknown_marking,   sql_not_genuine,      sql_ambiguous,
    sql_duplicate_marking, sql_duplicate_serial, sql_marking_mismatch,
    sql_component_mismatch, sql_unmarked_item,   sql_overdue,
};

/* clang-format on */

/* For the readers of discrepancies (discrepancies.c): a count is looked up one way. */
gboolean
reconcile_count_exists(MusterStore *store, gint64 count_id, GError **error)
{
  g_auto(MusterCountRow) c = {0};
  return muster_count_load(store, count_id, &c, error);
}

static gboolean
require_reconciler(MusterStore *store, const MusterCountRow *c, const MusterUser *actor,
                   GError **error)
{
  g_autofree char *what = g_strdup_printf("Reconciling count %" G_GINT64_FORMAT, c->id);
  guint anyone = MUSTER_ROLE_BIT(MUSTER_ROLE_STAFF) | MUSTER_ROLE_BIT(MUSTER_ROLE_SUPERVISOR) |
                 MUSTER_ROLE_BIT(MUSTER_ROLE_ADMIN);
  /* Refuses locked and deactivated accounts, whatever their role. */
  if (!muster_require_one_of(store, actor, anyone, what, error))
    return FALSE;
  if (actor->id == c->counter_id ||
      muster_require_role(store, actor, MUSTER_ROLE_SUPERVISOR, what, NULL))
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_PERMISSION,
              _("%s needs its counter (%s), a supervisor or an admin; %s is staff."), what,
              c->counter, actor->name);
  return FALSE;
}

static gboolean
require_reconcilable(const MusterCountRow *c, GError **error)
{
  if (c->state == MUSTER_COUNT_CLOSED || c->state == MUSTER_COUNT_RECONCILED)
    return TRUE;
  if (c->state == MUSTER_COUNT_OPEN)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "Count %" G_GINT64_FORMAT " is still open: close it first "
                "('muster count close %" G_GINT64_FORMAT "'), then reconcile it.",
                c->id, c->id);
  else
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_STATE,
                "Count %" G_GINT64_FORMAT " is signed off; its reconciliation is final "
                "and cannot be run again.",
                c->id);
  return FALSE;
}

/* Runs one set-based statement of the reconciliation, adding the rows it stored. */
static gboolean
run_step(MusterStore *store, const char *sql, const MusterCountRow *c, const char *now,
         gint64 overdue_days, gint64 *added, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_named_int(stmt, ":cid", c->id);
  bind_named_text(stmt, ":cuuid", c->uuid);
  bind_named_text(stmt, ":now", now);
  bind_named_text(stmt, ":closed", c->closed_at);
  bind_named_int(stmt, ":days", overdue_days);
  g_autofree char *doing = g_strdup_printf("Reconciling count %" G_GINT64_FORMAT, c->id);
  if (!muster_store_step_done(store, stmt, doing, error))
    return FALSE;
  if (added != NULL)
    *added += sqlite3_changes64(muster_store_db(store));
  return TRUE;
}

static gboolean
load_summary(MusterStore *store, gint64 count_id, MusterReconcileSummary *sum, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(
      store, "SELECT kind, count(*) FROM discrepancy WHERE count_id = ? GROUP BY kind", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, count_id);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    MusterDiscrepancyKind k;
    gint64 n = sqlite3_column_int64(stmt, 1);
    if (muster_discrepancy_kind_from_name((const char *)sqlite3_column_text(stmt, 0), &k))
      sum->by_kind[k] = n;
    sum->total += n;
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the discrepancies", error);
  return TRUE;
}

/* What a run took the register's repeated markings to be (see "the register's repeated
 * markings" below). */
typedef struct {
  gint64 marking_rowid;
  char sha256[65];
} RepeatsReliedOn;

static char *
summary_json(const MusterCountRow *c, const MusterReconcileSummary *sum, const RepeatsReliedOn *rep)
{
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "count");
  json_builder_add_int_value(b, c->id);
  json_builder_set_member_name(b, "total");
  json_builder_add_int_value(b, sum->total);
  json_builder_set_member_name(b, "new");
  json_builder_add_int_value(b, sum->new_this_run);
  json_builder_set_member_name(b, "by_kind");
  json_builder_begin_object(b);
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++) {
    json_builder_set_member_name(b, muster_discrepancy_kind_name(k));
    json_builder_add_int_value(b, sum->by_kind[k]);
  }
  json_builder_end_object(b);
  json_builder_set_member_name(b, "repeats");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "marking_rowid");
  json_builder_add_int_value(b, rep->marking_rowid);
  json_builder_set_member_name(b, "sha256");
  json_builder_add_string_value(b, rep->sha256);
  json_builder_end_object(b);
  json_builder_end_object(b);
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  return json_to_string(root, FALSE);
}

static gboolean repeats_relied_on(MusterStore *store, RepeatsReliedOn *rep, GError **error);

static gboolean
mark_reconciled(MusterStore *store, const MusterCountRow *c, const char *now, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store,
                                         "UPDATE count_session SET state = 'reconciled',"
                                         " reconciled_at = coalesce(reconciled_at, ?) WHERE id = ?",
                                         error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text(stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 2, c->id);
  return muster_store_step_done(store, stmt, "Marking the count reconciled", error);
}

static gboolean
reconcile_in_tx(MusterStore *store, const MusterUser *actor, gint64 count_id,
                MusterReconcileSummary *sum, GError **error)
{
  g_auto(MusterCountRow) c = {0};
  /* The frozen expected list and the finds are checked against their seals at sign-off
   * (db/count-sign-off.c), where a supervisor answers for the figures: here they would
   * cost as much again as the reconciliation itself. */
  if (!muster_count_load(store, count_id, &c, error) ||
      !require_reconciler(store, &c, actor, error) || !require_reconcilable(&c, error))
    return FALSE;
  g_autofree char *now = muster_now_iso();
  gint64 days = muster_store_setting_int(store, "overdue_days", 90);
  if (!run_step(store, sql_scan_clear, &c, now, days, NULL, error) ||
      !run_step(store, sql_scan_fill, &c, now, days, NULL, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(kind_statements); i++)
    if (!run_step(store, kind_statements[i], &c, now, days, &sum->new_this_run, error))
      return FALSE;
  RepeatsReliedOn rep;
  if (!run_step(store, sql_scan_clear, &c, now, days, NULL, error) ||
      !load_summary(store, count_id, sum, error) || !repeats_relied_on(store, &rep, error) ||
      !mark_reconciled(store, &c, now, error))
    return FALSE;
  g_autofree char *detail = summary_json(&c, sum, &rep);
  if (!muster_audit_append(store, actor->name, "count.reconcile", c.uuid, detail, error) ||
      !muster_store_commit(store, error))
    return FALSE;
  g_autofree char *what = g_strdup_printf("%" G_GINT64_FORMAT " discrepancies, %" G_GINT64_FORMAT
                                          " new", sum->total, sum->new_this_run);
  muster_count_log_event(MUSTER_EVENT_COUNT_RECONCILED, &c, actor->name, what);
  return TRUE;
}

gboolean
muster_reconcile(MusterStore *store, const MusterUser *actor, gint64 count_id,
                 MusterReconcileSummary *summary, GError **error)
{
  MusterReconcileSummary sum = {0};
  if (!ensure_sql_functions(store, error) || !muster_store_exec(store, sql_work_tables, error))
    return FALSE;
  if (!muster_store_begin(store, error))
    return FALSE;
  if (!reconcile_in_tx(store, actor, count_id, &sum, error)) {
    muster_store_rollback(store);
    return FALSE;
  }
  if (summary != NULL)
    *summary = sum;
  return TRUE;
}

/* ---- the register's repeated markings ------------------------------------------------ */

/* marking_repeat is derived and unsealed, so what a run read from it is recorded in its
 * count.reconcile entry (the newest marking then, and a digest of the list), and sign-off
 * recomputes that list from the sealed marking rows up to that marking. A value taken out
 * of the list for one reconciliation and put back before sign-off is found that way; a
 * value missing now, by the one pass of sql_repeat_lacking. */
static const char sql_repeat_list[] = "SELECT value FROM marking_repeat ORDER BY value";
/* The values on two items among markings 1..?1, in one pass over the marking_value index
 * (muster_repeats() narrows it to repeated values; the EXISTS decides). */
static const char sql_repeat_truth[] =
    "SELECT DISTINCT m.value FROM marking m INDEXED BY marking_value"
    " WHERE muster_repeats(m.value) AND m.rowid <= ?1 AND EXISTS (SELECT 1 FROM marking o"
    "  WHERE o.value = m.value AND o.item_id <> m.item_id AND o.rowid <= ?1)"
    " ORDER BY m.value";
/* A value on two items that marking_repeat lacks. One pass over the marking_value index;
 * only a repeated value is probed further (SQLite evaluates the subqueries after the
 * indexed term, so muster_repeats() sees every row in order). */
static const char sql_repeat_lacking[] =
    "SELECT m.value FROM marking m INDEXED BY marking_value WHERE muster_repeats(m.value)"
    " AND NOT EXISTS (SELECT 1 FROM marking_repeat r WHERE r.value = m.value)"
    " AND EXISTS (SELECT 1 FROM marking o WHERE o.value = m.value AND o.item_id <> m.item_id)"
    " LIMIT 1";
/* The repeats of the count's newest reconciliation, as its entry recorded them. */
static const char sql_last_reconcile[] =
    "SELECT a.detail FROM audit_log a JOIN count_session c ON a.subject = c.uuid"
    " WHERE c.id = ? AND a.action = 'count.reconcile' ORDER BY a.seq DESC LIMIT 1";

static gboolean
repeats_relied_on(MusterStore *store, RepeatsReliedOn *rep, GError **error)
{
  sqlite3_stmt *stmt =
      muster_store_stmt(store, "SELECT coalesce(max(rowid), 0) FROM marking", error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  rep->marking_rowid = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Reading the newest marking", error);
  return muster_audit_query_digest(store, sql_repeat_list, 0, rep->sha256, error);
}

static gboolean
check_repeat_list_whole(MusterStore *store, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql_repeat_lacking, error);
  if (stmt == NULL)
    return FALSE;
  int rc = sqlite3_step(stmt);
  g_autofree char *value = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return muster_store_fail(store, rc, "Checking the register's repeated markings", error);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
              "Marking %s is on more than one record, yet the list of such markings "
              "(marking_repeat) lacks it, so reconciliation did not report it. The history was "
              "changed outside Muster: keep this database file as evidence and report it to "
              "the registry.",
              value);
  return FALSE;
}

/* The count's newest reconciliation read the list the sealed markings gave then. */
static gboolean
check_repeats_relied_on(MusterStore *store, gint64 count_id, GError **error)
{
  sqlite3_stmt *stmt = muster_store_stmt(store, sql_last_reconcile, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64(stmt, 1, count_id);
  int rc = sqlite3_step(stmt);
  g_autofree char *detail = rc == SQLITE_ROW ? muster_column_dup(stmt, 0) : NULL;
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return muster_store_fail(store, rc, "Reading the count's reconciliation", error);
  g_autoptr(JsonNode) node = detail != NULL ? json_from_string(detail, NULL) : NULL;
  JsonObject *o = node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
  JsonObject *rep = o != NULL && json_object_has_member(o, "repeats")
                        ? json_object_get_object_member(o, "repeats")
                        : NULL;
  if (rep == NULL) /* reconciled before schema 9 recorded it */
    return TRUE;
  char truth[65];
  if (!muster_audit_query_digest(store, sql_repeat_truth,
                                 muster_json_int_or(rep, "marking_rowid", 0), truth, error))
    return FALSE;
  if (strcmp(truth, muster_json_str(rep, "sha256", "")) == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_TAMPERED,
              "Count %" G_GINT64_FORMAT " was reconciled against a list of repeated markings "
              "(marking_repeat) that differs from the register's markings at the time, so a "
              "marking on two records may be missing from its discrepancies. The history was "
              "changed outside Muster: keep this database file as evidence and report it to "
              "the registry.",
              count_id);
  return FALSE;
}

gboolean
muster_reconcile_check_register(MusterStore *store, gint64 count_id, GError **error)
{
  return ensure_sql_functions(store, error) && check_repeat_list_whole(store, error) &&
         check_repeats_relied_on(store, count_id, error);
}
