/*
 * dpm-set.h: the direct-part-mark set: Data Matrix marks as they look on metal, of the
 * kinds that defeat readers (low contrast, dot-peen, glare, perspective, light on dark,
 * curved parts, and mixes of them), carrying the data weapon marks carry, and how a
 * decoder's reads of them are scored. Shared by the test (test-dpm.c) and the benchmark
 * (bench/bench-dpm.c), so both mean the same by "read" and "misread".
 *
 * Every image is made at run time from zint's modules and a seed fixed by the kind and
 * the image's number: the set is the same everywhere, and a failure names the image to
 * look at (bench-dpm --save).
 */
#pragma once
#include "decode/decoder.h"
#include "dpm-render.h"

G_BEGIN_DECLS

#define DPM_FRAME_WIDTH 640
#define DPM_FRAME_HEIGHT 480

/* What a mark carries. */
typedef struct {
  const char *name;          /* "uii-26x26" */
  const char *const zint[5]; /* zint's arguments, NULL-terminated */
  const char *data;          /* the scan data as docs/scan-data.md says: no leading FNC1,
                                GS separators, ISO/IEC 15434 RS/GS/EOT kept */
  gboolean gs1;
} DpmPayload;

extern const DpmPayload dpm_payloads[];
extern const guint dpm_n_payloads;

/* A kind of mark: how its look is drawn. */
typedef struct {
  const char *name;   /* "dot-peen" */
  const char *models; /* what it stands for, one line */
  /* Sets what makes this kind (the rest of look is already drawn); modules: the
   * symbol's larger side. */
  void (*draw)(DpmLook *look, guint modules, GRand *rand);
  guint min_percent; /* the read rate a decoder must reach, with its preprocessing */
} DpmKind;

extern const DpmKind dpm_kinds[];
extern const guint dpm_n_kinds;

typedef struct _DpmSet DpmSet;

/* The set's symbols, from zint (see dpm_matrix_from_zint() for the errors). */
DpmSet *dpm_set_new(GError **error);
void dpm_set_free(DpmSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpmSet, dpm_set_free)

/* Image number index of kind: a DPM_FRAME_WIDTH×DPM_FRAME_HEIGHT frame, and the payload
 * it carries. */
MusterGreyImage *dpm_set_image(const DpmSet *set, const DpmKind *kind, guint index,
                               const DpmPayload **payload);

/* A decoder without its own preprocessing (scaled retries, inversion, quiet zone), to
 * show what that preprocessing earns; NULL while the decoder cannot turn it off. */
MusterDecoder *dpm_decoder_without_preprocessing(guint dmtx_budget_ms);

/* The reads of one kind by one decoder. */
typedef struct {
  guint images, read, misread;
  GArray *ms;     /* time of each decode, milliseconds */
  GPtrArray *bad; /* each misread: "image N: <symbology> \"<text escaped>\"" */
} DpmTally;

void dpm_tally_init(DpmTally *tally);
void dpm_tally_clear(DpmTally *tally);
/* Decodes image (number index, carrying payload) and counts it: read when a Data Matrix
 * carries payload's data (a GS1 one may also come with the leading GS of the older form);
 * every other symbol found is a misread. FALSE only when the decoder fails. */
gboolean dpm_tally_decode(DpmTally *tally, MusterDecoder *decoder, const MusterGreyImage *image,
                          guint index, const DpmPayload *payload, GError **error);

G_END_DECLS
