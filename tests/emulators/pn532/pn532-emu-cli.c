/*
 * pn532-emu-cli.c: the PN532 emulator as a program, to check it (and libnfc) by hand:
 *
 *   pn532-emu ntag215-text "HK416 SN 20-659225" &   # prints its connstring
 *   LIBNFC_AUTO_SCAN=false nfc-list -d pn532_uart:/dev/pts/N
 *
 * Tags: none, uid (a 4-byte MIFARE Classic), ultralight, ntag215, ntag215-text TEXT,
 * ntag215-uri URI (https://www. prefix). Runs until interrupted.
 */
#include "pn532-emu.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

static const guint8 uid7[7] = {0x04, 0x6B, 0xA1, 0x52, 0x3C, 0x61, 0x80};

static Pn532EmuTag *
tag_from_args(int argc, char **argv)
{
  const char *kind = argc > 1 ? argv[1] : "ntag215";
  const char *arg = argc > 2 ? argv[2] : "";
  if (strcmp(kind, "none") == 0)
    return NULL;
  if (strcmp(kind, "uid") == 0)
    return pn532_emu_tag_new_iso14443a((const guint8[]){0xDE, 0xAD, 0xBE, 0xEF}, 4, 0x08);
  if (strcmp(kind, "ultralight") == 0)
    return pn532_emu_tag_new_ultralight(uid7);
  Pn532EmuTag *tag = pn532_emu_tag_new_ntag(PN532_EMU_NTAG215, uid7);
  g_autoptr(GBytes) ndef = NULL;
  if (strcmp(kind, "ntag215-text") == 0)
    ndef = pn532_emu_ndef_text("en", arg);
  else if (strcmp(kind, "ntag215-uri") == 0)
    ndef = pn532_emu_ndef_uri(0x02, arg);
  if (ndef != NULL)
    pn532_emu_tag_write_ndef(tag, ndef);
  return tag;
}

int
main(int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Pn532Emu) emu = pn532_emu_new(&error);
  if (emu == NULL) {
    g_printerr("%s\n", error->message);
    return 1;
  }
  pn532_emu_present(emu, tag_from_args(argc, argv));
  printf("%s\n", pn532_emu_get_connstring(emu));
  fflush(stdout);
  g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
  g_unix_signal_add(SIGINT, (GSourceFunc)(void (*)(void))g_main_loop_quit, loop);
  g_unix_signal_add(SIGTERM, (GSourceFunc)(void (*)(void))g_main_loop_quit, loop);
  g_main_loop_run(loop);
  return 0;
}
