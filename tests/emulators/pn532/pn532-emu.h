/*
 * pn532-emu.h: a PN532 NFC controller on a pseudo-terminal, for testing the NFC reader
 * through libnfc's real pn532_uart driver.
 *
 * The emulator owns a pty pair and answers, on a thread of its own, the PN532 UART frames
 * libnfc sends (wake-up, SAMConfiguration, Diagnose, GetFirmwareVersion, registers,
 * RFConfiguration, InListPassiveTarget, InDataExchange, InCommunicateThru, InDeselect,
 * InRelease, PowerDown). A scripted tag in the field answers the Type 2 commands READ,
 * FAST_READ, GET_VERSION and READ_SIG. Tests change the script while libnfc talks to it:
 * present or remove a tag, let a tag leave after N exchanges (removed mid-read), or make
 * the controller stop answering altogether.
 *
 * Point libnfc at it with the connstring "pn532_uart:<slave path>". One client at a time
 * (libnfc's port lock does not work on a pty).
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

typedef struct _Pn532Emu Pn532Emu;
typedef struct _Pn532EmuTag Pn532EmuTag;

typedef enum {
  PN532_EMU_NTAG213,
  PN532_EMU_NTAG215,
  PN532_EMU_NTAG216,
} Pn532EmuNtagType;

typedef enum {
  PN532_EMU_MF0UL11, /* MIFARE Ultralight EV1, 48 bytes of user memory */
  PN532_EMU_MF0UL21, /* 128 bytes */
} Pn532EmuUltralightEv1Type;

/* Tags (pn532-tags.c). A tag is a value: pn532_emu_present() takes it. */

/* An ISO 14443A tag that only answers anticollision (a MIFARE Classic, a bank card):
 * sak 0x08 or 0x20; every Type 2 command NAKs. */
Pn532EmuTag *pn532_emu_tag_new_iso14443a(const guint8 *uid, gsize uid_len, guint8 sak);
/* An NTAG21x with a blank NDEF TLV, GET_VERSION, and an all-zero signature (which no
 * key verifies). uid is 7 bytes. */
Pn532EmuTag *pn532_emu_tag_new_ntag(Pn532EmuNtagType type, const guint8 uid[7]);
/* A MIFARE Ultralight EV1, the same otherwise: NDEF formatted, GET_VERSION (product type
 * Ultralight), an all-zero signature. */
Pn532EmuTag *pn532_emu_tag_new_ultralight_ev1(Pn532EmuUltralightEv1Type type, const guint8 uid[7]);
/* A MIFARE Ultralight (first generation): 16 pages, no GET_VERSION, no READ_SIG. */
Pn532EmuTag *pn532_emu_tag_new_ultralight(const guint8 uid[7]);
void pn532_emu_tag_free(Pn532EmuTag *tag);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Pn532EmuTag, pn532_emu_tag_free)

/* Writes bytes into the tag's memory from page 4 (the data area), as a tag writer would.
 * FALSE when they do not fit. */
gboolean pn532_emu_tag_write_data(Pn532EmuTag *tag, const guint8 *data, gsize len);
/* Writes an NDEF message in an NDEF TLV followed by a Terminator TLV. */
gboolean pn532_emu_tag_write_ndef(Pn532EmuTag *tag, GBytes *message);
/* Protects the memory from page auth0 on against reading (NTAG21x AUTH0 with PROT set,
 * no PWD_AUTH given): a READ there NAKs, and the protected pages of a READ that starts
 * before read as zero. */
void pn532_emu_tag_protect_from(Pn532EmuTag *tag, guint8 auth0);
/* Sets the 32-byte READ_SIG answer (r || s). */
void pn532_emu_tag_set_signature(Pn532EmuTag *tag, const guint8 signature[32]);
/* Signs the tag's UID with a secp128r1 private key (an EVP_PKEY *), as NXP does at the
 * factory. FALSE when signing failed. */
gboolean pn532_emu_tag_sign(Pn532EmuTag *tag, gpointer evp_pkey);

/* A fresh secp128r1 key pair (EVP_PKEY *, free with EVP_PKEY_free) and its public point,
 * uncompressed, as upper-case hex in *public_hex. For the "genuine" test case. */
gpointer pn532_emu_test_key_new(char **public_hex);

/* NDEF messages of one short record. */
GBytes *pn532_emu_ndef_text(const char *lang, const char *text);
GBytes *pn532_emu_ndef_uri(guint8 prefix_code, const char *rest);

/* The controller (pn532-emu.c). */
Pn532Emu *pn532_emu_new(GError **error);
void pn532_emu_free(Pn532Emu *emu);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Pn532Emu, pn532_emu_free)

/* "pn532_uart:/dev/pts/N". */
const char *pn532_emu_get_connstring(Pn532Emu *emu);

/* Puts a tag in the field (NULL: empties it); takes the tag. Records the time for
 * latency measurements. */
void pn532_emu_present(Pn532Emu *emu, Pn532EmuTag *tag);
gint64 pn532_emu_get_presented_mono_us(Pn532Emu *emu);
/* The tag leaves the field after answering n more tag commands (0: at the next one). */
void pn532_emu_remove_after(Pn532Emu *emu, guint n);
/* A silent controller reads and ignores every frame, as an unplugged or hung one. */
void pn532_emu_set_silent(Pn532Emu *emu, gboolean silent);

/* Counters, for tests that wait for the reader to have polled. */
guint pn532_emu_get_n_selects(Pn532Emu *emu);
guint pn532_emu_get_n_tag_commands(Pn532Emu *emu);
/* Total frames answered; 0 after a reset with pn532_emu_reset_counters(). */
guint pn532_emu_get_n_frames(Pn532Emu *emu);
/* Frames a silent controller received and did not answer. */
guint pn532_emu_get_n_ignored(Pn532Emu *emu);
void pn532_emu_reset_counters(Pn532Emu *emu);

G_END_DECLS
