/*
 * type2.h: NFC Forum Type 2 Tag memory (NTAG21x, MIFARE Ultralight): the capability
 * container, the TLV blocks of the data area, and the NDEF message inside them.
 *
 * Pure functions over the bytes read, so the same code serves the reader (which reads
 * the memory four pages at a time and stops as soon as the NDEF message is whole), the
 * tests and the fuzz target. Tag data is outside data: every length is checked against
 * what was read and against the data area the capability container declares.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_TYPE2_PAGE_SIZE 4
#define MUSTER_TYPE2_READ_SIZE 16  /* one READ command returns four pages */
#define MUSTER_TYPE2_DATA_START 16 /* the data area begins at page 4 */

typedef struct {
  guint8 major, minor; /* NDEF mapping version */
  gsize data_size;     /* bytes of the data area, from page 4 */
  gboolean read_only;
} MusterType2Cc;

/* Parses the capability container (page 3) of memory read from page 0. FALSE with
 * MUSTER_ERROR_INVALID when the tag is not NDEF formatted (no 0xE1 magic, major version
 * other than 1, empty data area). */
gboolean muster_type2_parse_cc(const guint8 *memory, gsize len, MusterType2Cc *cc, GError **error);

typedef enum {
  MUSTER_TYPE2_NDEF_FOUND,     /* *offset, *length locate the message in memory */
  MUSTER_TYPE2_NDEF_ABSENT,    /* a Terminator, or the data area's end, before any NDEF */
  MUSTER_TYPE2_NDEF_NEED_MORE, /* read memory up to *length bytes from page 0, then ask again */
} MusterType2NdefStatus;

/* Walks the TLVs of memory (read from page 0, len bytes, the data area as cc says) to
 * the first NDEF Message TLV. FALSE with MUSTER_ERROR_INVALID for a TLV that runs past
 * the data area or an unknown TLV type. An NDEF TLV of length 0 (a blank tag) is ABSENT. */
gboolean muster_type2_find_ndef(const guint8 *memory, gsize len, const MusterType2Cc *cc,
                                MusterType2NdefStatus *status, gsize *offset, gsize *length,
                                GError **error);

/* Both steps on a whole memory image: the NDEF message bytes, or NULL with *error set
 * (invalid) or NULL without error (no NDEF message). A NEED_MORE at the end of what was
 * given is an error: the image is truncated. */
GBytes *muster_type2_extract_ndef(const guint8 *memory, gsize len, GError **error);

/* The product name from a GET_VERSION answer (8 bytes): "ntag213", "ntag215",
 * "ntag216", "ultralight-ev1", ...; NULL when unknown. *signed_ is TRUE when the
 * product has an NXP originality signature (READ_SIG). */
const char *muster_type2_identify(const guint8 *version, gsize len, gboolean *signed_);

G_END_DECLS
