/*
 * zxing-unsafe.h: libzxing 1.4's multi-symbol linear read, the path that asserts (see
 * zxing-unsafe.cpp). Tests only.
 */
#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How many linear symbols libzxing's ReadBarcodes() finds with its default hints; may
 * abort the process (libzxing 1.4 with assertions on). */
int zxing_unsafe_read_linear(const uint8_t *pixels, int width, int height);

#ifdef __cplusplus
}
#endif
