/*
 * dpm-set.c: the direct-part-mark set's data, kinds and scoring (see dpm-set.h).
 *
 * Each image's look is drawn in two steps from its seed: what every part has (a finish,
 * scratches, uneven light, some blur and noise, any rotation, a slight tilt, a module of
 * 4 to 10 pixels), then what makes its kind. The ranges are those of marks seen on
 * parts: a low-contrast mark differs from its metal by 20 to 40 grey levels; a dot-peen
 * dot is 60 to 80 % of the pitch across; a tilt is up to 30°.
 */
#include "dpm-set.h"

#include <math.h>
#include <string.h>

#define DEG (G_PI / 180)
#define DM "--barcode=DATAMATRIX"

const DpmPayload dpm_payloads[] = {
    {"serial-10x10", {DM, "--vers=1", "--data=204118"}, "204118", FALSE},
    {"serial-14x14", {DM, "--vers=3", "--data=GL-123456"}, "GL-123456", FALSE},
    /* MIL-STD-130 UII, construct 2 as one 25S element (CAGE code + serial), in ISO/IEC
     * 15434 format 06. */
    {"uii-22x22",
     {DM, "--esc", "--vers=7", "--data=[)>\\R06\\G25S0CVA5GL123456\\R\\E"},
     "[)>\x1e"
     "06\x1d"
     "25S0CVA5GL123456\x1e\x04",
     FALSE},
    /* The same with the CAGE code, part number and serial as three elements. */
    {"uii-26x26",
     {DM, "--esc", "--vers=9", "--data=[)>\\R06\\G17V1A2B3\\G1PAK47-GL\\GS0012345\\R\\E"},
     "[)>\x1e"
     "06\x1d"
     "17V1A2B3\x1d"
     "1PAK47-GL\x1dS0012345\x1e\x04",
     FALSE},
    {"gs1-18x18",
     {DM, "--gs1", "--vers=5", "--data=[01]09506000134352[21]ABC123"},
     "0109506000134352"
     "21ABC123",
     TRUE},
    /* Rectangular, for the narrow flat of a barrel or a slide; (10) needs a separator. */
    {"gs1-12x36",
     {DM, "--gs1", "--vers=28", "--data=[01]09506000134352[21]A7X9[10]L42"},
     "0109506000134352"
     "21A7X9\x1d"
     "10L42",
     TRUE},
};
const guint dpm_n_payloads = G_N_ELEMENTS(dpm_payloads);

/* ---- kinds ---------------------------------------------------------------------- */

static void
low_contrast(DpmLook *look, guint modules, GRand *rand)
{
  look->mark = look->metal - g_rand_double_range(rand, 20, 40);
  look->texture = g_rand_double_range(rand, 3, 5);
  look->scratches += 3;
}

static void
dots(DpmLook *look, GRand *rand)
{
  look->cell = DPM_CELL_DOT;
  look->dot_radius = g_rand_double_range(rand, 0.3, 0.4);
  look->dot_jitter = 0.08;
  look->dot_size_jitter = 0.15;
  /* A peen needs room: no dot-peen machine marks 4-pixel modules at this distance. */
  look->module_px = MAX(look->module_px, 6);
}

static void
dot_peen(DpmLook *look, guint modules, GRand *rand)
{
  dots(look, rand);
}

static void
glare(DpmLook *look, guint modules, GRand *rand)
{
  look->glare = g_rand_double_range(rand, 0.6, 0.8);
  look->glare_band = g_rand_boolean(rand);
}

static void
perspective(DpmLook *look, guint modules, GRand *rand)
{
  look->tilt = g_rand_double_range(rand, 15, 30) * DEG;
  look->blur = g_rand_double_range(rand, 1.0, 1.6);
  look->module_px = MAX(look->module_px, 5);
}

static void
light_on_dark(DpmLook *look, guint modules, GRand *rand)
{
  look->metal = g_rand_double_range(rand, 40, 60);
  look->mark = look->metal + g_rand_double_range(rand, 70, 110);
}

static void
dot_peen_low_contrast(DpmLook *look, guint modules, GRand *rand)
{
  dots(look, rand);
  look->mark = look->metal - g_rand_double_range(rand, 25, 40);
  look->texture = g_rand_double_range(rand, 3, 5);
}

static void
perspective_glare(DpmLook *look, guint modules, GRand *rand)
{
  perspective(look, modules, rand);
  look->glare = g_rand_double_range(rand, 0.5, 0.7);
  look->glare_band = g_rand_boolean(rand);
}

static void
cylinder(DpmLook *look, guint modules, GRand *rand)
{
  look->module_px = MAX(look->module_px, 5);
  /* The symbol wraps 50 to 70° of the shaft. */
  look->cylinder_radius = modules * look->module_px / (g_rand_double_range(rand, 50, 70) * DEG);
}

/* The thresholds are floors that the decoder (zxing-cpp, then libdmtx's fallback and the
 * dot-peen view) meets with room to spare (libdmtx's wall-clock budget makes its rate
 * vary with the machine's load); see README.md for the measured rates. 0: read too
 * rarely yet for a floor (dot-peen: 1 or 2 in 10). A decoder that reads more raises them. */
const DpmKind dpm_kinds[] = {
    {"low-contrast", "etched or ink-marked, 20-40 grey levels from textured metal", low_contrast,
     10},
    {"dot-peen", "round dots with bare metal between, jittered in place and size", dot_peen, 0},
    {"glare", "a specular blob or band washing out part of the symbol", glare, 20},
    {"perspective", "tilted 15-30 degrees, blurred", perspective, 70},
    {"light-on-dark", "laser-annealed light cells on dark metal", light_on_dark, 50},
    {"dot-peen-low-contrast", "dot-peen 25-40 grey levels from the metal", dot_peen_low_contrast,
     0},
    {"perspective-glare", "tilted 15-30 degrees, blurred, under glare", perspective_glare, 20},
    {"cylinder", "on a shaft, wrapping 50-70 degrees of it", cylinder, 30},
};
const guint dpm_n_kinds = G_N_ELEMENTS(dpm_kinds);

/* ---- images --------------------------------------------------------------------- */

struct _DpmSet {
  DpmMatrix *matrices[G_N_ELEMENTS(dpm_payloads)];
};

DpmSet *
dpm_set_new(GError **error)
{
  g_autoptr(DpmSet) set = g_new0(DpmSet, 1);
  for (guint i = 0; i < dpm_n_payloads; i++) {
    set->matrices[i] = dpm_matrix_from_zint(dpm_payloads[i].zint, error);
    if (set->matrices[i] == NULL) {
      g_prefix_error(error, "direct-part-mark set, %s: ", dpm_payloads[i].name);
      return NULL;
    }
  }
  return g_steal_pointer(&set);
}

void
dpm_set_free(DpmSet *set)
{
  if (set == NULL)
    return;
  for (guint i = 0; i < dpm_n_payloads; i++)
    dpm_matrix_free(set->matrices[i]);
  g_free(set);
}

/* What every part has. */
static void
draw_common(DpmLook *look, GRand *rand)
{
  *look = (DpmLook){.cell = DPM_CELL_SQUARE, .depth_jitter = 0.15};
  look->module_px = g_rand_double_range(rand, 4, 10);
  look->rotation = g_rand_double_range(rand, 0, 2 * G_PI);
  look->tilt = g_rand_double_range(rand, 0, 8) * DEG;
  look->tilt_axis = g_rand_double_range(rand, 0, G_PI);
  look->metal = g_rand_double_range(rand, 130, 170);
  look->mark = look->metal - g_rand_double_range(rand, 60, 90);
  look->texture = g_rand_double_range(rand, 4, 7);
  look->light_slope = g_rand_double_range(rand, -0.3, 0.3);
  look->scratches = g_rand_int_range(rand, 2, 7);
  look->blur = g_rand_double_range(rand, 0.6, 1.0);
  look->noise = g_rand_double_range(rand, 3, 5);
}

/* Where a person aims: near the middle of the frame (within a fifth of it), all of the
 * symbol in the frame whatever its turn. */
static void
place(DpmLook *look, guint modules, GRand *rand)
{
  double half = modules * look->module_px * G_SQRT2 / 2 + 12;
  double x = DPM_FRAME_WIDTH * (0.5 + g_rand_double_range(rand, -0.2, 0.2));
  double y = DPM_FRAME_HEIGHT * (0.5 + g_rand_double_range(rand, -0.2, 0.2));
  look->centre_x = CLAMP(x, half, MAX(DPM_FRAME_WIDTH - half, half));
  look->centre_y = CLAMP(y, half, MAX(DPM_FRAME_HEIGHT - half, half));
}

MusterGreyImage *
dpm_set_image(const DpmSet *set, const DpmKind *kind, guint index, const DpmPayload **payload)
{
  guint p = index % dpm_n_payloads;
  const DpmMatrix *m = set->matrices[p];
  guint modules = MAX(m->width, m->height);
  guint32 seed = g_str_hash(kind->name) ^ (index * 2654435761u);
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  DpmLook look;
  draw_common(&look, rand);
  kind->draw(&look, modules, rand);
  /* A large symbol of large modules would not fit: the camera is further away. */
  look.module_px = MIN(look.module_px, (DPM_FRAME_HEIGHT - 40) / (modules * G_SQRT2));
  place(&look, modules, rand);
  *payload = &dpm_payloads[p];
  return dpm_render(m, &look, DPM_FRAME_WIDTH, DPM_FRAME_HEIGHT, g_rand_int(rand));
}

/* ---- scoring -------------------------------------------------------------------- */

MusterDecoder *
dpm_decoder_without_preprocessing(guint dmtx_budget_ms)
{
  MusterDecoder *decoder = muster_decoder_new(dmtx_budget_ms);
  muster_decoder_set_preprocess(decoder, FALSE);
  return decoder;
}

void
dpm_tally_init(DpmTally *tally)
{
  *tally = (DpmTally){0};
  tally->ms = g_array_new(FALSE, FALSE, sizeof(double));
  tally->bad = g_ptr_array_new_with_free_func(g_free);
}

void
dpm_tally_clear(DpmTally *tally)
{
  g_clear_pointer(&tally->ms, g_array_unref);
  g_clear_pointer(&tally->bad, g_ptr_array_unref);
}

static gboolean
carries(const MusterSymbol *symbol, const DpmPayload *payload)
{
  if (!g_str_equal(symbol->symbology, "datamatrix"))
    return FALSE;
  const char *text = symbol->text;
  /* The older form of GS1 (docs/scan-data.md): FNC1 in first position as a leading GS. */
  if (payload->gs1 && text[0] == '\x1d')
    text++;
  return g_str_equal(text, payload->data) && symbol->gs1 == payload->gs1;
}

gboolean
dpm_tally_decode(DpmTally *tally, MusterDecoder *decoder, const MusterGreyImage *image, guint index,
                 const DpmPayload *payload, GError **error)
{
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, image, error);
  double ms = (g_get_monotonic_time() - t0) / 1000.0;
  if (symbols == NULL)
    return FALSE;
  g_array_append_val(tally->ms, ms);
  tally->images++;
  gboolean read = FALSE;
  for (guint i = 0; i < symbols->len; i++) {
    const MusterSymbol *s = symbols->pdata[i];
    if (carries(s, payload)) {
      read = TRUE;
      continue;
    }
    tally->misread++;
    g_autofree char *text = g_strescape(s->text, NULL);
    g_ptr_array_add(tally->bad, g_strdup_printf("image %u: %s \"%s\" (gs1=%d) where %s was marked",
                                                index, s->symbology, text, s->gs1, payload->name));
  }
  tally->read += read;
  return TRUE;
}
