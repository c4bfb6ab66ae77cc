/*
 * lockdown.h: what the decoder helper gives up once its decoder is ready: every file
 * descriptor but its own, the right to gain privileges, most of the system calls, and
 * unbounded memory and CPU (see lockdown.c for the list and why each call stays).
 */
#pragma once
#include <glib.h>

G_BEGIN_DECLS

/* The helper's descriptors, as the client (decode-sandbox.c) sets them up. */
#define MUSTER_HELPER_FD_CHANNEL 3 /* frames in, replies out (a Unix socket pair's end) */
#define MUSTER_HELPER_FD_PIXELS 4  /* a memfd holding the frame, when shared */

/* The helper dies with the process that spawned it (SIGKILL when the spawning thread
 * exits); FALSE when that parent is already gone. Call first. */
gboolean muster_helper_tie_to_parent(pid_t parent);
/* Closes every descriptor above the helper's own: whatever the client's process had
 * open without O_CLOEXEC. */
void muster_helper_close_other_fds(void);
/* No new privileges, the memory and descriptor limits, then the seccomp filter. After
 * it, a forbidden system call kills the process (SIGSYS). FALSE with error when the
 * kernel refuses any of it: the helper must then not decode. */
gboolean muster_helper_lock_down(GError **error);
/* Re-arms the CPU backstop before each frame: SIGXCPU after cpu_seconds more of CPU. */
void muster_helper_arm_cpu_limit(guint cpu_seconds);

G_END_DECLS
