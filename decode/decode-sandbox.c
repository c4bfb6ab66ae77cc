/*
 * decode-sandbox.c: the client of muster-decode-helper (see decode-sandbox.h).
 *
 * The channel is a Unix socket pair, not pipes: a write to a helper that has just died
 * fails with EPIPE (send(MSG_NOSIGNAL)) instead of raising SIGPIPE in the kiosk. Both of
 * our ends are non-blocking and every wait is a poll() against the frame's deadline, so
 * a helper that stops reading or never answers costs at most timeout_ms.
 *
 * Pixels go either down the socket (a copy into the kernel and one out) or into a memfd
 * created once, grown when a frame is larger, sealed against shrinking (a helper cannot
 * truncate it under our mapping to make us fault) and mapped by the helper for each
 * frame (one copy). bench/bench-decode-sandbox.c measures both.
 *
 * Every helper is given descriptors 3 (the channel) and 4 (the memfd); their sources are
 * first moved above 9 so that posix_spawn's dup2() steps cannot overwrite each other.
 */
#define _GNU_SOURCE
#include "decode/decode-sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/muster-error.h"
#include "decode/decode-wire.h"

extern char **environ;

#define HELPER_FD_CHANNEL 3 /* as helper/lockdown.h */
#define HELPER_FD_PIXELS 4

GQuark
muster_decode_sandbox_error_quark(void)
{
  return g_quark_from_static_string("muster-decode-sandbox-error-quark");
}

struct _MusterDecodeSandbox {
  MusterDecodeSandboxOptions options;
  char *helper;
  pid_t pid;   /* 0 when none runs */
  int channel; /* our end, -1 when none */
  int memfd;   /* -1 until the first shared frame */
  guint8 *map; /* our mapping of the memfd */
  gsize map_len;
  guint failures; /* frames in a row the helper failed on */
  char *fault;    /* why the sandbox gave up; NULL while it has not */
  guint n_starts;
};

void
muster_decode_sandbox_options_init(MusterDecodeSandboxOptions *options)
{
  *options = (MusterDecodeSandboxOptions){
      .dmtx_budget_ms = MUSTER_DECODER_DEFAULT_DMTX_BUDGET_MS,
      .timeout_ms = 2000,
      .max_failures = 3,
      .transport = MUSTER_DECODE_SANDBOX_MEMFD,
      .helper = NULL,
  };
}

const char *
muster_decode_sandbox_helper_path(void)
{
  const char *env = g_getenv("MUSTER_DECODE_HELPER");
  return env != NULL && *env != '\0' ? env : MUSTER_DECODE_HELPER_PATH;
}

MusterDecodeSandbox *
muster_decode_sandbox_new(const MusterDecodeSandboxOptions *options)
{
  MusterDecodeSandbox *sandbox = g_new0(MusterDecodeSandbox, 1);
  if (options != NULL)
    sandbox->options = *options;
  else
    muster_decode_sandbox_options_init(&sandbox->options);
  sandbox->helper = g_strdup(sandbox->options.helper != NULL ? sandbox->options.helper
                                                             : muster_decode_sandbox_helper_path());
  sandbox->options.helper = sandbox->helper;
  sandbox->options.max_failures = MAX(sandbox->options.max_failures, 1);
  sandbox->pid = 0;
  sandbox->channel = -1;
  sandbox->memfd = -1;
  return sandbox;
}

/* Kills and reaps the helper; its wait status, or -1 when none ran. */
static int
stop_helper(MusterDecodeSandbox *sandbox)
{
  if (sandbox->channel >= 0)
    close(sandbox->channel);
  sandbox->channel = -1;
  if (sandbox->pid <= 0)
    return -1;
  int status = -1;
  /* Reaped already (it exited on its own)? Then no kill: the pid may be reused. */
  if (waitpid(sandbox->pid, &status, WNOHANG) == 0) {
    kill(sandbox->pid, SIGKILL);
    while (waitpid(sandbox->pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  sandbox->pid = 0;
  return status;
}

void
muster_decode_sandbox_free(MusterDecodeSandbox *sandbox)
{
  if (sandbox == NULL)
    return;
  stop_helper(sandbox);
  if (sandbox->map != NULL)
    munmap(sandbox->map, sandbox->map_len);
  if (sandbox->memfd >= 0)
    close(sandbox->memfd);
  g_free(sandbox->fault);
  g_free(sandbox->helper);
  g_free(sandbox);
}

void
muster_decode_sandbox_reset(MusterDecodeSandbox *sandbox)
{
  sandbox->failures = 0;
  g_clear_pointer(&sandbox->fault, g_free);
}

guint
muster_decode_sandbox_get_n_starts(MusterDecodeSandbox *sandbox)
{
  return sandbox->n_starts;
}

/* ---- Starting a helper ---- */

static gboolean
errno_fail(GError **error, const char *what)
{
  int saved = errno;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "%s: %s", what, g_strerror(saved));
  return FALSE;
}

/* fd moved to a number above 9 (close-on-exec); -1 on failure (fd closed either way). */
static int
move_high(int fd)
{
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return high;
}

static gboolean
ensure_memfd(MusterDecodeSandbox *sandbox, GError **error)
{
  if (sandbox->memfd >= 0)
    return TRUE;
  int fd = memfd_create("muster-frame", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0)
    return errno_fail(error, "memfd_create");
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
    close(fd);
    return errno_fail(error, "sealing the frame memfd");
  }
  sandbox->memfd = move_high(fd);
  return sandbox->memfd >= 0 || errno_fail(error, "memfd");
}

static gboolean
spawn(MusterDecodeSandbox *sandbox, int child_end, GError **error)
{
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  /* stdin from /dev/null; stdout onto stderr, so a library's chatter cannot reach us. */
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, child_end, HELPER_FD_CHANNEL);
  if (sandbox->memfd >= 0)
    posix_spawn_file_actions_adddup2(&actions, sandbox->memfd, HELPER_FD_PIXELS);
  /* Signals as a fresh process has them, whatever this thread blocks or ignores. */
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  g_autofree char *parent = g_strdup_printf("%d", (int)getpid());
  g_autofree char *budget = g_strdup_printf("%u", sandbox->options.dmtx_budget_ms);
  char *argv[] = {sandbox->helper, parent, budget, NULL};
  int rc = posix_spawn(&sandbox->pid, sandbox->helper, &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc == 0)
    return TRUE;
  sandbox->pid = 0;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "could not be started (%s: %s)",
              sandbox->helper, g_strerror(rc));
  return FALSE;
}

static gboolean
start_helper(MusterDecodeSandbox *sandbox, GError **error)
{
  if (sandbox->options.transport == MUSTER_DECODE_SANDBOX_MEMFD && !ensure_memfd(sandbox, error))
    return FALSE;
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return errno_fail(error, "socketpair");
  int ours = move_high(pair[0]), theirs = move_high(pair[1]);
  gboolean ok = ours >= 0 && theirs >= 0;
  if (!ok)
    errno_fail(error, "socketpair");
  else
    ok = spawn(sandbox, theirs, error);
  if (theirs >= 0)
    close(theirs);
  if (!ok) {
    if (ours >= 0)
      close(ours);
    return FALSE;
  }
  int size = 1 << 20; /* a whole 640×480 frame in one go, if the kernel lets us */
  setsockopt(ours, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  fcntl(ours, F_SETFL, fcntl(ours, F_GETFL) | O_NONBLOCK);
  sandbox->channel = ours;
  sandbox->n_starts++;
  return TRUE;
}

/* ---- One frame ---- */

typedef enum { IO_OK, IO_CLOSED, IO_TIMEOUT } IoResult;

/* Waits until fd is ready for events or the deadline passes. */
static IoResult
wait_fd(int fd, short events, gint64 deadline_us)
{
  for (;;) {
    gint64 left_us = deadline_us - g_get_monotonic_time();
    if (left_us <= 0)
      return IO_TIMEOUT;
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, (int)MIN((left_us + 999) / 1000, G_MAXINT));
    if (n > 0)
      return (p.revents & events) ? IO_OK : IO_CLOSED; /* HUP/ERR without data */
    if (n < 0 && errno != EINTR)
      return IO_CLOSED;
  }
}

/* Sends (out) or receives exactly len bytes by the deadline. */
static IoResult
transfer_all(int fd, guint8 *p, gsize len, gboolean out, gint64 deadline_us)
{
  while (len > 0) {
    ssize_t n = out ? send(fd, p, len, MSG_NOSIGNAL) : recv(fd, p, len, 0);
    if (n > 0) {
      p += n;
      len -= (gsize)n;
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      IoResult r = wait_fd(fd, out ? POLLOUT : POLLIN, deadline_us);
      if (r != IO_OK)
        return r;
    } else {
      return IO_CLOSED; /* end of file or EPIPE: the helper is gone */
    }
  }
  return IO_OK;
}

static IoResult
send_all(int fd, const guint8 *p, gsize len, gint64 deadline_us)
{
  return transfer_all(fd, (guint8 *)p, len, TRUE, deadline_us);
}

static IoResult
recv_all(int fd, guint8 *p, gsize len, gint64 deadline_us)
{
  return transfer_all(fd, p, len, FALSE, deadline_us);
}

/* The frame into the memfd (grown, never shrunk: it is sealed so). */
static gboolean
share_pixels(MusterDecodeSandbox *sandbox, const MusterGreyImage *image, GError **error)
{
  gsize len = (gsize)image->width * image->height;
  if (len > sandbox->map_len) {
    if (sandbox->map != NULL)
      munmap(sandbox->map, sandbox->map_len);
    sandbox->map = NULL;
    sandbox->map_len = 0;
    if (ftruncate(sandbox->memfd, (off_t)len) != 0)
      return errno_fail(error, "growing the frame memfd");
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, sandbox->memfd, 0);
    if (map == MAP_FAILED)
      return errno_fail(error, "mapping the frame memfd");
    sandbox->map = map;
    sandbox->map_len = len;
  }
  memcpy(sandbox->map, image->pixels, len);
  return TRUE;
}

typedef enum { SENT, SEND_FAILED, HELPER_LOST, HELPER_SLOW } SendResult;

static SendResult
send_frame(MusterDecodeSandbox *sandbox, const MusterGreyImage *image, guint32 flags,
           gint64 deadline_us, GError **error)
{
  gboolean shared = sandbox->options.transport == MUSTER_DECODE_SANDBOX_MEMFD;
  if (shared && !share_pixels(sandbox, image, error))
    return SEND_FAILED;
  MusterWireFrame frame = {MUSTER_WIRE_FRAME_MAGIC, image->width, image->height,
                           flags | (shared ? MUSTER_WIRE_PIXELS_SHARED : 0)};
  IoResult r = send_all(sandbox->channel, (const guint8 *)&frame, sizeof frame, deadline_us);
  if (r == IO_OK && !shared)
    r = send_all(sandbox->channel, image->pixels, (gsize)image->width * image->height, deadline_us);
  return r == IO_OK ? SENT : r == IO_TIMEOUT ? HELPER_SLOW : HELPER_LOST;
}

/* The reply's body, once its magic and length are right; NULL on a broken one. */
static guint8 *
receive_reply(MusterDecodeSandbox *sandbox, gint64 deadline_us, gsize *len, IoResult *io)
{
  guint32 head[2] = {0};
  *io = recv_all(sandbox->channel, (guint8 *)head, sizeof head, deadline_us);
  if (*io != IO_OK || head[0] != MUSTER_WIRE_REPLY_MAGIC || head[1] > MUSTER_WIRE_MAX_REPLY)
    return NULL;
  g_autofree guint8 *body = g_malloc(MAX(head[1], 1));
  *io = recv_all(sandbox->channel, body, head[1], deadline_us);
  if (*io != IO_OK)
    return NULL;
  *len = head[1];
  return g_steal_pointer(&body);
}

/* What became of a helper that stopped answering, for the frame's error. */
static char *
describe_exit(int status)
{
  if (status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
    return g_strdup("was killed by its sandbox (SIGSYS: a system call outside its filter)");
  if (status >= 0 && WIFSIGNALED(status))
    return g_strdup_printf("was killed by signal %d (%s)", WTERMSIG(status),
                           g_strsignal(WTERMSIG(status)));
  if (status >= 0 && WIFEXITED(status))
    return g_strdup_printf("exited with status %d", WEXITSTATUS(status));
  return g_strdup("went away");
}

/* A frame the helper failed on: it is stopped, the failure counted, and after
 * max_failures in a row the sandbox gives up. error is set, as code says. */
static void
fail_frame(MusterDecodeSandbox *sandbox, int code, const char *what, GError **error)
{
  stop_helper(sandbox);
  sandbox->failures++;
  g_autofree char *message = g_strdup_printf(
      "the decoder helper %s on this frame; the frame is not decoded, the next one starts "
      "a new helper",
      what);
  if (sandbox->failures >= sandbox->options.max_failures) {
    sandbox->fault = g_strdup_printf(
        "the decoder helper %s failed on %u frames in a row (last: %s); frames are no "
        "longer decoded. Look for muster-decode-helper messages in the journal, or turn "
        "the sandbox off (decode-sandbox=false in readers.conf)",
        sandbox->helper, sandbox->failures, what);
    g_set_error_literal(error, MUSTER_DECODE_SANDBOX_ERROR, MUSTER_DECODE_SANDBOX_ERROR_FAULT,
                        sandbox->fault);
    return;
  }
  g_set_error_literal(error, MUSTER_DECODE_SANDBOX_ERROR, code, message);
}

/* Sends the frame, reads the reply; NULL with error when the helper failed on it. */
static GPtrArray *
exchange(MusterDecodeSandbox *sandbox, const MusterGreyImage *image, guint32 flags, GError **error)
{
  gint64 deadline_us = g_get_monotonic_time() + (gint64)sandbox->options.timeout_ms * 1000;
  g_autoptr(GError) local = NULL;
  SendResult sent = send_frame(sandbox, image, flags, deadline_us, &local);
  if (sent == SEND_FAILED) {
    g_propagate_error(error, g_steal_pointer(&local));
    return NULL;
  }
  IoResult io = sent == HELPER_SLOW ? IO_TIMEOUT : IO_CLOSED;
  gsize len = 0;
  g_autofree guint8 *body = sent == SENT ? receive_reply(sandbox, deadline_us, &len, &io) : NULL;
  char *refusal = NULL;
  g_autoptr(GPtrArray) symbols =
      body != NULL
          ? muster_wire_parse_reply(body, len, image->width, image->height, &refusal, &local)
          : NULL;
  if (symbols != NULL || refusal != NULL) {
    sandbox->failures = 0;
    if (refusal != NULL)
      g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID, "%s", refusal);
    g_free(refusal);
    return g_steal_pointer(&symbols);
  }
  if (io == IO_TIMEOUT) {
    g_autofree char *what =
        g_strdup_printf("took more than %u ms and was stopped", sandbox->options.timeout_ms);
    fail_frame(sandbox, MUSTER_DECODE_SANDBOX_ERROR_TIMEOUT, what, error);
  } else if (io == IO_OK || body != NULL) {
    g_autofree char *what = g_strdup_printf("sent a malformed reply (%s) and was stopped",
                                            local != NULL ? local->message : "bad header");
    fail_frame(sandbox, MUSTER_DECODE_SANDBOX_ERROR_GARBAGE, what, error);
  } else {
    g_autofree char *what = describe_exit(stop_helper(sandbox));
    fail_frame(sandbox, MUSTER_DECODE_SANDBOX_ERROR_CRASHED, what, error);
  }
  return NULL;
}

GPtrArray *
muster_decode_sandbox_decode_flags(MusterDecodeSandbox *sandbox, const MusterGreyImage *image,
                                   guint32 flags, GError **error)
{
  g_return_val_if_fail(sandbox != NULL && image != NULL, NULL);
  guint64 pixels = (guint64)image->width * image->height;
  if (pixels == 0 || pixels > MUSTER_DECODER_MAX_PIXELS) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_INVALID,
                "the image is %u×%u pixels: not between 1 pixel and %u megapixels", image->width,
                image->height, MUSTER_DECODER_MAX_PIXELS / 1000000u);
    return NULL;
  }
  if (sandbox->fault != NULL) {
    g_set_error_literal(error, MUSTER_DECODE_SANDBOX_ERROR, MUSTER_DECODE_SANDBOX_ERROR_FAULT,
                        sandbox->fault);
    return NULL;
  }
  g_autoptr(GError) local = NULL;
  if (sandbox->pid == 0 && !start_helper(sandbox, &local)) {
    fail_frame(sandbox, MUSTER_DECODE_SANDBOX_ERROR_CRASHED, local->message, error);
    return NULL;
  }
  return exchange(sandbox, image, flags, error);
}

GPtrArray *
muster_decode_sandbox_decode(MusterDecodeSandbox *sandbox, const MusterGreyImage *image,
                             GError **error)
{
  return muster_decode_sandbox_decode_flags(sandbox, image, 0, error);
}
