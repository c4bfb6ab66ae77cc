/*
 * bench/harness.h: what every benchmark program shares to run its phases and show its
 * figures (see harness.c for why it is shaped so).
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

/* The temp folder holds what every benchmark has: a generated register, a generated
 * feed of scans, and the database it measures; and any other file it asks for. */
typedef struct {
  char *dir;             /* the temp folder */
  const char *csv_path;  /* register.csv in it */
  const char *feed_path; /* feed.txt */
  const char *db_path;   /* <name>.db, name as given to bench_harness_main() */
  GPtrArray *paths;      /* owns the paths, and those of bench_harness_path() */
  GHashTable *results;   /* key -> value, as printed */
} BenchHarness;

/* A phase, run in a forked child: appends its key=value lines to out (bench_report()). */
typedef gboolean (*BenchPhaseFunc)(gpointer bench, GString *out, GError **error);
/* A whole benchmark in the parent: its phases, then its summary. */
typedef gboolean (*BenchRunFunc)(gpointer bench, GError **error);

/* Parses the command line against entries (the program's whole option table, so --help
 * lists them in its order). If it can't, says why as muster-bench-<name> and returns
 * FALSE (exit 2). */
gboolean bench_parse_options(const char *name, const char *summary, const GOptionEntry *entries,
                             int *argc, char ***argv);
/* The rest of main(): creates the temp folder in parent (NULL: $TMPDIR or /tmp), calls
 * run(bench), and removes the folder unless keep. Says what failed, as
 * muster-bench-<name> ("ingest"); returns the exit status. h is the harness in bench. */
int bench_harness_main(BenchHarness *h, const char *name, const char *parent, gboolean keep,
                       BenchRunFunc run, gpointer bench);
/* Another file in the temp folder, owned by h. */
const char *bench_harness_path(BenchHarness *h, const char *name);

/* Appends "key=value\n" to out, the value formatted like printf. */
void bench_report(GString *out, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Prints key=value at once (for scripts) and keeps it for bench_result(). */
void bench_record(BenchHarness *h, const char *key, const char *value);
/* A recorded figure as a number; 0 if it was never recorded. */
double bench_result(BenchHarness *h, const char *key);

/* Runs fn(bench, ...) in a forked child. Its lines are recorded, and so is the child's
 * peak memory as <phase>_peak_rss_kib; if it fails, its error as <phase>_error. */
gboolean bench_run_phase(BenchHarness *h, const char *phase, BenchPhaseFunc fn, gpointer bench,
                         GError **error);
/* Waits for the child pid and records its peak memory as <phase>_peak_rss_kib. Returns
 * its wait status. */
int bench_wait_child(BenchHarness *h, pid_t pid, const char *phase);
/* Reads fd to its end into text, then closes it. */
void bench_read_all(int fd, GString *text);

/* Sets error from errno after a failed system call on what; returns FALSE. */
gboolean bench_errno_fail(GError **error, const char *what);
double bench_seconds_since(gint64 monotonic_t0);
/* User + system CPU seconds of this process so far. */
double bench_cpu_seconds(void);
/* The nearest-rank percentile p (0..1] of an array of doubles, which it sorts. */
double bench_percentile(GArray *values, double p);

/* The type of filesystem dir is on ("ext4", "tmpfs", ...): the figures depend on it. */
const char *bench_fs_name(const char *dir);
/* "ok" or "MISSED", as the goal_* lines and the summaries say it. */
const char *bench_verdict(gboolean ok);
/* The last line of a summary: "RESULT: ..." for the goals of what ("ingest"). */
void bench_print_result(gboolean met, const char *what);
