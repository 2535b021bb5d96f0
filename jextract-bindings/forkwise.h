/*
 * The C declarations forkwise binds, as jextract sees them.
 *
 * jextract parses this header with the options in symbols.txt and writes the Java bindings under
 * src/ (package dev.forkwise.bindings). Only the symbols listed there are generated; everything
 * else these headers declare is ignored.
 *
 * Target: Linux, glibc >= 2.34 (posix_spawn_file_actions_addclosefrom_np), LP64. x86_64 and
 * aarch64 share every layout and constant used here but struct epoll_event, which is packed on
 * x86_64 only; the generated epoll_event is the x86_64 one and Libc supplies the running one.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * glibc 2.39 added pidfd_spawn (<spawn.h>) and pidfd_getpid (<sys/pidfd.h>). Older headers lack
 * them, so they are declared here as glibc 2.39 declares them: the generated code is then the same
 * whichever glibc's headers it came from. Whether the running libc has them is still probed at run
 * time with Libc.has(...).
 */
#if !__GLIBC_PREREQ(2, 39)
extern int pidfd_spawn (int *__restrict __pidfd,
			const char *__restrict __path,
			const posix_spawn_file_actions_t *__restrict __facts,
			const posix_spawnattr_t *__restrict __attrp,
			char *const __argv[__restrict_arr],
			char *const __envp[__restrict_arr])
    __nonnull ((2, 5));

extern pid_t pidfd_getpid (int __fd) __THROW;
#endif
