/*
 * labels.h: the engine's states and roles as a person reads them, translated.
 *
 * The engine names them for files and scripts ("signed_off", "disconnected"); a screen
 * says "signed off" or "disconnected: plug it back in", in the kiosk's language.
 */
#pragma once
#include "db/counts.h"
#include "db/users.h"
#include "drivers/reader.h"

G_BEGIN_DECLS

const char *muster_kiosk_reader_state_label(MusterReaderState state);
const char *muster_kiosk_role_label(MusterRole role);
const char *muster_kiosk_count_state_label(MusterCountState state);

G_END_DECLS
