/*
 * screens.c: the table of the kiosk's screens (see screens.h).
 */
#include "ui/screens.h"

#include "ui/screen-backup.h"
#include "ui/screen-home.h"
#include "ui/screen-live.h"
#include "ui/screen-lookup.h"
#include "ui/screen-review.h"
#include "ui/screen-settings.h"
#include "ui/screen-setup.h"
#include "ui/screen-sign-in.h"
#include "ui/screen-start.h"
#include "ui/screen-status.h"
#include "ui/screen-unmarked.h"

const MusterKioskScreenInfo muster_kiosk_screens[] = {
    {"sign-in", muster_kiosk_screen_sign_in_new},
    {"home", muster_kiosk_screen_home_new},
    {"start", muster_kiosk_screen_start_new},
    {"live", muster_kiosk_screen_live_new},
    {"unmarked", muster_kiosk_screen_unmarked_new},
    {"review", muster_kiosk_screen_review_new},
    {"lookup", muster_kiosk_screen_lookup_new},
    {"status", muster_kiosk_screen_status_new},
    {"settings", muster_kiosk_screen_settings_new},
    {"backup", muster_kiosk_screen_backup_new},
    {"setup", muster_kiosk_screen_setup_new},
    {NULL, NULL},
};
