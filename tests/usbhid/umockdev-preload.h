/*
 * umockdev-preload.h: the check the umockdev test programs (tests/usbhid, tests/readers)
 * make first. umockdev works by LD_PRELOAD (umockdev-wrapper, which ctest runs them
 * under through umockdev.sh); without the preload in effect nothing they test is
 * emulated, so that is a missing precondition (tests/support/missing.h).
 */
#pragma once
#include "missing.h"

#include <umockdev.h>

static inline void
umockdev_preload_require(void)
{
  /* umockdev_in_mock_environment() answers only once a testbed exists */
  g_autoptr(UMockdevTestbed) probe = umockdev_testbed_new();
  if (!umockdev_in_mock_environment())
    test_missing_exit("umockdev's preload is not in effect (ctest runs this program under "
                      "umockdev-wrapper, through tests/usbhid/umockdev.sh)",
                      "install umockdev (apt-get install umockdev), or run it so by hand");
}
