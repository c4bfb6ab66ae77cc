/*
 * cue.c: outcome cues (see cue.h).
 */
#include "ui/cue.h"

#include "ui/i18n.h"
#include <math.h>
#include <string.h>

#define SAMPLE_RATE 16000

static const MusterKioskCue cues[] = {
    {MUSTER_OUTCOME_ACCEPTED, "cue-accepted", "emblem-ok-symbolic", N_("Counted"), 1760, 1, 90},
    {MUSTER_OUTCOME_DUPLICATE, "cue-duplicate", "view-refresh-symbolic", N_("Already counted"),
     1320, 2, 60},
    {MUSTER_OUTCOME_UNKNOWN, "cue-unknown", "dialog-question-symbolic", N_("Unknown marking"), 440,
     2, 200},
    {MUSTER_OUTCOME_WRONG_LOCATION, "cue-wrong-location", "mark-location-symbolic",
     N_("Wrong location"), 660, 3, 120},
    {MUSTER_OUTCOME_STATUS_CONFLICT, "cue-status-conflict", "dialog-warning-symbolic",
     N_("Status conflict"), 330, 1, 600},
    {MUSTER_OUTCOME_NOT_GENUINE, "cue-not-genuine", "security-low-symbolic", N_("Not genuine"), 220,
     4, 150},
    {MUSTER_OUTCOME_UNREADABLE, "cue-unreadable", "dialog-error-symbolic", N_("Unreadable"), 550, 1,
     300},
    {MUSTER_OUTCOME_AMBIGUOUS, "cue-ambiguous", "dialog-warning-symbolic", N_("Ambiguous marking"),
     330, 2, 300},
};

static const char *const classes[] = {
    "cue-accepted",       "cue-duplicate",       "cue-unknown",
    "cue-wrong-location", "cue-status-conflict", "cue-not-genuine",
    "cue-unreadable",     "cue-ambiguous",       NULL};

const MusterKioskCue *
muster_kiosk_cue_for(MusterOutcome outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS(cues); i++)
    if (cues[i].outcome == outcome)
      return &cues[i];
  return &cues[G_N_ELEMENTS(cues) - 2]; /* unreadable: never silent */
}

const char *const *
muster_kiosk_cue_classes(void)
{
  return classes;
}

static void
put_le(GByteArray *out, guint32 v, guint bytes)
{
  for (guint i = 0; i < bytes; i++) {
    guint8 b = (v >> (8 * i)) & 0xff;
    g_byte_array_append(out, &b, 1);
  }
}

GBytes *
muster_kiosk_cue_wav(const MusterKioskCue *cue)
{
  guint beep = SAMPLE_RATE * cue->beep_ms / 1000;
  guint n = beep * (2 * cue->beeps - 1);
  GByteArray *out = g_byte_array_sized_new(44 + 2 * n);
  g_byte_array_append(out, (const guint8 *)"RIFF", 4);
  put_le(out, 36 + 2 * n, 4);
  g_byte_array_append(out, (const guint8 *)"WAVEfmt ", 8);
  put_le(out, 16, 4); /* fmt chunk size */
  put_le(out, 1, 2);  /* PCM */
  put_le(out, 1, 2);  /* mono */
  put_le(out, SAMPLE_RATE, 4);
  put_le(out, SAMPLE_RATE * 2, 4);
  put_le(out, 2, 2);
  put_le(out, 16, 2);
  g_byte_array_append(out, (const guint8 *)"data", 4);
  put_le(out, 2 * n, 4);
  for (guint i = 0; i < n; i++) {
    guint in_beep = i % (2 * beep);
    double v = 0;
    if (in_beep < beep) {
      /* A short fade in and out, so a beep does not click. */
      double env = MIN(1.0, MIN(in_beep, beep - in_beep) / (SAMPLE_RATE * 0.005));
      v = 0.6 * env * sin(2 * G_PI * cue->tone_hz * i / SAMPLE_RATE);
    }
    put_le(out, (guint16)(gint16)(v * 32767), 2);
  }
  return g_byte_array_free_to_bytes(out);
}

static GtkMediaStream *
stream_for(const MusterKioskCue *cue)
{
  static GHashTable *streams; /* cue -> GtkMediaStream, kept for the process's life */
  if (streams == NULL)
    streams = g_hash_table_new(NULL, NULL);
  GtkMediaStream *stream = g_hash_table_lookup(streams, cue);
  if (stream == NULL) {
    g_autoptr(GBytes) wav = muster_kiosk_cue_wav(cue);
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes(wav);
    stream = gtk_media_file_new_for_input_stream(in);
    g_hash_table_insert(streams, (gpointer)cue, stream);
  }
  return stream;
}

void
muster_kiosk_cue_show(const MusterKioskCue *cue, GtkWidget *widget)
{
  for (const char *const *c = classes; *c != NULL; c++)
    gtk_widget_remove_css_class(widget, *c);
  gtk_widget_add_css_class(widget, cue->css_class);
  if (g_getenv("MUSTER_KIOSK_SILENT") != NULL)
    return;
  GtkMediaStream *stream = stream_for(cue);
  if (gtk_media_stream_get_error(stream) != NULL) {
    if (cue->outcome != MUSTER_OUTCOME_ACCEPTED)
      gtk_widget_error_bell(widget);
    return;
  }
  gtk_media_stream_seek(stream, 0);
  gtk_media_stream_play(stream);
}
