/*
 * decode-wire.c: the decoder sandbox's reply format, written by the helper and read,
 * bounds-checked, by the client (see decode-wire.h).
 *
 * Body: status (u32); MUSTER_WIRE_FAILED: message (string); MUSTER_WIRE_OK: count (u32),
 * then per symbol: symbology (string), raw (string), text (string), gs1 (u8), inverted
 * (u8), x (i32), y (i32), aim (4 bytes). A string is a u32 length and its bytes.
 */
#include "decode/decode-wire.h"

#include <string.h>

#include "core/muster-error.h"

#define AIM_LEN 4

/* ---- Writing (the helper) ---- */

static void
put_u32(GByteArray *out, guint32 v)
{
  g_byte_array_append(out, (const guint8 *)&v, sizeof v);
}

static void
put_bytes(GByteArray *out, const void *data, gsize len)
{
  put_u32(out, (guint32)len);
  g_byte_array_append(out, data, (guint)len);
}

static void
put_symbol(GByteArray *out, const MusterSymbol *symbol)
{
  gsize raw_len = 0;
  const guint8 *raw = g_bytes_get_data(symbol->raw, &raw_len);
  put_bytes(out, symbol->symbology, strlen(symbol->symbology));
  put_bytes(out, raw, raw_len);
  put_bytes(out, symbol->text, strlen(symbol->text));
  guint8 flags[2] = {symbol->gs1 ? 1 : 0, symbol->inverted ? 1 : 0};
  g_byte_array_append(out, flags, sizeof flags);
  gint32 xy[2] = {symbol->x, symbol->y};
  g_byte_array_append(out, (const guint8 *)xy, sizeof xy);
  g_byte_array_append(out, (const guint8 *)symbol->aim, AIM_LEN);
}

/* Magic and a placeholder length, filled in by finish(). */
static GByteArray *
start(guint32 status)
{
  GByteArray *out = g_byte_array_new();
  put_u32(out, MUSTER_WIRE_REPLY_MAGIC);
  put_u32(out, 0);
  put_u32(out, status);
  return out;
}

static GByteArray *
finish(GByteArray *out)
{
  guint32 body = out->len - 2 * sizeof(guint32);
  memcpy(out->data + sizeof(guint32), &body, sizeof body);
  return out;
}

GByteArray *
muster_wire_reply_symbols(const GPtrArray *symbols)
{
  GByteArray *out = start(MUSTER_WIRE_OK);
  guint n = MIN(symbols->len, MUSTER_WIRE_MAX_SYMBOLS);
  put_u32(out, n);
  for (guint i = 0; i < n; i++)
    put_symbol(out, symbols->pdata[i]);
  return finish(out);
}

GByteArray *
muster_wire_reply_error(const char *message)
{
  GByteArray *out = start(MUSTER_WIRE_FAILED);
  put_bytes(out, message, MIN(strlen(message), MUSTER_WIRE_MAX_MESSAGE));
  return finish(out);
}

/* ---- Reading (the client): every read checked against what is left ---- */

typedef struct {
  const guint8 *p;
  gsize left;
  const char *broken; /* the first bound broken, NULL while none */
} Reader;

static gboolean
take(Reader *r, void *dest, gsize len, const char *what)
{
  if (r->broken != NULL)
    return FALSE;
  if (len > r->left) {
    r->broken = what;
    return FALSE;
  }
  memcpy(dest, r->p, len);
  r->p += len;
  r->left -= len;
  return TRUE;
}

/* A string of at most max bytes, NUL-terminated; NULL when it does not fit. */
static char *
take_string(Reader *r, guint32 max, gsize *len_out, const char *what)
{
  guint32 len = 0;
  if (!take(r, &len, sizeof len, what))
    return NULL;
  if (len > max || len > r->left) {
    r->broken = what;
    return NULL;
  }
  char *s = g_malloc(len + 1);
  take(r, s, len, what);
  s[len] = '\0';
  *len_out = len;
  return s;
}

static gboolean
is_symbology_name(const char *name, gsize len)
{
  if (len == 0 || strlen(name) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower(name[i]) && !g_ascii_isdigit(name[i]) && name[i] != '-' && name[i] != '_')
      return FALSE;
  return TRUE;
}

/* An AIM identifier ("]d2") or nothing (four zeros). */
static gboolean
is_aim(const char aim[AIM_LEN])
{
  if (aim[0] == '\0')
    return aim[1] == '\0' && aim[2] == '\0' && aim[3] == '\0';
  return aim[0] == ']' && g_ascii_isgraph(aim[1]) && g_ascii_isgraph(aim[2]) && aim[3] == '\0';
}

static MusterSymbol *
take_symbol(Reader *r, guint width, guint height)
{
  g_autoptr(MusterSymbol) symbol = g_new0(MusterSymbol, 1);
  gsize len = 0;
  symbol->symbology = take_string(r, MUSTER_WIRE_MAX_NAME, &len, "symbology");
  if (symbol->symbology != NULL && !is_symbology_name(symbol->symbology, len))
    r->broken = "symbology";
  char *raw = take_string(r, MUSTER_WIRE_MAX_RAW, &len, "raw");
  /* Never NULL: muster_symbol_free() unrefs it. */
  symbol->raw = raw != NULL ? g_bytes_new_take(raw, len) : g_bytes_new(NULL, 0);
  symbol->text = take_string(r, MUSTER_WIRE_MAX_TEXT, &len, "text");
  if (symbol->text != NULL &&
      (strlen(symbol->text) != len || !g_utf8_validate(symbol->text, len, NULL)))
    r->broken = "text";
  guint8 flags[2] = {0};
  gint32 xy[2] = {0};
  char aim[AIM_LEN] = {0};
  take(r, flags, sizeof flags, "flags");
  take(r, xy, sizeof xy, "position");
  take(r, aim, AIM_LEN, "aim");
  if (r->broken != NULL)
    return NULL;
  if (flags[0] > 1 || flags[1] > 1)
    r->broken = "flags";
  else if (xy[0] < 0 || xy[1] < 0 || (guint)xy[0] > width || (guint)xy[1] > height)
    r->broken = "position";
  else if (!is_aim(aim))
    r->broken = "aim";
  if (r->broken != NULL)
    return NULL;
  symbol->gs1 = flags[0];
  symbol->inverted = flags[1];
  symbol->x = xy[0];
  symbol->y = xy[1];
  memcpy(symbol->aim, aim, AIM_LEN);
  return g_steal_pointer(&symbol);
}

static GPtrArray *
take_symbols(Reader *r, guint width, guint height)
{
  guint32 n = 0;
  if (!take(r, &n, sizeof n, "count"))
    return NULL;
  if (n > MUSTER_WIRE_MAX_SYMBOLS) {
    r->broken = "count";
    return NULL;
  }
  g_autoptr(GPtrArray) symbols = g_ptr_array_new_with_free_func((GDestroyNotify)muster_symbol_free);
  for (guint32 i = 0; i < n; i++) {
    MusterSymbol *symbol = take_symbol(r, width, height);
    if (symbol == NULL)
      return NULL;
    g_ptr_array_add(symbols, symbol);
  }
  return g_steal_pointer(&symbols);
}

/* The helper's message, made safe to show: valid UTF-8, no control characters. */
static char *
take_refusal(Reader *r)
{
  gsize len = 0;
  g_autofree char *message = take_string(r, MUSTER_WIRE_MAX_MESSAGE, &len, "message");
  if (message == NULL)
    return NULL;
  char *safe = g_utf8_make_valid(message, (gssize)len);
  for (char *c = safe; *c != '\0'; c++)
    if ((guchar)*c < 0x20 || *c == 0x7f)
      *c = ' ';
  return safe;
}

GPtrArray *
muster_wire_parse_reply(const guint8 *body, gsize len, guint width, guint height, char **refusal,
                        GError **error)
{
  Reader r = {body, len, NULL};
  guint32 status = G_MAXUINT32;
  take(&r, &status, sizeof status, "status");
  g_autoptr(GPtrArray) symbols = NULL;
  g_autofree char *message = NULL;
  if (status == MUSTER_WIRE_OK)
    symbols = take_symbols(&r, width, height);
  else if (status == MUSTER_WIRE_FAILED)
    message = take_refusal(&r);
  else if (r.broken == NULL)
    r.broken = "status";
  if (r.broken == NULL && r.left != 0)
    r.broken = "length (bytes after the end)";
  if (r.broken != NULL) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED,
                "malformed reply from the decoder helper (bad %s)", r.broken);
    return NULL;
  }
  if (message != NULL)
    *refusal = g_steal_pointer(&message);
  return g_steal_pointer(&symbols);
}
