package dev.forkwise.process;

import dev.forkwise.bindings.forkwise_h;
import dev.forkwise.spawn.Descriptor;

import java.io.IOException;

/**
 * Exit detection for every child on the {@link EventLoop}'s one thread: a child's pidfd becomes
 * readable when it exits; the loop then reaps exactly that child and completes its process.
 */
final class PidfdWatcher implements ExitWatcher {

    @Override
    public void watch(SpawnedProcess process) throws IOException {
        EventLoop loop = EventLoop.instance();
        Descriptor pidfd = ((PidfdReference) process.child()).pidfd();
        // One shot; no EPOLL_CTL_DEL: reaping closes the pidfd, which takes it out of the set, and a
        // platform thread in waitFor may reap (and close) first, making the number unsafe to use here.
        // Only ENOMEM or the epoll limit (max_user_watches) can refuse one more descriptor.
        loop.register(pidfd.fd(), forkwise_h.EPOLLIN() | forkwise_h.EPOLLONESHOT(), (token, events) -> {
            loop.forget(token);
            process.exited();
        });
    }
}
