/*
 * decode-sandbox.h: the image decoder (decoder.h) run in a sandboxed helper process, so
 * that a bug in a decoder library costs one frame, never the process that asked.
 *
 * The kiosk decodes whatever a camera is shown, and an image can be made to hit a bug in
 * zbar, libdmtx or zxing-cpp (Debian's libzxing 1.4 aborts on an assertion on one of
 * ZXing's own test photographs). In-process, that takes the kiosk down, or runs an
 * attacker's code inside it. Here the decoder runs in muster-decode-helper, which has
 * no files, no network and no new processes once it is ready (helper/lockdown.c); this
 * client sends it each frame and reads back the symbols, checking every byte of the
 * reply (decode-wire.h).
 *
 * What a failure costs: a helper that crashes, hangs past the timeout (it is killed) or
 * replies garbage (killed too) costs that frame (NULL with a MUSTER_DECODE_SANDBOX_ERROR
 * saying what happened); the next frame starts a new helper. After max_failures frames
 * in a row fail so, the sandbox gives up (MUSTER_DECODE_SANDBOX_ERROR_FAULT, every frame
 * at once, until muster_decode_sandbox_reset()): a helper that cannot start, or that dies
 * on everything, is a fault to show, not a loop of restarts.
 *
 * The helper is spawned (posix_spawn, no shell) on the first decode and killed by free.
 * It dies with the thread that spawned it (PR_SET_PDEATHSIG), so use one sandbox from one
 * long-lived thread. Not thread-safe, like MusterDecoder.
 */
#pragma once
#include "decode/decoder.h"
#include <glib.h>

G_BEGIN_DECLS

#define MUSTER_DECODE_SANDBOX_ERROR (muster_decode_sandbox_error_quark())
GQuark muster_decode_sandbox_error_quark(void);

typedef enum {
  MUSTER_DECODE_SANDBOX_ERROR_CRASHED, /* the helper died on this frame */
  MUSTER_DECODE_SANDBOX_ERROR_TIMEOUT, /* it took longer than timeout_ms: killed */
  MUSTER_DECODE_SANDBOX_ERROR_GARBAGE, /* its reply broke the format: killed */
  MUSTER_DECODE_SANDBOX_ERROR_FAULT,   /* it cannot start, or failed too often: given up */
} MusterDecodeSandboxError;

/* How a frame's pixels reach the helper: written down the socket, or copied into a
 * memfd the helper maps (measured in bench/bench-decode-sandbox.c). */
typedef enum {
  MUSTER_DECODE_SANDBOX_SOCKET,
  MUSTER_DECODE_SANDBOX_MEMFD,
} MusterDecodeSandboxTransport;

typedef struct {
  guint dmtx_budget_ms; /* as muster_decoder_new()'s */
  guint timeout_ms;     /* per frame, pixels sent to reply read */
  guint max_failures;   /* failed frames in a row before giving up */
  MusterDecodeSandboxTransport transport;
  const char *helper; /* the program; NULL: muster_decode_sandbox_helper_path() */
} MusterDecodeSandboxOptions;

/* The defaults: the decoder's default budget, 2 s, 3, memfd, the installed helper. */
void muster_decode_sandbox_options_init(MusterDecodeSandboxOptions *options);
/* $MUSTER_DECODE_HELPER when set (tests, a build tree), else the installed helper in
 * libexec. */
const char *muster_decode_sandbox_helper_path(void);

typedef struct _MusterDecodeSandbox MusterDecodeSandbox;

/* Nothing is started yet. options NULL: the defaults. */
MusterDecodeSandbox *muster_decode_sandbox_new(const MusterDecodeSandboxOptions *options);
void muster_decode_sandbox_free(MusterDecodeSandbox *sandbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MusterDecodeSandbox, muster_decode_sandbox_free)

/* As muster_decoder_decode() (the same symbols, MUSTER_ERROR_INVALID for a frame too
 * large), or NULL with a MUSTER_DECODE_SANDBOX_ERROR when the helper failed on it. */
GPtrArray *muster_decode_sandbox_decode(MusterDecodeSandbox *sandbox, const MusterGreyImage *image,
                                        GError **error);
/* The same with frame flags (decode-wire.h): the tests' way to make a test build of the
 * helper misbehave. */
GPtrArray *muster_decode_sandbox_decode_flags(MusterDecodeSandbox *sandbox,
                                              const MusterGreyImage *image, guint32 flags,
                                              GError **error);
/* Forgets failures and a fault: the next decode starts a helper again. */
void muster_decode_sandbox_reset(MusterDecodeSandbox *sandbox);
/* Helpers started so far (a restart is one more). */
guint muster_decode_sandbox_get_n_starts(MusterDecodeSandbox *sandbox);

G_END_DECLS
