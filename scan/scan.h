/*
 * scan.h: the scan event, the one thing every reader produces and ingest consumes.
 *
 * Drivers fill it in and know nothing of counts, SQL or screens. It records who read
 * it, what was read (raw bytes and decoded text), when, the parsed marking, and the
 * authenticity verdict where the reader has one.
 */
#pragma once
#include "core/closed-list.h"
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_AUTH_UNKNOWN,
  MUSTER_AUTH_GENUINE,
  MUSTER_AUTH_NOT_GENUINE,
} MusterAuthenticity;

typedef struct {
  char *reader;          /* reader id, "stdin", "pn532:/dev/ttyS0", ... */
  char *reader_kind;     /* "manual", "nfc", "usb-hid", "camera", "sim" */
  char *symbology;       /* "code128", "datamatrix", "ntag215", NULL */
  GBytes *raw;           /* exactly what was read */
  char *text;            /* decoded text; NULL when unreadable */
  char *marking_kind;    /* engraved_serial, hf_uid, ...; NULL when unknown */
  char *marking_value;   /* normalised; NULL when unreadable */
  char *check_group;     /* scans of one physical item check share this */
  char *component;       /* frame, barrel, ... when the reader knows */
  char *location_path;   /* where the counter is; NULL = unchanged */
  gint64 read_at_us;     /* wall clock, UTC microseconds */
  gint64 read_mono_us;   /* monotonic, for latency and debounce */
  MusterAuthenticity authenticity;
  char *payload_format;  /* "iso15434", "gs1", "ndef", "plain"...: how the payload was
                            parsed (marking/payload.h); NULL when not parsed */
  GHashTable *fields;    /* char* -> char*: the payload's data elements (GS1 AIs, 15434
                            data identifiers, NDEF text/uri); NULL when none */
  char *problem;         /* what was wrong with the line: why it is unreadable, or which
                            field was ignored; NULL when fine. Unreadable means
                            marking_value == NULL. */
} MusterScan;

MusterScan *muster_scan_new(void);
void muster_scan_free(MusterScan *scan);
/* A deep copy (raw is shared, it is immutable). */
MusterScan *muster_scan_copy(const MusterScan *scan);

typedef struct _MusterPayload MusterPayload;
/* Takes what a payload parser found (marking/payload.h): marking kind and value when it
 * found one (set_marking FALSE keeps the scan's own, e.g. a tag's UID), the format and
 * data elements, and its problem added to the scan's. Steals from payload. */
void muster_scan_take_payload(MusterScan *scan, MusterPayload *payload, gboolean set_marking);

/* The counter moved to path: not a read of a weapon, and not stored as a scan. Readers
 * emit it for a scripted "@R1/A" line. */
MusterScan *muster_scan_new_location(const char *path);
/* The location a scan moves the counter to, or NULL when it is a read of a weapon: a
 * muster_scan_new_location() event, or a scanned rack label whose text is "@R1/A/03"
 * (labels printed on racks so a scanner sets where the counter is). */
const char *muster_scan_location_label(const MusterScan *scan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterScan, muster_scan_free)

/* "unknown", "genuine", "not_genuine", as stored (scan.authenticity) and in scan lines. */
extern const MusterClosedList muster_authenticity_list;
const char *muster_authenticity_to_string(MusterAuthenticity a);

/* Parses one line of a scan feed (its LF/CRLF end is ignored). Never fails: a garbage
 * line becomes a scan with marking_value NULL and problem set, keeping its raw bytes
 * (at most 4 KiB; a longer line is truncated and says so). GS, RS and EOT are kept in
 * text: they are ISO/IEC 15434 data. error is never set.
 *
 * A blank line (spaces and tabs only) is nothing read: NULL with *location NULL.
 *
 * Plain line: the marking text itself ("GL-123456", "04:A1:B2:C3:D4:E5:F6").
 * "@R1/A/03", or a JSON object with "location" and neither "value" nor "raw_hex": not
 * a scan, sets the location; returns NULL with *location set.
 * JSON object: {"value": "...", "kind": "hf_uid", "reader": "...", "reader_kind": "...",
 *   "symbology": "...", "group": "...", "component": "barrel", "location": "R1/A",
 *   "read_at": "2026-11-25T20:14:57.123Z", "authenticity": "not_genuine",
 *   "raw_hex": "..."} — only "value" (or "raw_hex") is required. raw is the raw_hex
 *   bytes, or else the value's bytes; with only raw_hex of kind hf_uid/uhf_epc the hex
 *   is the value. A bad optional field is noted in problem and ignored; an unknown kind leaves
 *   the scan unreadable (a misconfigured reader must be noticed, not guessed around). */
MusterScan *muster_scan_parse_line(const char *line, gsize len, const char *default_reader,
                                   char **location, GError **error);

G_END_DECLS
