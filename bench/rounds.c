/*
 * bench/rounds.c: the best of a benchmark's rounds (see rounds.h).
 *
 * Best of a few rounds, not the median: on a machine that may be busy, the best is the
 * run least disturbed, and taking it for every side of a comparison (engine and shell
 * alike) keeps the comparison fair. Every round's figure stays printed beside it.
 */
#include "rounds.h"

#include <stdarg.h>

void
bench_record_key(BenchHarness *h, const char *prefix, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *value = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_autofree char *name = g_strdup_printf("%s_%s", prefix, key);
  bench_record(h, name, value);
}

void
bench_report_key(GString *out, const char *prefix, const char *key, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *value = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_string_append_printf(out, "%s_%s=%s\n", prefix, key, value);
}

double
bench_round_result(BenchHarness *h, const char *name, gint k, const char *key)
{
  g_autofree char *full = g_strdup_printf("%s%d_%s", name, k, key);
  return bench_result(h, full);
}

gint
bench_record_best(BenchHarness *h, const char *name, gint rounds, const char *key, gboolean highest)
{
  double best = NAN;
  gint from = 1;
  for (gint k = 1; k <= rounds; k++) {
    double v = bench_round_result(h, name, k, key);
    if (!(v > 0)) {
      best = NAN;
      break;
    }
    if (k == 1 || (highest ? v > best : v < best)) {
      best = v;
      from = k;
    }
  }
  bench_record_key(h, name, key, "%.3f", best);
  return from;
}

char *
bench_round_list(BenchHarness *h, const char *name, gint rounds, const char *key)
{
  GString *s = g_string_new(NULL);
  for (gint k = 1; k <= rounds; k++)
    g_string_append_printf(s, "%s%.3f", k > 1 ? " " : "", bench_round_result(h, name, k, key));
  return g_string_free(s, FALSE);
}
