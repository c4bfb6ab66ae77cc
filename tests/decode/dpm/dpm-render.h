/*
 * dpm-render.h: a Data Matrix drawn as a direct part mark on metal, module by module, into
 * a camera frame.
 *
 * zint draws clean symbols; marks on parts are not clean. Each module here is a laser
 * cell or a dot-peen crater placed on a part lying in front of a camera (any rotation,
 * tilted, or a cylinder), on a metal finish with scratches, under uneven light and glare,
 * through a lens that blurs and a sensor that adds noise. All of it is drawn from one
 * seed, so a frame is the same on every machine and run.
 */
#pragma once
#include "decode/grey-image.h"
#include "dpm-matrix.h"

G_BEGIN_DECLS

typedef enum {
  DPM_CELL_SQUARE, /* laser, ink-jet, chemical etch: filled square cells */
  DPM_CELL_DOT,    /* dot-peen: one round crater per module, bare metal between */
} DpmCell;

typedef struct {
  /* Where the part lies. */
  double module_px;          /* module pitch, in pixels as seen head-on at the centre */
  double centre_x, centre_y; /* where the symbol's centre is seen, pixels */
  double rotation;           /* radians, the symbol's turn in the part's plane */
  double tilt;               /* radians between the part's normal and the camera's axis */
  double tilt_axis;          /* radians, direction in the image of the axis tilted about */
  double cylinder_radius;    /* pixels; 0: a flat part; else a shaft along the symbol's
                                columns */
  /* The marking. */
  DpmCell cell;
  double dot_radius;      /* dots: radius as a fraction of the pitch (0.5: neighbours touch) */
  double dot_jitter;      /* dots: largest offset of a centre, as a fraction of the pitch */
  double dot_size_jitter; /* dots: largest relative change of a radius */
  double depth_jitter;    /* largest relative change of one module's contrast */
  double metal, mark;     /* grey levels of bare metal and of a marked module */
  double texture;         /* the finish's amplitude, grey levels */
  double light_slope;     /* relative change of the light from one side of the frame to
                             the other */
  guint scratches;
  /* Light and lens. */
  double glare; /* 0: none; else its strength at the peak (0..1), near the symbol */
  gboolean glare_band;
  double blur;  /* sigma, pixels */
  double noise; /* sigma, grey levels */
} DpmLook;

/* A width×height frame of the whole mark; everything random in it (the finish, the
 * jitter of each module, scratches, where the glare falls, noise) drawn from seed. */
MusterGreyImage *dpm_render(const DpmMatrix *matrix, const DpmLook *look, guint width, guint height,
                            guint32 seed);

G_END_DECLS
