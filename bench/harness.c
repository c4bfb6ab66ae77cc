/*
 * bench/harness.c: the plumbing every benchmark program shares (see bench/README.md).
 *
 * Shape, and why:
 *  - Every phase runs in a forked child, so that each phase's peak memory is the
 *    child's own ru_maxrss (from wait4()) and one phase's heap never inflates the next
 *    one's figure. The child writes its key=value lines into a pipe; the parent prints
 *    each one as it arrives (for scripts: bench/run.sh greps them) and keeps it in a
 *    table, from which the program's human summary and goal verdicts are made.
 *  - The phase function gets the benchmark's own state as a gpointer: the harness knows
 *    nothing of the engine or of what is measured, only of processes, figures and the
 *    temp folder the data goes in.
 *  - A program is its option table, its run function (phases, then summary) and
 *    bench_harness_main(), which makes the temp folder with the files every benchmark has
 *    (register, feed, database), removes it unless --keep, and reports a failure as
 *    "muster-bench-<name>: FAILED: ..." with exit status 1; so both programs fail, clean
 *    up and say so alike.
 *  - A figure that was never recorded reads as NaN, not 0: 0 would pass every "<" goal.
 *    Goals are judged by bench_goal(), for which a NaN figure is NOT MEASURED; such a
 *    program still prints all it has, then exits 3, so a run cannot look good for lack
 *    of a measurement. The verdicts are kept per process (one benchmark a process, its
 *    goals judged in the parent), so the programs without a temp folder (readers, sync)
 *    judge theirs alike.
 */
#include "harness.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- options, the temp folder, the results ----------------------------------------- */

gboolean
bench_parse_options(const char *name, const char *summary, const GOptionEntry *entries, int *argc,
                    char ***argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new(summary);
  g_autoptr(GError) error = NULL;
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (g_option_context_parse(ctx, argc, argv, &error))
    return TRUE;
  g_printerr("muster-bench-%s: %s\n", name, error->message);
  return FALSE;
}

const char *
bench_harness_path(BenchHarness *h, const char *name)
{
  char *path = g_build_filename(h->dir, name, NULL);
  g_ptr_array_add(h->paths, path);
  return path;
}

static gboolean
harness_init(BenchHarness *h, const char *name, const char *parent, GError **error)
{
  g_autofree char *tmpl =
      g_build_filename(parent ? parent : g_get_tmp_dir(), "muster-bench-XXXXXX", NULL);
  h->paths = g_ptr_array_new_with_free_func(g_free);
  h->results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  h->dir = g_strdup(tmpl);
  if (g_mkdtemp(h->dir) == NULL) {
    int e = errno;
    g_clear_pointer(&h->dir, g_free);
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "cannot create %s: %s", tmpl,
                g_strerror(e));
    return FALSE;
  }
  g_autofree char *db = g_strdup_printf("%s.db", name);
  h->csv_path = bench_harness_path(h, "register.csv");
  h->feed_path = bench_harness_path(h, "feed.txt");
  h->db_path = bench_harness_path(h, db);
  return TRUE;
}

static void
rm_rf(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
    g_autofree char *p = g_build_filename(dir, name, NULL);
    g_unlink(p);
  }
  g_rmdir(dir);
}

static void
harness_clear(BenchHarness *h, gboolean keep)
{
  if (h->dir != NULL && !keep)
    rm_rf(h->dir);
  g_clear_pointer(&h->dir, g_free);
  g_clear_pointer(&h->paths, g_ptr_array_unref);
  g_clear_pointer(&h->results, g_hash_table_unref);
}

int
bench_harness_main(BenchHarness *h, const char *name, const char *parent, gboolean keep,
                   BenchRunFunc run, gpointer bench)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = harness_init(h, name, parent, &error);
  if (ok && !run(bench, &error)) {
    g_prefix_error(&error, "FAILED: ");
    ok = FALSE;
  }
  if (!ok)
    g_printerr("muster-bench-%s: %s\n", name, error->message);
  harness_clear(h, keep);
  return ok ? bench_goals_exit_status(name) : 1;
}

void
bench_report(GString *out, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_string_append_printf(out, "%s=", key);
  g_string_append_vprintf(out, fmt, ap);
  g_string_append_c(out, '\n');
  va_end(ap);
}

void
bench_record(BenchHarness *h, const char *key, const char *value)
{
  printf("%s=%s\n", key, value);
  fflush(stdout);
  g_hash_table_replace(h->results, g_strdup(key), g_strdup(value));
}

double
bench_result(BenchHarness *h, const char *key)
{
  const char *v = g_hash_table_lookup(h->results, key);
  return v != NULL ? g_ascii_strtod(v, NULL) : NAN;
}

/* ---- errors and time --------------------------------------------------------------- */

gboolean
bench_errno_fail(GError **error, const char *what)
{
  int e = errno;
  g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", what, g_strerror(e));
  return FALSE;
}

double
bench_seconds_since(gint64 monotonic_t0)
{
  return (double)(g_get_monotonic_time() - monotonic_t0) / G_USEC_PER_SEC;
}

/* With wall time, it tells waiting (fsync, a busy machine) from working. */
double
bench_cpu_seconds(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int
compare_double(gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double
bench_percentile(GArray *values, double p)
{
  if (values->len == 0)
    return NAN;
  g_array_sort(values, compare_double);
  guint i = (guint)ceil(p * values->len) - 1;
  return g_array_index(values, double, MIN(i, values->len - 1));
}

/* ---- phases in forked children ----------------------------------------------------- */

static gboolean
write_all(int fd, const char *data, gsize len)
{
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

void
bench_read_all(int fd, GString *text)
{
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    g_string_append_len(text, buf, n);
  }
  close(fd);
}

int
bench_wait_child(BenchHarness *h, pid_t pid, const char *phase)
{
  int status = 0;
  struct rusage ru = {0};
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  g_autofree char *key = g_strdup_printf("%s_peak_rss_kib", phase);
  g_autofree char *value = g_strdup_printf("%ld", ru.ru_maxrss);
  bench_record(h, key, value);
  return status;
}

/* The phase itself, in the child; its lines go to the parent through fd. */
static gboolean
child_phase(BenchPhaseFunc fn, gpointer bench, int fd)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok = fn(bench, out, &error);
  if (!ok) {
    g_autofree char *msg = g_strdup(error != NULL ? error->message : "failed");
    g_strdelimit(msg, "\n\r", ' ');
    bench_report(out, "error", "%s", msg);
  }
  write_all(fd, out->str, out->len);
  close(fd);
  return ok;
}

/* The child's lines; its "error" becomes <phase>_error. */
static void
take_lines(BenchHarness *h, const char *phase, const char *text)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l != NULL; l++) {
    char *eq = strchr(*l, '=');
    if (eq == NULL)
      continue;
    *eq = '\0';
    g_autofree char *key =
        g_str_equal(*l, "error") ? g_strdup_printf("%s_error", phase) : g_strdup(*l);
    bench_record(h, key, eq + 1);
  }
}

gboolean
bench_run_phase(BenchHarness *h, const char *phase, BenchPhaseFunc fn, gpointer bench,
                GError **error)
{
  int fds[2];
  if (pipe(fds) != 0)
    return bench_errno_fail(error, "pipe");
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0)
    return bench_errno_fail(error, "fork");
  if (pid == 0) {
    close(fds[0]);
    exit(child_phase(fn, bench, fds[1]) ? 0 : 1); /* not _exit(): LeakSanitizer checks */
  }
  close(fds[1]);
  g_autoptr(GString) text = g_string_new(NULL);
  bench_read_all(fds[0], text);
  int status = bench_wait_child(h, pid, phase);
  take_lines(h, phase, text->str);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return TRUE;
  g_autofree char *ekey = g_strdup_printf("%s_error", phase);
  const char *why = g_hash_table_lookup(h->results, ekey);
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "phase %s failed: %s", phase,
              why != NULL ? why : "the child died");
  return FALSE;
}

/* ---- the summary ------------------------------------------------------------------- */

const char *
bench_fs_name(const char *dir)
{
  struct statfs sf;
  if (statfs(dir, &sf) != 0)
    return "unknown";
  switch ((unsigned long)sf.f_type) {
  case 0xEF53: return "ext4";
  case 0x58465342: return "xfs";
  case 0x9123683E: return "btrfs";
  case 0x01021994: return "tmpfs";
  case 0x794C7630: return "overlayfs";
  case 0x2FC12FC1: return "zfs";
  case 0xF2F52010: return "f2fs";
  default: return "other";
  }
}

/* ---- goals ------------------------------------------------------------------------- */

static BenchVerdict worst_verdict = BENCH_MET;
static GString *not_measured; /* "goal_a, goal_b": the goals without a figure */

const char *
bench_verdict_text(BenchVerdict v)
{
  switch (v) {
  case BENCH_MET: return "ok";
  case BENCH_MISSED: return "MISSED";
  default: return "NOT MEASURED";
  }
}

BenchVerdict
bench_goal(const char *name, double figure, gboolean met)
{
  BenchVerdict v = isnan(figure) ? BENCH_NOT_MEASURED : met ? BENCH_MET : BENCH_MISSED;
  printf("goal_%s=%s\n", name, bench_verdict_text(v));
  fflush(stdout);
  worst_verdict = MAX(worst_verdict, v);
  if (v == BENCH_NOT_MEASURED) {
    if (not_measured == NULL)
      not_measured = g_string_new(NULL);
    g_string_append_printf(not_measured, "%sgoal_%s", not_measured->len > 0 ? ", " : "", name);
  }
  return v;
}

void
bench_print_result(gboolean checks_ok, const char *what)
{
  if (worst_verdict == BENCH_NOT_MEASURED)
    printf("RESULT: NOT MEASURED (%s): a failure, see above\n", not_measured->str);
  else if (worst_verdict == BENCH_MET && checks_ok)
    printf("RESULT: all %s goals met\n", what);
  else
    printf("RESULT: MISSED (see the goals above)\n");
}

int
bench_goals_exit_status(const char *name)
{
  if (worst_verdict != BENCH_NOT_MEASURED)
    return 0;
  g_printerr("muster-bench-%s: NOT MEASURED: %s\n", name, not_measured->str);
  return BENCH_EXIT_NOT_MEASURED;
}
