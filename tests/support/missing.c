/*
 * missing.c: see missing.h.
 */
#include "missing.h"

#include <stdio.h>
#include <stdlib.h>

/* The reasons test_missing_case() skipped cases for, each once. */
static GPtrArray *skipped;

gboolean
test_missing_in_ci(void)
{
  const char *ci = g_getenv("CI");
  return ci != NULL && *ci != '\0' && g_strcmp0(ci, "0") != 0 && g_strcmp0(ci, "false") != 0;
}

static char *
ci_failure(const char *what, const char *how)
{
  return g_strdup_printf("%s; %s (CI=%s: a test CI must run cannot be skipped)", what, how,
                         g_getenv("CI"));
}

void
test_missing_exit(const char *what, const char *how)
{
  if (test_missing_in_ci()) {
    g_autofree char *message = ci_failure(what, how);
    fprintf(stderr, "FAIL: %s\n", message);
    exit(1);
  }
  printf("SKIP: %s; %s\n", what, how);
  fflush(stdout);
  exit(77);
}

void
test_missing_case(const char *what, const char *how)
{
  if (test_missing_in_ci()) {
    g_autofree char *message = ci_failure(what, how);
    g_test_fail_printf("%s", message);
    return;
  }
  g_autofree char *reason = g_strdup_printf("%s; %s", what, how);
  g_test_skip(reason);
  if (skipped == NULL)
    skipped = g_ptr_array_new_with_free_func(g_free);
  if (!g_ptr_array_find_with_equal_func(skipped, reason, g_str_equal, NULL))
    g_ptr_array_add(skipped, g_steal_pointer(&reason));
}

int
test_missing_run(void)
{
  int rc = g_test_run();
  if (rc != 0 || skipped == NULL)
    return rc;
  for (guint i = 0; i < skipped->len; i++)
    printf("SKIP: %s\n", (const char *)g_ptr_array_index(skipped, i));
  fflush(stdout);
  return 77;
}
