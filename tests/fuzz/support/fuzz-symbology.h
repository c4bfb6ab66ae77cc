/*
 * fuzz-symbology.h: the symbology names the image decoder reports (decode/decoder.h,
 * decode/zxing-shim.h), for the image fuzz targets' checks: a name outside the list is a
 * broken promise.
 */
#pragma once
#include <glib.h>

static inline gboolean
fuzz_known_symbology(const char *name)
{
  static const char *const known[] = {"code128", "code39", "ean13",  "ean8",
                                      "upca",    "upce",   "qrcode", "datamatrix"};
  for (guint i = 0; i < G_N_ELEMENTS(known); i++)
    if (g_strcmp0(name, known[i]) == 0)
      return TRUE;
  return FALSE;
}
