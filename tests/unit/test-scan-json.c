/*
 * test-scan-json.c: the fast reading of flat JSON scan lines changes nothing.
 *
 * scan.c reads a flat object of plain string members itself and leaves every other
 * JSON line to json-glib. Each line here is compared with its twin, the same object
 * with one more member holding a \u escape: the twin always goes to json-glib, and the
 * parser ignores the extra member, so both must give the same scan. Lines the fast
 * reader must refuse are checked against json-glib's verdict on them.
 */
#include <string.h>

#include "scan/scan.h"

static MusterScan *
parse(const char *line, char **location)
{
  return muster_scan_parse_line(line, strlen(line), "test-reader", location, NULL);
}

/* line with "tw\u0069n": "1" added as its first member */
static char *
twin_of(const char *line)
{
  const char *brace = strchr(line, '{');
  g_assert_nonnull(brace);
  const char *next = brace + 1 + strspn(brace + 1, " \t");
  return g_strdup_printf("%.*s\"tw\\u0069n\": \"1\"%s%s", (int)(brace + 1 - line), line,
                         *next == '}' ? " " : ", ", brace + 1);
}

static void
assert_bytes_equal(GBytes *a, GBytes *b)
{
  g_assert_true((a == NULL) == (b == NULL));
  if (a != NULL)
    g_assert_true(g_bytes_equal(a, b));
}

static void
assert_same_scan(const char *line)
{
  g_autofree char *twin = twin_of(line);
  g_autofree char *loc = NULL, *twin_loc = NULL;
  g_autoptr(MusterScan) a = parse(line, &loc);
  g_autoptr(MusterScan) b = parse(twin, &twin_loc);
  g_test_message("%s", line);
  g_assert_cmpstr(loc, ==, twin_loc);
  g_assert_true((a == NULL) == (b == NULL));
  if (a == NULL)
    return;
  g_assert_cmpstr(a->reader, ==, b->reader);
  g_assert_cmpstr(a->reader_kind, ==, b->reader_kind);
  g_assert_cmpstr(a->symbology, ==, b->symbology);
  g_assert_cmpstr(a->text, ==, b->text);
  g_assert_cmpstr(a->marking_kind, ==, b->marking_kind);
  g_assert_cmpstr(a->marking_value, ==, b->marking_value);
  g_assert_cmpstr(a->check_group, ==, b->check_group);
  g_assert_cmpstr(a->component, ==, b->component);
  g_assert_cmpstr(a->location_path, ==, b->location_path);
  g_assert_cmpint(a->authenticity, ==, b->authenticity);
  g_assert_cmpstr(a->problem, ==, b->problem);
  /* a valid read_at is the time; otherwise it is when the line was parsed */
  if (strstr(line, "read_at") != NULL && (a->problem == NULL || !strstr(a->problem, "read_at")))
    g_assert_cmpint(a->read_at_us, ==, b->read_at_us);
  /* raw is the value's or raw_hex's bytes, or else the line itself (which differs) */
  g_autoptr(GBytes) whole = g_bytes_new_static(line, strlen(line));
  g_autoptr(GBytes) twin_whole = g_bytes_new_static(twin, strlen(twin));
  if (g_bytes_equal(a->raw, whole))
    assert_bytes_equal(b->raw, twin_whole);
  else
    assert_bytes_equal(a->raw, b->raw);
}

static void
test_flat_lines_as_json_glib(void)
{
  static const char *const lines[] = {
      "{\"value\":\"GL-0000001\"}",
      "{\"value\":\"04A1B2C3D4E5F6\",\"kind\":\"hf_uid\",\"reader\":\"nfc-1\","
      "\"reader_kind\":\"nfc\",\"symbology\":\"ntag215\"}",
      "{\"value\": \"04:a1:b2:c3\", \"kind\": \"hf_uid\", \"reader\": \"pn532:/dev/ttyS0\","
      " \"reader_kind\": \"nfc\", \"symbology\": \"ntag215\", \"group\": \"chk-7\","
      " \"component\": \"barrel\", \"location\": \" R1/A \","
      " \"read_at\": \"2026-11-25T20:14:57.123Z\", \"authenticity\": \"not_genuine\","
      " \"raw_hex\": \"04 A1 B2 C3\"}",
      "{\"value\": \"GL-1\", \"component\": \"stock\", \"authenticity\": \"maybe\","
      " \"read_at\": \"yesterday\"}",
      "{\"location\": \" R2/C \", \"reader\": \"pn532-0\"}",
      "{\"location\": \"R2/C\", \"value\": \"GL-1\"}",
      "{\"value\": \"GL-1\", \"kind\": \"tattoo\"}",
      "{\"value\": \"04A\", \"kind\": \"hf_uid\"}",
      "{\"raw_hex\": \"04a1b2c3\", \"kind\": \"hf_uid\"}",
      "{\"raw_hex\": \"474c2d31\"}",
      "{\"raw_hex\": \"ff00\"}",
      "{\"raw_hex\": \"4g\"}",
      "{\"kind\": \"hf_uid\"}",
      "{}",
      "  {\t\"value\" :\t\"gl-5\" , \"kind\" : \"engraved_serial\" }  ",
      "{\"value\": \"  \"}",
      "{\"value\": \"[)>\"}",
  };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
    assert_same_scan(lines[i]);
  /* as many members as the fast reader takes, and one more */
  for (int extra = 14; extra <= 15; extra++) {
    g_autoptr(GString) many = g_string_new("{\"value\": \"GL-7\"");
    for (int i = 0; i < extra; i++)
      g_string_append_printf(many, ", \"x%d\": \"%d\"", i, i);
    g_string_append(many, ", \"reader\": \"last-one\"}");
    assert_same_scan(many->str);
    g_autoptr(MusterScan) scan = parse(many->str, NULL);
    g_assert_cmpstr(scan->reader, ==, "last-one");
    g_assert_cmpstr(scan->marking_value, ==, "GL-7");
  }
}

/* Not JSON: the fast reader must not take them, and json-glib refuses them. */
static void
test_broken_lines_stay_broken(void)
{
  static const char *const lines[] = {
      "{\"value\": \"GL-1\",}",   "{\"value\": }",          "{\"value\": \"GL-1\"} x",
      "{\"value\": \"GL-1\"",     "{\"value\" \"GL-1\"}",   "{\"value\": \"GL-1\"}}",
      "{\"value\": \"GL-1\" , }", "{,\"value\": \"GL-1\"}", "{\"value\": \"GL-1\" \"kind\": \"x\"}",
  };
  for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
    g_test_message("%s", lines[i]);
    g_autoptr(MusterScan) scan = parse(lines[i], NULL);
    g_assert_nonnull(scan);
    g_assert_null(scan->marking_value);
    g_assert_nonnull(strstr(scan->problem, "not valid JSON"));
    g_assert_cmpmem(g_bytes_get_data(scan->raw, NULL), g_bytes_get_size(scan->raw), lines[i],
                    strlen(lines[i]));
  }
}

/* JSON that only json-glib reads, with its answers: the fast reader left them alone. */
static void
test_other_json_read_by_json_glib(void)
{
  /* a repeated name: the last one counts */
  g_autoptr(MusterScan) dup = parse("{\"value\": \"GL-1\", \"value\": \"GL-2\"}", NULL);
  g_assert_cmpstr(dup->marking_value, ==, "GL-2");
  /* escapes */
  g_autoptr(MusterScan) esc = parse("{\"value\": \"GL-\\u0031\\/2\"}", NULL);
  g_assert_cmpstr(esc->text, ==, "GL-1/2");
  /* an empty name is just another member */
  g_autoptr(MusterScan) empty = parse("{\"\": \"x\", \"value\": \"GL-3\"}", NULL);
  g_assert_cmpstr(empty->marking_value, ==, "GL-3");
  /* non-ASCII text */
  g_autoptr(MusterScan) utf8 = parse("{\"value\": \"GL-\xc3\x84\"}", NULL);
  g_assert_cmpstr(utf8->text, ==, "GL-\xc3\x84");
  /* other member types */
  g_autoptr(MusterScan) num = parse("{\"value\": 42}", NULL);
  g_assert_null(num->marking_value);
  g_assert_nonnull(strstr(num->problem, "\"value\" must be a string"));
  g_autoptr(MusterScan) nul = parse("{\"value\": \"GL-4\", \"reader\": null}", NULL);
  g_assert_cmpstr(nul->marking_value, ==, "GL-4");
  g_assert_cmpstr(nul->reader, ==, "test-reader");
  g_assert_null(nul->problem);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/scan-json/flat-lines-as-json-glib", test_flat_lines_as_json_glib);
  g_test_add_func("/scan-json/broken-lines-stay-broken", test_broken_lines_stay_broken);
  g_test_add_func("/scan-json/other-json-read-by-json-glib", test_other_json_read_by_json_glib);
  return g_test_run();
}
