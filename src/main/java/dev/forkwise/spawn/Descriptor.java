package dev.forkwise.spawn;

import dev.forkwise.bindings.Libc;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor this library owns: closed exactly once, and never while a system call is using
 * it, so that a concurrent {@code close} cannot make another thread read from a descriptor number
 * the kernel has already handed to someone else.
 *
 * <p>Operations bracket their system call with {@link #acquire()} and {@link #release()}. The state
 * is one atomic integer:
 *
 * <table class="striped">
 * <caption>state bits</caption>
 * <tr><th>bits</th><th>meaning</th></tr>
 * <tr><td>0 ({@code CLOSE_REQUESTED})</td><td>{@link #close()} was called; no new operation may start</td></tr>
 * <tr><td>1 ({@code RELEASED})</td><td>the descriptor number was handed back to the kernel</td></tr>
 * <tr><td>2 and up ({@code USER})</td><td>operations in progress</td></tr>
 * </table>
 *
 * The descriptor is handed back by whoever moves the state from "close requested, no user" to
 * "released" with a compare-and-set: {@code close()} if no operation was in progress, otherwise the
 * last operation to release it.
 */
public final class Descriptor implements AutoCloseable {

    private static final int CLOSE_REQUESTED = 1;
    private static final int RELEASED = 2;
    private static final int USER = 4;

    private final int fd;
    private final AtomicInteger state = new AtomicInteger();

    /**
     * Takes ownership of an open descriptor.
     *
     * @param fd the descriptor number, {@code >= 0}
     */
    public Descriptor(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        this.fd = fd;
    }

    /** {@return the descriptor number} Valid for system calls only between acquire and release. */
    public int fd() {
        return fd;
    }

    /**
     * Starts an operation: the number stays valid until the matching {@link #release()}.
     *
     * @throws IOException "Stream closed" if {@link #close()} was called
     */
    public void acquire() throws IOException {
        int s;
        do {
            s = state.get();
            if ((s & CLOSE_REQUESTED) != 0) {
                throw new IOException("Stream closed");
            }
        } while (!state.compareAndSet(s, s + USER));
    }

    /** Ends an operation started by {@link #acquire()}. */
    public void release() {
        if (state.addAndGet(-USER) == CLOSE_REQUESTED) {
            handBack();
        }
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return (state.get() & CLOSE_REQUESTED) != 0;
    }

    /**
     * Closes the descriptor, now if no operation is using it, otherwise when the last one ends.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        int s;
        do {
            s = state.get();
            if ((s & CLOSE_REQUESTED) != 0) {
                return;
            }
        } while (!state.compareAndSet(s, s | CLOSE_REQUESTED));
        if (s == 0) {
            handBack();
        }
    }

    private void handBack() {
        if (state.compareAndSet(CLOSE_REQUESTED, CLOSE_REQUESTED | RELEASED)) {
            // close(2) releases the number even when it reports EINTR or EIO: never retry.
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "Descriptor[" + fd + (isClosed() ? ", closed]" : "]");
    }
}
