/*
 * test-gs1.c: GS1 scan data judged by GS1's Barcode Syntax Engine, and what the payload
 * parser makes of each verdict.
 *
 * Each case is scan data as docs/scan-data.md defines it (AIM identifier, no leading FNC1,
 * GS separators) with the engine's verdict and a piece of its reason. A valid case must
 * give a clean marking; a failing one must keep the scan (format "gs1", the engine's
 * reason in problem) and give no marking. Keys are GS1's own samples (GTIN
 * 09506000134352, 00614141999996, SSCC 376104250021234569, GIAI 061414112345, GRAI
 * 00614141000418).
 */
#include "core/muster-error.h"
#include "gs1-cases.h"
#include "marking/gs1-syntax.h"
#include "marking/gs1.h"
#include "marking/payload.h"

#include <string.h>

typedef struct {
  const char *scan;
  gboolean valid;
  const char *why; /* a piece of the engine's message, or the marking when valid */
} VerdictCase;

static const VerdictCase cases[] = {
    /* valid, with each GS1 identifier */
    {"]d20109506000134352" "21ABC123", TRUE, "09506000134352ABC123"},
    {"]C10109506000134352" "10LOT7\x1d" "21ABC123", TRUE, "09506000134352ABC123"},
    {"]Q30100614141999996" "21SN-0001", TRUE, "00614141999996SN-0001"},
    {"]e00109506000134352" "17240229" "21X", TRUE, "09506000134352X"},
    {"]J18004061414112345", TRUE, "061414112345"},
    /* failures, each a rule of GS1's */
    {"]d20109506000134353" "21ABC", FALSE, "check digit is incorrect"},
    {"]d2010950600013435" , FALSE, "incorrect length"},
    {"]d20109506000134352" "04123", FALSE, "No known AI"},
    {"]d20109506000134352" "17251332" "21X", FALSE, "illegal month"},
    {"]d20109506000134352" "21ABCDEFGHIJKLMNOPQRSTU", FALSE, "AI (21) data is too long"},
    {"]d221ABC123", FALSE, "Required AIs for AI (21)"},
    {"]d20109506000134352" "0209506000134352", FALSE, "invalid to pair AI (02) with AI (01)"},
    {"]d20109506000134352" "21AB CD", FALSE, "CSET 82"},
    /* (10) then (21) without the GS between them: the lot swallows the serial */
    {"]d20109506000134352" "10ABCDEFGHIJKLMNOPQR" "21XYZ", FALSE, "AI (10) data is too long"},
    {"]d20100614141999996\x1d" "21A\x1d" "21B", FALSE, "different values"},
    {"]d28004A", FALSE, "GS1 Company Prefix"},
};

static void
test_verdicts(void)
{
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    const VerdictCase *c = &cases[i];
    g_test_message("case %u: %s", i, c->scan);
    g_autoptr(MusterGs1Verdict) verdict = muster_gs1_syntax_check(c->scan, strlen(c->scan));
    g_assert_cmpint(verdict->valid, ==, c->valid);
    g_autoptr(MusterPayload) p =
        muster_payload_parse_barcode((const guint8 *)c->scan, strlen(c->scan), NULL);
    g_assert_cmpint(p->format, ==, MUSTER_PAYLOAD_GS1);
    if (c->valid) {
      g_assert_null(verdict->message);
      g_assert_null(p->problem);
      g_assert_cmpstr(p->value, ==, c->why);
    } else {
      g_assert_nonnull(strstr(verdict->message, c->why));
      g_assert_cmpuint(g_hash_table_size(verdict->ais), ==, 0);
      g_assert_null(p->value);
      g_assert_null(p->fields);
      g_assert_nonnull(p->problem);
      g_assert_true(g_str_has_prefix(p->problem, "GS1 data failed GS1's checks: "));
      g_assert_nonnull(strstr(p->problem, c->why));
    }
  }
}

static void
test_fields(void)
{
  g_autoptr(GHashTable) f = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  const char *s = "0109506000134352" "17201225" "10ABC123\x1d" "21SN-0001";
  g_assert_true(muster_gs1_parse(s, strlen(s), f, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(g_hash_table_size(f), ==, 4);
  g_assert_cmpstr(g_hash_table_lookup(f, "01"), ==, "09506000134352");
  g_assert_cmpstr(g_hash_table_lookup(f, "17"), ==, "201225");
  g_assert_cmpstr(g_hash_table_lookup(f, "10"), ==, "ABC123");
  g_assert_cmpstr(g_hash_table_lookup(f, "21"), ==, "SN-0001");

  /* GRAI with its serial; a GS after a predefined-length AI is tolerated */
  g_autoptr(GHashTable) g = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  const char *grai = "800300614141000418A12\x1d";
  g_assert_true(muster_gs1_parse(grai, strlen(grai), g, &error));
  g_assert_cmpstr(g_hash_table_lookup(g, "8003"), ==, "00614141000418A12");
}

static void
test_failure_adds_nothing(void)
{
  g_autoptr(GHashTable) f = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  GError *error = NULL;
  const char *s = "0109506000134352" "17201325";
  g_assert_false(muster_gs1_parse(s, strlen(s), f, &error));
  g_assert_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID);
  g_assert_nonnull(strstr(error->message, "(17)"));
  g_assert_nonnull(strstr(error->message, "bad part between bars: (17)20|13|25"));
  g_assert_cmpuint(g_hash_table_size(f), ==, 0);
  g_clear_error(&error);

  /* the engine's message quotes the data; it comes out valid UTF-8 whatever the bytes */
  g_autoptr(MusterGs1Verdict) bytes = muster_gs1_syntax_check("]d22\xb1" "ABC", 8);
  g_assert_false(bytes->valid);
  g_assert_true(g_utf8_validate(bytes->message, -1, NULL));
  g_assert_nonnull(strstr(bytes->message, "No known AI"));

  /* bytes the engine cannot take are refused, not cut at the NUL */
  g_autoptr(MusterGs1Verdict) nul = muster_gs1_syntax_check("]d2" "21A\0B", 8);
  g_assert_false(nul->valid);
  g_assert_nonnull(strstr(nul->message, "NUL"));
}

static gpointer
check_on_thread(gpointer data)
{
  for (int i = 0; i < 200; i++) {
    g_autoptr(MusterGs1Verdict) v = muster_gs1_syntax_check(data, strlen(data));
    if (!v->valid || g_strcmp0(g_hash_table_lookup(v->ais, "21"), "ABC") != 0)
      return GINT_TO_POINTER(FALSE);
  }
  return GINT_TO_POINTER(TRUE);
}

/* Readers run on threads: each has its own engine context. */
static void
test_threads(void)
{
  GThread *threads[4];
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
    threads[i] = g_thread_new("gs1", check_on_thread, "]d20109506000134352" "21ABC");
  for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
    g_assert_true(GPOINTER_TO_INT(g_thread_join(threads[i])));
}

/* tests/data/gs1/scan-cases.tsv, the cases bench-gs1-verdicts counts: each verdict in it
 * is the vendored engine's, and Muster's payload parser agrees with every one. */
static void
test_cases_file(void)
{
  g_autofree char *path = g_build_filename(g_getenv("MUSTER_TEST_DATA"), "gs1",
                                           "scan-cases.tsv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) file = gs1_cases_load(path, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(file->len, >=, 40);
  guint valid = 0;
  for (guint i = 0; i < file->len; i++) {
    const Gs1Case *c = file->pdata[i];
    g_test_message("line %u: %s", c->line, c->why);
    g_autoptr(MusterGs1Verdict) v =
        muster_gs1_syntax_check((const char *)c->scan->data, c->scan->len);
    g_assert_cmpint(v->valid, ==, c->valid);
    g_assert_cmpint(gs1_case_muster_valid(c->scan), ==, c->valid);
    valid += c->valid;
  }
  /* both verdicts are well represented */
  g_assert_cmpuint(valid, >=, 15);
  g_assert_cmpuint(file->len - valid, >=, 15);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/gs1/verdicts", test_verdicts);
  g_test_add_func("/gs1/fields", test_fields);
  g_test_add_func("/gs1/failure-adds-nothing", test_failure_adds_nothing);
  g_test_add_func("/gs1/threads", test_threads);
  g_test_add_func("/gs1/cases-file", test_cases_file);
  return g_test_run();
}
