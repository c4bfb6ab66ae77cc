/*
 * bench-reconcile.c: reconciling a 1,000,000-item count, against the sqlite3 shell
 * asking "what is missing" on the same file in the fastest form it knows (issue 2,
 * benchmark 2; issue 14: a baseline that cannot flatter). See bench/README.md.
 *
 * Shape, and why:
 *  - Every phase runs in a forked child (bench/harness.c), or is the sqlite3 shell itself,
 *    run as a child process, so each phase's peak memory is that process's own ru_maxrss.
 *  - The count is built through the engine: the plain register (bench/register.c)
 *    imported from a generated CSV, a count of the whole armoury started (freezing 1M
 *    expected items), and a feed that finds every item once except a few hundred
 *    (missing) plus a few hundred markings nobody recorded (unknown), ingested with
 *    muster_ingest_add()/flush().
 *  - Best of a few rounds for both, on a machine that may be busy: after set-up the file
 *    is copied once for each round but the last (which leaves it in the page cache, and
 *    the copies are synced before any timing). Each round closes and reconciles its own
 *    file, the original in the last round, then runs every shell form on the original.
 *    Each timed run is a fresh process with a fresh SQLite cache, the file warm in the
 *    OS: the same conditions for both. Each figure reported is the best of the rounds,
 *    for the engine and for every shell form alike; every round's figure is printed too.
 *  - The engine figure is muster_counts_close() + muster_reconcile(), everything a
 *    supervisor waits for; the shell figure is its own `.timer` for the query (process
 *    start and open excluded, which flatters the shell, not the engine). The engine does
 *    far more than the anti-join (every kind of discrepancy, stored and audited); the
 *    goal says how much more that may cost, against the fastest of the shell's forms in
 *    this run (shell_forms[]), so a slow baseline can never make the engine look good.
 *  - The measured phases use muster_users_get() rather than authenticating (see
 *    bench/armoury.c).
 */
#include "armoury.h"
#include "db/counts.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "db/store.h"
#include "db/users.h"
#include "harness.h"
#include "register.h"
#include "rounds.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <sqlite3.h> /* its version, beside the shell it is measured against */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define GOAL_SECONDS 1.0
#define GOAL_RATIO 1.5 /* engine / shell */
#define MAX_ROUNDS 9
#define MAX_WAIT_US 50000
#define SQLITE3_SHELL "/usr/bin/sqlite3"

typedef struct {
  BenchHarness h; /* the temp folder and the figures */
  gint64 n_items;
  gint64 n_missing;
  gint64 n_unknown;
  guint32 seed;
  gint rounds;
  const char *round_path[MAX_ROUNDS]; /* each round's engine file, owned by h */
  const char *run_path;               /* the file the current engine phase works on */
  const char *run_prefix;             /* key prefix of the current engine phase */
  gint64 count_id;
} Bench;

static gboolean
phase_generate(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  return bench_register_write_count(b->h.csv_path, b->h.feed_path, b->seed, b->n_items,
                                    b->n_missing, b->n_unknown, out, error);
}

/* ---- setup: register, count, scans ------------------------------------------------- */

static gboolean
phase_setup(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  g_auto(BenchArmoury) a = {0};
  gint64 count_id = 0;
  /* The first round's copy is the same count, and copying leaves the original in the
   * cache. */
  return bench_armoury_set_up_count(&a, b->h.db_path, b->h.csv_path, b->h.feed_path, MAX_WAIT_US,
                                    out, &count_id, error) &&
         bench_armoury_close_and_copy(&a, b->round_path[0], "db_mib", out, error);
}

/* ---- the engine: close + reconcile ------------------------------------------------- */

static void
report_summary(Bench *b, GString *out, const MusterReconcileSummary *s)
{
  bench_report_key(out, b->run_prefix, "discrepancies", "%" G_GINT64_FORMAT, s->total);
  bench_report_key(out, b->run_prefix, "new", "%" G_GINT64_FORMAT, s->new_this_run);
  for (guint k = 0; k < MUSTER_N_DISCREPANCY_KINDS; k++) {
    g_autofree char *key = g_strdup_printf("kind_%s", muster_discrepancy_kind_name(k));
    bench_report_key(out, b->run_prefix, key, "%" G_GINT64_FORMAT, s->by_kind[k]);
  }
}

/* Close (unless already closed) and reconcile b->run_path, timed. */
static gboolean
phase_engine(gpointer data, GString *out, GError **error)
{
  Bench *b = data;
  g_autoptr(MusterStore) store = muster_store_open(b->run_path, error);
  if (store == NULL)
    return FALSE;
  g_autoptr(MusterUser) admin = muster_users_get(store, "admin", error);
  g_autoptr(MusterCount) count = admin ? muster_counts_get_by_id(store, b->count_id, error) : NULL;
  if (count == NULL)
    return FALSE;
  MusterReconcileSummary summary = {0};
  double cpu0 = bench_cpu_seconds();
  gint64 t0 = g_get_monotonic_time();
  if (count->state == MUSTER_COUNT_OPEN && !muster_counts_close(store, admin, b->count_id, error))
    return FALSE;
  double closed = bench_seconds_since(t0);
  if (!muster_reconcile(store, admin, b->count_id, &summary, error))
    return FALSE;
  double total = bench_seconds_since(t0);
  bench_report_key(out, b->run_prefix, "close_seconds", "%.3f", closed);
  bench_report_key(out, b->run_prefix, "reconcile_seconds", "%.3f", total - closed);
  bench_report_key(out, b->run_prefix, "seconds", "%.3f", total);
  bench_report_key(out, b->run_prefix, "cpu_seconds", "%.3f", bench_cpu_seconds() - cpu0);
  report_summary(b, out, &summary);
  return TRUE;
}

static gboolean
run_engine(Bench *b, const char *prefix, const char *path, GError **error)
{
  b->run_path = path;
  b->run_prefix = prefix;
  return bench_run_phase(&b->h, prefix, phase_engine, b, error);
}

/* ---- the baseline: the sqlite3 shell ----------------------------------------------- */

/* "Run Time: real 0.123 user 0.1 sys 0.02" and the count before it. */
static gboolean
parse_shell(const char *text, gint64 *count, double *real, double *cpu)
{
  gboolean have_count = FALSE, have_time = FALSE;
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l != NULL; l++) {
    double user = 0, sys = 0;
    if (sscanf(*l, "Run Time: real %lf user %lf sys %lf", real, &user, &sys) == 3) {
      *cpu = user + sys;
      have_time = TRUE;
    } else if (g_ascii_isdigit(**l) && !have_count) {
      *count = g_ascii_strtoll(*l, NULL, 10);
      have_count = TRUE;
    }
  }
  return have_count && have_time;
}

/* The shell reads the script on stdin: it times only what it reads there. */
static pid_t
spawn_shell(const char *db, const char *script, int out_fd)
{
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  int in = open(script, O_RDONLY);
  if (in < 0)
    _exit(126);
  dup2(in, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(out_fd, STDERR_FILENO);
  close(in);
  close(out_fd);
  execl(SQLITE3_SHELL, SQLITE3_SHELL, "-batch", db, (char *)NULL);
  _exit(127);
}

/* The question "which expected items were not found", as the shell can ask it. Each
 * form is timed; the goal is judged against the fastest. */
typedef struct {
  const char *name; /* key prefix of its figures */
  const char *what; /* for the summary */
  const char *sql;  /* counts the missing items of count :cid */
} ShellForm;

static const ShellForm shell_forms[] = {
    /* The two sorted primary keys merged (ORDER BY kept by LIMIT -1): the engine's own
     * form, about three times faster than NOT EXISTS. */
    {"except", "EXCEPT of the primary keys (the engine's form)",
     "SELECT count(*) FROM (SELECT item_id FROM count_expected WHERE count_id = :cid"
     " EXCEPT SELECT item_id FROM count_find WHERE count_id = :cid ORDER BY 1 LIMIT -1);"},
    /* The same merge over the item_id indexes, narrower than the tables: faster while
     * the file holds one count, as here; it reads every count's rows, so the engine
     * cannot use it. */
    {"except_item", "EXCEPT over the item_id indexes",
     "SELECT count(*) FROM (SELECT item_id FROM count_expected INDEXED BY count_expected_item"
     " WHERE count_id = :cid EXCEPT SELECT item_id FROM count_find INDEXED BY count_find_item"
     " WHERE count_id = :cid ORDER BY 1 LIMIT -1);"},
    /* The textbook anti-join, one probe of count_find per expected item: reported for
     * information, never the baseline unless it is the fastest. */
    {"not_exists", "NOT EXISTS anti-join",
     "SELECT count(*) FROM count_expected e WHERE e.count_id = :cid AND NOT EXISTS"
     " (SELECT 1 FROM count_find f WHERE f.count_id = e.count_id AND f.item_id = e.item_id);"},
};

/* The shell binds :cid as the engine does, then times only the query. */
static char *
shell_script(gint64 count_id, const ShellForm *form)
{
  return g_strdup_printf(".parameter set :cid %" G_GINT64_FORMAT "\n.timer on\n%s\n", count_id,
                         form->sql);
}

/* A shell query as a child process: query time (.timer), wall time of the
 * process, its peak RSS and its answer. */
static gboolean
run_shell(Bench *b, const ShellForm *form, const char *prefix, GError **error)
{
  g_autofree char *name = g_strdup_printf("%s.sql", prefix);
  g_autofree char *script = g_build_filename(b->h.dir, name, NULL);
  g_autofree char *sql = shell_script(b->count_id, form);
  if (!g_file_set_contents(script, sql, -1, error))
    return FALSE;
  int fds[2];
  if (pipe(fds) != 0)
    return bench_errno_fail(error, "pipe");
  fflush(stdout);
  gint64 t0 = g_get_monotonic_time();
  pid_t pid = spawn_shell(b->h.db_path, script, fds[1]);
  close(fds[1]);
  if (pid < 0)
    return bench_errno_fail(error, "fork");
  g_autoptr(GString) text = g_string_new(NULL);
  bench_read_all(fds[0], text);
  int status = bench_wait_child(&b->h, pid, prefix);
  double wall = bench_seconds_since(t0), real = 0, cpu = 0;
  gint64 count = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !parse_shell(text->str, &count, &real, &cpu)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s", SQLITE3_SHELL, text->str);
    return FALSE;
  }
  bench_record_key(&b->h, prefix, "query_seconds", "%.3f", real);
  bench_record_key(&b->h, prefix, "process_seconds", "%.3f", wall);
  bench_record_key(&b->h, prefix, "cpu_seconds", "%.3f", cpu);
  bench_record_key(&b->h, prefix, "missing", "%" G_GINT64_FORMAT, count);
  return TRUE;
}

/* ---- the rounds --------------------------------------------------------------------- */

/* Copies the set-up file for rounds 2 .. n-1 (round 1's copy was made at set-up, the last
 * round takes the original), and syncs every copy: no write-back of them during a timed
 * commit. */
static gboolean
copy_for_rounds(Bench *b, GError **error)
{
  g_autoptr(GFile) src = g_file_new_for_path(b->h.db_path);
  for (gint k = 0; k < b->rounds; k++) {
    if (k == b->rounds - 1) {
      b->round_path[k] = b->h.db_path;
      continue;
    }
    if (k > 0) {
      g_autofree char *name = g_strdup_printf("round%d.db", k + 1);
      b->round_path[k] = bench_harness_path(&b->h, name);
      g_autoptr(GFile) dst = g_file_new_for_path(b->round_path[k]);
      if (!g_file_copy(src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
        return FALSE;
    }
    int fd = open(b->round_path[k], O_RDONLY);
    gboolean synced = fd >= 0 && fsync(fd) == 0;
    if (fd >= 0)
      close(fd);
    if (!synced)
      return bench_errno_fail(error, b->round_path[k]);
  }
  return TRUE;
}

/* Round k (from 1): the engine on its own file, then every shell form on the original. */
static gboolean
run_round(Bench *b, gint k, GError **error)
{
  g_autofree char *engine = g_strdup_printf("engine%d", k);
  if (!run_engine(b, engine, b->round_path[k - 1], error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(shell_forms); i++) {
    g_autofree char *prefix = g_strdup_printf("%s%d", shell_forms[i].name, k);
    if (!run_shell(b, &shell_forms[i], prefix, error))
      return FALSE;
  }
  return TRUE;
}

/* A figure of round k: "<name><k>_<key>". */
static double
round_result(Bench *b, const char *name, gint k, const char *key)
{
  return bench_round_result(&b->h, name, k, key);
}

/* "<name>_<key>" = the best of the rounds' figures (bench/rounds.h). */
static void
record_best(Bench *b, const char *name, const char *key, gboolean highest)
{
  bench_record_best(&b->h, name, b->rounds, key, highest);
}

/* The round whose engine run was fastest: its close and reconcile split, its answer. */
static gint
best_engine_round(Bench *b)
{
  gint best = 1;
  for (gint k = 2; k <= b->rounds; k++)
    if (round_result(b, "engine", k, "seconds") < round_result(b, "engine", best, "seconds"))
      best = k;
  return best;
}

static void
record_engine(Bench *b)
{
  static const char *const lowest[] = {"seconds", "cpu_seconds"};
  static const char *const of_best[] = {"close_seconds", "reconcile_seconds"};
  for (guint i = 0; i < G_N_ELEMENTS(lowest); i++)
    record_best(b, "engine", lowest[i], FALSE);
  record_best(b, "engine", "peak_rss_kib", TRUE);
  gint best = best_engine_round(b);
  for (guint i = 0; i < G_N_ELEMENTS(of_best); i++) {
    g_autofree char *full = g_strdup_printf("engine_%s", of_best[i]);
    g_autofree char *value = g_strdup_printf("%.3f", round_result(b, "engine", best, of_best[i]));
    bench_record(&b->h, full, value);
  }
}

static void
record_shells(Bench *b)
{
  static const char *const lowest[] = {"query_seconds", "process_seconds", "cpu_seconds"};
  for (guint i = 0; i < G_N_ELEMENTS(shell_forms); i++) {
    for (guint j = 0; j < G_N_ELEMENTS(lowest); j++)
      record_best(b, shell_forms[i].name, lowest[j], FALSE);
    record_best(b, shell_forms[i].name, "peak_rss_kib", TRUE);
  }
}

/* ---- the summary -------------------------------------------------------------------- */

/* A figure of one form ("except", "query_seconds"). */
static double
form_result(Bench *b, const ShellForm *form, const char *key)
{
  g_autofree char *name = g_strdup_printf("%s_%s", form->name, key);
  return bench_result(&b->h, name);
}

/* The form the goal is judged against: the fastest query in this run. */
static const ShellForm *
fastest_form(Bench *b)
{
  const ShellForm *best = &shell_forms[0];
  for (guint i = 1; i < G_N_ELEMENTS(shell_forms); i++)
    if (form_result(b, &shell_forms[i], "query_seconds") < form_result(b, best, "query_seconds"))
      best = &shell_forms[i];
  return best;
}

/* Every round's engine and every shell found exactly what was planted; reconciling
 * again stored nothing. */
static gboolean
answers_agree(Bench *b)
{
  BenchHarness *h = &b->h;
  gboolean ok = bench_result(h, "again_new") == 0;
  for (gint k = 1; k <= b->rounds; k++) {
    ok = ok && round_result(b, "engine", k, "kind_missing") == b->n_missing &&
         round_result(b, "engine", k, "kind_unknown_marking") == b->n_unknown &&
         round_result(b, "engine", k, "discrepancies") == bench_result(h, "again_discrepancies");
    for (guint i = 0; i < G_N_ELEMENTS(shell_forms); i++)
      ok = ok && round_result(b, shell_forms[i].name, k, "missing") == b->n_missing;
  }
  return ok;
}

/* engine / shell for every form, as engine_vs_<form>. */
static void
print_ratios(Bench *b)
{
  double engine = bench_result(&b->h, "engine_seconds");
  for (guint i = 0; i < G_N_ELEMENTS(shell_forms); i++) {
    double shell = form_result(b, &shell_forms[i], "query_seconds");
    printf("engine_vs_%s=%.3f\n", shell_forms[i].name, shell > 0 ? engine / shell : NAN);
  }
}

static char *
round_list(Bench *b, const char *name, const char *key)
{
  return bench_round_list(&b->h, name, b->rounds, key);
}

static void
print_shell_lines(Bench *b, const ShellForm *baseline)
{
  double engine = bench_result(&b->h, "engine_seconds");
  for (guint i = 0; i < G_N_ELEMENTS(shell_forms); i++) {
    const ShellForm *f = &shell_forms[i];
    double q = form_result(b, f, "query_seconds");
    g_autofree char *rounds = round_list(b, f->name, "query_seconds");
    printf("shell   %-11s %.3f s (cpu %.3f s, process %.3f s; rounds %s); engine/shell = %.2f"
           "   %s%s\n",
           f->name, q, form_result(b, f, "cpu_seconds"), form_result(b, f, "process_seconds"),
           rounds, q > 0 ? engine / q : NAN, f->what,
           f == baseline ? ": the fastest, the baseline" : "");
  }
}

static void
print_setup(Bench *b)
{
  BenchHarness *h = &b->h;
  printf("\n== Reconcile: %" G_GINT64_FORMAT " items, %.0f scans (%" G_GINT64_FORMAT
         " missing, %" G_GINT64_FORMAT " unknown), best of %d rounds, temp dir on %s ==\n",
         b->n_items, bench_result(h, "setup_ingest_scans"), b->n_missing, b->n_unknown, b->rounds,
         bench_fs_name(h->dir));
  printf("setup   import %.1f s (%.0f items/s), count start %.2f s, ingest %.1f s "
         "(%.0f scans/s), database %.0f MiB\n",
         bench_result(h, "import_seconds"), bench_result(h, "import_items_per_s"),
         bench_result(h, "count_start_seconds"), bench_result(h, "setup_ingest_seconds"),
         bench_result(h, "setup_ingest_scans_per_s"), bench_result(h, "db_mib"));
}

/* The figures the goals are judged on, and the verdicts. */
typedef struct {
  const ShellForm *baseline; /* the fastest shell form */
  double engine, engine_cpu, shell, shell_cpu, ratio, cpu_ratio;
  gboolean agree;
  BenchVerdict time, ratio_goal; /* judged (and printed) by print_keys() */
} Verdict;

static void
judge(Bench *b, Verdict *v)
{
  v->baseline = fastest_form(b);
  v->engine = bench_result(&b->h, "engine_seconds");
  v->engine_cpu = bench_result(&b->h, "engine_cpu_seconds");
  v->shell = form_result(b, v->baseline, "query_seconds");
  v->shell_cpu = form_result(b, v->baseline, "cpu_seconds");
  /* no baseline is no ratio: NaN, so the goal is NOT MEASURED, never met */
  v->ratio = v->shell > 0 ? v->engine / v->shell : NAN;
  v->cpu_ratio = v->shell_cpu > 0 ? v->engine_cpu / v->shell_cpu : NAN;
  v->agree = answers_agree(b);
}

static void
print_keys(Bench *b, Verdict *v)
{
  print_ratios(b);
  v->time = bench_goal("time", v->engine, v->engine < GOAL_SECONDS);
  v->ratio_goal = bench_goal("ratio", v->ratio, v->ratio <= GOAL_RATIO);
  printf("baseline_form=%s\nbaseline_query_seconds=%.3f\nbaseline_cpu_seconds=%.3f\n"
         "baseline_peak_rss_kib=%.0f\nengine_vs_baseline=%.3f\nengine_vs_baseline_cpu=%.3f\n",
         v->baseline->name, v->shell, v->shell_cpu, form_result(b, v->baseline, "peak_rss_kib"),
         v->ratio, v->cpu_ratio);
  printf("answers_agree=%s\n", v->agree ? "yes" : "NO");
}

static void
print_timings(Bench *b, const Verdict *v)
{
  g_autofree char *rounds = round_list(b, "engine", "seconds");
  printf("engine  close %.3f s + reconcile %.3f s = %.3f s (cpu %.3f s; rounds %s)"
         "   goal < %.1f s: %s\n",
         bench_result(&b->h, "engine_close_seconds"),
         bench_result(&b->h, "engine_reconcile_seconds"), v->engine, v->engine_cpu, rounds,
         GOAL_SECONDS, bench_verdict_text(v->time));
  print_shell_lines(b, v->baseline);
  printf("goal    engine / fastest shell form (%s) = %.2f (cpu %.2f)   goal <= %.1f: %s\n",
         v->baseline->name, v->ratio, v->cpu_ratio, GOAL_RATIO, bench_verdict_text(v->ratio_goal));
}

static void
print_checks(Bench *b, const Verdict *v)
{
  BenchHarness *h = &b->h;
  printf("again   reconcile of the reconciled count %.3f s, %.0f new (idempotent)\n",
         bench_result(h, "again_seconds"), bench_result(h, "again_new"));
  printf("found   missing %.0f (shell %.0f), unknown_marking %.0f, %.0f discrepancies in "
         "all, every round: %s\n",
         round_result(b, "engine", 1, "kind_missing"),
         round_result(b, v->baseline->name, 1, "missing"),
         round_result(b, "engine", 1, "kind_unknown_marking"),
         round_result(b, "engine", 1, "discrepancies"), v->agree ? "as planted" : "MISMATCH");
  printf("peak RSS engine reconcile %.0f MiB, sqlite3 shell %.0f MiB, setup %.0f MiB\n",
         bench_result(h, "engine_peak_rss_kib") / 1024,
         form_result(b, v->baseline, "peak_rss_kib") / 1024,
         bench_result(h, "setup_peak_rss_kib") / 1024);
}

static void
print_summary(Bench *b)
{
  Verdict v;
  judge(b, &v);
  print_keys(b, &v);
  print_setup(b);
  print_timings(b, &v);
  print_checks(b, &v);
  bench_print_result(v.agree, "reconcile");
}

/* The phases, the rounds, then the summary. "again" re-reconciles the reconciled count
 * of the last round. */
static gboolean
run(gpointer data, GError **error)
{
  Bench *b = data;
  b->round_path[0] = bench_harness_path(&b->h, "round1.db");
  printf("bench=reconcile\nitems=%" G_GINT64_FORMAT "\nmissing=%" G_GINT64_FORMAT
         "\nunknown=%" G_GINT64_FORMAT "\nrounds=%d\nseed=%u\ndir=%s\nfilesystem=%s\n"
         "sqlite_version=%s\n",
         b->n_items, b->n_missing, b->n_unknown, b->rounds, b->seed, b->h.dir,
         bench_fs_name(b->h.dir), sqlite3_libversion());
  if (!bench_run_phase(&b->h, "generate", phase_generate, b, error) ||
      !bench_run_phase(&b->h, "setup", phase_setup, b, error) || !copy_for_rounds(b, error))
    return FALSE;
  b->count_id = (gint64)bench_result(&b->h, "count_id");
  for (gint k = 1; k <= b->rounds; k++)
    if (!run_round(b, k, error))
      return FALSE;
  if (!run_engine(b, "again", b->h.db_path, error))
    return FALSE;
  record_engine(b);
  record_shells(b);
  print_summary(b);
  return TRUE;
}

int
main(int argc, char **argv)
{
  gint64 items = 1000000, missing = 300, unknown = 300;
  gboolean quick = FALSE, keep = FALSE;
  gint seed = 3, rounds = 3;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
      {"items", 0, 0, G_OPTION_ARG_INT64, &items, "Items in the register (1000000)", "N"},
      {"missing", 0, 0, G_OPTION_ARG_INT64, &missing, "Items never scanned (300)", "N"},
      {"unknown", 0, 0, G_OPTION_ARG_INT64, &unknown, "Unknown markings scanned (300)", "N"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "100000 items", NULL},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &parent,
       "Where the temp folder goes (a real disk; default $TMPDIR or /tmp)", "DIR"},
      {"seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed of the feed", "N"},
      {"rounds", 0, 0, G_OPTION_ARG_INT, &rounds,
       "Rounds of engine and shell runs, the best reported (3; at most 9)", "N"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder", NULL},
      {NULL}};
  if (!bench_parse_options("reconcile", "- benchmark reconciliation", entries, &argc, &argv))
    return 2;
  if (quick)
    items = 100000;
  Bench b = {
      .n_items = MAX(items, 1000), .seed = (guint32)seed, .rounds = CLAMP(rounds, 1, MAX_ROUNDS)};
  b.n_missing = CLAMP(missing, 0, b.n_items / 2);
  b.n_unknown = CLAMP(unknown, 0, 9999999);
  return bench_harness_main(&b.h, "reconcile", parent, keep, run, &b);
}
