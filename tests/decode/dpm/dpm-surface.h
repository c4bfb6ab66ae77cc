/*
 * dpm-surface.h: bare metal as a camera sees it around a direct part mark: brushed or
 * face-milled texture, and scratches.
 *
 * A printed label has a flat white quiet zone; a part has none. Its finish is a texture of
 * parallel streaks (brushing, grinding) or concentric arcs (a face mill), at the scale of
 * a module, and scratches cross the symbol itself. Those are what a Data Matrix finder
 * trips on: edges everywhere, none of them the symbol's.
 */
#pragma once
#include "decode/grey-image.h"

G_BEGIN_DECLS

#define DPM_SURFACE_STREAKS 1024

typedef struct {
  double amplitude;            /* grey levels, about the texture's standard deviation */
  double brush_cos, brush_sin; /* direction of the streaks in the part's plane */
  double streak[DPM_SURFACE_STREAKS], phase[DPM_SURFACE_STREAKS];
  double mill_x, mill_y; /* centre of a face mill's arcs, part coordinates */
  double mill_period;    /* pixels between arcs; 0: a brushed finish */
} DpmSurface;

/* A finish drawn from rand: brushed or milled (about one in three), amplitude as given. */
void dpm_surface_init(DpmSurface *surface, double amplitude, GRand *rand);
/* The texture's grey offset at a point of the part (p, q in pixels seen head-on). */
double dpm_surface_texture(const DpmSurface *surface, double p, double q);
/* n scratches: straight thin lines, lighter or darker than the metal by 15 to 45 levels,
 * most of them through the disc of radius reach around (cx, cy) (the symbol). */
void dpm_surface_scratch(MusterGreyImage *image, guint n, double cx, double cy, double reach,
                         GRand *rand);

G_END_DECLS
