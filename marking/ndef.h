/*
 * ndef.h: NFC Forum NDEF messages, and the Well-known Text and URI records in them.
 *
 * An NFC tag on a weapon (a sticker or an embedded NTAG) carries its marking as an NDEF
 * message: the NFC driver reads the bytes inside the tag's NDEF TLV and hands them here.
 * The parser keeps every record as type/id/payload bytes and decodes the two record
 * types a marking is written as; anything else stays bytes for the caller to show.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MUSTER_NDEF_TNF_EMPTY = 0,
  MUSTER_NDEF_TNF_WELL_KNOWN = 1,
  MUSTER_NDEF_TNF_MEDIA = 2,
  MUSTER_NDEF_TNF_ABSOLUTE_URI = 3,
  MUSTER_NDEF_TNF_EXTERNAL = 4,
  MUSTER_NDEF_TNF_UNKNOWN = 5,
  MUSTER_NDEF_TNF_UNCHANGED = 6,
  MUSTER_NDEF_TNF_RESERVED = 7,
} MusterNdefTnf;

typedef struct {
  MusterNdefTnf tnf;
  GBytes *type;
  GBytes *id;
  GBytes *payload;
} MusterNdefRecord;

void muster_ndef_record_free(MusterNdefRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterNdefRecord, muster_ndef_record_free)

/* The records of a message (a GPtrArray of MusterNdefRecord, freeing them), read up to
 * the record marked last (ME); bytes after it are padding and ignored. NULL with
 * MUSTER_ERROR_INVALID when the message is empty, truncated, chunked (CF, not supported)
 * or otherwise malformed, saying which record and offset. */
GPtrArray *muster_ndef_parse(const guint8 *data, gsize len, GError **error);

/* TRUE when the record is Well-known with this type ("T", "U"). */
gboolean muster_ndef_record_is_well_known(const MusterNdefRecord *record, const char *type);

/* A Text record's text as UTF-8 (from UTF-8 or UTF-16 with or without BOM), and its IANA
 * language code in *language (may be NULL). NULL with MUSTER_ERROR_INVALID when the
 * record is not a Text record or its payload is malformed. */
char *muster_ndef_text_decode(const MusterNdefRecord *record, char **language, GError **error);

/* A URI record's full URI (its abbreviation byte expanded), or an Absolute-URI record's
 * type. NULL with MUSTER_ERROR_INVALID when it is neither or is malformed. */
char *muster_ndef_uri_decode(const MusterNdefRecord *record, GError **error);

G_END_DECLS
