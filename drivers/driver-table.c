/*
 * driver-table.c: the reader drivers compiled into Muster, for the readers file.
 *
 * A new driver is its folder, drivers/NAME/ (whose CMakeLists.txt calls
 * muster_add_driver(NAME ...) and defines muster_NAME_driver), and one X(NAME) line
 * below, in the order `muster readers drivers` lists the kinds. A driver switched off at
 * build time (-DMUSTER_DRIVER_NFC=OFF) is not built and not in the table: only
 * muster_add_driver() defines MUSTER_DRIVER_BUILT_NAME as 1 for this file.
 */
#include "drivers/manager.h"

#define MUSTER_DRIVERS(X) \
  X(nfc)                  \
  X(usbhid)               \
  X(camera)               \
  X(sim)

#define MUSTER_DECLARE(name) extern const MusterReaderDriver muster_##name##_driver;
MUSTER_DRIVERS(MUSTER_DECLARE)

/* MUSTER_IF_BUILT(flag) is MUSTER_ENTRY when flag expands to 1, else MUSTER_SKIP: the
 * trick of Linux's IS_ENABLED(). MUSTER_PROBE_1 puts a comma before MUSTER_ENTRY, which
 * makes it the second argument; an undefined flag pastes to a name that is no macro. */
#define MUSTER_ENTRY(name) &muster_##name##_driver,
#define MUSTER_SKIP(name)
#define MUSTER_PROBE_1 ~,
#define MUSTER_SECOND(first, second, ...) second
#define MUSTER_IF_BUILT_(probe) MUSTER_SECOND(probe MUSTER_ENTRY, MUSTER_SKIP, ~)
#define MUSTER_IF_BUILT_EXPANDED(value) MUSTER_IF_BUILT_(MUSTER_PROBE_##value)
#define MUSTER_IF_BUILT(flag) MUSTER_IF_BUILT_EXPANDED(flag)
#define MUSTER_DRIVER(name) MUSTER_IF_BUILT(MUSTER_DRIVER_BUILT_##name)(name)

const MusterReaderDriver *const muster_reader_drivers[] = {
    MUSTER_DRIVERS(MUSTER_DRIVER) NULL,
};
