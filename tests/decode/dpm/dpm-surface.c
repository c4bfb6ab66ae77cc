/*
 * dpm-surface.c: metal finish and scratches (see dpm-surface.h).
 */
#include "dpm-surface.h"

#include <math.h>

static double
gauss(GRand *rand)
{
  /* Box-Muller. */
  double u1 = g_rand_double_range(rand, 1e-12, 1.0), u2 = g_rand_double(rand);
  return sqrt(-2 * log(u1)) * cos(2 * G_PI * u2);
}

void
dpm_surface_init(DpmSurface *surface, double amplitude, GRand *rand)
{
  surface->amplitude = amplitude;
  double angle = g_rand_double_range(rand, 0, G_PI);
  surface->brush_cos = cos(angle);
  surface->brush_sin = sin(angle);
  for (guint i = 0; i < DPM_SURFACE_STREAKS; i++) {
    surface->streak[i] = gauss(rand);
    surface->phase[i] = g_rand_double(rand);
  }
  gboolean milled = g_rand_int_range(rand, 0, 3) == 0;
  /* The mill's centre is off the frame: only arcs of its circles cross the mark. */
  surface->mill_x = g_rand_double_range(rand, -900, 900);
  surface->mill_y = g_rand_double_range(rand, 500, 900) * (g_rand_boolean(rand) ? 1 : -1);
  surface->mill_period = milled ? g_rand_double_range(rand, 5, 12) : 0;
}

/* 0 to 1 and back, once a period of 1: cheaper than a sine, as smooth as needed. */
static double
triangle(double x)
{
  double f = x - floor(x);
  return f < 0.5 ? 2 * f : 2 - 2 * f;
}

/* A streak's strength across the brushing direction, interpolated between streaks about
 * 0.8 px apart, and fading in and out along it (streaks are not endless lines). */
static double
brushed(const DpmSurface *s, double along, double across)
{
  double x = across * 1.25, fl = floor(x);
  /* Wrapped into the table for any x (a double out of an integer's range would be UB). */
  gint64 n = (gint64)CLAMP(fl, -1e12, 1e12) % DPM_SURFACE_STREAKS;
  guint i = (guint)(n < 0 ? n + DPM_SURFACE_STREAKS : n), j = (i + 1) % DPM_SURFACE_STREAKS;
  double f = x - fl;
  double a = s->streak[i] * (0.2 + 0.8 * triangle(along / 400 + s->phase[i]));
  double b = s->streak[j] * (0.2 + 0.8 * triangle(along / 400 + s->phase[j]));
  return a + f * (b - a);
}

double
dpm_surface_texture(const DpmSurface *surface, double p, double q)
{
  double c = surface->brush_cos, s = surface->brush_sin;
  double v = brushed(surface, p * c + q * s, -p * s + q * c);
  if (surface->mill_period > 0) {
    double r = hypot(p - surface->mill_x, q - surface->mill_y);
    v = 0.5 * v + 1.2 * sin(2 * G_PI * r / surface->mill_period);
  }
  return surface->amplitude * v;
}

static double
segment_distance(double px, double py, double ax, double ay, double bx, double by)
{
  double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? CLAMP(((px - ax) * dx + (py - ay) * dy) / len2, 0, 1) : 0;
  return hypot(px - ax - t * dx, py - ay - t * dy);
}

static void
draw_scratch(MusterGreyImage *image, double ax, double ay, double bx, double by, double width,
             double delta)
{
  int x0 = MAX((int)floor(MIN(ax, bx) - width - 1), 0);
  int x1 = MIN((int)ceil(MAX(ax, bx) + width + 1), (int)image->width - 1);
  int y0 = MAX((int)floor(MIN(ay, by) - width - 1), 0);
  int y1 = MIN((int)ceil(MAX(ay, by) + width + 1), (int)image->height - 1);
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++) {
      double d = segment_distance(x + 0.5, y + 0.5, ax, ay, bx, by);
      if (d >= width)
        continue;
      guint8 *p = &image->pixels[(gsize)y * image->width + x];
      *p = (guint8)CLAMP(*p + delta * (1 - d / width) + 0.5, 0, 255);
    }
}

void
dpm_surface_scratch(MusterGreyImage *image, guint n, double cx, double cy, double reach,
                    GRand *rand)
{
  for (guint i = 0; i < n; i++) {
    /* Through a point near the symbol (three in four) or anywhere on the part. */
    gboolean near = g_rand_int_range(rand, 0, 4) != 0;
    double mx = near ? cx + g_rand_double_range(rand, -reach, reach)
                     : g_rand_double_range(rand, 0, image->width);
    double my = near ? cy + g_rand_double_range(rand, -reach, reach)
                     : g_rand_double_range(rand, 0, image->height);
    double angle = g_rand_double_range(rand, 0, G_PI), half = g_rand_double_range(rand, 25, 220);
    double dx = half * cos(angle), dy = half * sin(angle);
    double delta = g_rand_double_range(rand, 15, 45) * (g_rand_boolean(rand) ? 1 : -1);
    draw_scratch(image, mx - dx, my - dy, mx + dx, my + dy, g_rand_double_range(rand, 0.8, 2.0),
                 delta);
  }
}
