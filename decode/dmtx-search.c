/*
 * dmtx-search.c: one bounded libdmtx search (see dmtx-search.h).
 *
 * libdmtx gets DmtxPropFnc1 = GS so that a GS1 symbol's FNC1 separators survive as GS
 * instead of vanishing, and a 16-pixel white quiet zone: a mark cropped to its edge has
 * none, and libdmtx's edge finder needs one. Its origin is the bottom left, which the
 * positions are turned from.
 */
#include "decode/dmtx-search.h"

#include <dmtx.h>

#define GS 0x1d
/* Quiet zone added around the image, in pixels. */
#define DMTX_MARGIN 16

void
muster_dmtx_hit_clear(MusterDmtxHit *hit)
{
  g_clear_pointer(&hit->data, g_bytes_unref);
}

static MusterDmtxHit
hit_new(DmtxDecode *dec, DmtxRegion *reg, const DmtxMessage *msg)
{
  DmtxVector2 centre = {0.5, 0.5};
  dmtxMatrix3VMultiplyBy(&centre, reg->fit2raw);
  int height = dmtxDecodeGetProp(dec, DmtxPropHeight);
  return (MusterDmtxHit){g_bytes_new(msg->output, msg->outputIdx), (int)centre.X - DMTX_MARGIN,
                         (int)(height - 1 - centre.Y) - DMTX_MARGIN,
                         dmtxGetSymbolAttribute(DmtxSymAttribSymbolErrorWords, reg->sizeIdx)};
}

GArray *
muster_dmtx_search(const MusterGreyImage *image, guint budget_ms)
{
  GArray *hits = g_array_new(FALSE, FALSE, sizeof(MusterDmtxHit));
  g_array_set_clear_func(hits, (GDestroyNotify)muster_dmtx_hit_clear);
  g_autoptr(MusterGreyImage) padded = muster_grey_image_pad(image, DMTX_MARGIN);
  if (padded == NULL)
    return hits;
  DmtxImage *dimage =
      dmtxImageCreate(padded->pixels, (int)padded->width, (int)padded->height, DmtxPack8bppK);
  if (dimage == NULL)
    return hits;
  dmtxImageSetProp(dimage, DmtxPropImageFlip, DmtxFlipNone);
  DmtxDecode *dec = dmtxDecodeCreate(dimage, 1);
  if (dec != NULL) {
    dmtxDecodeSetProp(dec, DmtxPropFnc1, GS);
    DmtxTime deadline = dmtxTimeAdd(dmtxTimeNow(), (long)MAX(budget_ms, 1));
    DmtxRegion *reg;
    while ((reg = dmtxRegionFindNext(dec, &deadline)) != NULL) {
      DmtxMessage *msg = dmtxDecodeMatrixRegion(dec, reg, DmtxUndefined);
      if (msg != NULL) {
        MusterDmtxHit hit = hit_new(dec, reg, msg);
        g_array_append_val(hits, hit);
        dmtxMessageDestroy(&msg);
      }
      dmtxRegionDestroy(&reg);
    }
    dmtxDecodeDestroy(&dec);
  }
  dmtxImageDestroy(&dimage);
  return hits;
}
