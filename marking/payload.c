/*
 * payload.c: recognises what a reader read and hands it to that format's parser.
 *
 * Scan data is as docs/scan-data.md decides it, whatever the reader: an AIM symbology
 * identifier (ISO/IEC 15424) and the data, no leading FNC1, GS separators. Recognition:
 *  - "[)>" RS after the identifier (or without one) is an ISO/IEC 15434 message
 *    (iso15434.c), whose elements give a UII;
 *  - GS1 is known by the identifier ("]C1", "]d2", "]Q3", "]e0", "]J1"); the older
 *    forms, a leading GS (FNC1 first), a symbology hint naming "gs1", or an AI's digits
 *    with a GS separator (a scanner at factory settings), are GS1 too. GS1 data is checked by GS1's own engine (gs1.c); data it
 *    refuses keeps format "gs1" and the engine's reason, and never becomes a marking;
 *  - EAN/UPC ("]E0", "]E4") has its check digit checked by the same engine and then
 *    stays the digits as read, so EAN items recorded before still match;
 *  - an identifier whose code character is not in ISO/IEC 15424 is kept as a problem,
 *    neither stripped nor taken as data;
 *  - anything else is plain text: an engraved serial or a 1D barcode's text.
 *
 * Kinds: the record store matches a scan by normalised value only (db/ingest-lookup.c),
 * never by kind, so the kind records how the value was read and which uniqueness rule
 * applies. A serial engraved and the same serial in a Code 128 normalise alike (both as
 * serials: upper case, trimmed), so they match the same item; the kind is "barcode" when
 * a symbology was named (by the reader or by an identifier) and "engraved_serial"
 * otherwise. UIIs (15434, GS1 GIAI/GRAI/GTIN+serial) are "datamatrix_uii", normalised
 * without spaces, because a UII is unique by design. NDEF markings are "ndef": the first
 * Text record's text, else the first URI's full URI.
 *
 * Never fails: garbage gives value NULL and a problem. Inputs are bounded (PAYLOAD_MAX,
 * NDEF_MAX) and so is the printable rendering in text.
 */
#include "marking/payload.h"
#include "marking/aim.h"
#include "marking/gs1.h"
#include "marking/iso15434.h"
#include "marking/ndef.h"
#include "marking/uii.h"

#include <string.h>

/* The largest Data Matrix holds 1,556 bytes and the largest QR Code 2,953. */
#define PAYLOAD_MAX 4096
/* An NDEF TLV length field is at most 0xFFFE. */
#define NDEF_MAX 65535
/* Bytes of the payload rendered in text; longer payloads are cut with "...". */
#define TEXT_MAX 1024

static const char *const format_names[] = {
    "plain", "iso15434", "gs1", "uii", "ndef", "hf_uid",
};

const MusterClosedList muster_payload_format_list = MUSTER_CLOSED_LIST(format_names);


const char *
muster_payload_format_to_string(MusterPayloadFormat format)
{
  return muster_closed_list_name(&muster_payload_format_list, format);
}

void
muster_payload_free(MusterPayload *payload)
{
  if (payload == NULL)
    return;
  g_free(payload->value);
  g_free(payload->text);
  g_free(payload->problem);
  g_clear_pointer(&payload->fields, g_hash_table_unref);
  g_free(payload);
}

/* Adds one sentence to the problem ("A. B"). */
static void G_GNUC_PRINTF(2, 3) add_problem(MusterPayload *payload, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (!g_utf8_validate(msg, -1, NULL)) {
    char *valid = g_utf8_make_valid(msg, -1);
    g_free(msg);
    msg = valid;
  }
  char *joined = payload->problem == NULL ? g_steal_pointer(&msg)
                                          : g_strconcat(payload->problem, ". ", msg, NULL);
  g_free(payload->problem);
  payload->problem = joined;
}

static const char *
control_name(guchar c)
{
  switch (c) {
  case 0x1D: return "<GS>";
  case 0x1E: return "<RS>";
  case 0x04: return "<EOT>";
  default: return NULL;
  }
}

/* Printable UTF-8: GS, RS, EOT as <GS>, <RS>, <EOT>; other control bytes and bytes of
 * bad UTF-8 as <0xNN>; at most TEXT_MAX bytes of the input. */
static char *
printable_text(const guint8 *data, gsize len)
{
  GString *out = g_string_sized_new(MIN(len, TEXT_MAX) + 8);
  gsize n = MIN(len, TEXT_MAX);
  for (gsize i = 0; i < n;) {
    const char *s = (const char *)data + i;
    gunichar c = g_utf8_get_char_validated(s, (gssize)(n - i));
    if (c == (gunichar)-1 || c == (gunichar)-2 || g_unichar_iscntrl(c)) {
      const char *name = control_name(data[i]);
      if (name != NULL)
        g_string_append(out, name);
      else
        g_string_append_printf(out, "<0x%02X>", data[i]);
      i++;
      continue;
    }
    const char *next = g_utf8_next_char(s);
    g_string_append_len(out, s, next - s);
    i += (gsize)(next - s);
  }
  if (len > n)
    g_string_append(out, "...");
  return g_string_free(out, FALSE);
}

static MusterPayload *
payload_new(MusterPayloadFormat format)
{
  MusterPayload *payload = g_new0(MusterPayload, 1);
  payload->format = format;
  return payload;
}

static GHashTable *
fields_new(void)
{
  return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

/* Sets the marking, or notes why the normaliser refused it. */
static void
set_marking(MusterPayload *payload, MusterMarkingKind kind, const char *text)
{
  g_autoptr(GError) error = NULL;
  payload->kind = kind;
  payload->value = muster_marking_normalise(kind, text, &error);
  if (payload->value == NULL)
    add_problem(payload, "%s", error->message);
}

/* Keeps the fields when there are any. */
static void
keep_fields(MusterPayload *payload, GHashTable *fields)
{
  if (g_hash_table_size(fields) > 0)
    payload->fields = g_hash_table_ref(fields);
}

static void
set_uii(MusterPayload *payload, GHashTable *fields)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uii = muster_uii_from_fields(fields, NULL, &error);
  if (uii != NULL)
    set_marking(payload, MUSTER_MARKING_DATAMATRIX_UII, uii);
  else
    add_problem(payload, "%s", error->message);
}

static void
parse_iso15434(MusterPayload *payload, const char *body, gsize len)
{
  payload->format = MUSTER_PAYLOAD_ISO15434;
  g_autoptr(GHashTable) fields = fields_new();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  muster_iso15434_parse(body, len, fields, problems, NULL); /* the header was checked */
  for (guint i = 0; i < problems->len; i++)
    add_problem(payload, "%s", (const char *)problems->pdata[i]);
  keep_fields(payload, fields);
  set_uii(payload, fields);
}

/* A GS1 string names one item by a UII (GIAI, serialised GRAI, GTIN + serial); a serial
 * (21) without its GTIN is still the item's serial, so it is kept as a barcode.
 * scan_data has its identifier; data GS1's engine refuses keeps only the reason. */
static void
parse_gs1(MusterPayload *payload, const char *scan_data, gsize len)
{
  payload->format = MUSTER_PAYLOAD_GS1;
  g_autoptr(GHashTable) fields = fields_new();
  g_autoptr(GError) error = NULL;
  if (!muster_gs1_parse_scan(scan_data, len, fields, &error)) {
    add_problem(payload, "%s; scan the mark again, and if this repeats the mark itself is "
                         "wrong (reprint or re-mark it)",
                error->message);
    return;
  }
  keep_fields(payload, fields);
  g_autofree char *uii = muster_uii_from_fields(fields, NULL, NULL);
  const char *serial = g_hash_table_lookup(fields, "21");
  if (uii != NULL)
    set_marking(payload, MUSTER_MARKING_DATAMATRIX_UII, uii);
  else if (serial != NULL)
    set_marking(payload, MUSTER_MARKING_BARCODE, serial);
  else
    add_problem(payload, "The GS1 data names no single item (it needs 8004 GIAI, 8003 GRAI "
                         "with a serial, 01 GTIN with 21 serial, or a 21 serial)");
}

static void
parse_plain(MusterPayload *payload, const char *body, gsize len, gboolean named)
{
  if (memchr(body, 0x1D, len) != NULL || memchr(body, 0x1E, len) != NULL ||
      memchr(body, 0x04, len) != NULL) {
    add_problem(payload, "The data has GS/RS/EOT separators but neither the ISO/IEC 15434 "
                         "header \"[)>\" RS nor a GS1 symbology identifier (]d2, ]C1, ]Q3 "
                         "...); set the scanner to send AIM symbology identifiers");
    return;
  }
  if (memchr(body, '\0', len) != NULL) {
    add_problem(payload, "The data has a NUL byte; it is not text");
    return;
  }
  g_autofree char *text = g_strndup(body, len);
  set_marking(payload, named ? MUSTER_MARKING_BARCODE : MUSTER_MARKING_ENGRAVED_SERIAL, text);
}

/* EAN/UPC: GS1's engine checks the digits and the check digit; the marking is the
 * digits as read, as before identifiers were kept, so recorded EAN items still match
 * (a composite component after "|" is checked, not kept). */
static void
parse_ean(MusterPayload *payload, const char *scan_data, gsize len)
{
  g_autoptr(GError) error = NULL;
  if (!muster_gs1_parse_scan(scan_data, len, NULL, &error)) {
    add_problem(payload, "%s; scan the code again", error->message);
    return;
  }
  const char *bar = memchr(scan_data, '|', len);
  parse_plain(payload, scan_data + MUSTER_AIM_LEN,
              (bar != NULL ? (gsize)(bar - scan_data) : len) - MUSTER_AIM_LEN, TRUE);
}

/* The identifier a reader that knows the symbology gives data in an older form (a
 * leading GS, or a "gs1" hint): docs/scan-data.md. */
static const char *
gs1_id_for(const char *symbology)
{
  if (symbology == NULL)
    return "]d2";
  if (strstr(symbology, "qr") != NULL)
    return "]Q3";
  if (strstr(symbology, "128") != NULL)
    return "]C1";
  if (strstr(symbology, "databar") != NULL || strstr(symbology, "rss") != NULL)
    return "]e0";
  if (strstr(symbology, "dotcode") != NULL)
    return "]J1";
  return "]d2";
}

/* GS1 data without an identifier, in an older form: a leading GS (FNC1 first, as libdmtx
 * and some scanners send it), a symbology hint naming GS1, or an AI's two digits followed
 * later by a GS separator (a scanner at its factory settings sends GS1-128 so; a GS
 * occurs in no plain serial, and 15434 envelopes were recognised before). GS1's engine
 * then decides: a wrong guess is refused with its reason, never stored as a marking. */
static gboolean
is_older_gs1(const char *data, gsize len, const char *symbology)
{
  return (len > 0 && data[0] == MUSTER_GS1_GS) ||
         (symbology != NULL && strstr(symbology, "gs1") != NULL) ||
         (len > 2 && g_ascii_isdigit(data[0]) && g_ascii_isdigit(data[1]) &&
          memchr(data, MUSTER_GS1_GS, len) != NULL);
}

/* GS1 data in an older form (no identifier) behind the identifier aim (its first 3
 * bytes) that it would have had; a leading GS, the FNC1-first form, is dropped. */
static void
parse_gs1_as(MusterPayload *payload, const char *aim, const char *body, gsize len)
{
  if (len > 0 && body[0] == MUSTER_GS1_GS) {
    body++;
    len--;
  }
  g_autoptr(GString) scan = g_string_new_len(aim, MUSTER_AIM_LEN);
  g_string_append_len(scan, body, (gssize)len);
  parse_gs1(payload, scan->str, scan->len);
}

/* After the identifier: an envelope, GS1, EAN/UPC or plain text. */
static void
parse_identified(MusterPayload *payload, const char *data, gsize len)
{
  const char *body = data + MUSTER_AIM_LEN;
  gsize body_len = len - MUSTER_AIM_LEN;
  if (muster_iso15434_is_message(body, body_len)) {
    parse_iso15434(payload, body, body_len);
  } else if (muster_aim_is_gs1(data)) {
    parse_gs1(payload, data, len); /* a GS after the identifier is refused, as GS1's is */
  } else if (muster_aim_is_ean(data)) {
    parse_ean(payload, data, len);
  } else {
    parse_plain(payload, body, body_len, TRUE);
  }
}

MusterPayload *
muster_payload_parse_barcode(const guint8 *data, gsize len, const char *symbology)
{
  MusterPayload *payload = payload_new(MUSTER_PAYLOAD_PLAIN);
  if (data == NULL)
    len = 0;
  payload->text = printable_text(data, len);
  if (len == 0) {
    add_problem(payload, "The scan is empty");
    return payload;
  }
  if (len > PAYLOAD_MAX) {
    add_problem(payload,
                "The scan is %" G_GSIZE_FORMAT " bytes long; no mark holds more "
                "than %d (check the reader's settings)",
                len, PAYLOAD_MAX);
    return payload;
  }
  const char *body = (const char *)data;
  if (muster_aim_is_identifier(body, len) && !muster_aim_code_known(body)) {
    add_problem(payload, "The scan starts with \"%.3s\", a symbology identifier with a code "
                         "character ISO/IEC 15424 does not define; check the scanner's "
                         "symbology identifier setting",
                body);
  } else if (muster_aim_is_identifier(body, len)) {
    if (len == MUSTER_AIM_LEN)
      add_problem(payload, "The scan holds only a symbology identifier and no data");
    else
      parse_identified(payload, body, len);
  } else if (muster_iso15434_is_message(body, len)) {
    parse_iso15434(payload, body, len);
  } else if (is_older_gs1(body, len, symbology)) {
    parse_gs1_as(payload, gs1_id_for(symbology), body, len);
  } else {
    parse_plain(payload, body, len, symbology != NULL);
  }
  return payload;
}

/* Fields and marking from the records: the first Text record, else the first URI. */
static void
mark_ndef(MusterPayload *payload, GPtrArray *records)
{
  g_autoptr(GHashTable) fields = fields_new();
  for (guint i = 0; i < records->len; i++) {
    const MusterNdefRecord *record = records->pdata[i];
    g_autoptr(GError) error = NULL;
    char *language = NULL;
    if (muster_ndef_record_is_well_known(record, "T") && !g_hash_table_contains(fields, "text")) {
      char *text = muster_ndef_text_decode(record, &language, &error);
      if (text != NULL) {
        g_hash_table_insert(fields, g_strdup("text"), text);
        g_hash_table_insert(fields, g_strdup("language"), language);
      }
    } else if ((muster_ndef_record_is_well_known(record, "U") ||
                record->tnf == MUSTER_NDEF_TNF_ABSOLUTE_URI) &&
               !g_hash_table_contains(fields, "uri")) {
      char *uri = muster_ndef_uri_decode(record, &error);
      if (uri != NULL)
        g_hash_table_insert(fields, g_strdup("uri"), uri);
    }
    if (error != NULL)
      add_problem(payload, "%s", error->message);
  }
  keep_fields(payload, fields);
  const char *marking = g_hash_table_lookup(fields, "text");
  if (marking == NULL)
    marking = g_hash_table_lookup(fields, "uri");
  if (marking != NULL) {
    g_free(payload->text);
    payload->text = printable_text((const guint8 *)marking, strlen(marking));
    set_marking(payload, MUSTER_MARKING_NDEF, marking);
  } else {
    add_problem(payload, "The tag's NDEF message has no Text or URI record; write the "
                         "marking to the tag as a Text record");
  }
}

/* Hex of the first TEXT_MAX bytes: an undecodable NDEF message is binary. */
static char *
hex_text(const guint8 *data, gsize len)
{
  gsize n = MIN(len, TEXT_MAX);
  GString *out = g_string_sized_new(2 * n + 4);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf(out, "%02X", data[i]);
  if (len > n)
    g_string_append(out, "...");
  return g_string_free(out, FALSE);
}

MusterPayload *
muster_payload_parse_ndef(const guint8 *data, gsize len)
{
  MusterPayload *payload = payload_new(MUSTER_PAYLOAD_NDEF);
  if (data == NULL)
    len = 0;
  payload->text = hex_text(data, len);
  if (len > NDEF_MAX) {
    add_problem(payload,
                "The NDEF message is %" G_GSIZE_FORMAT " bytes long; at most %d fit "
                "on a tag",
                len, NDEF_MAX);
    return payload;
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = muster_ndef_parse(data, len, &error);
  if (records == NULL)
    add_problem(payload, "%s", error->message);
  else
    mark_ndef(payload, records);
  return payload;
}
