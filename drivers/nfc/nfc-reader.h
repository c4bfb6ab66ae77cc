/*
 * nfc-reader.h: NFC / HF RFID tags through libnfc (PN532 on UART/I2C/SPI, PN533,
 * ACR122U: whatever libnfc drives).
 *
 * One MusterNfcReader per libnfc device. It polls for ISO 14443A tags; a tag held on the
 * reader is one scan, and only its removal (then a new tap) makes another. Each scan's
 * marking is the tag's UID (hf_uid); Type 2 tags also give their NDEF message (text) and,
 * for NTAG21x and Ultralight EV1, an originality verdict (see nfc-tag.h, originality.h).
 * A device that is absent or stops answering is reopened with backoff (state
 * DISCONNECTED or FAILED with last-error saying what to do), never spun on.
 */
#pragma once
#include "drivers/reader.h"

G_BEGIN_DECLS

#define MUSTER_NFC_READER_KIND "nfc"

#define MUSTER_TYPE_NFC_READER (muster_nfc_reader_get_type())
G_DECLARE_FINAL_TYPE(MusterNfcReader, muster_nfc_reader, MUSTER, NFC_READER, MusterReader)

/* connstring: a libnfc connstring ("pn532_uart:/dev/ttyUSB0", "acr122_usb:001:004"), or
 * NULL for the first device libnfc finds (its configuration and LIBNFC_DEVICE). The
 * reader id is "nfc:" + connstring, or "nfc:default". */
MusterNfcReader *muster_nfc_reader_new(const char *connstring);

const char *muster_nfc_reader_get_connstring(MusterNfcReader *self);

/* Trusts one more originality key (secp128r1 public point as hex, "04..."), besides
 * NXP's published ones: a vendor's own key, or a test key the PN532 emulator signs
 * with. Thread-safe; applies to the next tag read. */
gboolean muster_nfc_reader_add_trusted_key(MusterNfcReader *self, const char *name,
                                           const char *public_hex, GError **error);

G_END_DECLS
