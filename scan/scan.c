/*
 * scan.c: the scan event and the parser of scan-feed lines.
 *
 * A feed line is whatever a reader, a keyboard-wedge scanner or a script produced, so
 * it may be any bytes. The parser never refuses a line: a count must keep everything it
 * was shown, and an unreadable scan is a fact to report, not an error to drop. What it
 * cannot turn into a marking becomes a scan with marking_value NULL and a problem saying
 * why, with the raw bytes kept (at most MUSTER_SCAN_RAW_MAX of them).
 *
 * Control characters are kept in text: GS, RS and EOT are the separators of ISO/IEC
 * 15434 and GS1 data (Data Matrix UIIs) and stripping them would destroy the evidence of
 * what was read. Text holding them goes to the payload parsers (marking/payload.h), so a
 * keyboard-wedge scan of an IUID Data Matrix gets its UII; what they cannot read stays
 * unreadable with their problem.
 *
 * A JSON line that is one flat object of plain ASCII strings (what readers send) is
 * read here directly; any other goes through json-glib (some 30,000 instructions a line).
 */
#include "scan/scan.h"
#include "marking/aim.h"
#include "marking/marking.h"
#include "marking/payload.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define MUSTER_SCAN_RAW_MAX 4096

MusterScan *
muster_scan_new(void)
{
  MusterScan *scan = g_new0(MusterScan, 1);
  scan->read_at_us = g_get_real_time();
  scan->read_mono_us = g_get_monotonic_time();
  return scan;
}

void
muster_scan_free(MusterScan *scan)
{
  if (scan == NULL)
    return;
  g_free(scan->reader);
  g_free(scan->reader_kind);
  g_free(scan->symbology);
  g_clear_pointer(&scan->raw, g_bytes_unref);
  g_free(scan->text);
  g_free(scan->marking_kind);
  g_free(scan->marking_value);
  g_free(scan->check_group);
  g_free(scan->component);
  g_free(scan->location_path);
  g_free(scan->problem);
  g_free(scan->payload_format);
  g_clear_pointer(&scan->fields, g_hash_table_unref);
  g_free(scan);
}

MusterScan *
muster_scan_copy(const MusterScan *scan)
{
  MusterScan *copy = g_memdup2(scan, sizeof *scan);
  copy->reader = g_strdup(scan->reader);
  copy->reader_kind = g_strdup(scan->reader_kind);
  copy->symbology = g_strdup(scan->symbology);
  copy->raw = scan->raw != NULL ? g_bytes_ref(scan->raw) : NULL;
  copy->text = g_strdup(scan->text);
  copy->marking_kind = g_strdup(scan->marking_kind);
  copy->marking_value = g_strdup(scan->marking_value);
  copy->check_group = g_strdup(scan->check_group);
  copy->component = g_strdup(scan->component);
  copy->location_path = g_strdup(scan->location_path);
  copy->problem = g_strdup(scan->problem);
  copy->payload_format = g_strdup(scan->payload_format);
  copy->fields = scan->fields != NULL ? g_hash_table_ref(scan->fields) : NULL; /* never changed */
  return copy;
}

MusterScan *
muster_scan_new_location(const char *path)
{
  MusterScan *scan = muster_scan_new();
  scan->location_path = g_strdup(path);
  return scan;
}

const char *
muster_scan_location_label(const MusterScan *scan)
{
  if (scan->raw == NULL && scan->text == NULL && scan->marking_value == NULL)
    return scan->location_path;
  if (scan->text != NULL && scan->text[0] == '@')
    return scan->text + 1;
  return NULL;
}

static const char *const authenticity_names[] = {"unknown", "genuine", "not_genuine"};

const MusterClosedList muster_authenticity_list = MUSTER_CLOSED_LIST(authenticity_names);

const char *
muster_authenticity_to_string(MusterAuthenticity a)
{
  return muster_closed_list_name(&muster_authenticity_list, a);
}

static gboolean
authenticity_from_string(const char *s, MusterAuthenticity *out)
{
  int i = muster_closed_list_find(&muster_authenticity_list, s);
  if (i >= 0)
    *out = (MusterAuthenticity)i;
  return i >= 0;
}

/* Adds one sentence to the scan's problem ("A. B"), always valid UTF-8. */
static void G_GNUC_PRINTF(2, 3)
add_problem(MusterScan *scan, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (!g_utf8_validate(msg, -1, NULL)) { /* a parser message quoting the bad bytes */
    char *valid = g_utf8_make_valid(msg, -1);
    g_free(msg);
    msg = valid;
  }
  char *joined = scan->problem == NULL ? g_steal_pointer(&msg)
                                       : g_strconcat(scan->problem, ". ", msg, NULL);
  g_free(scan->problem);
  scan->problem = joined;
}

/* Why bytes are not text (a NUL or bad UTF-8, with the offset), as a predicate for
 * "The line ..."; NULL when they are text. */
static char *
bytes_problem(const char *data, gsize len)
{
  const char *nul = memchr(data, '\0', len);
  if (nul != NULL)
    return g_strdup_printf("has a NUL byte at offset %" G_GSIZE_FORMAT, (gsize)(nul - data));
  const char *end = NULL;
  if (!g_utf8_validate_len(data, len, &end))
    return g_strdup_printf("is not valid UTF-8 text (byte 0x%02X at offset %" G_GSIZE_FORMAT
                           ")", (guint)(guchar)*end, (gsize)(end - data));
  return NULL;
}

static gboolean
is_15434_separator(gunichar c)
{
  return c == 0x1D || c == 0x1E || c == 0x04;
}

/* Why valid text is not a marking (normalise_any gave NULL). */
static void
describe_unmarking(MusterScan *scan, const char *text)
{
  guint pos = 1;
  gboolean all_space = TRUE;
  gboolean iso15434 = g_str_has_prefix(text, "[)>");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p), pos++) {
    gunichar c = g_utf8_get_char(p);
    if (iso15434 || is_15434_separator(c)) { /* "[)>" without its separators */
      add_problem(scan, "The text starts like ISO/IEC 15434 data but lacks its GS/RS/EOT "
                        "separators (a scanner set to drop control characters?); the raw "
                        "data is kept");
      return;
    }
    if (g_unichar_iscntrl(c)) {
      add_problem(scan, "The text has the control character U+%04X at position %u (a "
                        "scanner or keyboard-layout fault?); scan it again", c, pos);
      return;
    }
    if (!g_unichar_isspace(c))
      all_space = FALSE;
  }
  if (all_space)
    add_problem(scan, "The text is only white space");
  else if (pos - 1 > 256)
    add_problem(scan, "The text is %u characters long; a marking has at most 256", pos - 1);
  else
    add_problem(scan, "The text cannot be read as a marking");
}

void
muster_scan_take_payload(MusterScan *scan, MusterPayload *payload, gboolean set_marking)
{
  if (set_marking && payload->value != NULL) {
    g_free(scan->marking_kind);
    g_free(scan->marking_value);
    scan->marking_kind = g_strdup(muster_marking_kind_to_string(payload->kind));
    scan->marking_value = g_steal_pointer(&payload->value);
  }
  g_free(scan->payload_format);
  scan->payload_format = g_strdup(muster_payload_format_to_string(payload->format));
  g_clear_pointer(&scan->fields, g_hash_table_unref);
  scan->fields = g_steal_pointer(&payload->fields);
  if (payload->problem != NULL)
    add_problem(scan, "%s", payload->problem);
}

/* ISO/IEC 15434 or GS1 data (it holds GS, RS or EOT, or starts with an AIM symbology
 * identifier such as "]d2": docs/scan-data.md): the payload parsers' marking. */
static void
set_payload_marking(MusterScan *scan, const char *text)
{
  if (scan->symbology == NULL)
    scan->symbology = g_strdup(muster_aim_symbology(text));
  g_autoptr(MusterPayload) payload =
      muster_payload_parse_barcode((const guint8 *)text, strlen(text), scan->symbology);
  muster_scan_take_payload(scan, payload, TRUE);
}

/* Scan data for the payload parsers rather than a bare marking: separators, or an
 * identifier in front, which must be read as one and never become part of a serial. */
static gboolean
is_scan_data(const char *text)
{
  return strpbrk(text, "\x1d\x1e\x04") != NULL || text[0] == ']';
}

/* Fills text (taking it) and marking_value from text of unknown kind. */
static void
set_text_any(MusterScan *scan, char *text)
{
  g_free(scan->text);
  scan->text = text; /* taken: no copy per line */
  if (is_scan_data(text)) {
    set_payload_marking(scan, text);
    if (muster_aim_is_identifier(text, strlen(text))) /* text is the data alone */
      memmove(text, text + MUSTER_AIM_LEN, strlen(text + MUSTER_AIM_LEN) + 1);
    return;
  }
  scan->marking_value = muster_marking_normalise_any(text);
  if (scan->marking_value == NULL)
    describe_unmarking(scan, text);
}

static void
parse_plain(MusterScan *scan, const char *line, gsize len)
{
  scan->raw = g_bytes_new(line, len);
  g_autofree char *why = bytes_problem(line, len);
  if (why != NULL) {
    add_problem(scan, "The line %s", why);
    return;
  }
  set_text_any(scan, g_strndup(line, len));
}

/* The members of a JSON line object. A flat line (see flat_members()) is read in place:
 * its names and values are cut out of a copy of the line. Any other line is json-glib's
 * object. */
#define FLAT_MAX 16

typedef struct {
  JsonObject *obj;            /* json-glib's object; NULL for a flat line */
  char *copy;                 /* the flat line, names and values NUL-terminated in it */
  const char *names[FLAT_MAX];
  const char *values[FLAT_MAX];
  guint n;
} Members;

static void
members_clear(Members *m)
{
  g_clear_pointer(&m->obj, json_object_unref);
  g_clear_pointer(&m->copy, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Members, members_clear)

static const char *
flat_value(const Members *m, const char *name)
{
  for (guint i = 0; i < m->n; i++)
    if (strcmp(m->names[i], name) == 0)
      return m->values[i];
  return NULL;
}

static gboolean
has_member(const Members *m, const char *name)
{
  return m->obj != NULL ? json_object_has_member(m->obj, name) : flat_value(m, name) != NULL;
}

/* A string member; NULL when absent or null. Other types are a problem. */
static const char *
member_string(MusterScan *scan, const Members *m, const char *name)
{
  if (m->obj == NULL)
    return flat_value(m, name); /* only strings, printable ASCII */
  JsonNode *node = json_object_get_member(m->obj, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL(node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
    add_problem(scan, "The field \"%s\" must be a string; it was ignored", name);
    return NULL;
  }
  /* json-glib lets a broken \u escape (a lone surrogate) through as invalid UTF-8 */
  const char *s = json_node_get_string(node);
  if (!g_utf8_validate(s, -1, NULL)) {
    add_problem(scan, "The field \"%s\" holds a broken \\u escape; it was ignored", name);
    return NULL;
  }
  return s;
}

static void
replace_str(char **slot, const char *value)
{
  if (value == NULL)
    return;
  g_free(*slot);
  *slot = g_strdup(value);
}

/* Hex digits, optionally separated by ':', ' ' or '-' between bytes. */
static GBytes *
decode_hex(const char *hex)
{
  g_autoptr(GByteArray) out = g_byte_array_new();
  for (const char *p = hex; *p != '\0';) {
    if (*p == ':' || *p == ' ' || *p == '-') {
      p++;
      continue;
    }
    if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1]))
      return NULL;
    guint8 b = (guint8)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
    g_byte_array_append(out, &b, 1);
    p += 2;
  }
  if (out->len == 0)
    return NULL;
  return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}

static void
json_read_meta(MusterScan *scan, const Members *obj)
{
  replace_str(&scan->reader, member_string(scan, obj, "reader"));
  replace_str(&scan->reader_kind, member_string(scan, obj, "reader_kind"));
  replace_str(&scan->symbology, member_string(scan, obj, "symbology"));
  replace_str(&scan->check_group, member_string(scan, obj, "group"));
  const char *location = member_string(scan, obj, "location");
  if (location != NULL)
    scan->location_path = g_strstrip(g_strdup(location));
  const char *component = member_string(scan, obj, "component");
  if (component != NULL && muster_marking_component_valid(component))
    scan->component = g_strdup(component);
  else if (component != NULL)
    add_problem(scan, "The component '%s' is not frame, barrel, slide, bolt or cylinder; "
                      "ignored", component);
  const char *auth = member_string(scan, obj, "authenticity");
  if (auth != NULL && !authenticity_from_string(auth, &scan->authenticity))
    add_problem(scan, "The authenticity '%s' is not unknown, genuine or not_genuine; ignored",
                auth);
  const char *read_at = member_string(scan, obj, "read_at");
  if (read_at != NULL) {
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(read_at, NULL);
    if (dt != NULL)
      scan->read_at_us = g_date_time_to_unix(dt) * G_USEC_PER_SEC +
                         g_date_time_get_microsecond(dt);
    else
      add_problem(scan, "The read_at '%s' is not an ISO 8601 time such as "
                        "2026-11-25T20:14:57.123Z; the time it arrived is used", read_at);
  }
}

/* The text to normalise when only raw_hex was given: the hex itself for tag ids, the
 * bytes as text otherwise. */
static char *
text_from_raw(MusterScan *scan, const char *raw_hex, gboolean is_tag_id)
{
  if (is_tag_id)
    return g_strdup(raw_hex);
  gsize len = 0;
  const char *data = g_bytes_get_data(scan->raw, &len);
  g_autofree char *why = bytes_problem(data, len);
  if (why != NULL) {
    add_problem(scan, "The raw_hex %s", why);
    return NULL;
  }
  return g_strndup(data, len);
}

/* The raw bytes: raw_hex when given and valid, else the value, else the whole line. */
static const char *
json_read_raw(MusterScan *scan, const char *value, const char *raw_hex)
{
  if (raw_hex != NULL) {
    GBytes *raw = decode_hex(raw_hex);
    if (raw != NULL) {
      g_bytes_unref(scan->raw);
      scan->raw = raw;
      return raw_hex;
    }
    add_problem(scan, "The raw_hex is not whole bytes of hex digits; the line is kept as raw");
  }
  if (value != NULL) {
    g_bytes_unref(scan->raw);
    scan->raw = g_bytes_new(value, strlen(value));
  }
  return NULL;
}

static void
json_read_marking(MusterScan *scan, const Members *obj)
{
  const char *value = member_string(scan, obj, "value");
  const char *kind_text = member_string(scan, obj, "kind");
  const char *raw_hex = json_read_raw(scan, value, member_string(scan, obj, "raw_hex"));
  MusterMarkingKind kind = MUSTER_MARKING_ENGRAVED_SERIAL;
  gboolean kind_ok = kind_text != NULL && muster_marking_kind_from_string(kind_text, &kind);
  if (kind_text != NULL && !kind_ok)
    add_problem(scan, "The kind '%s' is not a marking kind (engraved_serial, barcode, "
                      "datamatrix_uii, hf_uid, uhf_epc, ndef)", kind_text);
  g_autofree char *text = NULL;
  if (value != NULL)
    text = g_strdup(value);
  else if (raw_hex != NULL)
    text = text_from_raw(scan, raw_hex,
                         kind_ok && (kind == MUSTER_MARKING_HF_UID ||
                                     kind == MUSTER_MARKING_UHF_EPC));
  else
    add_problem(scan, "The JSON has neither \"value\" nor \"raw_hex\"");
  if (text == NULL)
    return;
  if (kind_text == NULL) {
    set_text_any(scan, g_steal_pointer(&text));
    return;
  }
  /* A reader that names a wrong kind is misconfigured: keep the text, guess nothing. */
  scan->text = g_steal_pointer(&text);
  if (!kind_ok)
    return;
  g_autoptr(GError) error = NULL;
  scan->marking_kind = g_strdup(kind_text);
  scan->marking_value = muster_marking_normalise(kind, scan->text, &error);
  if (scan->marking_value == NULL)
    add_problem(scan, "%s", error->message);
}

/* A JSON string without escapes at *p, in printable ASCII: its text, cut out in place
 * (the closing quote becomes its NUL), with *p moved past it; NULL when it is anything
 * else. */
static const char *
flat_string(char **p, const char *end)
{
  char *s = *p;
  if (s >= end || *s != '"')
    return NULL;
  for (char *c = s + 1; c < end; c++) {
    guchar ch = (guchar)*c;
    if (ch == '"') {
      *c = '\0';
      *p = c + 1;
      return s + 1;
    }
    if (ch == '\\' || ch < 0x20 || ch > 0x7E)
      return NULL;
  }
  return NULL;
}

static char *
flat_blanks(char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return p;
}

/* One "name": "value" member into m, *p moved past it; FALSE when it is not one. */
static gboolean
flat_member(Members *m, char **p, const char *end)
{
  const char *name = flat_string(p, end);
  if (name == NULL || *name == '\0' || m->n == FLAT_MAX || flat_value(m, name) != NULL)
    return FALSE;
  *p = flat_blanks(*p, end);
  if (*p >= end || **p != ':')
    return FALSE;
  *p = flat_blanks(*p + 1, end);
  const char *value = flat_string(p, end);
  if (value == NULL)
    return FALSE;
  m->names[m->n] = name;
  m->values[m->n++] = value;
  *p = flat_blanks(*p, end);
  return TRUE;
}

/* Readers send one flat object of plain string members ({"value":"GL-1","kind":...}),
 * and json-glib took some 40,000 instructions to parse one (a GScanner and a GObject
 * per line), most of what a JSON scan cost. Such a line is read here, in place. Anything
 * else (an escape, a number, nesting, non-ASCII bytes, an empty or repeated name, more
 * than FLAT_MAX members, a trailing comma, any syntax error) gives FALSE and goes to
 * json-glib as before, which reads the same members from the lines taken here. */
static gboolean
flat_members(Members *m, const char *line, gsize len)
{
  m->copy = g_strndup(line, len);
  const char *end = m->copy + len;
  char *p = flat_blanks(m->copy, end);
  if (p >= end || *p != '{')
    return FALSE;
  p = flat_blanks(p + 1, end);
  for (gboolean more = p < end && *p != '}'; more;) {
    if (!flat_member(m, &p, end))
      return FALSE;
    more = p < end && *p == ',';
    if (more)
      p = flat_blanks(p + 1, end);
  }
  return p < end && *p == '}' && flat_blanks(p + 1, end) == end;
}

/* The members of a JSON line, read flat or else by json-glib; FALSE with a problem noted
 * when the line is not a JSON object. */
static gboolean
json_line_members(MusterScan *scan, Members *m, const char *line, gsize len)
{
  if (flat_members(m, line, len))
    return TRUE;
  members_clear(m);
  m->n = 0;
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GError) error = NULL;
  if (!json_parser_load_from_data(parser, line, (gssize)len, &error)) {
    add_problem(scan, "The line starts like JSON but is not valid JSON (%s)", error->message);
    return FALSE;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
    add_problem(scan, "The line is JSON but not an object");
    return FALSE;
  }
  m->obj = json_object_ref(json_node_get_object(root));
  return TRUE;
}

/* Parses a JSON line into scan. Returns TRUE when the object only says where the
 * counter is ({"location": "R1/A"}, no value): a location change, not a scan. */
static gboolean
parse_json(MusterScan *scan, const char *line, gsize len)
{
  scan->raw = g_bytes_new(line, len);
  g_autofree char *why = bytes_problem(line, len);
  if (why != NULL) {
    add_problem(scan, "The JSON line %s", why);
    return FALSE;
  }
  g_auto(Members) members = {0};
  if (!json_line_members(scan, &members, line, len))
    return FALSE;
  json_read_meta(scan, &members);
  if (scan->location_path != NULL && !has_member(&members, "value") &&
      !has_member(&members, "raw_hex"))
    return TRUE;
  json_read_marking(scan, &members);
  return FALSE;
}

/* Length without the line end (LF, CRLF or CR). */
static gsize
strip_line_end(const char *line, gsize len)
{
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
  return len;
}

static gsize
skip_blanks(const char *line, gsize len)
{
  gsize i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  return i;
}

/* "@R1/A/03": the counter moved. NULL when the line is not a valid location line. */
static char *
location_line(const char *line, gsize len)
{
  gsize start = skip_blanks(line, len);
  if (start >= len || line[start] != '@')
    return NULL;
  const char *path = line + start + 1;
  gsize plen = len - start - 1;
  g_autofree char *why = bytes_problem(path, plen);
  if (why != NULL)
    return NULL;
  return g_strstrip(g_strndup(path, plen));
}

MusterScan *
muster_scan_parse_line(const char *line, gsize len, const char *default_reader,
                       char **location, GError **error)
{
  if (location != NULL)
    *location = NULL;
  len = line != NULL ? strip_line_end(line, len) : 0;
  gsize start = skip_blanks(line, len);
  if (start == len)
    return NULL;
  g_autoptr(MusterScan) scan = muster_scan_new();
  scan->reader = g_strdup(default_reader != NULL ? default_reader : "stdin");
  scan->reader_kind = g_strdup("manual");
  if (len > MUSTER_SCAN_RAW_MAX) {
    scan->raw = g_bytes_new(line, MUSTER_SCAN_RAW_MAX);
    add_problem(scan, "The line is %" G_GSIZE_FORMAT " bytes long; only the first %d are "
                "kept, and no marking is that long (check the reader's settings)",
                len, MUSTER_SCAN_RAW_MAX);
    return g_steal_pointer(&scan);
  }
  g_autofree char *where = location_line(line, len);
  if (where != NULL) {
    if (location != NULL)
      *location = g_steal_pointer(&where);
    return NULL;
  }
  if (line[start] == '{') {
    if (parse_json(scan, line, len)) {
      if (location != NULL)
        *location = g_steal_pointer(&scan->location_path);
      return NULL;
    }
  } else
    parse_plain(scan, line, len);
  if (scan->marking_value == NULL && scan->problem == NULL)
    add_problem(scan, "The text cannot be read as a marking");
  return g_steal_pointer(&scan);
}
