/*
 * bench/rounds.h: the figures of a benchmark that repeats its runs in rounds (reconcile,
 * backup): each round's figure is recorded as "<name><k>_<key>", and the one reported is
 * the best of the rounds (see rounds.c).
 */
#pragma once

#include "harness.h"

/* Records "<prefix>_<key>" = the value, formatted like printf. */
void bench_record_key(BenchHarness *h, const char *prefix, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/* Appends "<prefix>_<key>=value" to a phase's out (bench_report() with a prefix). */
void bench_report_key(GString *out, const char *prefix, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/* The figure "<name><k>_<key>" of round k (from 1); NaN if never recorded. */
double bench_round_result(BenchHarness *h, const char *name, gint k, const char *key);
/* Records "<name>_<key>" = the lowest of rounds 1..rounds (the highest with highest); a
 * round without the figure (NaN), or with a zero, makes it NaN, not measured: a 0 would
 * pass every "<" goal, and MIN() would step over a NaN. Returns the round it came from. */
gint bench_record_best(BenchHarness *h, const char *name, gint rounds, const char *key,
                       gboolean highest);
/* "0.201 0.188 0.195": the figure of every round, for a summary. */
char *bench_round_list(BenchHarness *h, const char *name, gint rounds, const char *key);
