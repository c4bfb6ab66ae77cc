/*
 * image-fixture.h: test images made at test time with zint, and the ways a camera or a
 * photograph spoils them (rotation, scaling, noise, inversion, a cluttered frame).
 *
 * Rendering with the real zint rather than committing PNGs keeps every fixture readable
 * in the test itself ("this Data Matrix carries exactly these bytes"), and generating the
 * distortions in code keeps them exact and seeded.
 */
#pragma once
#include "decode/grey-image.h"
#include <glib.h>

G_BEGIN_DECLS

/* A temporary folder, removed with its files by image_fixture_tmpdir_free. */
char *image_fixture_tmpdir_new(void);
void image_fixture_tmpdir_free(char *dir);

/* Runs `zint -o DIR/NAME.png ARGS...` (ARGS NULL-terminated) and returns the PNG's path;
 * fails the test (with zint's message) when zint fails or is missing. */
char *image_fixture_zint_png(const char *dir, const char *name, ...) G_GNUC_NULL_TERMINATED;
/* The same, loaded as grey through muster_image_file_load. */
MusterGreyImage *image_fixture_zint(const char *dir, const char *name, ...) G_GNUC_NULL_TERMINATED;

/* Rotated by degrees about the centre onto a larger white canvas (nothing is cut off). */
MusterGreyImage *image_fixture_rotate(const MusterGreyImage *image, double degrees);
/* Gaussian noise of sigma grey levels, from a seeded generator. */
void image_fixture_add_noise(MusterGreyImage *image, double sigma, guint32 seed);
/* image copied into canvas with its top-left corner at (x, y). */
void image_fixture_paste(MusterGreyImage *canvas, const MusterGreyImage *image, guint x, guint y);
/* A width×height frame, mid-grey with a smooth gradient and noise (a scene without a
 * code), with image pasted at (x, y) when image is not NULL. */
MusterGreyImage *image_fixture_frame(guint width, guint height, const MusterGreyImage *image,
                                     guint x, guint y, guint32 seed);

G_END_DECLS
