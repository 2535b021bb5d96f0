package dev.forkwise.process;

import java.lang.ref.Cleaner;

/**
 * Closes the descriptor of a stream that became unreachable without being closed, such as the
 * streams of a {@code Process} its user dropped. One daemon thread for the whole library.
 *
 * <p>It closes through the stream's pipe ({@link PipeReader#close()}, {@link PipeWriter#close()}),
 * never the bare descriptor, so that the pipe's event-loop registration is forgotten too: a
 * stream that once waited on the loop would otherwise leave its handler registered for good. A
 * descriptor closes once, so an explicit close before does no harm.
 */
final class DescriptorCleaner {

    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().name("forkwise-cleaner").daemon().factory());

    private DescriptorCleaner() {
    }

    /**
     * Runs {@code close} once {@code owner} is unreachable.
     *
     * @param owner the stream
     * @param close closes its pipe; must not refer to the owner, or the owner never becomes unreachable
     */
    static void closeWhenUnreachable(Object owner, Runnable close) {
        CLEANER.register(owner, close);
    }
}
