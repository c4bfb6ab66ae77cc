/*
 * dpm-render.c: a mark drawn by casting each pixel's ray onto the part (see dpm-render.h).
 *
 * Each pixel is traced back from the camera (a pinhole, focal length FOCAL_PX) to the
 * part, a plane or a cylinder in front of it, giving a point of the part in its own
 * coordinates: the arc length s along the symbol's rows and q along its columns, in
 * pixels seen head-on. That point says which module it falls in and whether it is marked,
 * and the finish's texture there. Four samples per pixel smooth the modules' edges as a
 * sensor does; then scratches, glare, blur and noise are laid on the frame.
 */
#include "dpm-render.h"

#include "dpm-optics.h"
#include "dpm-surface.h"
#include "image-fixture.h"

#include <math.h>

#define FOCAL_PX 800.0 /* a 640-pixel-wide sensor sees about 44° across */
#define FAR_METAL 25.0 /* what lies beyond a shaft's edge: the dark inside of a fixture */

typedef struct {
  double x, y, z;
} Vec;

static Vec
vec(double x, double y, double z)
{
  return (Vec){x, y, z};
}

static double
dot(Vec a, Vec b)
{
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

/* v turned by angle about the unit axis k (Rodrigues). */
static Vec
turn(Vec v, Vec k, double angle)
{
  double c = cos(angle), s = sin(angle), kv = dot(k, v) * (1 - c);
  Vec kx = vec(k.y * v.z - k.z * v.y, k.z * v.x - k.x * v.z, k.x * v.y - k.y * v.x);
  return vec(v.x * c + kx.x * s + k.x * kv, v.y * c + kx.y * s + k.y * kv,
             v.z * c + kx.z * s + k.z * kv);
}

/* The part in camera space: its centre, the symbol's row and column directions (e1, e2)
 * and its normal n, pointing away from the camera. */
typedef struct {
  Vec centre, e1, e2, n;
  Vec origin;    /* the camera in the part's coordinates (along e1, e2, n) */
  double radius; /* cylinder about the line centre + R n, along e2; 0: flat */
  guint width, height;
} Pose;

static Pose
pose_new(const DpmLook *look, guint width, guint height)
{
  Pose pose = {.radius = look->cylinder_radius, .width = width, .height = height};
  pose.centre = vec(look->centre_x - width / 2.0, look->centre_y - height / 2.0, FOCAL_PX);
  Vec axis = vec(cos(look->tilt_axis), sin(look->tilt_axis), 0);
  double c = cos(look->rotation), s = sin(look->rotation);
  pose.e1 = turn(vec(c, s, 0), axis, look->tilt);
  pose.e2 = turn(vec(-s, c, 0), axis, look->tilt);
  pose.n = turn(vec(0, 0, 1), axis, look->tilt);
  pose.origin =
      vec(-dot(pose.centre, pose.e1), -dot(pose.centre, pose.e2), -dot(pose.centre, pose.n));
  return pose;
}

/* Where the ray through pixel (x, y) meets the part: (s, q) and how squarely the part
 * faces the camera there (1: head-on). FALSE when the ray misses it. */
static gboolean
pose_trace(const Pose *pose, double x, double y, double *s, double *q, double *facing)
{
  Vec d = vec((x - pose->width / 2.0) / FOCAL_PX, (y - pose->height / 2.0) / FOCAL_PX, 1);
  /* Along the ray, local coordinates are o + t * k. */
  Vec o = pose->origin;
  Vec k = vec(dot(d, pose->e1), dot(d, pose->e2), dot(d, pose->n));
  if (pose->radius <= 0) {
    if (fabs(k.z) < 1e-9)
      return FALSE;
    double t = -o.z / k.z;
    *s = o.x + t * k.x;
    *q = o.y + t * k.y;
    *facing = 1; /* unused: a flat part's light is lit evenly */
    return TRUE;
  }
  double dn = sqrt(dot(d, d));
  /* (a)^2 + (c - R)^2 = R^2, the nearer root: the side of the shaft facing the camera. */
  double r = pose->radius, oc = o.z - r;
  double qa = k.x * k.x + k.z * k.z, qb = 2 * (o.x * k.x + oc * k.z);
  double qc = o.x * o.x + oc * oc - r * r, disc = qb * qb - 4 * qa * qc;
  if (qa < 1e-12 || disc < 0)
    return FALSE;
  double t = (-qb - sqrt(disc)) / (2 * qa);
  double a = o.x + t * k.x, c = oc + t * k.z;
  *s = r * atan2(a, -c);
  *q = o.y + t * k.y;
  *facing = fabs(a * k.x + c * k.z) / (r * dn);
  return TRUE;
}

/* A number in [0, 1) for module (col, row) and a purpose: the jitter of each module,
 * fixed by the seed (murmur3's finaliser). */
static double
hash01(guint32 seed, int col, int row, guint32 purpose)
{
  guint32 h =
      seed ^ ((guint32)col * 0x9E3779B1u) ^ ((guint32)row * 0x85EBCA77u) ^ (purpose * 0xC2B2AE3Du);
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  h ^= h >> 16;
  return h / 4294967296.0;
}

static double
jitter(guint32 seed, int col, int row, guint32 purpose, double amount)
{
  return amount * (2 * hash01(seed, col, row, purpose) - 1);
}

/* How much of a module's contrast the point (u, v) (in modules from the symbol's corner)
 * shows: 0 on bare metal; about 1 in a mark, more or less with its depth, and inside a
 * dot-peen crater darker on the side away from the light. */
static double
ink(const DpmMatrix *m, const DpmLook *look, guint32 seed, double u, double v)
{
  int col = (int)floor(u), row = (int)floor(v);
  if (!dpm_matrix_dark(m, col, row))
    return 0;
  double depth = 1 + jitter(seed, col, row, 1, look->depth_jitter);
  if (look->cell == DPM_CELL_SQUARE)
    return depth;
  double cx = col + 0.5 + jitter(seed, col, row, 2, look->dot_jitter);
  double cy = row + 0.5 + jitter(seed, col, row, 3, look->dot_jitter);
  double r = look->dot_radius * (1 + jitter(seed, col, row, 4, look->dot_size_jitter));
  double dx = u - cx, dy = v - cy;
  if (dx * dx + dy * dy > r * r)
    return 0;
  /* The crater's wall facing the light (from the top left) is lit. */
  return depth * (1 + 0.35 * (dx + dy) / (G_SQRT2 * r));
}

/* Whether part point (s, q) is more than a module away from the symbol: nothing there to
 * smooth, one sample is enough (most of a frame is bare metal). */
static gboolean
far_from_symbol(const DpmMatrix *m, const DpmLook *look, double s, double q)
{
  return fabs(s) / look->module_px > m->width / 2.0 + 1 ||
         fabs(q) / look->module_px > m->height / 2.0 + 1;
}

static double
pixel(const Pose *pose, const DpmMatrix *m, const DpmLook *look, const DpmSurface *surface,
      guint32 seed, guint x, guint y)
{
  static const double sub[4][2] = {{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}};
  double sum = 0, s = 0, q = 0, facing = 1, hits = 0;
  if (!pose_trace(pose, x + 0.5, y + 0.5, &s, &q, &facing))
    return FAR_METAL;
  gboolean far = far_from_symbol(m, look, s, q);
  for (guint i = 0; !far && i < 4; i++) {
    double ss, sq, sf;
    if (!pose_trace(pose, x + sub[i][0], y + sub[i][1], &ss, &sq, &sf))
      continue;
    hits++;
    sum += ink(m, look, seed, ss / look->module_px + m->width / 2.0,
               sq / look->module_px + m->height / 2.0);
  }
  /* A shaft darkens towards its edges, where it reflects the lamp away from the lens. */
  double light = 1 + look->light_slope * ((double)x / pose->width - 0.5);
  if (pose->radius > 0)
    light *= 0.55 + 0.45 * facing;
  double metal = look->metal * light + dpm_surface_texture(surface, s, q);
  return metal + (look->mark - look->metal) * light * (hits > 0 ? sum / hits : 0);
}

static void
add_glare(MusterGreyImage *image, const DpmLook *look, double extent, GRand *rand)
{
  double angle = g_rand_double_range(rand, 0, 2 * G_PI);
  double off = extent * g_rand_double_range(rand, 0.1, 0.35);
  double sigma = extent * (look->glare_band ? g_rand_double_range(rand, 0.1, 0.16)
                                            : g_rand_double_range(rand, 0.2, 0.3));
  dpm_optics_glare(image, look->glare, look->centre_x + off * cos(angle),
                   look->centre_y + off * sin(angle), sigma, look->glare_band,
                   g_rand_double_range(rand, 0, G_PI));
}

MusterGreyImage *
dpm_render(const DpmMatrix *matrix, const DpmLook *look, guint width, guint height, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  DpmSurface surface;
  dpm_surface_init(&surface, look->texture, rand);
  Pose pose = pose_new(look, width, height);
  MusterGreyImage *image = muster_grey_image_new(width, height);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      image->pixels[(gsize)y * width + x] =
          (guint8)CLAMP(pixel(&pose, matrix, look, &surface, seed, x, y) + 0.5, 0, 255);
  double extent = MAX(matrix->width, matrix->height) * look->module_px;
  dpm_surface_scratch(image, look->scratches, look->centre_x, look->centre_y, extent * 0.6, rand);
  if (look->glare > 0)
    add_glare(image, look, extent, rand);
  dpm_optics_blur(image, look->blur);
  image_fixture_add_noise(image, look->noise, g_rand_int(rand));
  return image;
}
