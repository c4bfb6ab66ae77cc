/*
 * audit.h: the append-only, hash-chained audit log.
 *
 * Every state-changing action appends an entry naming who did it. Each entry's hash
 * covers the previous entry's hash, so editing or deleting any entry breaks the chain
 * from there on. The rows that history tables gain in a transaction (scans, item
 * events, discrepancies, resolutions, unmarked items and their photos, outbox, sync
 * requests, and the digests of the state rows written: db/state-seal.h) are
 * sealed into the chain too: at commit the seal appends one entry per table with the
 * SHA-256 of the new rows, so a later edit of a scan, a resolution, a photo, an item or
 * a user is detected as well.
 */
#pragma once
#include "db/state-seal.h"
#include "db/store.h"

G_BEGIN_DECLS

/* Appends an entry inside the current transaction. user_name may be NULL for the
 * system itself; detail is a JSON object (NULL means {}). */
gboolean muster_audit_append(MusterStore *store, const char *user_name, const char *action,
                             const char *subject, const char *detail_json, GError **error);

typedef struct {
  gint64 entries;       /* entries checked */
  gint64 rows_covered;  /* history rows whose digests matched */
  gint64 state_rows;    /* state rows (items, users, ...) that match their sealed digest */
  gint64 counts_frozen; /* counts whose frozen scope and expected list were checked */
  char *head_hash;      /* hash of the last entry: an anchor the registry can keep */
  gint64 head_seq;
} MusterAuditReport;
void muster_audit_report_clear(MusterAuditReport *report);

/* Checks the whole chain, every sealed history row, every state row against its
 * sealed digest (db/state-seal.h) and every count's frozen scope and expected list. On
 * tampering returns FALSE with MUSTER_ERROR_TAMPERED and a message naming the first
 * entry that fails, or every state row that disagrees (the first 20 of them). */
gboolean muster_audit_verify(MusterStore *store, MusterAuditReport *report, GError **error);

/* What a count must know before it freezes its expected list: the chain, the sealed
 * state digests, and the state rows against them. Other history rows are not re-read
 * (their seals' ranges still must join up), so this stays fast on a big database. */
gboolean muster_audit_verify_state(MusterStore *store, GError **error);

/* What reconciling or signing off one count relies on: its frozen scope and expected
 * list against its count.start entry, and its finds against the scans they stand for;
 * with_state, also what muster_audit_verify_state() checks. */
gboolean muster_audit_verify_count(MusterStore *store, gint64 count_id, gboolean with_state,
                                   GError **error);

/* SHA-256 (hex) over a count's scope and frozen expected list, as count.start records
 * them and verification recomputes them. */
gboolean muster_audit_count_digests(MusterStore *store, gint64 count_id, char scope[65],
                                    char expected[65], GError **error);

/* SHA-256 (hex) over the rows a query returns, ?1 (if it has one) bound to param: how an
 * entry records what an action relied on, for a later check to recompute. */
gboolean muster_audit_query_digest(MusterStore *store, const char *sql, gint64 param,
                                   char out[65], GError **error);

/* For db/store-open.c, once per connection: seals every transaction the store commits
 * from now on (a transaction hook, db/store-private.h): the rows each one adds to the
 * history tables, and the digests of the state rows it writes (db/state-seal.h). */
void muster_audit_attach(MusterStore *store);

G_END_DECLS
