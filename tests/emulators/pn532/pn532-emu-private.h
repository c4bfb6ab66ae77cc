/*
 * pn532-emu-private.h: what the controller (pn532-emu.c) needs of a tag (pn532-tags.c).
 */
#pragma once
#include "pn532-emu.h"

struct _Pn532EmuTag {
  guint8 uid[10];
  gsize uid_len;
  guint8 atqa[2];
  guint8 sak;
  guint8 *memory; /* Type 2 pages, 4 bytes each; NULL when the tag is not Type 2 */
  gsize n_pages;
  gsize auth0; /* first password-protected page (n_pages: none) */
  gboolean has_version;
  guint8 version[8];
  gboolean has_signature;
  guint8 signature[32];
};

/* The tag's answer to one command (the bytes inside InDataExchange/InCommunicateThru):
 * its length, or -1 for a NAK (the tag then falls back to IDLE and needs selecting). */
gssize pn532_emu_tag_answer(const Pn532EmuTag *tag, const guint8 *cmd, gsize len, guint8 *out,
                            gsize out_size);
