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
/* Closes the store, so that its file is complete, reports the file's size in MiB as
 * size_key, and copies it to to. */
gboolean bench_armoury_close_and_copy(BenchArmoury *a, const char *to, const char *size_key,
                                      GString *out, GError **error);
