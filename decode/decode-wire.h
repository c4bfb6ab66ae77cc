/*
 * decode-wire.h: the messages between the decoder sandbox's client (decode-sandbox.c)
 * and its helper process (helper/muster-decode-helper.c): a frame one way, the symbols
 * found in it the other.
 *
 * Both ends are built from this file, so the format is native-endian and versioned only
 * by its magic numbers. Every field is length-prefixed. The client reads what the helper
 * wrote as untrusted input: the helper decodes images an attacker may have made, and a
 * helper whose decoder was subverted can write anything. So a reply is parsed against
 * hard bounds (its size, the number of symbols, each field's length, UTF-8 text, a known
 * shape of symbology name, a position inside the frame) and refused whole when any is
 * broken; nothing in it is ever used as a size to allocate before it is checked.
 *
 * A symbol carries every MusterSymbol field, the AIM identifier (`aim`, docs/scan-data.md)
 * as its 4 bytes.
 */
#pragma once
#include "decode/decoder.h"
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_WIRE_FRAME_MAGIC 0x3146444du /* "MDF1" */
#define MUSTER_WIRE_REPLY_MAGIC 0x3152444du /* "MDR1" */

/* Bounds a reply must keep: more symbols than any real frame holds, fields larger than
 * any QR (2953 bytes) or Data Matrix (1556), and text at most 4 UTF-8 bytes a byte. */
#define MUSTER_WIRE_MAX_REPLY (1u << 20)
#define MUSTER_WIRE_MAX_SYMBOLS 64u
#define MUSTER_WIRE_MAX_RAW 8192u
#define MUSTER_WIRE_MAX_TEXT (4u * MUSTER_WIRE_MAX_RAW)
#define MUSTER_WIRE_MAX_NAME 32u
#define MUSTER_WIRE_MAX_MESSAGE 1024u

/* Frame flags. PIXELS_SHARED: the pixels are in the shared memory file, not on the pipe.
 * TEST_*: asks a helper built with MUSTER_DECODE_HELPER_TEST_HOOKS to misbehave (the
 * installed helper refuses a frame that has any of them). */
enum {
  MUSTER_WIRE_PIXELS_SHARED = 1u << 0,
  MUSTER_WIRE_TEST_OPEN = 1u << 8,     /* try open("/etc/passwd") and socket(), say what happened */
  MUSTER_WIRE_TEST_CRASH = 1u << 9,    /* SIGSEGV */
  MUSTER_WIRE_TEST_HANG = 1u << 10,    /* never answer */
  MUSTER_WIRE_TEST_GARBAGE = 1u << 11, /* answer with a malformed reply */
  MUSTER_WIRE_TEST_FLAGS = 0xff00u,
};

/* What precedes each frame (its pixels follow on the pipe unless PIXELS_SHARED). */
typedef struct {
  guint32 magic;
  guint32 width;
  guint32 height;
  guint32 flags;
} MusterWireFrame;

/* Reply status. */
enum { MUSTER_WIRE_OK = 0, MUSTER_WIRE_FAILED = 1 };

/* A whole reply: magic, body length, body. */
GByteArray *muster_wire_reply_symbols(const GPtrArray *symbols);
GByteArray *muster_wire_reply_error(const char *message);

/* The body of a reply (after magic and length) for a frame of width × height. On
 * MUSTER_WIRE_OK, the symbols (MusterSymbol*). On MUSTER_WIRE_FAILED (the decoder refused
 * the frame), NULL, no error, and the helper's message in *refusal (valid UTF-8). A body
 * that breaks any bound: NULL with MUSTER_ERROR_FAILED saying which. */
GPtrArray *muster_wire_parse_reply(const guint8 *body, gsize len, guint width, guint height,
                                   char **refusal, GError **error);

G_END_DECLS
