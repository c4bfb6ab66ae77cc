/*
 * ndef.c: NDEF message and record parsing (NFC Forum NDEF 1.0, RTD Text 1.0, RTD URI 1.0).
 *
 * Tag memory is outside data: a tag can be half-written, removed mid-read or forged, so
 * every length is checked against what is left before it is used (payload lengths are
 * 32-bit, a message at most a few KiB), and decoded text must be valid UTF-8. Chunked
 * records are refused rather than reassembled: no marking tag needs them and
 * reassembly is where NDEF parsers have historically gone wrong.
 */
#include "marking/ndef.h"
#include "core/muster-error.h"

#include <string.h>

#define NDEF_MB 0x80
#define NDEF_ME 0x40
#define NDEF_CF 0x20
#define NDEF_SR 0x10
#define NDEF_IL 0x08
#define NDEF_TNF_MASK 0x07

#define TEXT_UTF16 0x80
#define TEXT_RFU 0x40
#define TEXT_LANG_MASK 0x3F

/* RTD URI 1.0, table 3: the abbreviations of the URI identifier code. */
static const char *const uri_prefixes[] = {
    "",                           /* 0x00 */
    "http://www.",                /* 0x01 */
    "https://www.",               /* 0x02 */
    "http://",                    /* 0x03 */
    "https://",                   /* 0x04 */
    "tel:",                       /* 0x05 */
    "mailto:",                    /* 0x06 */
    "ftp://anonymous:anonymous@", /* 0x07 */
    "ftp://ftp.",                 /* 0x08 */
    "ftps://",                    /* 0x09 */
    "sftp://",                    /* 0x0A */
    "smb://",                     /* 0x0B */
    "nfs://",                     /* 0x0C */
    "ftp://",                     /* 0x0D */
    "dav://",                     /* 0x0E */
    "news:",                      /* 0x0F */
    "telnet://",                  /* 0x10 */
    "imap:",                      /* 0x11 */
    "rtsp://",                    /* 0x12 */
    "urn:",                       /* 0x13 */
    "pop:",                       /* 0x14 */
    "sip:",                       /* 0x15 */
    "sips:",                      /* 0x16 */
    "tftp:",                      /* 0x17 */
    "btspp://",                   /* 0x18 */
    "btl2cap://",                 /* 0x19 */
    "btgoep://",                  /* 0x1A */
    "tcpobex://",                 /* 0x1B */
    "irdaobex://",                /* 0x1C */
    "file://",                    /* 0x1D */
    "urn:epc:id:",                /* 0x1E */
    "urn:epc:tag:",               /* 0x1F */
    "urn:epc:pat:",               /* 0x20 */
    "urn:epc:raw:",               /* 0x21 */
    "urn:epc:",                   /* 0x22 */
    "urn:nfc:",                   /* 0x23 */
};

void
muster_ndef_record_free(MusterNdefRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer(&record->type, g_bytes_unref);
  g_clear_pointer(&record->id, g_bytes_unref);
  g_clear_pointer(&record->payload, g_bytes_unref);
  g_free(record);
}

/* A reader over the message bytes that never passes the end. */
typedef struct {
  const guint8 *data;
  gsize len;
  gsize pos;
} Cursor;

static gboolean
take(Cursor *c, gsize n, const guint8 **out)
{
  if (n > c->len - c->pos)
    return FALSE;
  *out = c->data + c->pos;
  c->pos += n;
  return TRUE;
}

static gboolean G_GNUC_PRINTF(3, 4) fail(GError **error, guint index, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
              "The tag's NDEF record %u %s; rewrite the tag or read it again", index + 1, msg);
  return FALSE;
}

/* The header fields of one record: flags, type, payload and id lengths. */
typedef struct {
  guint8 flags;
  guint8 type_len;
  guint32 payload_len;
  guint8 id_len;
} Header;

static gboolean
read_header(Cursor *c, guint index, Header *h, GError **error)
{
  const guint8 *b = NULL;
  if (!take(c, 2, &b))
    return fail(error, index, "is cut short in its header (offset %" G_GSIZE_FORMAT ")", c->pos);
  h->flags = b[0];
  h->type_len = b[1];
  if (!take(c, h->flags & NDEF_SR ? 1 : 4, &b))
    return fail(error, index, "is cut short in its payload length");
  h->payload_len = h->flags & NDEF_SR
                       ? b[0]
                       : (guint32)b[0] << 24 | (guint32)b[1] << 16 | (guint32)b[2] << 8 | b[3];
  h->id_len = 0;
  if (h->flags & NDEF_IL) {
    if (!take(c, 1, &b))
      return fail(error, index, "is cut short in its ID length");
    h->id_len = b[0];
  }
  return TRUE;
}

static gboolean
check_header(const Header *h, guint index, GError **error)
{
  guint8 tnf = h->flags & NDEF_TNF_MASK;
  if ((index == 0) != ((h->flags & NDEF_MB) != 0))
    return fail(error, index,
                index == 0 ? "does not begin the message (MB flag unset)"
                           : "begins a second message (MB flag set)");
  if (h->flags & NDEF_CF || tnf == MUSTER_NDEF_TNF_UNCHANGED)
    return fail(error, index, "is chunked, which Muster does not read");
  if (tnf == MUSTER_NDEF_TNF_EMPTY && (h->type_len != 0 || h->id_len != 0 || h->payload_len != 0))
    return fail(error, index, "is of type Empty but has a type, ID or payload");
  return TRUE;
}

static MusterNdefRecord *
read_record(Cursor *c, guint index, gboolean *last, GError **error)
{
  Header h = {0}; /* Release builds cannot see read_header() fills it */
  if (!read_header(c, index, &h, error) || !check_header(&h, index, error))
    return NULL;
  const guint8 *type = NULL, *id = NULL, *payload = NULL;
  if (!take(c, h.type_len, &type) || !take(c, h.id_len, &id) || !take(c, h.payload_len, &payload)) {
    fail(error, index,
         "claims %" G_GUINT64_FORMAT " bytes of type, ID and payload but the message is cut "
         "short",
         (guint64)h.type_len + h.id_len + h.payload_len);
    return NULL;
  }
  MusterNdefRecord *record = g_new0(MusterNdefRecord, 1);
  record->tnf = h.flags & NDEF_TNF_MASK;
  record->type = g_bytes_new(type, h.type_len);
  record->id = g_bytes_new(id, h.id_len);
  record->payload = g_bytes_new(payload, h.payload_len);
  *last = (h.flags & NDEF_ME) != 0;
  return record;
}

GPtrArray *
muster_ndef_parse(const guint8 *data, gsize len, GError **error)
{
  if (data == NULL || len == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's NDEF message is empty; write a Text record to the tag");
    return NULL;
  }
  g_autoptr(GPtrArray) records =
      g_ptr_array_new_with_free_func((GDestroyNotify)muster_ndef_record_free);
  Cursor c = {data, len, 0};
  for (gboolean last = FALSE; !last;) {
    if (c.pos == c.len) {
      fail(error, records->len, "is missing: the message ends without a last record (ME)");
      return NULL;
    }
    MusterNdefRecord *record = read_record(&c, records->len, &last, error);
    if (record == NULL)
      return NULL;
    g_ptr_array_add(records, record);
  }
  return g_steal_pointer(&records);
}

gboolean
muster_ndef_record_is_well_known(const MusterNdefRecord *record, const char *type)
{
  gsize n = 0;
  const void *t = g_bytes_get_data(record->type, &n);
  return record->tnf == MUSTER_NDEF_TNF_WELL_KNOWN && n == strlen(type) && memcmp(t, type, n) == 0;
}

/* UTF-16 bytes (BOM-led, else big-endian as RTD Text says) to UTF-8. */
static char *
utf16_to_utf8(const guint8 *b, gsize n, GError **error)
{
  if (n % 2 != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's Text record has UTF-16 text of an odd byte length");
    return NULL;
  }
  gboolean little = n >= 2 && b[0] == 0xFF && b[1] == 0xFE;
  gsize start = n >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || little) ? 2 : 0;
  gsize units = (n - start) / 2;
  g_autofree gunichar2 *u = g_new(gunichar2, units + 1);
  for (gsize i = 0; i < units; i++) {
    const guint8 *p = b + start + 2 * i;
    u[i] = little ? (gunichar2)(p[1] << 8 | p[0]) : (gunichar2)(p[0] << 8 | p[1]);
    if (u[i] == 0) { /* GLib would stop there and drop the rest unseen */
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                  "The tag's Text record has a NUL character in its UTF-16 text");
      return NULL;
    }
  }
  g_autoptr(GError) local = NULL;
  char *text = g_utf16_to_utf8(u, (glong)units, NULL, NULL, &local);
  if (text == NULL)
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's Text record has broken UTF-16 text (%s)", local->message);
  return text;
}

static char *
utf8_text(const guint8 *b, gsize n, const char *what, GError **error)
{
  if (n == 0) /* GBytes gives NULL data for no bytes */
    return g_strdup("");
  if (!g_utf8_validate_len((const char *)b, n, NULL) || memchr(b, '\0', n) != NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's %s record is not valid UTF-8 text", what);
    return NULL;
  }
  return g_strndup((const char *)b, n);
}

char *
muster_ndef_text_decode(const MusterNdefRecord *record, char **language, GError **error)
{
  gsize n = 0;
  const guint8 *p = g_bytes_get_data(record->payload, &n);
  if (!muster_ndef_record_is_well_known(record, "T") || n == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's record is not a Text record with a status byte");
    return NULL;
  }
  gsize lang_len = p[0] & TEXT_LANG_MASK;
  if (p[0] & TEXT_RFU || lang_len > n - 1) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's Text record has a bad status byte 0x%02X", p[0]);
    return NULL;
  }
  g_autofree char *lang = utf8_text(p + 1, lang_len, "Text language", error);
  if (lang == NULL)
    return NULL;
  const guint8 *body = p + 1 + lang_len;
  gsize body_len = n - 1 - lang_len;
  char *text = p[0] & TEXT_UTF16 ? utf16_to_utf8(body, body_len, error)
                                 : utf8_text(body, body_len, "Text", error);
  if (text != NULL && language != NULL)
    *language = g_steal_pointer(&lang);
  return text;
}

char *
muster_ndef_uri_decode(const MusterNdefRecord *record, GError **error)
{
  gsize n = 0;
  if (record->tnf == MUSTER_NDEF_TNF_ABSOLUTE_URI) {
    const guint8 *t = g_bytes_get_data(record->type, &n);
    return utf8_text(t, n, "Absolute-URI", error);
  }
  const guint8 *p = g_bytes_get_data(record->payload, &n);
  if (!muster_ndef_record_is_well_known(record, "U") || n == 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's record is not a URI record with an identifier code");
    return NULL;
  }
  if (p[0] >= G_N_ELEMENTS(uri_prefixes)) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "The tag's URI record has the reserved identifier code 0x%02X", p[0]);
    return NULL;
  }
  g_autofree char *rest = utf8_text(p + 1, n - 1, "URI", error);
  return rest != NULL ? g_strconcat(uri_prefixes[p[0]], rest, NULL) : NULL;
}
