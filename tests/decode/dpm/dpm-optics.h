/*
 * dpm-optics.h: what light and lens do to a direct part mark on its way to the sensor:
 * specular glare and defocus.
 *
 * Bare metal is a mirror in part: a lamp near the camera's axis puts a bright blob (a flat
 * part) or band (a turned one) on the mark, where marked and bare metal both reflect
 * almost everything and the contrast nearly vanishes. The glare here stops short of
 * saturating, so the modules under it are still there to be read, faintly.
 */
#pragma once
#include "decode/grey-image.h"

G_BEGIN_DECLS

/* Washes image towards white: strength (0..1) at the glare's peak, falling off as a
 * Gaussian of width sigma pixels around the point (gx, gy) (blob) or around the line
 * through it at angle radians (band). */
void dpm_optics_glare(MusterGreyImage *image, double strength, double gx, double gy, double sigma,
                      gboolean band, double angle);
/* Gaussian blur of sigma pixels (defocus, motion of a hand-held part); nothing below
 * 0.3. */
void dpm_optics_blur(MusterGreyImage *image, double sigma);

G_END_DECLS
