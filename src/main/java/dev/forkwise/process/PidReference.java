package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.forkwise_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A child held by its pid only, where pidfds are missing (Linux before 5.4) or none could be
 * opened: reaped with {@code waitpid}, signalled with {@code kill}, both under one lock, so that a
 * signal is sent only while the unreaped child still owns its pid.
 */
final class PidReference implements ChildReference {

    private final int pid;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private boolean reaped;

    PidReference(int pid) {
        this.pid = pid;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int reap() {
        lock.lock();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int result;
            do {
                result = Libc.waitpid(pid, status, 0);
            } while (result == -forkwise_h.EINTR());
            reaped = true;
            // ECHILD: code outside forkwise reaped it; ProcessBuilder reports 0 then too.
            return result > 0 ? ChildReference.endingOfWaitStatus(status.get(ValueLayout.JAVA_INT, 0)) : 0;
        } finally {
            lock.unlock();
        }
    }

    /** {@inheritDoc} Asks {@code waitid(WNOWAIT | WNOHANG)}, which leaves a zombie unreaped. */
    @Override
    public boolean hasExited() {
        lock.lock();
        try (Arena arena = Arena.ofConfined()) {
            if (reaped) {
                return true;
            }
            MemorySegment info = Libc.allocateSiginfo(arena);   // zeroed: si_pid stays 0 if the child runs
            int result;
            do {
                result = Libc.waitid(forkwise_h.P_PID(), pid, info,
                        forkwise_h.WEXITED() | forkwise_h.WNOWAIT() | forkwise_h.WNOHANG());
            } while (result == -forkwise_h.EINTR());
            // ECHILD: code outside forkwise reaped it, so it has exited
            return result < 0 || Libc.si_pid(info) != 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean signal(int signal) {
        lock.lock();
        try {
            return !reaped && Libc.kill(pid, signal) == 0;
        } finally {
            lock.unlock();
        }
    }
}
