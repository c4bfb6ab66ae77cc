/*
 * closed-list.c: lookups over a closed list's table (see closed-list.h).
 */
#include "core/closed-list.h"
#include "core/muster-error.h"

static const char *
row_name(const MusterClosedList *list, guint i)
{
  return *(const char *const *)((const char *)list->rows + (gsize)i * list->stride);
}

const char *
muster_closed_list_name(const MusterClosedList *list, guint i)
{
  return i < list->n ? row_name(list, i) : "unknown";
}

int
muster_closed_list_find(const MusterClosedList *list, const char *name)
{
  for (guint i = 0; name != NULL && i < list->n; i++)
    if (g_str_equal(name, row_name(list, i)))
      return (int)i;
  return -1;
}

char *
muster_closed_list_join(const MusterClosedList *list, const char *last_sep)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < list->n; i++) {
    if (i > 0)
      g_string_append(s, i + 1 == list->n ? last_sep : ", ");
    g_string_append(s, row_name(list, i));
  }
  return g_string_free(s, FALSE);
}

gboolean
muster_closed_list_check(const MusterClosedList *list, const char *name, const char *message,
                         GError **error)
{
  if (muster_closed_list_find(list, name) >= 0)
    return TRUE;
  g_autofree char *all = muster_closed_list_join(list, ", ");
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, message, name != NULL ? name : "", all);
  return FALSE;
}
