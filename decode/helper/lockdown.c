/*
 * lockdown.c: the decoder helper's sandbox (see lockdown.h).
 *
 * After its set-up (libraries loaded, decoder created, one frame decoded so that lazy
 * initialisation is done) the helper needs nothing from the system but memory, a clock
 * and its channel to the client. The seccomp filter (libseccomp) allows exactly that.
 * Opening a file or a socket fails with EPERM: a library that loads data lazily (glibc
 * loads the iconv module for a rare QR ECI character set on first use) then degrades
 * instead of killing the helper on that frame, and every frame showing the same code.
 * Everything else (execve, fork, ptrace, kill, ioctl, ...) kills the process (SIGSYS). The list was
 * found with `strace -f` on the helper decoding the test frames (zbar, libdmtx, glib) and
 * is checked by tests/decode/test-decode-sandbox.c, which decodes every kind of symbol
 * through it and has a test build of the helper try open() and socket().
 *
 * Limits: RLIMIT_AS (512 MiB: a 40-megapixel frame, its copies and the decoders' state
 * fit; a decoder bug that allocates without end does not take the kiosk's memory with
 * it), RLIMIT_NOFILE 0 (no new descriptor, even if the filter had a hole), RLIMIT_NPROC
 * and RLIMIT_CORE 0, and RLIMIT_CPU as a backstop to the client's per-frame timeout,
 * re-armed before each frame (muster_helper_arm_cpu_limit()), since the limit counts the
 * process's whole life and a camera's helper lives for hours.
 */
#define _GNU_SOURCE
#include "decode/helper/lockdown.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/muster-error.h"

#define ADDRESS_SPACE_BYTES (512ull << 20)

gboolean
muster_helper_tie_to_parent(pid_t parent)
{
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
    return FALSE;
  return getppid() == parent; /* the parent died before the prctl: go too */
}

void
muster_helper_close_other_fds(void)
{
  int first = MUSTER_HELPER_FD_PIXELS + 1;
  if (close_range((unsigned)first, ~0u, 0) == 0)
    return;
  for (int fd = first; fd < (int)sysconf(_SC_OPEN_MAX); fd++)
    close(fd);
}

static gboolean
set_limit(int resource, rlim_t value, const char *name, GError **error)
{
  struct rlimit limit = {value, value};
  if (setrlimit(resource, &limit) == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "setrlimit(%s): %s", name,
              g_strerror(errno));
  return FALSE;
}

static gboolean
set_limits(GError **error)
{
  /* AddressSanitizer reserves terabytes of shadow memory: no address-space limit there. */
#if !defined(__SANITIZE_ADDRESS__)
  if (!set_limit(RLIMIT_AS, ADDRESS_SPACE_BYTES, "RLIMIT_AS", error))
    return FALSE;
#endif
  /* No RLIMIT_FSIZE: stderr may be a file (muster ... 2>log), and a message would then
   * kill the helper (SIGXFSZ); it cannot open any other. */
  return set_limit(RLIMIT_NOFILE, 0, "RLIMIT_NOFILE", error) &&
         set_limit(RLIMIT_NPROC, 0, "RLIMIT_NPROC", error) &&
         set_limit(RLIMIT_CORE, 0, "RLIMIT_CORE", error);
}

void
muster_helper_arm_cpu_limit(guint cpu_seconds)
{
  struct timespec used = {0};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used);
  /* The soft limit only: the hard one stays unlimited so that it can be raised again. */
  struct rlimit limit = {(rlim_t)used.tv_sec + 1 + cpu_seconds, RLIM_INFINITY};
  setrlimit(RLIMIT_CPU, &limit);
}

/* Allows one system call, narrowed by n argument comparisons; keeps the first error. */
static void
allow(scmp_filter_ctx ctx, int *rc, int syscall, unsigned n, const struct scmp_arg_cmp *args)
{
  if (*rc == 0)
    *rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, syscall, n, args);
}

static void
refuse(scmp_filter_ctx ctx, int *rc, int syscall)
{
  if (*rc == 0)
    *rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), syscall, 0);
}

#define ALLOW(name) allow(ctx, &rc, SCMP_SYS(name), 0, NULL)
#define ALLOW_IF(name, ...)                                                         \
  allow(ctx, &rc, SCMP_SYS(name),                                                   \
        sizeof((struct scmp_arg_cmp[]){__VA_ARGS__}) / sizeof(struct scmp_arg_cmp), \
        (struct scmp_arg_cmp[]){__VA_ARGS__})

static int
add_rules(scmp_filter_ctx ctx)
{
  const pid_t self = getpid();
  int rc = 0;
  /* The channel: frames in, replies out; stderr (and stdout, its copy) for messages. */
  ALLOW_IF(read, SCMP_A0(SCMP_CMP_EQ, MUSTER_HELPER_FD_CHANNEL));
  ALLOW_IF(write, SCMP_A0(SCMP_CMP_EQ, MUSTER_HELPER_FD_CHANNEL));
  ALLOW_IF(write, SCMP_A0(SCMP_CMP_EQ, STDERR_FILENO));
  ALLOW_IF(write, SCMP_A0(SCMP_CMP_EQ, STDOUT_FILENO));
  /* Memory: malloc (brk for the main arena, mmap/munmap/mremap for large blocks, madvise
   * when it trims), a shared frame mapped and unmapped, and glibc's guard pages
   * (mprotect). Never executable: no new code can be mapped. */
  ALLOW(brk);
  ALLOW_IF(mmap, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
  ALLOW_IF(mprotect, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
  ALLOW(munmap);
  ALLOW(mremap);
  ALLOW(madvise);
  /* Locks (glib's and libstdc++'s mutexes and once-initialisers, uncontended in a
   * single thread but futex may still be called). */
  ALLOW(futex);
  /* Clocks: libdmtx's deadline and glib's monotonic time go through the vDSO, which
   * falls back to the system call on clock sources it cannot read; the CPU clock
   * (muster_helper_arm_cpu_limit()) is always a system call. */
  ALLOW(clock_gettime);
  ALLOW(gettimeofday);
  ALLOW(time);
  /* glibc's qsort() (zbar sorts its symbols) sizes its buffer by the physical memory
   * (sysconf(_SC_PHYS_PAGES)): sysinfo() tells only memory sizes, load and uptime. */
  ALLOW(sysinfo);
  /* glib's hash tables seed from it; C++ std::random_device. */
  ALLOW(getrandom);
  /* Re-arming the CPU backstop: its own RLIMIT_CPU only. */
  ALLOW_IF(prlimit64, SCMP_A0(SCMP_CMP_EQ, 0), SCMP_A1(SCMP_CMP_EQ, RLIMIT_CPU));
  /* Ending: normally, or by abort() (an assertion in a decoder library: raise() blocks
   * signals, asks its pid and tid and signals itself), so that the client is told
   * SIGABRT rather than SIGSYS. */
  ALLOW(exit);
  ALLOW(exit_group);
  ALLOW(rt_sigreturn);
  ALLOW(rt_sigprocmask);
  ALLOW(getpid);
  ALLOW(gettid);
  ALLOW_IF(tgkill, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self));
  /* Refused, not fatal (see the top of the file). */
  refuse(ctx, &rc, SCMP_SYS(open));
  refuse(ctx, &rc, SCMP_SYS(openat));
  refuse(ctx, &rc, SCMP_SYS(openat2));
  refuse(ctx, &rc, SCMP_SYS(socket));
  return rc;
}

static gboolean
load_filter(GError **error)
{
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  int rc = ctx != NULL ? add_rules(ctx) : -ENOMEM;
  if (rc == 0)
    rc = seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc == 0)
    return TRUE;
  g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "seccomp filter not loaded: %s",
              g_strerror(-rc));
  return FALSE;
}

gboolean
muster_helper_lock_down(GError **error)
{
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    g_set_error(error, MUSTER_ERROR, MUSTER_ERROR_FAILED, "PR_SET_NO_NEW_PRIVS: %s",
                g_strerror(errno));
    return FALSE;
  }
  return set_limits(error) && load_filter(error);
}
