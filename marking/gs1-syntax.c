/*
 * gs1-syntax.c: asks GS1's Barcode Syntax Engine for its verdict on scan data.
 *
 * Why GS1's engine and not a table of our own: a hand-written AI table is a second
 * opinion that drifts from GS1's (a missing AI, an old length, a rule about which AIs
 * need which), and then a mark GS1 calls wrong becomes a clean marking, or the reverse.
 * The engine is GS1's reference implementation, built from GS1's syntax dictionary.
 *
 * Contexts: an engine context is not thread-safe and costs an AI table to set up, and
 * readers run on threads; so each thread keeps one context (GPrivate), freed when the
 * thread ends.
 *
 * Validations: every one GS1 ships is on (gs1_loadValidationTable() in ai.c). The
 * locked ones (mutually exclusive AIs, repeated AIs with different values, a digital
 * signature needs a serialised key) cannot be turned off; "requisite AIs" (a (21) needs
 * an (01), (03) or (8006) ...) is on by default and set on here, because a serial
 * without its key is exactly the data GS1 calls incomplete. Unknown AIs stay refused,
 * also set explicitly: without its definition an AI's length is unknown and the rest
 * cannot be split safely. The one validation left at its default concerns Digital Link
 * URIs, which docs/scan-data.md does not treat as GS1 element strings (they come as
 * "]Q1", plain data) and which never reach the engine.
 */
#include "marking/gs1-syntax.h"

#include <gs1encoders.h>
#include <string.h>

static void
context_free(gpointer ctx)
{
  gs1_encoder_free(ctx);
}

static GPrivate engine_context = G_PRIVATE_INIT(context_free);

/* This thread's engine context, made on first use; NULL when the engine cannot start
 * (out of memory: its embedded AI table is compiled in). */
static gs1_encoder *
thread_context(void)
{
  gs1_encoder *ctx = g_private_get(&engine_context);
  if (ctx == NULL) {
    ctx = gs1_encoder_init_ex(NULL, NULL); /* the embedded AI table; no file is read */
    if (ctx != NULL) {
      /* today's defaults, pinned so that a new upstream default cannot loosen them */
      gs1_encoder_setValidationEnabled(ctx, gs1_encoder_vREQUISITE_AIS, true);
      gs1_encoder_setPermitUnknownAIs(ctx, false);
    }
    g_private_set(&engine_context, ctx);
  }
  return ctx;
}

void
muster_gs1_verdict_free(MusterGs1Verdict *verdict)
{
  if (verdict == NULL)
    return;
  g_free(verdict->message);
  g_free(verdict->markup);
  g_clear_pointer(&verdict->ais, g_hash_table_unref);
  g_free(verdict);
}

/* The engine's message and markup quote the data, which may be any bytes: both are made
 * valid UTF-8, since they are shown to people and written as JSON. */
static MusterGs1Verdict *
verdict_invalid(MusterGs1Verdict *verdict, const char *message, const char *markup)
{
  verdict->valid = FALSE;
  verdict->message = g_utf8_make_valid(message, -1);
  verdict->markup = markup != NULL && markup[0] != '\0' ? g_utf8_make_valid(markup, -1) : NULL;
  g_hash_table_remove_all(verdict->ais);
  return verdict;
}

/* The engine's HRI lines are "(AI) value" with the value as read. */
static void
take_ais(gs1_encoder *ctx, GHashTable *ais)
{
  char **hri = NULL;
  int n = gs1_encoder_getHRI(ctx, &hri);
  for (int i = 0; i < n; i++) {
    const char *close = strchr(hri[i], ')');
    if (hri[i][0] != '(' || close == NULL || close[1] != ' ')
      continue; /* "--" between a linear and a composite component */
    g_hash_table_replace(ais, g_strndup(hri[i] + 1, (gsize)(close - hri[i] - 1)),
                         g_strdup(close + 2));
  }
}

MusterGs1Verdict *
muster_gs1_syntax_check(const char *scan_data, gsize len)
{
  MusterGs1Verdict *verdict = g_new0(MusterGs1Verdict, 1);
  verdict->ais = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  if (scan_data == NULL || memchr(scan_data, '\0', len) != NULL)
    return verdict_invalid(verdict, "The data holds a NUL byte, which no GS1 symbol carries",
                           NULL);
  gs1_encoder *ctx = thread_context();
  if (ctx == NULL)
    return verdict_invalid(verdict, "GS1's syntax engine could not start (out of memory)",
                           NULL);
  g_autofree char *text = g_strndup(scan_data, len); /* the engine takes a C string */
  /* The engine knows no ]d8 (GS1 DMRE, ISO/IEC 21471 adds 6 to Data Matrix's modifier):
   * its element string is a GS1 Data Matrix's, so it is checked as ]d2. */
  if (g_str_has_prefix(text, "]d8"))
    text[2] = '2';
  if (!gs1_encoder_setScanData(ctx, text))
    return verdict_invalid(verdict, gs1_encoder_getErrMsg(ctx), gs1_encoder_getErrMarkup(ctx));
  verdict->valid = TRUE;
  take_ais(ctx, verdict->ais);
  return verdict;
}
