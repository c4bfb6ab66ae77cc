/*
 * zxing-blackbox.h: ZXing's black-box image sets, read the one way the decode-rate test
 * (test-zxing-blackbox.c) and the benchmark (bench/bench-decode.c) both read them.
 *
 * A set is a folder of images, each with a .txt of the text it carries, and ZXing's own
 * threshold: how many its reader must decode ("falsepositives" has no marks and a limit
 * on detections instead). The thresholds are copied from each set's README as data.
 */
#pragma once
#include "decode/decoder.h"

G_BEGIN_DECLS

typedef struct {
  const char *set;
  const char *symbology; /* NULL: the false-positive set */
  guint must_decode;     /* ZXing's threshold */
  guint max_detections;  /* false-positive set only */
} ZxingBlackboxSet;

extern const ZxingBlackboxSet zxing_blackbox_sets[];
extern const guint zxing_blackbox_n_sets;

typedef struct {
  guint images, decoded, misread, detections;
  double decode_ms; /* time in muster_decoder_decode(), all images */
} ZxingBlackboxTally;

/* $MUSTER_ZXING_BLACKBOX, else ../shared/data/zxing-blackbox beside the source tree
 * ($MUSTER_SOURCE_DIR, else the current folder). */
char *zxing_blackbox_dir(void);

/* Called for each symbol that is not the image's expected text, and for each image of
 * a marked set where nothing was found (symbol NULL). */
typedef void (*ZxingBlackboxProblem)(const ZxingBlackboxSet *set, const char *image,
                                     const MusterSymbol *symbol, gpointer data);

/* Decodes every image of set under root, in name order, and tallies it: decoded when a
 * symbol of the set's symbology carries the expected text, misread for every other
 * symbol (marked sets), a detection for an image with any symbol. */
gboolean zxing_blackbox_run_set(MusterDecoder *decoder, const char *root,
                                const ZxingBlackboxSet *set, ZxingBlackboxTally *tally,
                                ZxingBlackboxProblem problem, gpointer data, GError **error);

G_END_DECLS
