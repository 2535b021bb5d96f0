package dev.forkwise.process;

import dev.forkwise.spawn.Descriptor;

import java.lang.ref.Cleaner;

/**
 * Closes the descriptor of a stream that became unreachable without being closed, such as the
 * streams of a {@code Process} its user dropped. One daemon thread for the whole library.
 * {@link Descriptor#close()} closes once, so an explicit close before does no harm.
 */
final class DescriptorCleaner {

    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().name("forkwise-cleaner").daemon().factory());

    private DescriptorCleaner() {
    }

    /** Closes {@code descriptor} once {@code owner} is unreachable; the action does not refer to the owner. */
    static void closeWhenUnreachable(Object owner, Descriptor descriptor) {
        CLEANER.register(owner, descriptor::close);
    }
}
