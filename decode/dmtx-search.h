/*
 * dmtx-search.h: libdmtx's Data Matrix search, the decoder's fallback for marks on metal.
 *
 * zxing-cpp reads printed Data Matrix in a few ms, but on direct part marks (low
 * contrast, perspective, light-on-dark, glare: tests/decode/dpm) libdmtx's edge-following
 * search reads several times more of them (decode/README.md has the figures). It searches
 * an image without a symbol until its deadline, so every search here is bounded by a
 * budget in wall-clock ms.
 */
#pragma once
#include "decode/grey-image.h"
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GBytes *data;    /* the message; a GS1 symbol's FNC1 in first position as a leading GS */
  int x, y;        /* about the symbol's centre, in the searched image's pixels */
  int error_words; /* the symbol's Reed-Solomon words: 5 in a 10×10, 7 in a 12×12 ... */
} MusterDmtxHit;

void muster_dmtx_hit_clear(MusterDmtxHit *hit);

/* Every Data Matrix libdmtx finds in image (inside a white quiet zone it adds) before
 * budget_ms pass: a GArray of MusterDmtxHit, empty when none. */
GArray *muster_dmtx_search(const MusterGreyImage *image, guint budget_ms);

G_END_DECLS
