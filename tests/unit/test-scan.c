/*
 * test-scan.c: parsing scan-feed lines. No database: the parser is pure.
 *
 * The rule under test is "never reject": every line that is not blank and not a
 * location change becomes a scan, garbage included, with its raw bytes kept and a
 * problem that says what is wrong.
 */
#include "scan/scan.h"
#include "scan/scan-json.h"

#include <string.h>

static MusterScan *
parse(const char *line, gsize len, char **location)
{
  g_autoptr(GError) error = NULL;
  char *loc = NULL;
  MusterScan *scan = muster_scan_parse_line(line, len, "test-reader", &loc, &error);
  g_assert_no_error(error);
  if (location != NULL)
    *location = loc;
  else
    g_free(loc);
  return scan;
}

static MusterScan *
parse_str(const char *line)
{
  g_autofree char *loc = NULL;
  MusterScan *scan = parse(line, strlen(line), &loc);
  g_assert_null(loc);
  g_assert_nonnull(scan);
  return scan;
}

static void
assert_raw(const MusterScan *scan, const void *want, gsize want_len)
{
  g_assert_nonnull(scan->raw);
  gsize len = 0;
  const void *data = g_bytes_get_data(scan->raw, &len);
  g_assert_cmpmem(data, len, want, want_len);
}

static void
assert_problem(const MusterScan *scan, const char *fragment)
{
  g_assert_nonnull(scan->problem);
  if (strstr(scan->problem, fragment) == NULL)
    g_error("problem '%s' does not mention '%s'", scan->problem, fragment);
}

static void
test_plain_serial(void)
{
  g_autoptr(MusterScan) scan = parse_str("  gl-123456 \r\n");
  g_assert_cmpstr(scan->marking_value, ==, "GL-123456");
  g_assert_cmpstr(scan->text, ==, "  gl-123456 ");
  assert_raw(scan, "  gl-123456 ", 12);
  g_assert_cmpstr(scan->reader, ==, "test-reader");
  g_assert_cmpstr(scan->reader_kind, ==, "manual");
  g_assert_null(scan->marking_kind);
  g_assert_null(scan->location_path);
  g_assert_null(scan->problem);
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_UNKNOWN);
  g_assert_cmpint(scan->read_at_us, >, 0);
}

static void
test_plain_uid(void)
{
  g_autoptr(MusterScan) scan = parse_str("04:a1:b2:c3:d4:e5:f6");
  g_assert_cmpstr(scan->marking_value, ==, "04A1B2C3D4E5F6");
  g_autoptr(MusterScan) spaced = parse_str("04 A1 B2 C3");
  g_assert_cmpstr(spaced->marking_value, ==, "04A1B2C3");
  /* a serial with one inner space keeps it */
  g_autoptr(MusterScan) serial = parse_str("ab 12");
  g_assert_cmpstr(serial->marking_value, ==, "AB 12");
}

static void
test_default_reader(void)
{
  g_autofree char *loc = NULL;
  g_autoptr(MusterScan) scan = muster_scan_parse_line("X1", 2, NULL, &loc, NULL);
  g_assert_cmpstr(scan->reader, ==, "stdin");
}

static void
test_blank_and_location(void)
{
  char *loc = NULL;
  g_assert_null(parse("", 0, &loc));
  g_assert_null(loc);
  g_assert_null(parse(" \t\r\n", 4, &loc));
  g_assert_null(loc);

  g_assert_null(parse("@R1/A/03\n", 9, &loc));
  g_assert_cmpstr(loc, ==, "R1/A/03");
  g_clear_pointer(&loc, g_free);
  g_assert_null(parse("  @ R1/A ", 9, &loc));
  g_assert_cmpstr(loc, ==, "R1/A");
  g_clear_pointer(&loc, g_free);
  /* "@" alone: back to the count's scope */
  g_assert_null(parse("@", 1, &loc));
  g_assert_cmpstr(loc, ==, "");
  g_clear_pointer(&loc, g_free);
  /* the JSON form of a location change: "location" and nothing read */
  const char *json_loc = "{\"location\": \"R2/C\", \"reader\": \"pn532-0\"}";
  g_assert_null(parse(json_loc, strlen(json_loc), &loc));
  g_assert_cmpstr(loc, ==, "R2/C");
  g_clear_pointer(&loc, g_free);
  /* with a value it is a scan taken there */
  const char *json_scan = "{\"location\": \"R2/C\", \"value\": \"GL-1\"}";
  g_autoptr(MusterScan) at = parse(json_scan, strlen(json_scan), &loc);
  g_assert_null(loc);
  g_assert_nonnull(at);
  g_assert_cmpstr(at->location_path, ==, "R2/C");
  g_assert_cmpstr(at->marking_value, ==, "GL-1");

  /* a location line that is not text is garbage, kept as a scan */
  g_autoptr(MusterScan) bad = parse("@R1\xff", 4, &loc);
  g_assert_null(loc);
  g_assert_nonnull(bad);
  g_assert_null(bad->marking_value);
  assert_problem(bad, "UTF-8");
}

static void
test_json_every_field(void)
{
  const char *line =
      "{\"value\": \"04:a1:b2:c3\", \"kind\": \"hf_uid\", \"reader\": \"pn532:/dev/ttyS0\","
      " \"reader_kind\": \"nfc\", \"symbology\": \"ntag215\", \"group\": \"chk-7\","
      " \"component\": \"barrel\", \"location\": \" R1/A \","
      " \"read_at\": \"2026-11-25T20:14:57.123Z\", \"authenticity\": \"not_genuine\","
      " \"raw_hex\": \"04 A1 B2 C3\", \"unknown_field\": [1, 2]}";
  g_autoptr(MusterScan) scan = parse_str(line);
  g_assert_null(scan->problem);
  g_assert_cmpstr(scan->marking_value, ==, "04A1B2C3");
  g_assert_cmpstr(scan->marking_kind, ==, "hf_uid");
  g_assert_cmpstr(scan->text, ==, "04:a1:b2:c3");
  g_assert_cmpstr(scan->reader, ==, "pn532:/dev/ttyS0");
  g_assert_cmpstr(scan->reader_kind, ==, "nfc");
  g_assert_cmpstr(scan->symbology, ==, "ntag215");
  g_assert_cmpstr(scan->check_group, ==, "chk-7");
  g_assert_cmpstr(scan->component, ==, "barrel");
  g_assert_cmpstr(scan->location_path, ==, "R1/A");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_NOT_GENUINE);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601("2026-11-25T20:14:57.123Z", NULL);
  g_assert_cmpint(scan->read_at_us, ==, g_date_time_to_unix(dt) * G_USEC_PER_SEC + 123000);
  const guint8 raw[] = {0x04, 0xA1, 0xB2, 0xC3};
  assert_raw(scan, raw, sizeof raw);
}

static void
test_json_raw_only(void)
{
  /* a tag id given only as raw bytes: the hex is the marking */
  g_autoptr(MusterScan) uid = parse_str("{\"raw_hex\": \"04a1b2c3\", \"kind\": \"hf_uid\"}");
  g_assert_null(uid->problem);
  g_assert_cmpstr(uid->marking_value, ==, "04A1B2C3");
  /* a barcode given as raw bytes: the bytes are the text */
  g_autoptr(MusterScan) code = parse_str("{\"raw_hex\": \"474c2d31\"}");
  g_assert_cmpstr(code->text, ==, "GL-1");
  g_assert_cmpstr(code->marking_value, ==, "GL-1");
  assert_raw(code, "GL-1", 4);
  /* raw bytes that are not text are kept, the scan is unreadable */
  g_autoptr(MusterScan) bin = parse_str("{\"raw_hex\": \"ff00\"}");
  g_assert_null(bin->marking_value);
  assert_raw(bin, "\xff\x00", 2);
  assert_problem(bin, "raw_hex");
}

static void
test_json_value_keeps_raw(void)
{
  g_autoptr(MusterScan) scan = parse_str("{\"value\": \"gl-5\"}");
  g_assert_cmpstr(scan->marking_value, ==, "GL-5");
  assert_raw(scan, "gl-5", 4);
}

static void
test_json_bad_kind(void)
{
  g_autoptr(MusterScan) scan = parse_str("{\"value\": \"GL-1\", \"kind\": \"tattoo\"}");
  g_assert_null(scan->marking_value);
  g_assert_cmpstr(scan->text, ==, "GL-1");
  assert_problem(scan, "kind 'tattoo'");
  /* a known kind whose value does not fit */
  g_autoptr(MusterScan) odd = parse_str("{\"value\": \"04A\", \"kind\": \"hf_uid\"}");
  g_assert_null(odd->marking_value);
  g_assert_cmpstr(odd->marking_kind, ==, "hf_uid");
  assert_problem(odd, "HF tag UID");
}

static void
test_json_bad_optional_fields(void)
{
  g_autoptr(MusterScan) scan = parse_str(
      "{\"value\": \"GL-1\", \"component\": \"stock\", \"authenticity\": \"maybe\","
      " \"read_at\": \"yesterday\", \"reader\": 7}");
  /* the marking is still read; each bad field is named */
  g_assert_cmpstr(scan->marking_value, ==, "GL-1");
  g_assert_null(scan->component);
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_UNKNOWN);
  g_assert_cmpstr(scan->reader, ==, "test-reader");
  assert_problem(scan, "component 'stock'");
  assert_problem(scan, "authenticity 'maybe'");
  assert_problem(scan, "read_at 'yesterday'");
  assert_problem(scan, "\"reader\" must be a string");
}

static void
test_json_broken(void)
{
  const char *line = "{\"value\": \"GL-1\"";
  g_autoptr(MusterScan) scan = parse_str(line);
  g_assert_null(scan->marking_value);
  g_assert_null(scan->text);
  assert_problem(scan, "not valid JSON");
  assert_raw(scan, line, strlen(line));

  g_autoptr(MusterScan) empty = parse_str("{}");
  g_assert_null(empty->marking_value);
  assert_problem(empty, "neither");

  g_autoptr(MusterScan) number = parse_str("{\"value\": 42}");
  g_assert_null(number->marking_value);
  assert_problem(number, "\"value\" must be a string");

  const char bad_utf8[] = "{\"value\": \"\xc3\x28\"}";
  g_autoptr(MusterScan) bad = parse(bad_utf8, sizeof bad_utf8 - 1, NULL);
  g_assert_null(bad->marking_value);
  assert_problem(bad, "UTF-8");
  assert_raw(bad, bad_utf8, sizeof bad_utf8 - 1);
}

static void
test_huge_line(void)
{
  gsize len = 10000;
  g_autofree char *line = g_malloc(len);
  memset(line, 'A', len);
  g_autoptr(MusterScan) scan = parse(line, len, NULL);
  g_assert_nonnull(scan);
  g_assert_null(scan->marking_value);
  g_assert_cmpuint(g_bytes_get_size(scan->raw), ==, 4096);
  assert_raw(scan, line, 4096);
  assert_problem(scan, "10000 bytes");
  assert_problem(scan, "4096");

  /* just over the marking limit but under 4 KiB: kept whole, too long to be a marking */
  g_autofree char *long_serial = g_strnfill(300, 'B');
  g_autoptr(MusterScan) lng = parse_str(long_serial);
  g_assert_null(lng->marking_value);
  g_assert_cmpuint(g_bytes_get_size(lng->raw), ==, 300);
  assert_problem(lng, "300 characters");
}

static void
test_nul_and_bad_utf8(void)
{
  const char nul[] = "AB\0CD";
  g_autoptr(MusterScan) scan = parse(nul, 5, NULL);
  g_assert_null(scan->marking_value);
  g_assert_null(scan->text);
  assert_raw(scan, nul, 5);
  assert_problem(scan, "The line has a NUL byte at offset 2");

  const char bad[] = "GL\xff\xfe-1";
  g_autoptr(MusterScan) u = parse(bad, sizeof bad - 1, NULL);
  g_assert_null(u->marking_value);
  g_assert_null(u->text);
  assert_raw(u, bad, sizeof bad - 1);
  assert_problem(u, "byte 0xFF at offset 2");
}

static void
test_iso15434_decoded(void)
{
  /* [)> RS 06 GS 18SABC123 RS EOT: a MIL-STD-130 UII (CAGE + serial) in a Data Matrix,
   * typed in by a keyboard-wedge scanner */
  const char data[] = "[)>\x1e" "06\x1d" "18SABC123\x1e\x04";
  g_autoptr(MusterScan) scan = parse(data, sizeof data - 1, NULL);
  g_assert_cmpstr(scan->marking_value, ==, "DABC123");
  g_assert_cmpstr(scan->marking_kind, ==, "datamatrix_uii");
  g_assert_null(scan->problem);
  g_assert_cmpstr(scan->text, ==, data); /* GS, RS, EOT kept */
  assert_raw(scan, data, sizeof data - 1);

  /* the same through JSON escapes */
  g_autoptr(MusterScan) json =
      parse_str("{\"value\": \"[)>\\u001e06\\u001d18SABC123\\u001e\\u0004\", "
                "\"symbology\": \"datamatrix\"}");
  g_assert_cmpstr(json->text, ==, data);
  g_assert_cmpstr(json->marking_value, ==, "DABC123");
  g_assert_cmpstr(json->marking_kind, ==, "datamatrix_uii");

  /* a GS1 Data Matrix from a wedge scanner that sends AIM identifiers */
  const char gs1[] = "]d28004061414112345\x1d" "90RACK-7";
  g_autoptr(MusterScan) g = parse(gs1, sizeof gs1 - 1, NULL);
  g_assert_cmpstr(g->marking_value, ==, "061414112345");
  g_assert_cmpstr(g->marking_kind, ==, "datamatrix_uii");
  g_assert_cmpstr(g->payload_format, ==, "gs1");
  g_assert_null(g->problem);
  /* the same from a wedge at its factory settings (no identifier, no FNC1 first): the
   * older GS1 form, the same marking (docs/scan-data.md) */
  const char bare[] = "8004061414112345\x1d" "90RACK-7";
  g_autoptr(MusterScan) u = parse(bare, sizeof bare - 1, NULL);
  g_assert_cmpstr(u->marking_value, ==, "061414112345");
  g_assert_cmpstr(u->payload_format, ==, "gs1");

  /* a scanner that dropped the EOT: read, and the problem says so */
  const char no_eot[] = "[)>\x1e" "06\x1d" "18SABC123\x1e";
  g_autoptr(MusterScan) n = parse(no_eot, sizeof no_eot - 1, NULL);
  g_assert_cmpstr(n->marking_value, ==, "DABC123");
  assert_problem(n, "EOT");
}

static void
test_iso15434_unreadable(void)
{
  /* elements that make no UII: unreadable, the raw data kept, the problem says why */
  const char data[] = "[)>\x1e" "06\x1d" "1P1234\x1e\x04";
  g_autoptr(MusterScan) scan = parse(data, sizeof data - 1, NULL);
  g_assert_null(scan->marking_value);
  g_assert_null(scan->marking_kind);
  g_assert_cmpstr(scan->text, ==, data);
  assert_raw(scan, data, sizeof data - 1);
  assert_problem(scan, "make no UII");

  /* separators without a header */
  const char stray[] = "GL-1\x1d" "X";
  g_autoptr(MusterScan) s = parse(stray, sizeof stray - 1, NULL);
  g_assert_null(s->marking_value);
  assert_problem(s, "GS/RS/EOT");

  /* the header but a tab instead of the separators */
  g_autoptr(MusterScan) tab = parse_str("[)>\t06\t18SABC123");
  g_assert_null(tab->marking_value);
  assert_problem(tab, "lacks its GS/RS/EOT separators");
}

static void
test_control_character(void)
{
  g_autoptr(MusterScan) scan = parse_str("GL\t123");
  g_assert_null(scan->marking_value);
  g_assert_cmpstr(scan->text, ==, "GL\t123");
  assert_problem(scan, "U+0009 at position 3");
}

static void
test_authenticity_strings(void)
{
  g_assert_cmpstr(muster_authenticity_to_string(MUSTER_AUTH_UNKNOWN), ==, "unknown");
  g_assert_cmpstr(muster_authenticity_to_string(MUSTER_AUTH_GENUINE), ==, "genuine");
  g_assert_cmpstr(muster_authenticity_to_string(MUSTER_AUTH_NOT_GENUINE), ==, "not_genuine");
  g_assert_cmpstr(muster_authenticity_to_string((MusterAuthenticity)99), ==, "unknown");
  g_autoptr(MusterScan) scan =
      parse_str("{\"value\": \"GL-1\", \"authenticity\": \"genuine\"}");
  g_assert_cmpint(scan->authenticity, ==, MUSTER_AUTH_GENUINE);
  muster_scan_free(NULL);
}

/* A 15434 scan as `readers watch --json` prints it: the parsed marking, the format and
 * the data elements, the raw bytes in hex, the separators kept in text. A copy of the
 * scan says the same. */
static void
test_json_carries_payload(void)
{
  const char line[] = "[)>\x1e" "06\x1d" "25SDABC123\x1e\x04";
  g_autofree char *loc = NULL;
  g_autoptr(MusterScan) parsed = muster_scan_parse_line(line, sizeof line - 1, "wedge", &loc, NULL);
  g_autoptr(MusterScan) scan = muster_scan_copy(parsed);
  g_autoptr(JsonNode) node = muster_scan_to_json(scan);
  JsonObject *o = json_node_get_object(node);
  g_assert_cmpstr(json_object_get_string_member(o, "type"), ==, "scan");
  g_assert_cmpstr(json_object_get_string_member(o, "payload_format"), ==, "iso15434");
  JsonObject *fields = json_object_get_object_member(o, "fields");
  g_assert_nonnull(fields);
  g_assert_cmpstr(json_object_get_string_member(fields, "25S"), ==, "DABC123");
  JsonObject *marking = json_object_get_object_member(o, "marking");
  g_assert_cmpstr(json_object_get_string_member(marking, "kind"), ==, "datamatrix_uii");
  g_assert_cmpstr(json_object_get_string_member(marking, "value"), ==, "DABC123");
  g_assert_cmpstr(json_object_get_string_member(o, "raw_hex"), ==,
                  "5B293E1E30361D323553444142433132331E04");
  g_autofree char *visible = muster_scan_visible_text(scan->text);
  g_assert_cmpstr(visible, ==, "[)><RS>06<GS>25SDABC123<RS><EOT>");
}

/* The GS1 Data Matrix a scanner with AIM identifiers sends, as every feed form carries
 * it: one marking, the identifier read as one (docs/scan-data.md). */
static void
assert_gs1_line(const MusterScan *scan, const char *data)
{
  g_assert_cmpstr(scan->text, ==, data);
  g_assert_cmpstr(scan->symbology, ==, "gs1-datamatrix");
  g_assert_cmpstr(scan->payload_format, ==, "gs1");
  g_assert_cmpstr(scan->marking_kind, ==, "datamatrix_uii");
  g_assert_cmpstr(scan->marking_value, ==, "09506000134352ABC");
  g_assert_null(scan->problem);
}

static void
test_aim_identifiers(void)
{
  const char plain[] = "]d20109506000134352" "21ABC";
  g_autoptr(MusterScan) p = parse(plain, sizeof plain - 1, NULL);
  assert_gs1_line(p, "0109506000134352" "21ABC");
  assert_raw(p, plain, sizeof plain - 1);

  const char gs[] = "]d20109506000134352" "10L1\x1d" "21ABC";
  g_autoptr(MusterScan) g = parse(gs, sizeof gs - 1, NULL);
  assert_gs1_line(g, "0109506000134352" "10L1\x1d" "21ABC");
  g_assert_cmpstr(g_hash_table_lookup(g->fields, "10"), ==, "L1");

  g_autoptr(MusterScan) json =
      parse_str("{\"value\": \"]d20109506000134352" "10L1\\u001d21ABC\"}");
  assert_gs1_line(json, "0109506000134352" "10L1\x1d" "21ABC");

  /* "]d2" "0109506000134352" "21ABC" in hex */
  g_autoptr(MusterScan) hex =
      parse_str("{\"raw_hex\": \"5D6432303130393530363030303133343335323231414243\"}");
  assert_gs1_line(hex, "0109506000134352" "21ABC");
  assert_raw(hex, plain, sizeof plain - 1);

  /* GS1's engine refuses a wrong check digit: kept, unmarked, the reason said */
  g_autoptr(MusterScan) bad = parse_str("]d20109506000134353" "21ABC");
  g_assert_null(bad->marking_value);
  g_assert_cmpstr(bad->payload_format, ==, "gs1");
  assert_problem(bad, "GS1 data failed GS1's checks: AI (01)");

  /* an identifier with an unknown code character: kept, said, never a serial */
  g_autoptr(MusterScan) unknown = parse_str("]w1GL-123456");
  g_assert_null(unknown->marking_value);
  assert_problem(unknown, "\"]w1\"");
  assert_raw(unknown, "]w1GL-123456", 12);

  /* a Code 128 serial with its identifier is the serial, not "]C0GL-123456" */
  g_autoptr(MusterScan) code128 = parse_str("]C0gl-123456");
  g_assert_cmpstr(code128->marking_value, ==, "GL-123456");
  g_assert_cmpstr(code128->symbology, ==, "code128");
  g_assert_cmpstr(code128->text, ==, "gl-123456");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/scan/plain-serial", test_plain_serial);
  g_test_add_func("/scan/plain-uid", test_plain_uid);
  g_test_add_func("/scan/default-reader", test_default_reader);
  g_test_add_func("/scan/blank-and-location", test_blank_and_location);
  g_test_add_func("/scan/json-every-field", test_json_every_field);
  g_test_add_func("/scan/json-raw-only", test_json_raw_only);
  g_test_add_func("/scan/json-value-keeps-raw", test_json_value_keeps_raw);
  g_test_add_func("/scan/json-bad-kind", test_json_bad_kind);
  g_test_add_func("/scan/json-bad-optional-fields", test_json_bad_optional_fields);
  g_test_add_func("/scan/json-broken", test_json_broken);
  g_test_add_func("/scan/huge-line", test_huge_line);
  g_test_add_func("/scan/nul-and-bad-utf8", test_nul_and_bad_utf8);
  g_test_add_func("/scan/iso15434-decoded", test_iso15434_decoded);
  g_test_add_func("/scan/iso15434-unreadable", test_iso15434_unreadable);
  g_test_add_func("/scan/control-character", test_control_character);
  g_test_add_func("/scan/authenticity-strings", test_authenticity_strings);
  g_test_add_func("/scan/json-carries-payload", test_json_carries_payload);
  g_test_add_func("/scan/aim-identifiers", test_aim_identifiers);
  return g_test_run();
}
