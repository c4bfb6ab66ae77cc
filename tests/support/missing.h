/*
 * missing.h: what a test program does when something it needs is not there (PostgreSQL,
 * ZXing's black-box images, Xvfb, xdotool, umockdev, ...). The shell side is missing.sh.
 *
 * Outside CI the test is skipped, visibly: it prints "SKIP: <what is missing>; <how to
 * get it>" and exits 77, which ctest reports as Skipped (every test has
 * SKIP_RETURN_CODE 77) and packaging/test.sh lists by name. Under CI ($CI set, as
 * .ci/run is run with CI=true) the same is a failure naming what is missing and how to
 * install it: CI must run every test.
 *
 * Never g_test_skip() before g_test_run(): GLib drops it, the cases vanish and the
 * program passes.
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* TRUE under CI: $CI set to anything but "", "0" or "false". */
gboolean test_missing_in_ci(void);

/* The whole program cannot run (call it before g_test_run()). what says what is
 * missing ("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb)"), how
 * how to get it. Under CI prints FAIL and exits 1; otherwise prints SKIP and exits 77. */
G_NORETURN void test_missing_exit(const char *what, const char *how);

/* Inside a test case: this case cannot run; the caller returns. Under CI the case
 * fails; otherwise it is skipped, and test_missing_run() ends the program with 77. */
void test_missing_case(const char *what, const char *how);

/* g_test_run(); then, when cases were skipped by test_missing_case() and none failed,
 * prints one SKIP line per reason and returns 77. */
int test_missing_run(void);

G_END_DECLS
