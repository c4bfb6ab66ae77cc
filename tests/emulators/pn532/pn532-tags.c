/*
 * pn532-tags.c: the tags the PN532 emulator can hold in its field.
 *
 * A tag is plain data (UID, ATQA, SAK, Type 2 memory, GET_VERSION answer, signature) and
 * one function that answers the Type 2 commands a reader sends, as NXP's datasheets
 * describe them: READ returns four pages and wraps at the end of memory, FAST_READ a
 * range, an unknown command or an address out of range is a NAK. Keeping tags as data
 * lets each test build exactly the tag it needs (a clone with a bad signature, a blank
 * Ultralight, a bank card).
 */
#include "pn532-emu-private.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <string.h>

typedef struct {
  gsize n_pages;
  guint8 cc_size; /* data area size / 8, as the capability container gives it */
  guint8 version_storage;
} SignedModel;

/* NTAG213/215/216 datasheet: memory organisation and GET_VERSION storage size byte. */
static const SignedModel ntag_models[] = {
    [PN532_EMU_NTAG213] = {45, 0x12, 0x0F},
    [PN532_EMU_NTAG215] = {135, 0x3E, 0x11},
    [PN532_EMU_NTAG216] = {231, 0x6D, 0x13},
};

/* MF0ULx1 datasheet: user memory from page 4 to the configuration pages, GET_VERSION. */
static const SignedModel ultralight_ev1_models[] = {
    [PN532_EMU_MF0UL11] = {20, 0x06, 0x0B},
    [PN532_EMU_MF0UL21] = {41, 0x10, 0x0E},
};

static Pn532EmuTag *
tag_new_type2(const guint8 uid[7], gsize n_pages, guint8 cc_size)
{
  Pn532EmuTag *tag = g_new0(Pn532EmuTag, 1);
  memcpy(tag->uid, uid, 7);
  tag->uid_len = 7;
  tag->atqa[0] = 0x00;
  tag->atqa[1] = 0x44;
  tag->sak = 0x00;
  tag->n_pages = n_pages;
  tag->auth0 = n_pages;
  tag->memory = g_malloc0(n_pages * 4);
  guint8 *m = tag->memory;
  /* Pages 0-2: UID with its two check bytes (BCC0 includes the cascade tag 0x88). */
  m[0] = uid[0], m[1] = uid[1], m[2] = uid[2];
  m[3] = 0x88 ^ uid[0] ^ uid[1] ^ uid[2];
  m[4] = uid[3], m[5] = uid[4], m[6] = uid[5], m[7] = uid[6];
  m[8] = uid[3] ^ uid[4] ^ uid[5] ^ uid[6];
  m[9] = 0x48;
  /* Page 3: capability container, NDEF mapping 1.0, read/write. */
  m[12] = 0xE1, m[13] = 0x10, m[14] = cc_size, m[15] = 0x00;
  /* An empty NDEF TLV and a Terminator: a formatted blank tag. */
  m[16] = 0x03, m[17] = 0x00, m[18] = 0xFE;
  return tag;
}

Pn532EmuTag *
pn532_emu_tag_new_iso14443a(const guint8 *uid, gsize uid_len, guint8 sak)
{
  g_return_val_if_fail(uid_len == 4 || uid_len == 7 || uid_len == 10, NULL);
  Pn532EmuTag *tag = g_new0(Pn532EmuTag, 1);
  memcpy(tag->uid, uid, uid_len);
  tag->uid_len = uid_len;
  tag->atqa[0] = 0x00;
  tag->atqa[1] = uid_len == 4 ? 0x04 : 0x44;
  tag->sak = sak;
  return tag;
}

/* A tag with GET_VERSION and READ_SIG. type and subtype are GET_VERSION bytes 2 and 3. */
static Pn532EmuTag *
tag_new_signed(const guint8 uid[7], const SignedModel *model, guint8 type, guint8 subtype)
{
  Pn532EmuTag *tag = tag_new_type2(uid, model->n_pages, model->cc_size);
  /* Header, vendor NXP, product type and subtype, major, minor, storage size, protocol. */
  const guint8 version[8] = {0x00, 0x04, type, subtype, 0x01, 0x00, model->version_storage, 0x03};
  memcpy(tag->version, version, 8);
  tag->has_version = TRUE;
  tag->has_signature = TRUE; /* all zero until set: verifies under no key */
  return tag;
}

Pn532EmuTag *
pn532_emu_tag_new_ntag(Pn532EmuNtagType type, const guint8 uid[7])
{
  return tag_new_signed(uid, &ntag_models[type], 0x04, 0x02); /* NTAG, 50 pF */
}

Pn532EmuTag *
pn532_emu_tag_new_ultralight_ev1(Pn532EmuUltralightEv1Type type, const guint8 uid[7])
{
  return tag_new_signed(uid, &ultralight_ev1_models[type], 0x03, 0x01); /* Ultralight, 17 pF */
}

Pn532EmuTag *
pn532_emu_tag_new_ultralight(const guint8 uid[7])
{
  return tag_new_type2(uid, 16, 0x06);
}

void
pn532_emu_tag_free(Pn532EmuTag *tag)
{
  if (tag == NULL)
    return;
  g_free(tag->memory);
  g_free(tag);
}

gboolean
pn532_emu_tag_write_data(Pn532EmuTag *tag, const guint8 *data, gsize len)
{
  if (tag->memory == NULL || 16 + len > tag->n_pages * 4)
    return FALSE;
  memcpy(tag->memory + 16, data, len);
  return TRUE;
}

gboolean
pn532_emu_tag_write_ndef(Pn532EmuTag *tag, GBytes *message)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data(message, &len);
  g_autoptr(GByteArray) tlv = g_byte_array_new();
  guint8 head[4] = {0x03, (guint8)len};
  gsize head_len = 2;
  if (len >= 0xFF) {
    head[1] = 0xFF, head[2] = (guint8)(len >> 8), head[3] = (guint8)len;
    head_len = 4;
  }
  g_byte_array_append(tlv, head, head_len);
  g_byte_array_append(tlv, data, len);
  g_byte_array_append(tlv, (const guint8[]){0xFE}, 1);
  return pn532_emu_tag_write_data(tag, tlv->data, tlv->len);
}

void
pn532_emu_tag_protect_from(Pn532EmuTag *tag, guint8 auth0)
{
  tag->auth0 = auth0;
}

void
pn532_emu_tag_set_signature(Pn532EmuTag *tag, const guint8 signature[32])
{
  memcpy(tag->signature, signature, 32);
  tag->has_signature = TRUE;
}

gboolean
pn532_emu_tag_sign(Pn532EmuTag *tag, gpointer evp_pkey)
{
  /* ECDSA over the UID itself, no hash (NXP AN11350); r and s are 16 bytes each. */
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(evp_pkey, NULL);
  guint8 der[64];
  size_t der_len = sizeof der;
  gboolean ok = ctx != NULL && EVP_PKEY_sign_init(ctx) == 1 &&
                EVP_PKEY_sign(ctx, der, &der_len, tag->uid, tag->uid_len) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok)
    return FALSE;
  const unsigned char *p = der;
  ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
  if (sig == NULL)
    return FALSE;
  guint8 raw[32];
  ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 16) == 16 &&
       BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 16, 16) == 16;
  ECDSA_SIG_free(sig);
  if (ok)
    pn532_emu_tag_set_signature(tag, raw);
  return ok;
}

gpointer
pn532_emu_test_key_new(char **public_hex)
{
  EVP_PKEY *key = EVP_EC_gen("secp128r1");
  guint8 point[33];
  size_t len = 0;
  if (key == NULL || EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point,
                                                     sizeof point, &len) != 1) {
    EVP_PKEY_free(key);
    return NULL;
  }
  GString *hex = g_string_new(NULL);
  for (size_t i = 0; i < len; i++)
    g_string_append_printf(hex, "%02X", point[i]);
  *public_hex = g_string_free(hex, FALSE);
  return key;
}

static GBytes *
ndef_short_record(char type, const guint8 *payload, gsize len)
{
  g_return_val_if_fail(len < 256, NULL);
  /* MB | ME | SR, TNF 1 (NFC Forum well-known type), type length 1. */
  GByteArray *record = g_byte_array_new();
  guint8 head[4] = {0xD1, 0x01, (guint8)len, (guint8)type};
  g_byte_array_append(record, head, sizeof head);
  g_byte_array_append(record, payload, len);
  return g_byte_array_free_to_bytes(record);
}

GBytes *
pn532_emu_ndef_text(const char *lang, const char *text)
{
  g_autoptr(GByteArray) payload = g_byte_array_new();
  guint8 status = (guint8)strlen(lang); /* UTF-8, language code length */
  g_byte_array_append(payload, &status, 1);
  g_byte_array_append(payload, (const guint8 *)lang, strlen(lang));
  g_byte_array_append(payload, (const guint8 *)text, strlen(text));
  return ndef_short_record('T', payload->data, payload->len);
}

GBytes *
pn532_emu_ndef_uri(guint8 prefix_code, const char *rest)
{
  g_autoptr(GByteArray) payload = g_byte_array_new();
  g_byte_array_append(payload, &prefix_code, 1);
  g_byte_array_append(payload, (const guint8 *)rest, strlen(rest));
  return ndef_short_record('U', payload->data, payload->len);
}

static gssize
answer_read(const Pn532EmuTag *tag, gsize page, guint8 *out)
{
  if (page >= tag->n_pages || page >= tag->auth0)
    return -1;
  for (gsize i = 0; i < 4; i++) {
    gsize p = (page + i) % tag->n_pages;
    if (p >= tag->auth0)
      memset(out + 4 * i, 0, 4);
    else
      memcpy(out + 4 * i, tag->memory + 4 * p, 4);
  }
  return 16;
}

static gssize
answer_fast_read(const Pn532EmuTag *tag, gsize first, gsize last, guint8 *out, gsize out_size)
{
  if (first > last || last >= tag->n_pages || last >= tag->auth0 ||
      (last - first + 1) * 4 > out_size)
    return -1;
  memcpy(out, tag->memory + 4 * first, (last - first + 1) * 4);
  return (gssize)((last - first + 1) * 4);
}

gssize
pn532_emu_tag_answer(const Pn532EmuTag *tag, const guint8 *cmd, gsize len, guint8 *out,
                     gsize out_size)
{
  if (len == 0 || out_size < 32)
    return -1;
  if (tag->sak & 0x20) {
    /* ISO 14443-4 card: answers an R(NAK) block (libnfc's presence ping) with an R(ACK)
     * of the same block number (ISO/IEC 14443-4, 7.5.4.2); nothing else is emulated. */
    if (len == 1 && (cmd[0] & 0xFE) == 0xB2) {
      out[0] = (guint8)(0xA2 | (cmd[0] & 0x01));
      return 1;
    }
    return -1;
  }
  if (tag->memory == NULL)
    return -1;
  switch (cmd[0]) {
  case 0x30: /* READ */ return len == 2 ? answer_read(tag, cmd[1], out) : -1;
  case 0x3A: /* FAST_READ */
    return len == 3 ? answer_fast_read(tag, cmd[1], cmd[2], out, out_size) : -1;
  case 0x60: /* GET_VERSION */
    if (!tag->has_version || len != 1)
      return -1;
    memcpy(out, tag->version, 8);
    return 8;
  case 0x3C: /* READ_SIG */
    if (!tag->has_signature || len != 2 || cmd[1] != 0x00)
      return -1;
    memcpy(out, tag->signature, 32);
    return 32;
  default: return -1;
  }
}
