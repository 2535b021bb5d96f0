package dev.forkwise.process;

import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until a non-blocking descriptor is ready, the way the JDK's own non-blocking I/O waits:
 *
 * <ul>
 * <li>a virtual thread parks, and the {@link EventLoop} unparks it: the descriptor is registered
 *     once ({@code EPOLLONESHOT}) and re-armed for each wait. The virtual thread leaves its
 *     carrier; nothing blocks in native code on it.</li>
 * <li>a platform thread blocks in {@code poll(2)} on the descriptor itself, woken by the kernel
 *     when the child writes or reads, without a round trip through the loop thread. It polls in
 *     slices of {@value #POLL_SLICE_MILLIS} ms so that a close from another thread ends the wait
 *     within one slice.</li>
 * </ul>
 *
 * <p>One waiter at a time: the stream that owns this serialises its reads or writes.
 */
final class Readiness {

    private static final int POLL_SLICE_MILLIS = 100;

    private final Descriptor fd;
    private final int pollEvents;
    private final OneShotWatch watch;
    private volatile Thread waiter;
    private volatile boolean ready;

    /**
     * @param fd     a descriptor in non-blocking mode
     * @param events {@code EPOLLIN} or {@code EPOLLOUT}
     */
    Readiness(Descriptor fd, int events) {
        this.fd = fd;
        this.pollEvents = events == forkwise_h.EPOLLIN() ? forkwise_h.POLLIN() : forkwise_h.POLLOUT();
        this.watch = new OneShotWatch(fd, events, new Wake(this));
    }

    /**
     * Parks until the descriptor is ready (the caller then retries its operation) or closed.
     * Interrupts do not end the wait, as they do not end a blocking read of {@code ProcessBuilder}'s
     * streams; the interrupt status is kept.
     *
     * @throws IOException "Stream closed" if the descriptor is closed before or during the wait
     */
    void await() throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            pollDirectly();
            return;
        }
        ready = false;
        waiter = Thread.currentThread();
        try {
            watch.arm();
            boolean interrupted = false;
            while (!ready && !fd.isClosed()) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!ready) {
                throw new IOException("Stream closed");
            }
        } finally {
            waiter = null;
        }
    }

    private void pollDirectly() throws IOException {
        while (true) {
            // a close waits for the slice to end, then the next slice fails with "Stream closed"
            int result = PollOne.await(fd, pollEvents, POLL_SLICE_MILLIS);
            if (result > 0) {
                return;
            }
            if (result < 0 && result != -forkwise_h.EINTR()) {
                throw new IOException(forkwise_h.strerror(-result).getString(0));
            }
        }
    }

    /** {@return the event-loop registration's token, or -1 if nothing has waited yet}; for tests */
    long registration() {
        return watch.token();
    }

    /** Wakes the waiter, if any, and forgets the registration; called by the owner just before it closes the descriptor. */
    void close() {
        watch.forget();
        wake();
    }

    private void wake() {
        ready = true;
        Thread parked = waiter;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }

    /** Wakes the waiter; a class rather than a lambda, which a JVM's first start would have to spin. */
    private static final class Wake implements EventLoop.Handler {
        private final Readiness readiness;

        Wake(Readiness readiness) {
            this.readiness = readiness;
        }

        @Override
        public void ready(long token, int events) {
            readiness.wake();
        }
    }
}
