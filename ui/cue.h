/*
 * cue.h: what a counter sees and hears for each scan outcome.
 *
 * One row per outcome in a table: a CSS class (colour), an icon, a short word that
 * works at a glance, and a tone pattern. Tones are synthesised as small WAV files in
 * memory (no sound files to ship or lose) and played with GtkMediaFile; each outcome's
 * pattern differs in pitch and rhythm so that a counter who is not looking at the
 * screen still knows what happened: one high beep = accepted, two short = already
 * counted, low long = a problem to put aside.
 */
#pragma once
#include "db/ingest.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  MusterOutcome outcome;
  const char *css_class; /* "cue-accepted", ... */
  const char *icon_name;
  const char *title; /* untranslated; show with _() */
  guint tone_hz;     /* pitch of the beeps */
  guint beeps;       /* how many */
  guint beep_ms;     /* each, with as long a pause between */
} MusterKioskCue;

const MusterKioskCue *muster_kiosk_cue_for(MusterOutcome outcome);
/* Every CSS class a cue may set, NULL-terminated (to remove the previous one). */
const char *const *muster_kiosk_cue_classes(void);

/* The cue's tone as a WAV file (16-bit mono PCM, 16 kHz). */
GBytes *muster_kiosk_cue_wav(const MusterKioskCue *cue);

/* Sets the cue's class on widget (removing any other cue class) and plays its tone
 * unless MUSTER_KIOSK_SILENT is set (tests) or no media backend is available, in
 * which case problem outcomes ring the display bell instead. */
void muster_kiosk_cue_show(const MusterKioskCue *cue, GtkWidget *widget);

G_END_DECLS
