/*
 * The C declarations forkwise binds, as jextract sees them.
 *
 * jextract parses this header with the options in symbols.txt and writes the Java bindings under
 * src/ (package dev.forkwise.bindings). Only the symbols listed there are generated; everything
 * else these headers declare is ignored.
 *
 * Target: Linux, glibc >= 2.34 (posix_spawn_file_actions_addclosefrom_np), LP64
 * (x86_64 and aarch64 share every layout and constant used here).
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
