/*
 * dpm-matrix.h: a Data Matrix symbol as its grid of modules, exactly as zint encodes it.
 *
 * Direct part marks are drawn module by module (a dot-peen dot, a laser cell), so the
 * generator needs the symbol's modules, not a picture of it. zint's --dump prints them as
 * hexadecimal rows; reading those keeps zint the only encoder, so the bytes a test
 * expects are the bytes zint put in the symbol.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint width, height; /* in modules, finder and timing patterns included, no quiet zone */
  guint8 *dark;        /* width * height, row by row: 1 for a marked (dark) module */
} DpmMatrix;

/* Runs `zint --dump ARGS` (args NULL-terminated, e.g. "--barcode=DATAMATRIX", "--vers=9",
 * "--data=..."); $MUSTER_ZINT names the program, else "zint" on the PATH. Fails when zint
 * cannot run or fails, or when its output is not a Data Matrix (no solid finder L). */
DpmMatrix *dpm_matrix_from_zint(const char *const *args, GError **error);
void dpm_matrix_free(DpmMatrix *matrix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpmMatrix, dpm_matrix_free)

/* TRUE for a dark module; FALSE outside the symbol (the quiet zone). */
gboolean dpm_matrix_dark(const DpmMatrix *matrix, int col, int row);

G_END_DECLS
