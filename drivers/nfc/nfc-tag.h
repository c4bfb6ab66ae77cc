/*
 * nfc-tag.h: reads one ISO 14443A tag that libnfc has just selected into a scan.
 *
 * Kept apart from the reader's device handling (nfc-reader.c) because it is the part
 * that knows tags: Type 2 memory, GET_VERSION, READ_SIG. It runs on the reader's thread.
 */
#pragma once
#include "drivers/nfc/originality.h"
#include "scan/scan.h"

#include <nfc/nfc.h>

G_BEGIN_DECLS

/* Always a scan: the UID is known from anticollision even when the tag leaves the field
 * before its memory is read (problem then says so, and authenticity stays unknown).
 *
 * The scan's marking is the UID (kind hf_uid): it is what identifies the tag, cannot be
 * rewritten on a genuine tag, and is what the originality signature covers. The NDEF
 * message, when there is one, gives text (its Text or URI) and raw holds every byte read
 * from the tag's memory (the UID alone when the tag is not Type 2).
 *
 * A tag that NAKed a command is selected again, and *target updated to what libnfc then
 * holds, so that nfc_initiator_target_is_present(target) afterwards asks about it. */
MusterScan *muster_nfc_tag_read(nfc_device *device, nfc_target *target,
                                MusterOriginalityKeys *keys);

/* Upper-case hex of bytes, the form of an hf_uid marking. */
char *muster_nfc_hex(const guint8 *data, gsize len);

G_END_DECLS
