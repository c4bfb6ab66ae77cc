/*
 * bench/harness.h: what every benchmark program shares to run its phases and show its
 * figures (see harness.c for why it is shaped so).
 */
#pragma once

#include <glib.h>
#include <math.h> /* NAN, isnan(): a figure not measured */
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
 * muster-bench-<name> ("ingest"); returns the exit status: 1 when something failed, else
 * bench_goals_exit_status(). h is the harness in bench. */
int bench_harness_main(BenchHarness *h, const char *name, const char *parent, gboolean keep,
                       BenchRunFunc run, gpointer bench);
/* Another file in the temp folder, owned by h. */
const char *bench_harness_path(BenchHarness *h, const char *name);

/* Appends "key=value\n" to out, the value formatted like printf. */
void bench_report(GString *out, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Prints key=value at once (for scripts) and keeps it for bench_result(). */
void bench_record(BenchHarness *h, const char *key, const char *value);
/* A recorded figure as a number; NaN if it was never recorded: a figure not measured,
 * so that a goal on it, or on anything computed from it, is NOT MEASURED (bench_goal()),
 * never met. */
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
/* The nearest-rank percentile p (0..1] of an array of doubles, which it sorts; NaN (not
 * measured) when it is empty. */
double bench_percentile(GArray *values, double p);

/* The type of filesystem dir is on ("ext4", "tmpfs", ...): the figures depend on it. */
const char *bench_fs_name(const char *dir);
/* A goal's verdict, worst last. A goal whose figure was not measured is a failure: it
 * is never "ok", and the program exits non-zero for it (bench_goals_exit_status()). */
typedef enum { BENCH_MET, BENCH_MISSED, BENCH_NOT_MEASURED } BenchVerdict;

/* Judges the goal name on figure and prints goal_<name>=ok, MISSED or NOT MEASURED.
 * figure is what the goal is about; NaN (bench_result() of a figure never recorded, or
 * anything computed from one) makes it NOT MEASURED whatever met says. The verdicts of
 * the process are kept for bench_print_result() and bench_goals_exit_status(). */
BenchVerdict bench_goal(const char *name, double figure, gboolean met);
/* "ok", "MISSED" or "NOT MEASURED", as the goal_* lines and the summaries say it. */
const char *bench_verdict_text(BenchVerdict v);
/* The last line of a summary: "RESULT: ..." over the goals judged so far and checks_ok,
 * the program's checks that are not goals (TRUE if it has none); what is "ingest". */
void bench_print_result(gboolean checks_ok, const char *what);
/* The exit status of a program whose run completed: 0 (even when a goal was missed: the
 * summary says MISSED), or BENCH_EXIT_NOT_MEASURED when a goal was not measured, after
 * saying which on stderr as muster-bench-<name>. */
#define BENCH_EXIT_NOT_MEASURED 3
int bench_goals_exit_status(const char *name);
