/*
 * driver-table.c: the reader drivers compiled into Muster, for the readers file.
 *
 * A new driver adds its MusterReaderDriver here, and nothing else changes.
 */
#include "drivers/manager.h"

extern const MusterReaderDriver muster_camera_driver;
extern const MusterReaderDriver muster_nfc_driver;
extern const MusterReaderDriver muster_sim_driver;
extern const MusterReaderDriver muster_usbhid_driver;

const MusterReaderDriver *const muster_reader_drivers[] = {
    &muster_nfc_driver,
    &muster_usbhid_driver,
    &muster_camera_driver,
    &muster_sim_driver,
    NULL,
};
