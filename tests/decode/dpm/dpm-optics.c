/*
 * dpm-optics.c: glare and blur (see dpm-optics.h).
 */
#include "dpm-optics.h"

#include <math.h>

#define GLARE_WHITE 250.0 /* short of 255: the sensor does not clip under the glare */

void
dpm_optics_glare(MusterGreyImage *image, double strength, double gx, double gy, double sigma,
                 gboolean band, double angle)
{
  double nx = -sin(angle), ny = cos(angle); /* normal of the band's line */
  for (guint y = 0; y < image->height; y++)
    for (guint x = 0; x < image->width; x++) {
      double dx = x + 0.5 - gx, dy = y + 0.5 - gy;
      double d2 = band ? pow(dx * nx + dy * ny, 2) : dx * dx + dy * dy;
      double g = strength * exp(-d2 / (2 * sigma * sigma));
      guint8 *p = &image->pixels[(gsize)y * image->width + x];
      *p = (guint8)CLAMP(*p + (GLARE_WHITE - *p) * g + 0.5, 0, 255);
    }
}

/* One pass of a separable kernel (radius r) along rows (dx = 1) or columns. */
static void
convolve(const float *in, float *out, guint w, guint h, const double *kernel, int r, gboolean rows)
{
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++) {
      double sum = 0;
      for (int k = -r; k <= r; k++) {
        int sx = rows ? CLAMP((int)x + k, 0, (int)w - 1) : (int)x;
        int sy = rows ? (int)y : CLAMP((int)y + k, 0, (int)h - 1);
        sum += kernel[k + r] * in[(gsize)sy * w + sx];
      }
      out[(gsize)y * w + x] = (float)sum;
    }
}

void
dpm_optics_blur(MusterGreyImage *image, double sigma)
{
  if (sigma < 0.3)
    return;
  int r = (int)ceil(3 * sigma);
  g_autofree double *kernel = g_new(double, 2 * r + 1);
  double total = 0;
  for (int k = -r; k <= r; k++)
    total += kernel[k + r] = exp(-(double)k * k / (2 * sigma * sigma));
  for (int k = 0; k <= 2 * r; k++)
    kernel[k] /= total;
  gsize n = (gsize)image->width * image->height;
  g_autofree float *a = g_new(float, n);
  g_autofree float *b = g_new(float, n);
  for (gsize i = 0; i < n; i++)
    a[i] = image->pixels[i];
  convolve(a, b, image->width, image->height, kernel, r, TRUE);
  convolve(b, a, image->width, image->height, kernel, r, FALSE);
  for (gsize i = 0; i < n; i++)
    image->pixels[i] = (guint8)CLAMP(a[i] + 0.5f, 0, 255);
}
