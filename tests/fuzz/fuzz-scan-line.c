/*
 * fuzz-scan-line.c: libFuzzer target over muster_scan_parse_line().
 *
 * A scan feed is whatever a reader or a person typed, so the parser must take any bytes
 * without crashing, leaking or reading past the length it was given. Beyond not
 * crashing, the target checks the promises of scan.h: every non-blank line that is not
 * a location becomes a scan with its raw bytes (at most 4 KiB), an unreadable scan says
 * why, and whatever text it hands on is valid UTF-8.
 */
#include "scan/scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void
check(gboolean ok)
{
  if (!ok)
    abort();
}

static void
check_scan(const MusterScan *scan)
{
  check(scan->raw != NULL && g_bytes_get_size(scan->raw) <= 4096);
  check(scan->reader != NULL && scan->reader_kind != NULL);
  check(scan->marking_value != NULL || scan->problem != NULL);
  const char *texts[] = {scan->text, scan->marking_value, scan->marking_kind,
                         scan->check_group, scan->component, scan->location_path,
                         scan->problem, scan->symbology};
  for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
    check(texts[i] == NULL || g_utf8_validate(texts[i], -1, NULL));
  check((guint)scan->authenticity <= MUSTER_AUTH_NOT_GENUINE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* a copy of exactly size bytes, so that reading one past the end is caught */
  char *line = g_malloc(size > 0 ? size : 1);
  if (size > 0)
    memcpy(line, data, size);
  char *location = NULL;
  GError *error = NULL;
  MusterScan *scan = muster_scan_parse_line(line, size, "fuzz", &location, &error);
  check(error == NULL);
  if (scan != NULL) {
    check(location == NULL);
    check_scan(scan);
  } else if (location != NULL) {
    check(g_utf8_validate(location, -1, NULL));
  }
  muster_scan_free(scan);
  g_free(location);
  g_free(line);
  return 0;
}
