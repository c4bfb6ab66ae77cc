/*
 * dpm-matrix.c: zint's --dump output read into a module grid (see dpm-matrix.h).
 *
 * --dump prints one line per module row, the modules as bits (first module = most
 * significant) in hexadecimal groups padded to whole digits, so the rows alone do not say
 * how wide a rectangular symbol is. Data Matrix says it: the bottom row of the finder L is
 * solid, so the width is the number of dark modules in the last row.
 */
#include "dpm-matrix.h"

#include "core/muster-error.h"

#include <string.h>

static char *
run_zint(const char *const *args, GError **error)
{
  const char *zint = g_getenv("MUSTER_ZINT") != NULL ? g_getenv("MUSTER_ZINT") : "zint";
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)zint);
  g_ptr_array_add(argv, "--dump");
  for (const char *const *a = args; *a != NULL; a++)
    g_ptr_array_add(argv, (gpointer)*a);
  g_ptr_array_add(argv, NULL);
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                    &status, error)) {
    g_prefix_error(error, "cannot run %s (install the zint package): ", zint);
    return NULL;
  }
  if (!g_spawn_check_wait_status(status, error)) {
    g_autofree char *line = g_strjoinv(" ", (char **)args);
    g_prefix_error(error, "%s --dump %s failed (%s): ", zint, line, g_strstrip(err));
    g_free(out);
    return NULL;
  }
  return out;
}

/* The bits of one dumped row ("AA A8"), most significant first, into bits. */
static gboolean
parse_row(const char *line, GByteArray *bits)
{
  for (const char *c = line; *c != '\0'; c++) {
    if (*c == ' ')
      continue;
    int v = g_ascii_xdigit_value(*c);
    if (v < 0)
      return FALSE;
    for (int b = 3; b >= 0; b--) {
      guint8 bit = (v >> b) & 1;
      g_byte_array_append(bits, &bit, 1);
    }
  }
  return TRUE;
}

static guint
solid_run(const guint8 *row, guint len)
{
  guint n = 0;
  while (n < len && row[n])
    n++;
  return n;
}

DpmMatrix *
dpm_matrix_from_zint(const char *const *args, GError **error)
{
  g_autofree char *out = run_zint(args, error);
  if (out == NULL)
    return NULL;
  g_auto(GStrv) lines = g_strsplit(g_strstrip(out), "\n", -1);
  guint rows = g_strv_length(lines), stride = 0;
  g_autoptr(GByteArray) bits = g_byte_array_new();
  for (guint r = 0; r < rows; r++) {
    guint before = bits->len;
    if (!parse_row(lines[r], bits) || (r > 0 && bits->len - before != stride))
      break;
    stride = bits->len - before;
  }
  guint width = rows > 0 && bits->len == rows * stride
                    ? solid_run(bits->data + (gsize)(rows - 1) * stride, stride)
                    : 0;
  if (width < 8 || rows < 8) {
    g_autofree char *line = g_strjoinv(" ", (char **)args);
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "zint --dump %s: not a Data Matrix (no solid finder row in its output)", line);
    return NULL;
  }
  DpmMatrix *m = g_new0(DpmMatrix, 1);
  m->width = width;
  m->height = rows;
  m->dark = g_malloc((gsize)width * rows);
  for (guint r = 0; r < rows; r++)
    memcpy(m->dark + (gsize)r * width, bits->data + (gsize)r * stride, width);
  return m;
}

void
dpm_matrix_free(DpmMatrix *matrix)
{
  if (matrix == NULL)
    return;
  g_free(matrix->dark);
  g_free(matrix);
}

gboolean
dpm_matrix_dark(const DpmMatrix *matrix, int col, int row)
{
  if (col < 0 || row < 0 || (guint)col >= matrix->width || (guint)row >= matrix->height)
    return FALSE;
  return matrix->dark[(gsize)row * matrix->width + col];
}
