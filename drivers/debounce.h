/*
 * debounce.h: turns "this mark is in this frame" into "this mark came into view".
 *
 * Shared by the drivers whose device sees a mark again and again while it is held there:
 * the camera in every frame, and a UHF reader in every inventory round. A driver feeds it
 * sightings; what comes out is reads, so it lives beside the reader base class, not in
 * scan/ (a scan is already one read).
 *
 * A camera sees a mark held in front of it in every frame, 30 times a second, and misses
 * it in the odd frame (glare, motion blur). It is one scan until it has been out of view
 * for at least absent_frames frames and absent_ms milliseconds: both, so that neither a
 * fast camera (many frames in little time) nor a slow one (long frames) re-reads a mark
 * that only flickered. Marks are told apart by value (symbology and bytes), not by
 * position, so a mark moving through the picture stays one scan.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct _MusterDebounce MusterDebounce;

MusterDebounce *muster_debounce_new(guint absent_frames, guint absent_ms);
void muster_debounce_free(MusterDebounce *debounce);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterDebounce, muster_debounce_free)

/* key is in the current frame (at monotonic time now_us). TRUE when it was not in view:
 * that is a new scan. */
gboolean muster_debounce_seen(MusterDebounce *debounce, const char *key, gint64 now_us);
/* The current frame is over: marks out of view long enough are forgotten. */
void muster_debounce_end_frame(MusterDebounce *debounce, gint64 now_us);
/* Forgets everything (the camera was reopened: what is in view is new). */
void muster_debounce_reset(MusterDebounce *debounce);
/* Marks in view now. */
guint muster_debounce_n_in_view(MusterDebounce *debounce);

G_END_DECLS
