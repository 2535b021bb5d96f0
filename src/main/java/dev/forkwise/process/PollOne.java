package dev.forkwise.process;

import dev.forkwise.bindings.Libc;
import dev.forkwise.bindings.pollfd;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code poll(2)} on one descriptor, for a platform thread that waits on it itself instead of
 * through the {@link EventLoop}. The descriptor is acquired for the call, so its number names this
 * file while it is polled; a close waits for the call to return.
 */
final class PollOne {

    private PollOne() {
    }

    /**
     * Waits at most {@code millis} for {@code events} on {@code fd}.
     *
     * @param events {@code POLLIN} or {@code POLLOUT}
     * @return {@code > 0} if ready, 0 on timeout, or {@code -errno} ({@code -EINTR} included)
     * @throws IOException "Stream closed" if the descriptor was closed before the call
     */
    static int await(Descriptor fd, int events, int millis) throws IOException {
        fd.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = pollfd.allocate(arena);
            pollfd.fd(request, fd.fd());
            pollfd.events(request, (short) events);
            return Libc.poll(request, 1, millis);
        } finally {
            fd.release();
        }
    }
}
