/*
 * bench-gs1-verdicts.c: how many of Muster's verdicts on GS1 scan data agree with GS1's
 * own (issue 13: "GS1 scan data with AIM identifiers: verdicts that agree with GS1's
 * engine, on cases kept aside": all).
 *
 * Shape, and why:
 *  - The cases are a file (bench/gs1-cases.h): by default the repository's
 *    tests/data/gs1/scan-cases.tsv, else $MUSTER_GS1_CASES or --cases, so cases kept aside
 *    (never seen while writing the code) are measured the same way.
 *  - Muster's verdict is muster_payload_parse_barcode()'s, the entry point every reader
 *    calls: valid when it gives a marking (or GS1 fields), invalid when it gives a problem
 *    and no marking. The expected verdict in the file is GS1's.
 *  - Each disagreement is listed on stderr with its line and note; the time per verdict is
 *    a side figure (median over every case, each parsed REPEATS times).
 *  - No cases file, or an empty one, is no figure: the goal is NOT MEASURED, never ok.
 */
#include "gs1-cases.h"
#include "harness.h"

#include <stdio.h>

#define REPEATS 20

static char *
cases_path(const char *option)
{
  if (option != NULL)
    return g_strdup(option);
  if (g_getenv("MUSTER_GS1_CASES") != NULL)
    return g_strdup(g_getenv("MUSTER_GS1_CASES"));
  return g_strdup(MUSTER_GS1_CASES_DEFAULT);
}

/* The median time of one verdict in µs over every case. */
static double
verdict_median_us(GPtrArray *cases)
{
  g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < cases->len; i++) {
    const Gs1Case *c = cases->pdata[i];
    gint64 t0 = g_get_monotonic_time();
    for (int r = 0; r < REPEATS; r++)
      (void)gs1_case_muster_valid(c->scan);
    double us = (double)(g_get_monotonic_time() - t0) / REPEATS;
    g_array_append_val(times, us);
  }
  return bench_percentile(times, 0.5);
}

static guint
count_agreeing(GPtrArray *cases, const char *path)
{
  guint agree = 0;
  for (guint i = 0; i < cases->len; i++) {
    const Gs1Case *c = cases->pdata[i];
    gboolean valid = gs1_case_muster_valid(c->scan);
    if (valid == c->valid) {
      agree++;
      continue;
    }
    g_autofree char *raw = g_strndup((const char *)c->scan->data, c->scan->len);
    g_autofree char *shown = g_strescape(raw, NULL);
    fprintf(stderr, "disagree: %s:%u %s: GS1 says %s, Muster %s (%s)\n", path, c->line, shown,
            c->valid ? "valid" : "invalid", valid ? "valid" : "invalid", c->why);
  }
  return agree;
}

int
main(int argc, char **argv)
{
  char *option = NULL;
  gboolean quick = FALSE;
  const GOptionEntry entries[] = {
      {"cases", 0, 0, G_OPTION_ARG_FILENAME, &option,
       "The cases file (default $MUSTER_GS1_CASES, else tests/data/gs1/scan-cases.tsv)",
       "FILE"},
      {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Accepted for bench/run.sh; changes nothing",
       NULL},
      {NULL}};
  if (!bench_parse_options("gs1-verdicts", "- Muster's verdicts on GS1 scan data against GS1's",
                           entries, &argc, &argv))
    return 2;
  g_autofree char *path = cases_path(option);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = gs1_cases_load(path, &error);
  printf("cases_file=%s\n", path);
  double agreeing = NAN;
  if (cases == NULL) {
    fprintf(stderr, "muster-bench-gs1-verdicts: %s\n", error->message);
  } else if (cases->len > 0) {
    guint agree = count_agreeing(cases, path);
    printf("cases=%u\nagree=%u\ndisagree=%u\n", cases->len, agree, cases->len - agree);
    printf("agree_percent=%.1f\n", 100.0 * agree / cases->len);
    printf("verdict_median_us=%.1f\n", verdict_median_us(cases));
    agreeing = agree;
  }
  bench_goal("all_verdicts_agree", agreeing, cases != NULL && agreeing == cases->len);
  bench_print_result(TRUE, "GS1 verdicts");
  g_free(option);
  return bench_goals_exit_status("gs1-verdicts");
}
