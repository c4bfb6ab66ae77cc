/*
 * muster-decode-helper: decodes camera frames in a process of its own, so that a bug in
 * a decoder library (a crash, a hang, memory without end, or worse: an image made to
 * exploit one) costs one frame, never the kiosk. Spawned and fed by decode-sandbox.c;
 * not meant to be run by hand.
 *
 *   muster-decode-helper PARENT-PID DMTX-BUDGET-MS
 *
 * Descriptors (lockdown.h): frames in and replies out on 3 (a Unix socket pair, so the
 * client's writes to a dead helper fail with EPIPE instead of raising SIGPIPE), a memfd
 * for shared pixels on 4. Each frame is a MusterWireFrame, its pixels following on the
 * channel or in the memfd, and is answered with one reply (decode-wire.h). End of input
 * ends the helper.
 *
 * Set-up first, while files may still be opened: the decoder, one warm-up decode (zbar
 * and libdmtx allocate their tables on first use; glib loads the charset converter
 * muster_decoder_decode() uses for Latin-1 text). Then lockdown.c takes everything else
 * away. Messages go to stderr through a log writer of our own: glib's would ask the
 * terminal for colours (ioctl) and read the time zone (open), both forbidden.
 *
 * Built twice: the installed helper, and for the tests one with
 * MUSTER_DECODE_HELPER_TEST_HOOKS, which obeys the TEST_* frame flags (try open() and
 * socket(), crash, hang, reply garbage). The installed one refuses such a frame.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "decode/decode-wire.h"
#include "decode/decoder.h"
#include "decode/helper/lockdown.h"

/* The CPU a single frame may use before the kernel ends the helper (the client's own
 * timeout, 2 s of wall-clock time by default, normally comes first). */
#define FRAME_CPU_SECONDS 10

static GLogWriterOutput
write_log(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = "", *message = "";
  for (gsize i = 0; i < n_fields; i++) {
    if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  }
  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0)
    return G_LOG_WRITER_HANDLED;
  char line[1024];
  int n = snprintf(line, sizeof line, "muster-decode-helper: %s: %s\n", domain, message);
  if (n > 0 && write(STDERR_FILENO, line, MIN((size_t)n, sizeof line - 1)) < 0)
    return G_LOG_WRITER_UNHANDLED;
  return G_LOG_WRITER_HANDLED;
}

/* Reads (out FALSE) or writes exactly len bytes; FALSE at end of input or on an error. */
static gboolean
transfer_all(int fd, guint8 *p, size_t len, gboolean out)
{
  while (len > 0) {
    ssize_t n = out ? write(fd, p, len) : read(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    p += n;
    len -= (size_t)n;
  }
  return TRUE;
}

static gboolean
read_all(int fd, void *buf, size_t len)
{
  return transfer_all(fd, buf, len, FALSE);
}

static gboolean
write_all(int fd, const guint8 *p, size_t len)
{
  return transfer_all(fd, (guint8 *)p, len, TRUE);
}

static gboolean
send_reply(GByteArray *reply)
{
  gboolean ok = write_all(MUSTER_HELPER_FD_CHANNEL, reply->data, reply->len);
  g_byte_array_unref(reply);
  return ok;
}

#ifdef MUSTER_DECODE_HELPER_TEST_HOOKS
/* The test build's misbehaviour on request; TRUE when a reply was sent instead. */
static gboolean
misbehave(guint32 flags)
{
  if (flags & MUSTER_WIRE_TEST_CRASH)
    raise(SIGSEGV);
  if (flags & MUSTER_WIRE_TEST_HANG)
    for (volatile guint64 i = 0;; i++) {
    } /* a decoder in an endless loop: spinning, no system call */
  if (flags & MUSTER_WIRE_TEST_GARBAGE) {
    /* The right magic, a body of 8 bytes: status OK, then 2^31 - 1 symbols. */
    static const guint8 garbage[] = {0x4d, 0x44, 0x52, 0x31, 8,    0,    0,    0,
                                     0,    0,    0,    0,    0xff, 0xff, 0xff, 0x7f};
    write_all(MUSTER_HELPER_FD_CHANNEL, garbage, sizeof garbage);
    return TRUE;
  }
  if (flags & MUSTER_WIRE_TEST_OPEN) {
    int fd = open("/etc/passwd", O_RDONLY);
    int open_errno = errno;
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    int socket_errno = errno;
    g_autofree char *what = g_strdup_printf("open() gave %d (%s), socket() gave %d (%s)", fd,
                                            g_strerror(open_errno), sock, g_strerror(socket_errno));
    send_reply(muster_wire_reply_error(what));
    return TRUE;
  }
  return FALSE;
}
#else
static gboolean
misbehave(guint32 flags)
{
  return FALSE;
}
#endif

/* The frame's pixels: read from the pipe into buf, or mapped from the memfd. */
static const guint8 *
frame_pixels(const MusterWireFrame *frame, GByteArray *buf, void **mapped, size_t *mapped_len)
{
  size_t len = (size_t)frame->width * frame->height;
  if (frame->flags & MUSTER_WIRE_PIXELS_SHARED) {
    void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, MUSTER_HELPER_FD_PIXELS, 0);
    if (p == MAP_FAILED)
      return NULL;
    *mapped = p;
    *mapped_len = len;
    return p;
  }
  g_byte_array_set_size(buf, (guint)len);
  return read_all(MUSTER_HELPER_FD_CHANNEL, buf->data, len) ? buf->data : NULL;
}

static GByteArray *
decode(MusterDecoder *decoder, const MusterWireFrame *frame, const guint8 *pixels)
{
  MusterGreyImage image = {frame->width, frame->height, (guint8 *)pixels};
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) symbols = muster_decoder_decode(decoder, &image, &error);
  return symbols != NULL ? muster_wire_reply_symbols(symbols)
                         : muster_wire_reply_error(error->message);
}

/* One frame in, one reply out; FALSE when the client is gone or out of step. */
static gboolean
serve_one(MusterDecoder *decoder, GByteArray *buf)
{
  MusterWireFrame frame;
  if (!read_all(MUSTER_HELPER_FD_CHANNEL, &frame, sizeof frame))
    return FALSE;
  guint64 pixels = (guint64)frame.width * frame.height;
  if (frame.magic != MUSTER_WIRE_FRAME_MAGIC || pixels == 0 || pixels > MUSTER_DECODER_MAX_PIXELS)
    return FALSE; /* the client checks sizes first: this is no client of ours */
  muster_helper_arm_cpu_limit(FRAME_CPU_SECONDS);
  void *mapped = NULL;
  size_t mapped_len = 0;
  const guint8 *data = frame_pixels(&frame, buf, &mapped, &mapped_len);
  if (data == NULL)
    return FALSE;
  /* After the pixels are read: the channel stays in step whatever a test frame does. */
  GByteArray *reply = NULL;
  if (!misbehave(frame.flags))
    reply = (frame.flags & MUSTER_WIRE_TEST_FLAGS)
                ? muster_wire_reply_error("test frame refused: not a test build")
                : decode(decoder, &frame, data);
  if (mapped != NULL)
    munmap(mapped, mapped_len);
  return reply == NULL || send_reply(reply);
}

/* zbar converts every QR code's text with iconv (it tries Shift-JIS, Latin-1 and Big5), and glibc
 * loads a converter module at its first use and unloads it a few conversions after its
 * last user is gone: a handle held for the helper's life keeps each one loaded. */
static iconv_t kept_converters[4];

/* Runs every lazy initialisation a decode may need, while files can still be opened. */
static void
warm_up(MusterDecoder *decoder)
{
  static const char *const from[G_N_ELEMENTS(kept_converters)] = {"SJIS", "ISO8859-1", "BIG5",
                                                                  "UTF-16BE"};
  for (guint i = 0; i < G_N_ELEMENTS(kept_converters); i++)
    kept_converters[i] = iconv_open("UTF-8", from[i]);
  g_autoptr(MusterGreyImage) blank = muster_grey_image_new(64, 64);
  g_autoptr(GPtrArray) none = muster_decoder_decode(decoder, blank, NULL);
  g_autofree char *utf8 = g_convert("\xe9", 1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
}

int
main(int argc, char **argv)
{
  g_log_set_writer_func(write_log, NULL, NULL);
  if (argc != 3) {
    g_printerr("usage: muster-decode-helper PARENT-PID DMTX-BUDGET-MS (started by muster)\n");
    return 2;
  }
  if (!muster_helper_tie_to_parent((pid_t)g_ascii_strtoll(argv[1], NULL, 10)))
    return 1;
  muster_helper_close_other_fds();
  g_autoptr(MusterDecoder) decoder = muster_decoder_new((guint)g_ascii_strtoull(argv[2], NULL, 10));
  warm_up(decoder);
  muster_decoder_reset(decoder); /* the first frame decodes as in a new decoder */
  g_autoptr(GError) error = NULL;
  if (!muster_helper_lock_down(&error)) {
    g_warning("not decoding without the sandbox: %s", error->message);
    return 1;
  }
  g_autoptr(GByteArray) buf = g_byte_array_new();
  while (serve_one(decoder, buf)) {
  }
  /* _exit: no atexit handlers (a sanitizer's leak check would need forbidden calls). */
  g_clear_pointer(&decoder, muster_decoder_free);
  g_clear_pointer(&buf, g_byte_array_unref);
  _exit(0);
}
