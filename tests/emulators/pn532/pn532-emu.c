/*
 * pn532-emu.c: the PN532 controller side of the emulator (see pn532-emu.h).
 *
 * Shape: one thread polls the pty master and a wake-up pipe. Bytes are gathered until a
 * whole frame is in (a host may glue the wake-up preamble to its first frame, or split a
 * frame across writes), then each command frame is answered with an ACK frame and the
 * reply frame in one write, as libnfc's pn532_uart driver expects. The script (the tag in
 * the field, silence, a pending removal) is guarded by a mutex so tests change it while
 * libnfc is talking.
 *
 * The emulator keeps the slave side open itself: without it the master reads EIO between
 * two clients. The slave is raw so that no byte of a frame is ever translated.
 */
#define _GNU_SOURCE
#include "pn532-emu-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* PN532 user manual, 6.2.1: normal and extended information frames, ACK and NACK. */
static const guint8 frame_ack[] = {0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00};
static const guint8 frame_syntax_error[] = {0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00};

/* InDataExchange status: the target did not answer in time (PN532 UM, table 70). */
#define STATUS_TIMEOUT 0x01

struct _Pn532Emu {
  int master;
  int slave;
  int wake[2];
  char *connstring;
  GThread *thread;
  GByteArray *in;         /* bytes read but not yet a whole frame */
  GByteArray *last_reply; /* for a host NACK: send it again */
  guint8 registers[0x10000];

  GMutex lock; /* guards the script and counters below */
  Pn532EmuTag *tag;
  gboolean tag_selected;
  gboolean tag_idle; /* NAKed: answers nothing until selected again */
  gint remove_after; /* -1: stays */
  gboolean silent;
  gint64 presented_us;
  guint n_selects, n_tag_commands, n_frames, n_ignored;
};

/* ---- The script ---- */

void
pn532_emu_present(Pn532Emu *emu, Pn532EmuTag *tag)
{
  g_mutex_lock(&emu->lock);
  pn532_emu_tag_free(emu->tag);
  emu->tag = tag;
  emu->tag_selected = FALSE;
  emu->tag_idle = FALSE;
  emu->remove_after = -1;
  emu->presented_us = g_get_monotonic_time();
  g_mutex_unlock(&emu->lock);
}

gint64
pn532_emu_get_presented_mono_us(Pn532Emu *emu)
{
  g_mutex_lock(&emu->lock);
  gint64 t = emu->presented_us;
  g_mutex_unlock(&emu->lock);
  return t;
}

void
pn532_emu_remove_after(Pn532Emu *emu, guint n)
{
  g_mutex_lock(&emu->lock);
  emu->remove_after = (gint)n;
  g_mutex_unlock(&emu->lock);
}

void
pn532_emu_set_silent(Pn532Emu *emu, gboolean silent)
{
  g_mutex_lock(&emu->lock);
  emu->silent = silent;
  g_mutex_unlock(&emu->lock);
}

#define COUNTER_GETTER(name)                \
  guint pn532_emu_get_##name(Pn532Emu *emu) \
  {                                         \
    g_mutex_lock(&emu->lock);               \
    guint n = emu->name;                    \
    g_mutex_unlock(&emu->lock);             \
    return n;                               \
  }
COUNTER_GETTER(n_selects)
COUNTER_GETTER(n_tag_commands)
COUNTER_GETTER(n_frames)
COUNTER_GETTER(n_ignored)

void
pn532_emu_reset_counters(Pn532Emu *emu)
{
  g_mutex_lock(&emu->lock);
  emu->n_selects = emu->n_tag_commands = emu->n_frames = emu->n_ignored = 0;
  g_mutex_unlock(&emu->lock);
}

const char *
pn532_emu_get_connstring(Pn532Emu *emu)
{
  return emu->connstring;
}

/* ---- Commands (called with the lock held) ---- */

/* The tag's answer to cmd, as status + data; a tag that NAKs or has left the field
 * gives the PN532's timeout status. */
static void
tag_exchange(Pn532Emu *emu, const guint8 *cmd, gsize len, GByteArray *reply)
{
  emu->n_tag_commands++;
  if (emu->tag != NULL && emu->remove_after == 0) {
    pn532_emu_tag_free(emu->tag);
    emu->tag = NULL;
  }
  if (emu->remove_after > 0)
    emu->remove_after--;
  guint8 out[256];
  gssize n = -1;
  if (emu->tag != NULL && emu->tag_selected && !emu->tag_idle)
    n = pn532_emu_tag_answer(emu->tag, cmd, len, out, sizeof out);
  if (n < 0) {
    emu->tag_idle = TRUE;
    g_byte_array_append(reply, (const guint8[]){STATUS_TIMEOUT}, 1);
    return;
  }
  g_byte_array_append(reply, (const guint8[]){0x00}, 1);
  g_byte_array_append(reply, out, (guint)n);
}

/* Target data as InListPassiveTarget and InAutoPoll give it for 106 kbps type A. */
static void
append_target_a(const Pn532EmuTag *tag, GByteArray *reply)
{
  guint8 head[5] = {0x01, tag->atqa[0], tag->atqa[1], tag->sak, (guint8)tag->uid_len};
  g_byte_array_append(reply, head, sizeof head);
  g_byte_array_append(reply, tag->uid, (guint)tag->uid_len);
  if (tag->sak & 0x20) {
    static const guint8 ats[] = {0x05, 0x78, 0x80, 0x70, 0x02};
    g_byte_array_append(reply, ats, sizeof ats);
  }
}

/* InListPassiveTarget's initiator data: the UID, plain or with cascade tags (0x88). */
static gboolean
tag_matches(const Pn532EmuTag *tag, const guint8 *uid, gsize len)
{
  if (len == 0 || (len == tag->uid_len && memcmp(uid, tag->uid, len) == 0))
    return TRUE;
  guint8 cascaded[12];
  gsize n = 0;
  for (gsize i = 0; i < tag->uid_len; i += 3) {
    if (tag->uid_len - i > 4)
      cascaded[n++] = 0x88;
    gsize take = tag->uid_len - i > 4 ? 3 : tag->uid_len - i;
    memcpy(cascaded + n, tag->uid + i, take);
    n += take;
    if (take == 4)
      break;
  }
  return len == n && memcmp(uid, cascaded, n) == 0;
}

static void
in_list_passive_target(Pn532Emu *emu, const guint8 *data, gsize len, GByteArray *reply)
{
  emu->n_selects++;
  gboolean type_a = len >= 2 && data[1] == 0x00;
  if (emu->tag != NULL && emu->remove_after == 0) {
    pn532_emu_tag_free(emu->tag);
    emu->tag = NULL;
  }
  if (!type_a || emu->tag == NULL || !tag_matches(emu->tag, data + 2, len - 2)) {
    g_byte_array_append(reply, (const guint8[]){0x00}, 1);
    return;
  }
  emu->tag_selected = TRUE;
  emu->tag_idle = FALSE;
  g_byte_array_append(reply, (const guint8[]){0x01}, 1);
  append_target_a(emu->tag, reply);
}

static void
in_auto_poll(Pn532Emu *emu, GByteArray *reply)
{
  emu->n_selects++;
  if (emu->tag == NULL) {
    g_byte_array_append(reply, (const guint8[]){0x00}, 1);
    return;
  }
  g_autoptr(GByteArray) target = g_byte_array_new();
  append_target_a(emu->tag, target);
  guint8 head[3] = {0x01, 0x10, (guint8)target->len};
  g_byte_array_append(reply, head, sizeof head);
  g_byte_array_append(reply, target->data, target->len);
  emu->tag_selected = TRUE;
  emu->tag_idle = FALSE;
}

static void
read_registers(Pn532Emu *emu, const guint8 *data, gsize len, GByteArray *reply)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    g_byte_array_append(reply, &emu->registers[(data[i] << 8) | data[i + 1]], 1);
}

static void
write_registers(Pn532Emu *emu, const guint8 *data, gsize len)
{
  for (gsize i = 0; i + 2 < len; i += 3)
    emu->registers[(data[i] << 8) | data[i + 1]] = data[i + 2];
}

/* The reply data (from the response code on) to one command, or FALSE for a command
 * this PN532 does not know (answered with a syntax error frame). */
static gboolean
answer_command(Pn532Emu *emu, const guint8 *cmd, gsize len, GByteArray *reply)
{
  const guint8 *args = cmd + 1;
  gsize n_args = len - 1;
  g_byte_array_append(reply, (const guint8[]){(guint8)(cmd[0] + 1)}, 1);
  switch (cmd[0]) {
  case 0x00: /* Diagnose: the communication line test echoes its parameters */
    g_byte_array_append(reply, args, (guint)n_args);
    return TRUE;
  case 0x02: /* GetFirmwareVersion: PN532 v1.6, ISO 14443A/B and ISO 18092 */
    g_byte_array_append(reply, (const guint8[]){0x32, 0x01, 0x06, 0x07}, 4);
    return TRUE;
  case 0x04: /* GetGeneralStatus: no error, field off, no target */
    g_byte_array_append(reply, (const guint8[]){0x00, 0x00, 0x00, 0x00}, 4);
    return TRUE;
  case 0x06: read_registers(emu, args, n_args, reply); return TRUE;
  case 0x08: write_registers(emu, args, n_args); return TRUE;
  case 0x12: /* SetParameters */
  case 0x14: /* SAMConfiguration */
  case 0x32: /* RFConfiguration */ return TRUE;
  case 0x16: /* PowerDown */ g_byte_array_append(reply, (const guint8[]){0x00}, 1); return TRUE;
  case 0x4A: in_list_passive_target(emu, args, n_args, reply); return TRUE;
  case 0x60: in_auto_poll(emu, reply); return TRUE;
  case 0x40: /* InDataExchange: target number, then the tag command */
    if (n_args < 2)
      return FALSE;
    tag_exchange(emu, args + 1, n_args - 1, reply);
    return TRUE;
  case 0x42: /* InCommunicateThru */
    if (n_args < 1)
      return FALSE;
    tag_exchange(emu, args, n_args, reply);
    return TRUE;
  case 0x44: /* InDeselect */
  case 0x52: /* InRelease */
    emu->tag_selected = FALSE;
    g_byte_array_append(reply, (const guint8[]){0x00}, 1);
    return TRUE;
  case 0x54: /* InSelect */
    emu->tag_selected = emu->tag != NULL;
    g_byte_array_append(reply, (const guint8[]){emu->tag_selected ? 0x00 : 0x27}, 1);
    return TRUE;
  default: return FALSE;
  }
}

/* ---- Frames ---- */

static void
write_all(Pn532Emu *emu, const guint8 *data, gsize len)
{
  while (len > 0) {
    ssize_t n = write(emu->master, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return; /* the client went away: nothing to answer */
    data += n;
    len -= (gsize)n;
  }
}

static void
send_reply(Pn532Emu *emu, const GByteArray *data)
{
  GByteArray *out = g_byte_array_new();
  g_byte_array_append(out, frame_ack, sizeof frame_ack);
  guint8 len = (guint8)(data->len + 1); /* TFI + data */
  guint8 head[6] = {0x00, 0x00, 0xFF, len, (guint8)(0x100 - len), 0xD5};
  g_byte_array_append(out, head, sizeof head);
  g_byte_array_append(out, data->data, data->len);
  guint8 sum = 0xD5;
  for (guint i = 0; i < data->len; i++)
    sum += data->data[i];
  guint8 tail[2] = {(guint8)(0x100 - sum), 0x00};
  g_byte_array_append(out, tail, sizeof tail);
  write_all(emu, out->data, out->len);
  if (emu->last_reply != NULL)
    g_byte_array_unref(emu->last_reply);
  emu->last_reply = out;
}

static void
handle_frame(Pn532Emu *emu, const guint8 *tfi_and_data, gsize len)
{
  if (len < 2 || tfi_and_data[0] != 0xD4)
    return;
  g_mutex_lock(&emu->lock);
  gboolean silent = emu->silent;
  g_autoptr(GByteArray) reply = g_byte_array_new();
  gboolean known = !silent && answer_command(emu, tfi_and_data + 1, len - 1, reply);
  if (silent)
    emu->n_ignored++;
  else
    emu->n_frames++;
  g_mutex_unlock(&emu->lock);
  if (silent)
    return;
  if (known) {
    send_reply(emu, reply);
  } else {
    write_all(emu, frame_ack, sizeof frame_ack);
    write_all(emu, frame_syntax_error, sizeof frame_syntax_error);
  }
}

/* Consumes whole frames from emu->in; returns FALSE when more bytes are needed. */
static gboolean
parse_one(Pn532Emu *emu)
{
  GByteArray *in = emu->in;
  guint start = 0;
  while (start + 1 < in->len && !(in->data[start] == 0x00 && in->data[start + 1] == 0xFF))
    start++;
  if (start + 1 >= in->len) { /* no start code: keep a trailing 0x00, drop the noise */
    guint keep = in->len > 0 && in->data[in->len - 1] == 0x00 ? 1 : 0;
    g_byte_array_remove_range(in, 0, in->len - keep);
    return FALSE;
  }
  g_byte_array_remove_range(in, 0, start);
  if (in->len < 4)
    return FALSE;
  guint8 len = in->data[2], lcs = in->data[3];
  if (len == 0x00 && lcs == 0xFF) { /* ACK from the host: abort, nothing to answer */
    g_byte_array_remove_range(in, 0, 4);
    return TRUE;
  }
  if (len == 0xFF && lcs == 0x00) { /* NACK: the host wants the last reply again */
    g_byte_array_remove_range(in, 0, 4);
    if (emu->last_reply != NULL && !emu->silent)
      write_all(emu, emu->last_reply->data, emu->last_reply->len);
    return TRUE;
  }
  if ((guint8)(len + lcs) != 0) { /* not a frame after all: resynchronise */
    g_byte_array_remove_range(in, 0, 2);
    return TRUE;
  }
  if (in->len < 4u + len + 1u)
    return FALSE;
  guint8 sum = 0;
  for (guint i = 0; i <= len; i++)
    sum += in->data[4 + i];
  if (sum == 0)
    handle_frame(emu, in->data + 4, len);
  g_byte_array_remove_range(in, 0, 4u + len + 1u);
  return TRUE;
}

static gpointer
emu_thread(gpointer data)
{
  Pn532Emu *emu = data;
  for (;;) {
    struct pollfd fds[2] = {{emu->master, POLLIN, 0}, {emu->wake[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (fds[1].revents != 0)
      break;
    guint8 buf[512];
    ssize_t n = read(emu->master, buf, sizeof buf);
    if (n <= 0) {
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      g_usleep(10000); /* EIO while no client has the slave open: wait for one */
      continue;
    }
    g_byte_array_append(emu->in, buf, (guint)n);
    while (parse_one(emu))
      ;
  }
  return NULL;
}

/* ---- Life cycle ---- */

static gboolean
open_pty(Pn532Emu *emu, GError **error)
{
  emu->master = posix_openpt(O_RDWR | O_NOCTTY);
  if (emu->master < 0 || grantpt(emu->master) != 0 || unlockpt(emu->master) != 0) {
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
                "PN532 emulator: cannot open a pseudo-terminal: %s", g_strerror(errno));
    return FALSE;
  }
  const char *path = ptsname(emu->master);
  emu->slave = path != NULL ? open(path, O_RDWR | O_NOCTTY) : -1;
  if (emu->slave < 0) {
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno),
                "PN532 emulator: cannot open the pty slave %s: %s", path ? path : "?",
                g_strerror(errno));
    return FALSE;
  }
  struct termios tio;
  tcgetattr(emu->slave, &tio);
  cfmakeraw(&tio);
  tcsetattr(emu->slave, TCSANOW, &tio);
  emu->connstring = g_strdup_printf("pn532_uart:%s", path);
  return TRUE;
}

Pn532Emu *
pn532_emu_new(GError **error)
{
  g_autoptr(Pn532Emu) emu = g_new0(Pn532Emu, 1);
  emu->master = emu->slave = emu->wake[0] = emu->wake[1] = -1;
  g_mutex_init(&emu->lock);
  emu->in = g_byte_array_new();
  emu->remove_after = -1;
  if (!open_pty(emu, error))
    return NULL;
  if (pipe2(emu->wake, O_CLOEXEC) != 0) {
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errno), "PN532 emulator: pipe: %s",
                g_strerror(errno));
    return NULL;
  }
  emu->thread = g_thread_new("pn532-emu", emu_thread, emu);
  return g_steal_pointer(&emu);
}

void
pn532_emu_free(Pn532Emu *emu)
{
  if (emu == NULL)
    return;
  if (emu->thread != NULL) {
    (void)!write(emu->wake[1], "q", 1);
    g_thread_join(emu->thread);
  }
  for (int i = 0; i < 2; i++)
    if (emu->wake[i] >= 0)
      close(emu->wake[i]);
  if (emu->slave >= 0)
    close(emu->slave);
  if (emu->master >= 0)
    close(emu->master);
  pn532_emu_tag_free(emu->tag);
  if (emu->last_reply != NULL)
    g_byte_array_unref(emu->last_reply);
  g_byte_array_unref(emu->in);
  g_free(emu->connstring);
  g_mutex_clear(&emu->lock);
  g_free(emu);
}
