/*
 * bench/armoury.h: setting up the armoury a benchmark counts, through the engine (see
 * armoury.c).
 */
#pragma once

#include "db/items.h"
#include "db/store.h"
#include "db/users.h"

typedef struct {
  const char *path; /* the database file (not owned) */
  MusterStore *store;
  MusterUser *admin;   /* created with real PIN hashing */
  MusterUser *witness; /* staff, the count's second person */
} BenchArmoury;

/* A new database at path with its admin and a witness. */
gboolean bench_armoury_create(BenchArmoury *a, const char *path, GError **error);
/* Closes the store, if open, and frees the users. */
void bench_armoury_clear(BenchArmoury *a);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(BenchArmoury, bench_armoury_clear)

/* Imports the register CSV at csv_path as the admin, timed; reports import_items,
 * import_seconds and import_items_per_s. res: what the import says (may be NULL). */
gboolean bench_armoury_import(BenchArmoury *a, const char *csv_path, GString *out,
                              MusterImportResult *res, GError **error);
/* Starts a count of the whole armoury, timed; reports count_start_seconds, count_id and
 * count_expected; count_id (may be NULL) gets its id. */
gboolean bench_armoury_start_count(BenchArmoury *a, GString *out, gint64 *count_id, GError **error);
/* Scans every line of the feed at feed_path into count count_id as the admin, through
 * muster_ingest_add(), flushed whenever muster_ingest_due(max_wait_us) says so; reports
 * setup_ingest_scans, setup_ingest_seconds, setup_ingest_scans_per_s and setup_found. */
gboolean bench_armoury_ingest_feed(BenchArmoury *a, const char *feed_path, gint64 count_id,
                                   gint64 max_wait_us, GString *out, GError **error);
/* The whole set-up of a counted armoury: bench_armoury_create() at path, the register
 * at csv_path imported, a count of it started (its id in count_id), the feed at
 * feed_path scanned into it (bench_armoury_ingest_feed(), max_wait_us). */
gboolean bench_armoury_set_up_count(BenchArmoury *a, const char *path, const char *csv_path,
                                    const char *feed_path, gint64 max_wait_us, GString *out,
                                    gint64 *count_id, GError **error);
/* Closes the store, so that its file is complete, reports the file's size in MiB as
 * size_key, and copies it to to. */
gboolean bench_armoury_close_and_copy(BenchArmoury *a, const char *to, const char *size_key,
                                      GString *out, GError **error);
