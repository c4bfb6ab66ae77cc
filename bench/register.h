/*
 * bench/register.h: the synthetic register the benchmarks count, and the scan lines of
 * its items (see register.c).
 */
#pragma once

#include <glib.h>
#include <stdio.h>

/* What the data holds besides plain items in store, each read by its serial or tag. */
typedef enum {
  /* Every item in store, in racks of 1,000; the feed reads serials as plain text. The
   * reconcile benchmark: only the discrepancies it plants may turn up. */
  BENCH_MIX_PLAIN,
  /* Also 0.5% issued (no location, a custodian) and 10% imported; the feed also reads
   * serials as JSON lines from a Code 128 reader. The ingest benchmark: every path. */
  BENCH_MIX_VARIED,
} BenchMix;

/* Writes a register of items 1..n_items as the CSV muster_items_import_csv() reads. */
gboolean bench_register_write_csv(const char *path, gint64 n_items, BenchMix mix, GError **error);
/* The order a counter walks the racks: items 1..n, shuffled within blocks of 64. */
gint64 *bench_register_walk_order(GRand *rand, gint64 n);
/* One feed line scanning item i: its serial, its tag UID, or a reader's JSON line. */
void bench_register_write_scan(FILE *f, GRand *rand, gint64 i, BenchMix mix);
/* The plain register of items 1..n_items (BENCH_MIX_PLAIN) at csv_path, and at feed_path
 * a count of it: every item scanned once in walk order, except n_missing of them (spread
 * at random), with n_unknown markings nobody recorded ("XX-0000001", ...) in between.
 * Reports generate_seconds to out. */
gboolean bench_register_write_count(const char *csv_path, const char *feed_path, guint32 seed,
                                    gint64 n_items, gint64 n_missing, gint64 n_unknown,
                                    GString *out, GError **error);
