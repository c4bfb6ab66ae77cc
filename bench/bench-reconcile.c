/*
 * bench-reconcile.c: reconciling a 1,000,000-item count, against the sqlite3 shell
 * running the minimal anti-join on the same file (issue 2, benchmark 2). See
 * bench/README.md.
 *
 * Shape, and why:
 *  - Every phase runs in a forked child (or is the sqlite3 shell itself, run as a child
 *    process), so each phase's peak memory is that process's own ru_maxrss.
 *  - The count is built through the engine: the register imported from a generated CSV,
 *    a count of the whole armoury started (freezing 1M expected items), and a feed that
 *    finds every item once except a few hundred (missing) plus a few hundred markings
 *    nobody recorded (unknown), ingested with muster_ingest_add()/flush().
 *  - Warm cache for both, each run twice and the second reported: after set-up the file
 *    is copied (which also leaves it in the page cache); the engine's first run closes
 *    and reconciles the copy, its second the original. The shell runs before and after
 *    on the original. Each timed run is a fresh process with a fresh SQLite cache, the
 *    file warm in the OS: the same conditions for both.
 *  - The engine figure is muster_counts_close() + muster_reconcile(), everything a
 *    supervisor waits for; the shell figure is its own `.timer` for the query (process
 *    start and open excluded, which flatters the shell, not the engine). The engine does
 *    far more than the anti-join (every kind of discrepancy, stored and audited); the
 *    goal says how much more that may cost.
 *  - Phases use muster_users_get() rather than authenticating: argon2id's 64 MiB would
 *    otherwise dominate every phase's peak memory.
 */
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/reconcile.h"
#include "db/store.h"
#include "db/users.h"
#include "scan/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define GOAL_SECONDS 1.0
#define GOAL_RATIO 1.5 /* engine / shell */
#define MAX_WAIT_US 50000
#define ITEMS_PER_RACK 1000
#define RACKS_PER_ROOM 50
#define SQLITE3_SHELL "/usr/bin/sqlite3"

typedef struct {
  gint64 n_items;
  gint64 n_missing;
  gint64 n_unknown;
  guint32 seed;
  char *dir;
  char *csv_path;
  char *feed_path;
  char *db_path;
  char *warm_path;
  char *run_path;         /* the file the current engine phase works on */
  const char *run_prefix; /* key prefix of the current engine phase */
  gint64 count_id;
  GHashTable *results; /* key -> value, as the phases reported them */
} Bench;

typedef gboolean (*PhaseFunc)(Bench *b, GString *out, GError **error);

/* ---- results ----------------------------------------------------------------------- */

static void report(GString *out, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
report(GString *out, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_string_append_printf(out, "%s=", key);
  g_string_append_vprintf(out, fmt, ap);
  g_string_append_c(out, '\n');
  va_end(ap);
}

static void
record(Bench *b, const char *key, const char *value)
{
  printf("%s=%s\n", key, value);
  fflush(stdout);
  g_hash_table_replace(b->results, g_strdup(key), g_strdup(value));
}

static double
result(Bench *b, const char *key)
{
  const char *v = g_hash_table_lookup(b->results, key);
  return v != NULL ? g_ascii_strtod(v, NULL) : 0.0;
}

static gboolean
errno_fail(GError **error, const char *what)
{
  int e = errno;
  g_set_error(error, G_IO_ERROR, g_io_error_from_errno(e), "%s: %s", what, g_strerror(e));
  return FALSE;
}

static double
seconds_since(gint64 t0)
{
  return (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
}

/* User + system CPU seconds of this process so far: steadier than wall time on a busy
 * machine. */
static double
cpu_seconds(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ---- child processes --------------------------------------------------------------- */

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

static void
read_all(int fd, GString *text)
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

/* Waits for pid; its peak RSS goes to results as <phase>_peak_rss_kib. */
static int
wait_child(Bench *b, pid_t pid, const char *phase)
{
  int status = 0;
  struct rusage ru = {0};
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  g_autofree char *key = g_strdup_printf("%s_peak_rss_kib", phase);
  g_autofree char *value = g_strdup_printf("%ld", ru.ru_maxrss);
  record(b, key, value);
  return status;
}

/* The phase itself, in the child; its lines go to the parent through fd. */
static gboolean
child_phase(Bench *b, PhaseFunc fn, int fd)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok = fn(b, out, &error);
  if (!ok) {
    g_autofree char *msg = g_strdup(error != NULL ? error->message : "failed");
    g_strdelimit(msg, "\n\r", ' ');
    report(out, "error", "%s", msg);
  }
  write_all(fd, out->str, out->len);
  close(fd);
  return ok;
}

static void
take_lines(Bench *b, const char *phase, const char *text)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l != NULL; l++) {
    char *eq = strchr(*l, '=');
    if (eq == NULL)
      continue;
    *eq = '\0';
    g_autofree char *key =
        g_str_equal(*l, "error") ? g_strdup_printf("%s_error", phase) : g_strdup(*l);
    record(b, key, eq + 1);
  }
}

/* Runs fn in a forked child; its key=value lines go to results. */
static gboolean
run_phase(Bench *b, const char *phase, PhaseFunc fn, GError **error)
{
  int fds[2];
  if (pipe(fds) != 0)
    return errno_fail(error, "pipe");
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0)
    return errno_fail(error, "fork");
  if (pid == 0) {
    close(fds[0]);
    exit(child_phase(b, fn, fds[1]) ? 0 : 1); /* not _exit(): LeakSanitizer checks */
  }
  close(fds[1]);
  g_autoptr(GString) text = g_string_new(NULL);
  read_all(fds[0], text);
  int status = wait_child(b, pid, phase);
  take_lines(b, phase, text->str);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return TRUE;
  g_autofree char *ekey = g_strdup_printf("%s_error", phase);
  const char *why = g_hash_table_lookup(b->results, ekey);
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "phase %s failed: %s", phase,
              why != NULL ? why : "the child died");
  return FALSE;
}

/* ---- the synthetic register and feed ----------------------------------------------- */

typedef struct {
  const char *manufacturer, *country, *prefix, *model, *category, *calibre, *material;
} Model;

static const Model models[] = {
    {"Glock", "AT", "GL", "17", "pistol", "9x19", "polymer"},
    {"Heckler & Koch", "DE", "HK", "G36", "rifle", "5.56x45", "polymer"},
    {"FN Herstal", "BE", "FN", "FNC", "rifle", "5.56x45", "steel"},
    {"SIG Sauer", "CH", "SG", "P226", "pistol", "9x19", "aluminium"},
    {"Beretta", "IT", "BE", "92FS", "pistol", "9x19", "aluminium"},
    {"Steyr Mannlicher", "AT", "ST", "AUG A3", "rifle", "5.56x45", "polymer"},
    {"Kalashnikov Concern", "RU", "KC", "AK-74M", "rifle", "5.45x39", "steel"},
    {"Colt", "US", "CO", "M4A1", "carbine", "5.56x45", "aluminium"},
};

static const Model *
item_model(gint64 i)
{
  return &models[i % G_N_ELEMENTS(models)];
}

static void
item_serial(char *buf, gsize len, gint64 i)
{
  g_snprintf(buf, len, "%s-%07" G_GINT64_FORMAT, item_model(i)->prefix, i);
}

/* Every other item carries an HF tag: 04 and 48 bits of an odd multiple of i (a
 * bijection, so no two items share a UID). */
static gboolean
item_has_tag(gint64 i)
{
  return i % 2 == 0;
}

static guint64
tag_bits(gint64 i)
{
  return ((guint64)i * G_GUINT64_CONSTANT(0x9E3779B97F4B) ^ G_GUINT64_CONSTANT(0x5A5A5A5A5A5A)) &
         G_GUINT64_CONSTANT(0xFFFFFFFFFFFF);
}

static void
write_csv_row(FILE *f, gint64 i)
{
  const Model *m = item_model(i);
  char serial[32];
  gint64 rack = (i - 1) / ITEMS_PER_RACK;
  item_serial(serial, sizeof serial, i);
  fprintf(f,
          "%s,%s,%s,%s,%s,%s,%d,,,,%s,in_store,R%02" G_GINT64_FORMAT "/K%03" G_GINT64_FORMAT ",,",
          m->manufacturer, m->country, serial, m->model, m->category, m->calibre,
          (int)(1990 + i % 34), m->material, rack / RACKS_PER_ROOM + 1, rack % RACKS_PER_ROOM + 1);
  if (item_has_tag(i))
    fprintf(f, "hf_uid:frame:04%012" G_GINT64_MODIFIER "X", tag_bits(i));
  fputc('\n', f);
}

static gboolean
write_csv(const char *path, gint64 n_items, GError **error)
{
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return errno_fail(error, path);
  fputs("manufacturer,country_of_manufacture,serial,model,category,calibre,year,"
        "import_country,import_year,state_marking,frame_material,status,location,custodian,"
        "markings\n",
        f);
  for (gint64 i = 1; i <= n_items; i++)
    write_csv_row(f, i);
  return fclose(f) == 0 || errno_fail(error, path);
}

/* The order a counter walks the racks: item by item, shuffled within blocks of 64. */
static gint64 *
walk_order(GRand *rand, gint64 n)
{
  gint64 *order = g_new(gint64, n);
  for (gint64 i = 0; i < n; i++)
    order[i] = i + 1;
  for (gint64 start = 0; start < n; start += 64) {
    gint64 len = MIN(64, n - start);
    for (gint64 k = len - 1; k > 0; k--) {
      gint64 j = g_rand_int_range(rand, 0, (gint32)k + 1);
      gint64 t = order[start + k];
      order[start + k] = order[start + j];
      order[start + j] = t;
    }
  }
  return order;
}

/* Serial, tag UID or a JSON line from a reader, like a real mixed feed. */
static void
write_known(FILE *f, GRand *rand, gint64 i)
{
  char serial[32];
  guint r = (guint)g_rand_int_range(rand, 0, 100);
  if (item_has_tag(i) && r < 25) {
    guint64 t = tag_bits(i);
    fprintf(f, "04:%02X:%02X:%02X:%02X:%02X:%02X\n", (guint)(t >> 40) & 0xff,
            (guint)(t >> 32) & 0xff, (guint)(t >> 24) & 0xff, (guint)(t >> 16) & 0xff,
            (guint)(t >> 8) & 0xff, (guint)t & 0xff);
    return;
  }
  if (item_has_tag(i) && r < 50) {
    fprintf(f,
            "{\"value\":\"04%012" G_GINT64_MODIFIER "X\",\"kind\":\"hf_uid\",\"reader\":"
            "\"nfc-1\",\"reader_kind\":\"nfc\",\"symbology\":\"ntag215\"}\n",
            tag_bits(i));
    return;
  }
  item_serial(serial, sizeof serial, i);
  fprintf(f, "%s\n", serial);
}

/* Which items stay missing: n distinct ones spread over the register. */
static GHashTable *
pick_missing(GRand *rand, gint64 n_items, gint64 n)
{
  GHashTable *missing = g_hash_table_new(g_direct_hash, g_direct_equal);
  while ((gint64)g_hash_table_size(missing) < n)
    g_hash_table_add(missing,
                     GSIZE_TO_POINTER((gsize)g_rand_int_range(rand, 1, (gint32)n_items + 1)));
  return missing;
}

/* Every item once in walk order, except the missing ones; the unknown markings (all
 * distinct, never in the register) at random places in between. */
static gboolean
write_feed(Bench *b, GError **error)
{
  FILE *f = fopen(b->feed_path, "w");
  if (f == NULL)
    return errno_fail(error, b->feed_path);
  g_autoptr(GRand) rand = g_rand_new_with_seed(b->seed);
  g_autofree gint64 *order = walk_order(rand, b->n_items);
  g_autoptr(GHashTable) missing = pick_missing(rand, b->n_items, b->n_missing);
  gint64 unknown = 0;
  for (gint64 k = 0; k < b->n_items; k++) {
    if (unknown < b->n_unknown && g_rand_int_range(rand, 0, (gint32)b->n_items) < b->n_unknown)
      fprintf(f, "XX-%07" G_GINT64_FORMAT "\n", ++unknown);
    if (!g_hash_table_contains(missing, GSIZE_TO_POINTER((gsize)order[k])))
      write_known(f, rand, order[k]);
  }
  while (unknown < b->n_unknown)
    fprintf(f, "XX-%07" G_GINT64_FORMAT "\n", ++unknown);
  return fclose(f) == 0 || errno_fail(error, b->feed_path);
}

static gboolean
phase_generate(Bench *b, GString *out, GError **error)
{
  gint64 t0 = g_get_monotonic_time();
  if (!write_csv(b->csv_path, b->n_items, error) || !write_feed(b, error))
    return FALSE;
  report(out, "generate_seconds", "%.3f", seconds_since(t0));
  return TRUE;
}

/* ---- setup: register, count, scans ------------------------------------------------- */

static gboolean
import_register(Bench *b, MusterStore *store, const MusterUser *admin, GString *out, GError **error)
{
  g_autoptr(GMappedFile) csv = g_mapped_file_new(b->csv_path, FALSE, error);
  if (csv == NULL)
    return FALSE;
  MusterImportResult res = {0};
  g_autoptr(GPtrArray) errors = NULL;
  gint64 t0 = g_get_monotonic_time();
  if (!muster_items_import_csv(store, admin, g_mapped_file_get_contents(csv),
                               g_mapped_file_get_length(csv), &res, &errors, error))
    return FALSE;
  double secs = seconds_since(t0);
  report(out, "import_items", "%" G_GINT64_FORMAT, res.imported);
  report(out, "import_seconds", "%.3f", secs);
  report(out, "import_items_per_s", "%.0f", (double)res.imported / secs);
  return TRUE;
}

static gboolean
start_count(MusterStore *store, const MusterUser *counter, const MusterUser *witness, GString *out,
            gint64 *count_id, GError **error)
{
  const char *const scope[] = {"", NULL};
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(MusterCount) count = muster_counts_start(store, counter, witness, scope, FALSE, error);
  if (count == NULL)
    return FALSE;
  *count_id = count->id;
  report(out, "count_start_seconds", "%.3f", seconds_since(t0));
  report(out, "count_id", "%" G_GINT64_FORMAT, count->id);
  report(out, "count_expected", "%" G_GINT64_FORMAT, count->expected);
  return TRUE;
}

static gboolean
feed_line(MusterIngest *ingest, const char *line, gsize len, GError **error)
{
  g_autoptr(MusterScan) scan = muster_scan_parse_line(line, len, "bench", NULL, NULL);
  if (scan == NULL)
    return TRUE;
  muster_ingest_add(ingest, scan);
  return !muster_ingest_due(ingest, MAX_WAIT_US) || muster_ingest_flush(ingest, NULL, error);
}

static gboolean
ingest_feed(Bench *b, MusterStore *store, const MusterUser *admin, gint64 count_id, GString *out,
            GError **error)
{
  g_autoptr(MusterIngest) ingest = muster_ingest_new(store, admin, count_id, error);
  FILE *in = ingest != NULL ? fopen(b->feed_path, "r") : NULL;
  if (in == NULL)
    return ingest == NULL ? FALSE : errno_fail(error, b->feed_path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  gboolean ok = TRUE;
  gint64 t0 = g_get_monotonic_time();
  while (ok && (len = getline(&line, &cap, in)) >= 0)
    ok = feed_line(ingest, line, (gsize)len, error);
  ok = ok && muster_ingest_flush(ingest, NULL, error);
  double secs = seconds_since(t0);
  free(line);
  fclose(in);
  if (!ok)
    return FALSE;
  report(out, "setup_ingest_scans", "%" G_GINT64_FORMAT, muster_ingest_scans(ingest));
  report(out, "setup_ingest_seconds", "%.3f", secs);
  report(out, "setup_ingest_scans_per_s", "%.0f", muster_ingest_scans(ingest) / secs);
  report(out, "setup_found", "%" G_GINT64_FORMAT, muster_ingest_found(ingest));
  return TRUE;
}

static gboolean
copy_file(const char *from, const char *to, GError **error)
{
  g_autoptr(GFile) src = g_file_new_for_path(from);
  g_autoptr(GFile) dst = g_file_new_for_path(to);
  return g_file_copy(src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, error);
}

static gboolean
phase_setup(Bench *b, GString *out, GError **error)
{
  g_autoptr(MusterStore) store =
      muster_store_create(b->db_path, "BENCH", "Benchmark armoury", error);
  if (store == NULL)
    return FALSE;
  g_autoptr(MusterUser) admin =
      muster_users_bootstrap_admin(store, "admin", "Ada Admin", "123456", error);
  if (admin == NULL)
    return FALSE;
  g_autoptr(MusterUser) witness =
      muster_users_add(store, admin, "witness", "Will Witness", MUSTER_ROLE_STAFF, "1234", error);
  gint64 count_id = 0;
  if (witness == NULL || !import_register(b, store, admin, out, error) ||
      !start_count(store, admin, witness, out, &count_id, error) ||
      !ingest_feed(b, store, admin, count_id, out, error))
    return FALSE;
  /* Closing the last connection checkpoints the WAL into the file: both copies are then
   * complete, and copying leaves the original in the page cache. */
  g_clear_pointer(&store, muster_store_free);
  GStatBuf st;
  if (g_stat(b->db_path, &st) == 0)
    report(out, "db_mib", "%.1f", (double)st.st_size / (1024 * 1024));
  return copy_file(b->db_path, b->warm_path, error);
}

/* ---- the engine: close + reconcile ------------------------------------------------- */

static void report_run(Bench *b, GString *out, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void
report_run(Bench *b, GString *out, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *value = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_string_append_printf(out, "%s_%s=%s\n", b->run_prefix, key, value);
}

static void
report_summary(Bench *b, GString *out, const MusterReconcileSummary *s)
{
  report_run(b, out, "discrepancies", "%" G_GINT64_FORMAT, s->total);
  report_run(b, out, "new", "%" G_GINT64_FORMAT, s->new_this_run);
  for (guint k = 0; k < G_N_ELEMENTS(muster_discrepancy_kinds); k++) {
    g_autofree char *key = g_strdup_printf("kind_%s", muster_discrepancy_kinds[k]);
    report_run(b, out, key, "%" G_GINT64_FORMAT, s->by_kind[k]);
  }
}

/* Close (unless already closed) and reconcile b->run_path, timed. */
static gboolean
phase_engine(Bench *b, GString *out, GError **error)
{
  g_autoptr(MusterStore) store = muster_store_open(b->run_path, error);
  if (store == NULL)
    return FALSE;
  g_autoptr(MusterUser) admin = muster_users_get(store, "admin", error);
  g_autoptr(MusterCount) count = admin ? muster_counts_get_by_id(store, b->count_id, error) : NULL;
  if (count == NULL)
    return FALSE;
  MusterReconcileSummary summary = {0};
  double cpu0 = cpu_seconds();
  gint64 t0 = g_get_monotonic_time();
  if (count->state == MUSTER_COUNT_OPEN && !muster_counts_close(store, admin, b->count_id, error))
    return FALSE;
  double closed = seconds_since(t0);
  if (!muster_reconcile(store, admin, b->count_id, &summary, error))
    return FALSE;
  double total = seconds_since(t0);
  report_run(b, out, "close_seconds", "%.3f", closed);
  report_run(b, out, "reconcile_seconds", "%.3f", total - closed);
  report_run(b, out, "seconds", "%.3f", total);
  report_run(b, out, "cpu_seconds", "%.3f", cpu_seconds() - cpu0);
  report_summary(b, out, &summary);
  return TRUE;
}

static gboolean
run_engine(Bench *b, const char *prefix, const char *path, GError **error)
{
  g_free(b->run_path);
  b->run_path = g_strdup(path);
  b->run_prefix = prefix;
  return run_phase(b, prefix, phase_engine, error);
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

/* The minimal anti-join as a child process: query time (.timer), wall time of the
 * process, its peak RSS and its answer. */
static gboolean
run_shell(Bench *b, const char *prefix, GError **error)
{
  g_autofree char *script = g_build_filename(b->dir, "antijoin.sql", NULL);
  g_autofree char *sql = g_strdup_printf(
      ".timer on\nSELECT count(*) FROM count_expected e WHERE e.count_id = %" G_GINT64_FORMAT
      " AND NOT EXISTS (SELECT 1 FROM count_find f WHERE f.count_id = e.count_id"
      " AND f.item_id = e.item_id);\n",
      b->count_id);
  if (!g_file_set_contents(script, sql, -1, error))
    return FALSE;
  int fds[2];
  if (pipe(fds) != 0)
    return errno_fail(error, "pipe");
  fflush(stdout);
  gint64 t0 = g_get_monotonic_time();
  pid_t pid = spawn_shell(b->db_path, script, fds[1]);
  close(fds[1]);
  if (pid < 0)
    return errno_fail(error, "fork");
  g_autoptr(GString) text = g_string_new(NULL);
  read_all(fds[0], text);
  int status = wait_child(b, pid, prefix);
  double wall = seconds_since(t0), real = 0, cpu = 0;
  gint64 count = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      !parse_shell(text->str, &count, &real, &cpu)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s", SQLITE3_SHELL, text->str);
    return FALSE;
  }
  g_autofree char *k1 = g_strdup_printf("%s_query_seconds", prefix);
  g_autofree char *k2 = g_strdup_printf("%s_process_seconds", prefix);
  g_autofree char *k3 = g_strdup_printf("%s_cpu_seconds", prefix);
  g_autofree char *k4 = g_strdup_printf("%s_missing", prefix);
  g_autofree char *v1 = g_strdup_printf("%.3f", real), *v2 = g_strdup_printf("%.3f", wall);
  g_autofree char *v3 = g_strdup_printf("%.3f", cpu);
  g_autofree char *v4 = g_strdup_printf("%" G_GINT64_FORMAT, count);
  record(b, k1, v1);
  record(b, k2, v2);
  record(b, k3, v3);
  record(b, k4, v4);
  return TRUE;
}

/* ---- the run ----------------------------------------------------------------------- */

static const char *
fs_name(const char *dir)
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

static const char *
verdict(gboolean ok)
{
  return ok ? "ok" : "MISSED";
}

/* The engine and the shell must agree with what the feed left out. */
static gboolean
answers_agree(Bench *b)
{
  return result(b, "engine_kind_missing") == b->n_missing &&
         result(b, "shell_missing") == b->n_missing &&
         result(b, "engine_kind_unknown_marking") == b->n_unknown && result(b, "again_new") == 0 &&
         result(b, "again_discrepancies") == result(b, "engine_discrepancies");
}

static void
print_summary(Bench *b)
{
  double engine = result(b, "engine_seconds"), shell = result(b, "shell_query_seconds");
  double ratio = shell > 0 ? engine / shell : 0;
  gboolean ok_time = engine < GOAL_SECONDS, ok_ratio = ratio <= GOAL_RATIO,
           agree = answers_agree(b);
  printf("engine_vs_shell=%.3f\ngoal_time=%s\ngoal_ratio=%s\nanswers_agree=%s\n", ratio,
         verdict(ok_time), verdict(ok_ratio), agree ? "yes" : "NO");
  printf("\n== Reconcile: %" G_GINT64_FORMAT " items, %.0f scans (%" G_GINT64_FORMAT
         " missing, %" G_GINT64_FORMAT " unknown), temp dir on %s ==\n",
         b->n_items, result(b, "setup_ingest_scans"), b->n_missing, b->n_unknown, fs_name(b->dir));
  printf("setup   import %.1f s (%.0f items/s), count start %.2f s, ingest %.1f s "
         "(%.0f scans/s), database %.0f MiB\n",
         result(b, "import_seconds"), result(b, "import_items_per_s"),
         result(b, "count_start_seconds"), result(b, "setup_ingest_seconds"),
         result(b, "setup_ingest_scans_per_s"), result(b, "db_mib"));
  printf("engine  close %.3f s + reconcile %.3f s = %.3f s (cpu %.3f s; warm-up run %.3f s)"
         "   goal < %.1f s: %s\n",
         result(b, "engine_close_seconds"), result(b, "engine_reconcile_seconds"), engine,
         result(b, "engine_cpu_seconds"), result(b, "warmup_seconds"), GOAL_SECONDS,
         verdict(ok_time));
  printf("shell   anti-join %.3f s (process %.3f s; first run %.3f s); engine/shell = %.2f"
         "   goal <= %.1f: %s\n",
         shell, result(b, "shell_process_seconds"), result(b, "shell_first_query_seconds"), ratio,
         GOAL_RATIO, verdict(ok_ratio));
  printf("again   reconcile of the reconciled count %.3f s, %.0f new (idempotent)\n",
         result(b, "again_seconds"), result(b, "again_new"));
  printf("found   missing %.0f (shell %.0f), unknown_marking %.0f, %.0f discrepancies in "
         "all: %s\n",
         result(b, "engine_kind_missing"), result(b, "shell_missing"),
         result(b, "engine_kind_unknown_marking"), result(b, "engine_discrepancies"),
         agree ? "as planted" : "MISMATCH");
  printf("peak RSS engine reconcile %.0f MiB, sqlite3 shell %.0f MiB, setup %.0f MiB\n",
         result(b, "engine_peak_rss_kib") / 1024, result(b, "shell_peak_rss_kib") / 1024,
         result(b, "setup_peak_rss_kib") / 1024);
  if (!ok_time || !ok_ratio || !agree)
    printf("RESULT: MISSED (see the goals above)\n");
  else
    printf("RESULT: all reconcile goals met\n");
}

static gboolean
run(Bench *b, GError **error)
{
  printf("bench=reconcile\nitems=%" G_GINT64_FORMAT "\nmissing=%" G_GINT64_FORMAT
         "\nunknown=%" G_GINT64_FORMAT "\nseed=%u\ndir=%s\nfilesystem=%s\nsqlite_version=%s\n",
         b->n_items, b->n_missing, b->n_unknown, b->seed, b->dir, fs_name(b->dir),
         sqlite3_libversion());
  if (!run_phase(b, "generate", phase_generate, error) ||
      !run_phase(b, "setup", phase_setup, error))
    return FALSE;
  b->count_id = (gint64)result(b, "count_id");
  /* Each twice, the second reported; "again" re-reconciles the reconciled count. */
  return run_shell(b, "shell_first", error) && run_engine(b, "warmup", b->warm_path, error) &&
         run_engine(b, "engine", b->db_path, error) && run_shell(b, "shell", error) &&
         run_engine(b, "again", b->db_path, error);
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
bench_clear(Bench *b)
{
  g_free(b->dir);
  g_free(b->csv_path);
  g_free(b->feed_path);
  g_free(b->db_path);
  g_free(b->warm_path);
  g_free(b->run_path);
  g_hash_table_unref(b->results);
}

int
main(int argc, char **argv)
{
  gint64 items = 1000000, missing = 300, unknown = 300;
  gboolean quick = FALSE, keep = FALSE;
  gint seed = 3;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
      {"items", 0, 0, G_OPTION_ARG_INT64, &items, "Items in the register (1000000)", "N"},
      {"missing", 0, 0, G_OPTION_ARG_INT64, &missing, "Items never scanned (300)", "N"},
      {"unknown", 0, 0, G_OPTION_ARG_INT64, &unknown, "Unknown markings scanned (300)", "N"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "100000 items", NULL},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &parent,
       "Where the temp folder goes (must be a "
       "real disk; default $TMPDIR or /tmp)",
       "DIR"},
      {"seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed of the feed", "N"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder", NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- benchmark reconciliation");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    g_printerr("muster-bench-reconcile: %s\n", error->message);
    return 2;
  }
  if (quick)
    items = 100000;
  Bench b = {.n_items = MAX(items, 1000),
             .seed = (guint32)seed,
             .results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)};
  b.n_missing = CLAMP(missing, 0, b.n_items / 2);
  b.n_unknown = CLAMP(unknown, 0, 9999999);
  g_autofree char *tmpl =
      g_build_filename(parent ? parent : g_get_tmp_dir(), "muster-bench-XXXXXX", NULL);
  b.dir = g_strdup(tmpl);
  if (g_mkdtemp(b.dir) == NULL) {
    g_printerr("muster-bench-reconcile: cannot create %s: %s\n", tmpl, g_strerror(errno));
    bench_clear(&b);
    return 1;
  }
  b.csv_path = g_build_filename(b.dir, "register.csv", NULL);
  b.feed_path = g_build_filename(b.dir, "feed.txt", NULL);
  b.db_path = g_build_filename(b.dir, "reconcile.db", NULL);
  b.warm_path = g_build_filename(b.dir, "warmup.db", NULL);
  gboolean ok = run(&b, &error);
  if (ok)
    print_summary(&b);
  else
    g_printerr("muster-bench-reconcile: FAILED: %s\n", error->message);
  if (!keep)
    rm_rf(b.dir);
  bench_clear(&b);
  return ok ? 0 : 1;
}
