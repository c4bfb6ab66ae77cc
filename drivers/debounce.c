/*
 * debounce.c: one scan per mark in view (see debounce.h).
 */
#include "drivers/debounce.h"

typedef struct {
  guint64 last_frame;
  gint64 last_us;
} Sighting;

struct _MusterDebounce {
  guint absent_frames;
  gint64 absent_us;
  guint64 frame;       /* the current frame's number */
  gint64 last_end_us;  /* when the last frame ended */
  GHashTable *in_view; /* key → Sighting */
};

MusterDebounce *
muster_debounce_new(guint absent_frames, guint absent_ms)
{
  MusterDebounce *debounce = g_new0(MusterDebounce, 1);
  debounce->absent_frames = MAX(absent_frames, 1);
  debounce->absent_us = (gint64)absent_ms * 1000;
  debounce->in_view = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return debounce;
}

void
muster_debounce_free(MusterDebounce *debounce)
{
  if (debounce == NULL)
    return;
  g_hash_table_unref(debounce->in_view);
  g_free(debounce);
}

gboolean
muster_debounce_seen(MusterDebounce *debounce, const char *key, gint64 now_us)
{
  Sighting *s = g_hash_table_lookup(debounce->in_view, key);
  gboolean is_new = s == NULL;
  if (is_new) {
    s = g_new0(Sighting, 1);
    g_hash_table_insert(debounce->in_view, g_strdup(key), s);
  }
  s->last_frame = debounce->frame;
  s->last_us = now_us;
  return is_new;
}

static gboolean
gone(gpointer key, gpointer value, gpointer data)
{
  const MusterDebounce *debounce = data;
  const Sighting *s = value;
  return debounce->frame - s->last_frame >= debounce->absent_frames &&
         debounce->absent_us <= G_MAXINT64 - s->last_us &&
         s->last_us + debounce->absent_us <= debounce->last_end_us;
}

void
muster_debounce_end_frame(MusterDebounce *debounce, gint64 now_us)
{
  debounce->last_end_us = now_us;
  g_hash_table_foreach_remove(debounce->in_view, gone, debounce);
  debounce->frame++;
}

void
muster_debounce_reset(MusterDebounce *debounce)
{
  g_hash_table_remove_all(debounce->in_view);
}

guint
muster_debounce_n_in_view(MusterDebounce *debounce)
{
  return g_hash_table_size(debounce->in_view);
}
