/*
 * bench-ingest.c: scans per second through the real ingest path, against a raw SQLite
 * insert loop of the same rows (issue 2, benchmark 1). See bench/README.md.
 *
 * Shape, and why:
 *  - Every phase (generate the data, set up the register, ingest, raw loop) runs in a
 *    forked child, so that each phase's peak memory is the child's own ru_maxrss and
 *    one phase's heap never inflates the next one's figure. Children report key=value
 *    lines through a pipe; the parent prints them and judges the goals.
 *  - The ingest loop is what `muster count scan` does: parse each line with
 *    muster_scan_parse_line(), muster_ingest_add(), and flush whenever
 *    muster_ingest_due(ingest, 50 ms) says so (that includes a full batch), asking for
 *    the per-scan results the CLI prints. Reading and parsing the feed are inside the
 *    timing; generating it is not.
 *  - Latency of a scan is from muster_ingest_add() to the return of the flush that
 *    committed it: after that the scan is on disk (WAL, synchronous=FULL).
 *  - The baseline is a copy of the same database taken before the ingest (same
 *    register, users and count, so the foreign keys of a scan row hold), opened through
 *    muster_store_open() for the same pragmas. Into it go the very scan rows the engine
 *    stored, read back beforehand, with one prepared INSERT, in transactions of exactly
 *    the engine's batch sizes. That is the floor SQLite itself sets for storing those
 *    rows durably; everything else the engine does (marking lookup, dedupe, finds,
 *    results, audit seal) is what the ratio measures.
 *  - Phases use muster_users_get() rather than authenticating: argon2id's 64 MiB would
 *    otherwise dominate every phase's peak memory.
 *
 * Only this file touches SQL outside db/, and only for the baseline (which is SQL by
 * definition) and to read back the rows it replays.
 */
#include "db/counts.h"
#include "db/ingest.h"
#include "db/items.h"
#include "db/store.h"
#include "db/users.h"
#include "scan/scan.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define GOAL_RATE 100000.0   /* scans per second */
#define GOAL_RATIO 0.5       /* of the raw loop */
#define GOAL_LATENCY_MS 50.0 /* add -> committed, every scan */
#define MAX_WAIT_US 50000    /* what muster_ingest_due() is asked */
#define ITEMS_PER_RACK 1000
#define RACKS_PER_ROOM 50

typedef struct {
  gint64 n_items;
  gint64 n_scans;
  guint32 seed;
  char *dir;
  char *csv_path;
  char *feed_path;
  char *db_path;
  char *raw_path;
  char *batches_path;
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

static double
result(Bench *b, const char *key)
{
  const char *v = g_hash_table_lookup(b->results, key);
  return v != NULL ? g_ascii_strtod(v, NULL) : 0.0;
}

/* Sets error from errno after a failed system call on what. */
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

/* User + system CPU seconds of this process so far: with wall time, it tells waiting
 * (fsync, a busy machine) from working. */
static double
cpu_seconds(void)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
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
record(Bench *b, const char *key, const char *value)
{
  printf("%s=%s\n", key, value);
  fflush(stdout);
  g_hash_table_replace(b->results, g_strdup(key), g_strdup(value));
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

/* Every other item carries an HF tag. Its 7-byte UID is 04 and 48 bits of an odd
 * multiple of i: a bijection, so UIDs never collide; 05... never occurs (unknown tags). */
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

static gboolean
item_issued(gint64 i)
{
  return i % 200 == 7;
}

static void
item_location(char *buf, gsize len, gint64 i)
{
  gint64 rack = i / ITEMS_PER_RACK;
  g_snprintf(buf, len, "R%02" G_GINT64_FORMAT "/K%03" G_GINT64_FORMAT, rack / RACKS_PER_ROOM + 1,
             rack % RACKS_PER_ROOM + 1);
}

static void
write_csv_row(FILE *f, gint64 i)
{
  const Model *m = item_model(i);
  char serial[32], loc[32];
  item_serial(serial, sizeof serial, i);
  item_location(loc, sizeof loc, i);
  gboolean issued = item_issued(i);
  int year = (int)(1990 + i % 34);
  char import_year[8] = "";
  if (i % 10 == 3)
    g_snprintf(import_year, sizeof import_year, "%d", year + 1);
  fprintf(f, "%s,%s,%s,%s,%s,%s,%d,%s,%s,,%s,%s,%s,%s,", m->manufacturer, m->country, serial,
          m->model, m->category, m->calibre, year, *import_year ? "NG" : "", import_year,
          m->material, issued ? "issued" : "in_store", issued ? "" : loc,
          issued ? "2nd Company" : "");
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
  if (fclose(f) != 0)
    return errno_fail(error, path);
  return TRUE;
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

static const char *const garbage_lines[] = {
    "GL-00\0011234",                                      /* a control character */
    "\xff\xfeGL-0000001",                                 /* not UTF-8 */
    "{\"value\":\"GL-0000001\",\"kind\":\"laser_etch\"}", /* a misconfigured reader */
    "{\"value\":\"GL-0000001\"",                          /* broken JSON */
    "\035\036[)>06\03518SGL0000001\004",                  /* ISO/IEC 15434, undecoded */
};

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
  if (r >= 90)
    fprintf(f,
            "{\"value\":\"%s\",\"kind\":\"engraved_serial\",\"reader\":\"usb-1\","
            "\"reader_kind\":\"usb-hid\",\"symbology\":\"code128\"}\n",
            serial);
  else
    fprintf(f, "%s\n", serial);
}

static void
write_unknown(FILE *f, GRand *rand)
{
  guint32 x = g_rand_int(rand);
  if (x % 2 == 0)
    fprintf(f, "XX-%07u\n", x % 10000000u);
  else
    fprintf(f, "05:%02X:%02X:%02X:%02X:11:22\n", x >> 24, (x >> 16) & 0xff, (x >> 8) & 0xff,
            x & 0xff);
}

/* Mix per line: 0.5% garbage, 1% unknown, 4% a repeat of a recent item, the rest the
 * next item of the walk. */
static gboolean
write_feed(const char *path, gint64 n_items, gint64 n_scans, guint32 seed, GError **error)
{
  FILE *f = fopen(path, "w");
  if (f == NULL)
    return errno_fail(error, path);
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  g_autofree gint64 *order = walk_order(rand, n_items);
  gint64 recent[64] = {0}, next = 0;
  for (gint64 s = 0; s < n_scans; s++) {
    guint r = (guint)g_rand_int_range(rand, 0, 1000);
    gint64 repeat = recent[g_rand_int_range(rand, 0, 64)];
    if (r < 5)
      fprintf(f, "%s\n", garbage_lines[s % G_N_ELEMENTS(garbage_lines)]);
    else if (r < 15)
      write_unknown(f, rand);
    else if ((r < 55 || next >= n_items) && repeat != 0)
      write_known(f, rand, repeat);
    else {
      gint64 i = order[next++ % n_items];
      recent[s % 64] = i;
      write_known(f, rand, i);
    }
  }
  if (fclose(f) != 0)
    return errno_fail(error, path);
  return TRUE;
}

static gboolean
phase_generate(Bench *b, GString *out, GError **error)
{
  gint64 t0 = g_get_monotonic_time();
  if (!write_csv(b->csv_path, b->n_items, error) ||
      !write_feed(b->feed_path, b->n_items, b->n_scans, b->seed, error))
    return FALSE;
  report(out, "generate_seconds", "%.3f", seconds_since(t0));
  return TRUE;
}

/* ---- setup: the register, the users, the count ------------------------------------- */

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
  report(out, "import_locations", "%" G_GINT64_FORMAT, res.locations_created);
  return TRUE;
}

static gboolean
start_count(MusterStore *store, const MusterUser *counter, const MusterUser *witness, GString *out,
            GError **error)
{
  const char *const scope[] = {"", NULL};
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(MusterCount) count = muster_counts_start(store, counter, witness, scope, FALSE, error);
  if (count == NULL)
    return FALSE;
  report(out, "count_start_seconds", "%.3f", seconds_since(t0));
  report(out, "count_id", "%" G_GINT64_FORMAT, count->id);
  report(out, "count_expected", "%" G_GINT64_FORMAT, count->expected);
  return TRUE;
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
  if (witness == NULL || !import_register(b, store, admin, out, error) ||
      !start_count(store, admin, witness, out, error))
    return FALSE;
  /* Closing the last connection checkpoints the WAL into the file; then the copy for
   * the baseline holds exactly what ingest starts from. */
  g_clear_pointer(&store, muster_store_free);
  g_autoptr(GFile) src = g_file_new_for_path(b->db_path);
  g_autoptr(GFile) dst = g_file_new_for_path(b->raw_path);
  if (!g_file_copy(src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    return FALSE;
  GStatBuf st;
  if (g_stat(b->db_path, &st) == 0)
    report(out, "db_mib_before_ingest", "%.1f", (double)st.st_size / (1024 * 1024));
  return TRUE;
}

/* ---- ingest through the engine ----------------------------------------------------- */

typedef struct {
  MusterIngest *ingest;
  GArray *results;     /* MusterIngestResult */
  GArray *pending_t;   /* gint64: when each queued scan was added */
  guint32 *latency_us; /* one per scan */
  gint64 n_latency;
  GArray *batches; /* guint32 sizes, for the baseline */
  gint64 outcomes[MUSTER_OUTCOME_AMBIGUOUS + 1];
  gint64 flush_us_total;
  gint64 flush_us_max;
} Feed;

static gboolean
feed_flush(Feed *f, GError **error)
{
  guint n = muster_ingest_pending(f->ingest);
  if (n == 0)
    return TRUE;
  gint64 t0 = g_get_monotonic_time();
  if (!muster_ingest_flush(f->ingest, f->results, error))
    return FALSE;
  gint64 done = g_get_monotonic_time();
  for (guint i = 0; i < f->pending_t->len; i++)
    f->latency_us[f->n_latency++] = (guint32)(done - g_array_index(f->pending_t, gint64, i));
  g_array_set_size(f->pending_t, 0);
  for (guint i = 0; i < f->results->len; i++)
    f->outcomes[g_array_index(f->results, MusterIngestResult, i).outcome]++;
  g_array_set_size(f->results, 0);
  guint32 size = n;
  g_array_append_val(f->batches, size);
  f->flush_us_total += done - t0;
  f->flush_us_max = MAX(f->flush_us_max, done - t0);
  return TRUE;
}

/* One feed line, as `muster count scan` handles it. */
static gboolean
feed_line(Feed *f, const char *line, gsize len, GError **error)
{
  g_autofree char *location = NULL;
  g_autoptr(MusterScan) scan = muster_scan_parse_line(line, len, "bench", &location, NULL);
  if (scan == NULL) {
    /* A location line: scans queued so far were taken at the previous place. */
    return location == NULL ||
           (feed_flush(f, error) && muster_ingest_set_location(f->ingest, location, error));
  }
  gint64 t = g_get_monotonic_time();
  muster_ingest_add(f->ingest, scan);
  g_array_append_val(f->pending_t, t);
  return !muster_ingest_due(f->ingest, MAX_WAIT_US) || feed_flush(f, error);
}

static gboolean
feed_file(Feed *f, const char *path, GError **error)
{
  FILE *in = fopen(path, "r");
  if (in == NULL)
    return errno_fail(error, path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  gboolean ok = TRUE;
  while (ok && (len = getline(&line, &cap, in)) >= 0)
    ok = feed_line(f, line, (gsize)len, error);
  free(line);
  fclose(in);
  return ok && feed_flush(f, error);
}

static int
cmp_u32(const void *a, const void *b)
{
  guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
  return x < y ? -1 : x > y;
}

static void
report_latency(Feed *f, GString *out)
{
  if (f->n_latency == 0)
    return;
  qsort(f->latency_us, (size_t)f->n_latency, sizeof(guint32), cmp_u32);
  gint64 n = f->n_latency;
  report(out, "latency_median_ms", "%.2f", f->latency_us[(n - 1) / 2] / 1000.0);
  report(out, "latency_p99_ms", "%.2f", f->latency_us[(n - 1) * 99 / 100] / 1000.0);
  report(out, "latency_max_ms", "%.2f", f->latency_us[n - 1] / 1000.0);
}

static void
report_feed(Feed *f, GString *out, gint64 scans, double secs)
{
  report(out, "ingest_scans", "%" G_GINT64_FORMAT, scans);
  report(out, "ingest_seconds", "%.3f", secs);
  report(out, "ingest_scans_per_s", "%.0f", (double)scans / secs);
  report(out, "ingest_batches", "%u", f->batches->len);
  report(out, "ingest_mean_batch", "%.0f", (double)scans / MAX(f->batches->len, 1));
  report(out, "flush_mean_ms", "%.2f", f->flush_us_total / 1000.0 / MAX(f->batches->len, 1));
  report(out, "flush_max_ms", "%.2f", f->flush_us_max / 1000.0);
  report_latency(f, out);
  for (int o = 0; o <= MUSTER_OUTCOME_AMBIGUOUS; o++) {
    g_autofree char *key = g_strdup_printf("outcome_%s", muster_outcome_to_string(o));
    report(out, key, "%" G_GINT64_FORMAT, f->outcomes[o]);
  }
}

/* What the count itself says now, read through the engine: the figures must add up. */
static gboolean
check_count(Bench *b, MusterStore *store, gint64 scans, GString *out, GError **error)
{
  g_autoptr(MusterCount) c = muster_counts_get_by_id(store, b->count_id, error);
  if (c == NULL)
    return FALSE;
  report(out, "count_scans", "%" G_GINT64_FORMAT, c->scans);
  report(out, "count_found", "%" G_GINT64_FORMAT, c->found);
  if (c->scans != scans) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                "the count holds %" G_GINT64_FORMAT " scans, but %" G_GINT64_FORMAT
                " were acknowledged",
                c->scans, scans);
    return FALSE;
  }
  return TRUE;
}

static gboolean
write_batches(Bench *b, GArray *batches, GError **error)
{
  return g_file_set_contents(b->batches_path, batches->data,
                             (gssize)(batches->len * sizeof(guint32)), error);
}

static gboolean
phase_ingest(Bench *b, GString *out, GError **error)
{
  g_autoptr(MusterStore) store = muster_store_open(b->db_path, error);
  if (store == NULL)
    return FALSE;
  g_autoptr(MusterUser) admin = muster_users_get(store, "admin", error);
  if (admin == NULL)
    return FALSE;
  g_autoptr(MusterIngest) ingest = muster_ingest_new(store, admin, b->count_id, error);
  if (ingest == NULL)
    return FALSE;
  g_autoptr(GArray) results = g_array_new(FALSE, TRUE, sizeof(MusterIngestResult));
  g_array_set_clear_func(results, (GDestroyNotify)muster_ingest_result_clear);
  g_autoptr(GArray) pending_t = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GArray) batches = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autofree guint32 *latency = g_new0(guint32, b->n_scans + 1);
  Feed f = {.ingest = ingest,
            .results = results,
            .pending_t = pending_t,
            .latency_us = latency,
            .batches = batches};
  double cpu0 = cpu_seconds();
  gint64 t0 = g_get_monotonic_time();
  if (!feed_file(&f, b->feed_path, error))
    return FALSE;
  double secs = seconds_since(t0);
  report_feed(&f, out, f.n_latency, secs);
  report(out, "ingest_cpu_seconds", "%.3f", cpu_seconds() - cpu0);
  return check_count(b, store, f.n_latency, out, error) && write_batches(b, batches, error);
}

/* ---- the baseline: the same rows, one prepared INSERT ------------------------------- */

#define RAW_COLS 17
static const char sql_raw_insert[] =
    "INSERT INTO scan (count_id, reader, reader_kind, symbology, raw, text, marking_kind, "
    "marking_value, check_group, component, location_id, read_at, stored_at, authenticity, "
    "outcome, item_id, item_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* One stored scan row, column by column as SQLite returned it. */
typedef struct {
  int type[RAW_COLS];
  gint64 i[RAW_COLS];
  const char *s[RAW_COLS]; /* text or blob, in the rows' string chunk */
  int len[RAW_COLS];
} RawRow;

static gboolean
sqlite_failed(sqlite3 *db, const char *doing, GError **error)
{
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", doing, sqlite3_errmsg(db));
  return FALSE;
}

static void
take_row(sqlite3_stmt *st, RawRow *row, GStringChunk *chunk)
{
  for (int c = 0; c < RAW_COLS; c++) {
    row->type[c] = sqlite3_column_type(st, c);
    if (row->type[c] == SQLITE_INTEGER) {
      row->i[c] = sqlite3_column_int64(st, c);
    } else if (row->type[c] == SQLITE_TEXT || row->type[c] == SQLITE_BLOB) {
      const void *p = row->type[c] == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, c)
                                                  : sqlite3_column_blob(st, c);
      row->len[c] = sqlite3_column_bytes(st, c);
      row->s[c] = g_string_chunk_insert_len(chunk, p != NULL ? p : "", row->len[c]);
    }
  }
}

/* The rows the engine stored, in order, read before the timing starts. */
static gboolean
load_rows(Bench *b, GArray *rows, GStringChunk *chunk, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  gboolean ok = FALSE;
  if (sqlite3_open_v2(b->db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db,
                         "SELECT count_id, reader, reader_kind, symbology, raw, text, "
                         "marking_kind, marking_value, check_group, component, location_id, "
                         "read_at, stored_at, authenticity, outcome, item_id, item_status "
                         "FROM scan WHERE count_id = ? ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK) {
    sqlite_failed(db, "Reading the stored scans", error);
    goto out;
  }
  sqlite3_bind_int64(st, 1, b->count_id);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    g_array_set_size(rows, rows->len + 1);
    take_row(st, &g_array_index(rows, RawRow, rows->len - 1), chunk);
  }
  ok = rc == SQLITE_DONE || sqlite_failed(db, "Reading the stored scans", error);
out:
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}

static void
bind_row(sqlite3_stmt *st, const RawRow *row)
{
  for (int c = 0; c < RAW_COLS; c++) {
    switch (row->type[c]) {
    case SQLITE_INTEGER: sqlite3_bind_int64(st, c + 1, row->i[c]); break;
    case SQLITE_TEXT: sqlite3_bind_text(st, c + 1, row->s[c], row->len[c], SQLITE_STATIC); break;
    case SQLITE_BLOB: sqlite3_bind_blob(st, c + 1, row->s[c], row->len[c], SQLITE_STATIC); break;
    default: sqlite3_bind_null(st, c + 1); break;
    }
  }
}

static gboolean
insert_batch(sqlite3 *db, sqlite3_stmt *st, const RawRow *rows, guint n, GError **error)
{
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_failed(db, "BEGIN", error);
  for (guint k = 0; k < n; k++) {
    bind_row(st, &rows[k]);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
      sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
      return sqlite_failed(db, "INSERT", error);
    }
  }
  if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_failed(db, "COMMIT", error);
  return TRUE;
}

static gboolean
insert_rows(sqlite3 *db, GArray *rows, const guint32 *batches, gsize n_batches, GError **error)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v3(db, sql_raw_insert, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
    return sqlite_failed(db, "Preparing the INSERT", error);
  gsize at = 0;
  gboolean ok = TRUE;
  for (gsize k = 0; ok && k < n_batches && at < rows->len; k++) {
    guint n = MIN(batches[k], rows->len - at);
    ok = insert_batch(db, st, &g_array_index(rows, RawRow, at), n, error);
    at += n;
  }
  sqlite3_finalize(st);
  return ok;
}

static gboolean
phase_raw(Bench *b, GString *out, GError **error)
{
  g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(RawRow));
  GStringChunk *chunk = g_string_chunk_new(1 << 20);
  g_autofree char *batch_data = NULL;
  gsize batch_len = 0;
  gboolean ok = load_rows(b, rows, chunk, error) &&
                g_file_get_contents(b->batches_path, &batch_data, &batch_len, error);
  g_autoptr(MusterStore) store = ok ? muster_store_open(b->raw_path, error) : NULL;
  if (store != NULL) {
    double cpu0 = cpu_seconds();
    gint64 t0 = g_get_monotonic_time();
    ok = insert_rows(muster_store_db(store), rows, (const guint32 *)batch_data,
                     batch_len / sizeof(guint32), error);
    double secs = seconds_since(t0);
    report(out, "raw_rows", "%u", rows->len);
    report(out, "raw_seconds", "%.3f", secs);
    report(out, "raw_cpu_seconds", "%.3f", cpu_seconds() - cpu0);
    report(out, "raw_rows_per_s", "%.0f", rows->len / secs);
  }
  g_string_chunk_free(chunk);
  return store != NULL && ok;
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

static void
print_summary(Bench *b)
{
  double rate = result(b, "ingest_scans_per_s"), raw = result(b, "raw_rows_per_s");
  double ratio = raw > 0 ? rate / raw : 0, lat_max = result(b, "latency_max_ms");
  gboolean ok_rate = rate >= GOAL_RATE, ok_ratio = ratio >= GOAL_RATIO,
           ok_lat = lat_max <= GOAL_LATENCY_MS;
  printf("ingest_vs_raw=%.3f\n", ratio);
  printf("goal_rate=%s\ngoal_ratio=%s\ngoal_latency=%s\n", verdict(ok_rate), verdict(ok_ratio),
         verdict(ok_lat));
  printf("\n== Ingest: %" G_GINT64_FORMAT " scans over a %" G_GINT64_FORMAT
         "-item register (temp dir on %s) ==\n",
         b->n_scans, b->n_items, fs_name(b->dir));
  printf("setup   import %.0f items in %.1f s (%.0f items/s), count start %.2f s\n",
         result(b, "import_items"), result(b, "import_seconds"), result(b, "import_items_per_s"),
         result(b, "count_start_seconds"));
  printf("engine  %.0f scans in %.2f s (cpu %.2f s) = %.0f scans/s in %.0f batches "
         "(mean %.0f)   goal >= %.0f: %s\n",
         result(b, "ingest_scans"), result(b, "ingest_seconds"), result(b, "ingest_cpu_seconds"),
         rate, result(b, "ingest_batches"), result(b, "ingest_mean_batch"), GOAL_RATE,
         verdict(ok_rate));
  printf("raw     %.0f rows in %.2f s (cpu %.2f s) = %.0f rows/s; engine/raw = %.2f   "
         "goal >= %.1f: %s\n",
         result(b, "raw_rows"), result(b, "raw_seconds"), result(b, "raw_cpu_seconds"), raw, ratio,
         GOAL_RATIO, verdict(ok_ratio));
  printf("latency add -> committed: median %.1f ms, p99 %.1f ms, max %.1f ms   "
         "goal max <= %.0f ms: %s\n",
         result(b, "latency_median_ms"), result(b, "latency_p99_ms"), lat_max, GOAL_LATENCY_MS,
         verdict(ok_lat));
  printf("outcomes accepted %.0f, duplicate %.0f, unknown %.0f, status_conflict %.0f, "
         "unreadable %.0f\n",
         result(b, "outcome_accepted"), result(b, "outcome_duplicate"),
         result(b, "outcome_unknown"), result(b, "outcome_status_conflict"),
         result(b, "outcome_unreadable"));
  printf("peak RSS setup %.0f MiB, ingest %.0f MiB, raw loop %.0f MiB (holds its rows)\n",
         result(b, "setup_peak_rss_kib") / 1024, result(b, "ingest_peak_rss_kib") / 1024,
         result(b, "raw_peak_rss_kib") / 1024);
  if (!ok_rate || !ok_ratio || !ok_lat)
    printf("RESULT: MISSED (see the goals above)\n");
  else
    printf("RESULT: all ingest goals met\n");
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
bench_paths(Bench *b)
{
  b->csv_path = g_build_filename(b->dir, "register.csv", NULL);
  b->feed_path = g_build_filename(b->dir, "feed.txt", NULL);
  b->db_path = g_build_filename(b->dir, "ingest.db", NULL);
  b->raw_path = g_build_filename(b->dir, "raw.db", NULL);
  b->batches_path = g_build_filename(b->dir, "batches.bin", NULL);
}

static void
bench_clear(Bench *b)
{
  g_free(b->dir);
  g_free(b->csv_path);
  g_free(b->feed_path);
  g_free(b->db_path);
  g_free(b->raw_path);
  g_free(b->batches_path);
  g_hash_table_unref(b->results);
}

static gboolean
run(Bench *b, GError **error)
{
  printf("bench=ingest\nitems=%" G_GINT64_FORMAT "\nscans=%" G_GINT64_FORMAT "\nseed=%u\n"
         "dir=%s\nfilesystem=%s\nsqlite_version=%s\n",
         b->n_items, b->n_scans, b->seed, b->dir, fs_name(b->dir), sqlite3_libversion());
  if (!run_phase(b, "generate", phase_generate, error) ||
      !run_phase(b, "setup", phase_setup, error))
    return FALSE;
  b->count_id = (gint64)result(b, "count_id");
  return run_phase(b, "ingest", phase_ingest, error) && run_phase(b, "raw", phase_raw, error);
}

int
main(int argc, char **argv)
{
  gint64 items = 1000000, scans = 0;
  gboolean quick = FALSE, keep = FALSE;
  gint seed = 2;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
      {"items", 0, 0, G_OPTION_ARG_INT64, &items, "Items in the register (1000000)", "N"},
      {"scans", 0, 0, G_OPTION_ARG_INT64, &scans, "Scans fed (as many as items)", "N"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "100000 items and scans", NULL},
      {"dir", 0, 0, G_OPTION_ARG_FILENAME, &parent,
       "Where the temp folder goes (must be a "
       "real disk; default $TMPDIR or /tmp)",
       "DIR"},
      {"seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed of the feed", "N"},
      {"keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the temp folder", NULL},
      {NULL}};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- benchmark scan ingest");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    g_printerr("muster-bench-ingest: %s\n", error->message);
    return 2;
  }
  if (quick)
    items = 100000;
  Bench b = {.n_items = MAX(items, 1000),
             .seed = (guint32)seed,
             .results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)};
  b.n_scans = scans > 0 ? scans : b.n_items;
  g_autofree char *tmpl =
      g_build_filename(parent ? parent : g_get_tmp_dir(), "muster-bench-XXXXXX", NULL);
  b.dir = g_strdup(tmpl);
  if (g_mkdtemp(b.dir) == NULL) {
    g_printerr("muster-bench-ingest: cannot create %s: %s\n", tmpl, g_strerror(errno));
    bench_clear(&b);
    return 1;
  }
  bench_paths(&b);
  gboolean ok = run(&b, &error);
  if (ok)
    print_summary(&b);
  else
    g_printerr("muster-bench-ingest: FAILED: %s\n", error->message);
  if (!keep)
    rm_rf(b.dir);
  bench_clear(&b);
  return ok ? 0 : 1;
}
