package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A child held through its pidfd: reaped with {@code waitid(P_PIDFD)}, signalled with
 * {@code pidfd_send_signal}. Once reaped, the pidfd is closed and signals do nothing.
 */
record PidfdReference(int pid, Descriptor pidfd) implements ChildReference {

    @Override
    public int reap() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = Libc.allocateSiginfo(arena);
            int result;
            do {
                result = Libc.waitid(forkwise_h.P_PIDFD(), pidfd.fd(), info, forkwise_h.WEXITED());
            } while (result == -forkwise_h.EINTR());
            // ECHILD: code outside forkwise reaped it; ProcessBuilder reports 0 then too.
            return result == 0 ? ending(info) : 0;
        } finally {
            pidfd.close();
        }
    }

    private static int ending(MemorySegment info) {
        int status = Libc.si_status(info);
        return Libc.si_code(info) == forkwise_h.CLD_EXITED() ? status : -status;
    }

    @Override
    public boolean signal(int signal) {
        try {
            pidfd.acquire();
        } catch (IOException closed) {
            return false;   // reaped
        }
        try {
            return Libc.pidfd_send_signal(pidfd.fd(), signal, MemorySegment.NULL, 0) == 0;
        } finally {
            pidfd.release();
        }
    }

    /** {@inheritDoc} The pidfd is readable once the child has exited; it is closed once reaped. */
    @Override
    public boolean hasExited() {
        return awaitExit(0);
    }

    /**
     * Blocks in {@code poll(2)} on the pidfd for at most {@code millis}: the calling platform thread
     * is woken by the kernel when the child exits, without a hand-off through the watcher thread.
     *
     * @return whether the child has exited (or was reaped meanwhile)
     */
    boolean awaitExit(int millis) {
        try {
            return PollOne.await(pidfd, forkwise_h.POLLIN(), millis) > 0;
        } catch (IOException closed) {
            return true;   // reaped already
        }
    }
}
