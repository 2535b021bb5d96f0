package dev.forkwise.process;

import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;

/**
 * A descriptor the {@link EventLoop} watches for one event at a time ({@code EPOLLONESHOT}):
 * registered on the first {@link #arm()}, re-armed on each later one. Arming happens while the
 * descriptor is acquired, so its number still names this file; it is never removed from
 * {@code epoll} explicitly, because closing it does that, and a number may already belong to
 * another file by the time a close is known.
 *
 * <p>One arming thread at a time; {@link #forget()} may come from any thread.
 */
final class OneShotWatch {

    private final Descriptor fd;
    private final int events;
    private final EventLoop.Handler handler;
    private volatile long token = -1;

    /**
     * @param fd      the descriptor, in non-blocking mode
     * @param events  {@code EPOLLIN} or {@code EPOLLOUT}
     * @param handler what the loop runs when the event comes
     */
    OneShotWatch(Descriptor fd, int events, EventLoop.Handler handler) {
        this.fd = fd;
        this.events = events | forkwise_h.EPOLLONESHOT();
        this.handler = handler;
    }

    /**
     * Arms the watch for one event.
     *
     * @throws IOException "Stream closed" if the descriptor is closed, or if the event loop
     *                     cannot be created or {@code epoll} refuses
     */
    void arm() throws IOException {
        fd.acquire();
        try {
            if (token < 0) {
                token = EventLoop.instance().register(fd.fd(), events, handler);
            } else {
                EventLoop.instance().rearm(fd.fd(), token, events);
            }
        } finally {
            fd.release();
        }
    }

    /** {@return the registration's token, or -1 before the first arming}; for tests */
    long token() {
        return token;
    }

    /** Drops the handler, for an owner about to close the descriptor. */
    void forget() {
        long registration = token;
        if (registration >= 0) {
            EventLoop.instanceUnchecked().forget(registration);   // registered: the loop exists
        }
    }
}
