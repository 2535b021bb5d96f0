package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.io.IOException;
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

    /** Null until decided by a permanent answer. */
    private static volatile Boolean supported;

    private static final class SpawnReturnsPidfd {
        static final boolean YES = Libc.has("pidfd_spawn") && Libc.has("pidfd_getpid");
    }

    private Pidfds() {
    }

    /**
     * {@return whether children can get pidfds}: the kernel has {@code pidfd_open} (Linux 5.3) and
     * {@code waitid(P_PIDFD)} (5.4). Decided by the first call whose probe gets a permanent answer.
     *
     * @throws IOException if the probe failed for want of a resource ({@code EMFILE},
     *                     {@code ENFILE}, {@code ENOMEM}); nothing is decided then
     */
    public static boolean supported() throws IOException {
        Boolean known = supported;
        if (known == null) {
            synchronized (Pidfds.class) {
                known = supported;
                if (known == null) {
                    known = probe();
                    supported = known;
                }
            }
        }
        return known;
    }

    /** {@return whether {@code pidfd_spawn} creates children, returning their pidfd}; only where {@link #supported()} */
    static boolean spawnReturnsPidfd() {
        return SpawnReturnsPidfd.YES;
    }

    /**
     * {@return a pidfd for the unreaped child {@code pid}}
     *
     * @throws IOException if none can be had now (no descriptor left)
     */
    static Descriptor open(int pid) throws IOException {
        int fd = Libc.pidfd_open(pid, 0);
        if (fd < 0) {
            throw ExecFailure.setup("pidfd_open failed", -fd);
        }
        return new Descriptor(fd);
    }

    /** {@return whether {@code errno} says a resource ran out, an answer about now, not about the system} */
    static boolean resourceExhausted(int errno) {
        return errno == forkwise_h.EMFILE() || errno == forkwise_h.ENFILE() || errno == forkwise_h.ENOMEM()
                || errno == forkwise_h.EAGAIN();
    }

    private static boolean probe() throws IOException {
        int self = Libc.pidfd_open((int) ProcessHandle.current().pid(), 0);
        if (self < 0) {
            if (resourceExhausted(-self)) {
                throw ExecFailure.setup("pidfd_open failed", -self);
            }
            return false;   // ENOSYS before Linux 5.3, EPERM from a seccomp policy
        }
        try (Arena arena = Arena.ofConfined()) {
            // This process is not its own child: ECHILD if P_PIDFD is understood, EINVAL before Linux 5.4.
            int result = Libc.waitid(forkwise_h.P_PIDFD(), self, Libc.allocateSiginfo(arena),
                    forkwise_h.WEXITED() | forkwise_h.WNOHANG());
            return result != -forkwise_h.EINVAL();
        } finally {
            Libc.close(self);
        }
    }
}
