package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.bindings.siginfo_t;

import java.lang.foreign.Arena;

/**
 * Process file descriptors: whether this kernel has them, and how a child gets one.
 *
 * <p>A pidfd refers to one process for as long as it is open, even after the process has exited
 * and its pid has been reused, so signals sent through it can never reach another process. A child
 * gets one from {@code pidfd_spawn} where glibc (2.39) has it, atomically with its creation;
 * otherwise from {@code pidfd_open} right after {@code posix_spawn}, which is race-free too:
 * the child cannot be reaped, and its pid reused, before its parent waits for it.
 */
public final class Pidfds {

    private static final boolean SUPPORTED = probe();
    private static final boolean SPAWN_RETURNS_PIDFD = SUPPORTED && Libc.has("pidfd_spawn") && Libc.has("pidfd_getpid");

    private Pidfds() {
    }

    /**
     * {@return whether children can get pidfds}: the kernel has {@code pidfd_open} (Linux 5.3) and
     * {@code waitid(P_PIDFD)} (5.4)
     */
    public static boolean supported() {
        return SUPPORTED;
    }

    /** {@return whether {@code pidfd_spawn} creates children, returning their pidfd} */
    static boolean spawnReturnsPidfd() {
        return SPAWN_RETURNS_PIDFD;
    }

    /** {@return a pidfd for the unreaped child {@code pid}, or {@code null} if none can be had (no descriptor left)} */
    static Descriptor open(int pid) {
        int fd = Libc.pidfd_open(pid, 0);
        return fd < 0 ? null : new Descriptor(fd);
    }

    private static boolean probe() {
        int self = Libc.pidfd_open((int) ProcessHandle.current().pid(), 0);
        if (self < 0) {
            return false;   // ENOSYS before Linux 5.3
        }
        try (Arena arena = Arena.ofConfined()) {
            // This process is not its own child: ECHILD if P_PIDFD is understood, EINVAL before Linux 5.4.
            int result = Libc.waitid(forkwise_h.P_PIDFD(), self, siginfo_t.allocate(arena),
                    forkwise_h.WEXITED() | forkwise_h.WNOHANG());
            return result != -forkwise_h.EINVAL();
        } finally {
            Libc.close(self);
        }
    }
}
