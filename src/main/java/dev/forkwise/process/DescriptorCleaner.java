package dev.forkwise.process;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;

/**
 * Closes the descriptor of a stream that became unreachable without being closed, such as the
 * streams of a {@code Process} its user dropped. One daemon thread for the whole library, started
 * by the first start that needs it ({@link #start()}), retried by the next if it could not start.
 *
 * <p>It closes through the stream's pipe ({@link PipeReader#close()}, {@link PipeWriter#close()}),
 * never the bare descriptor, so that the pipe's event-loop registration is forgotten too: a
 * stream that once waited on the loop would otherwise leave its handler registered for good. A
 * descriptor closes once, so an explicit close before does no harm.
 */
final class DescriptorCleaner {

    private static final String THREAD_NAME = "forkwise-cleaner";

    /** Null until {@link #start()} could start the cleaner's thread. */
    private static volatile Cleaner cleaner;

    private DescriptorCleaner() {
    }

    /**
     * Starts the cleaner's thread unless it runs already: a start calls this before it creates
     * the streams that {@link #closeWhenUnreachable} registers.
     *
     * @throws IOException if the thread cannot start; the next call tries again
     */
    static void start() throws IOException {
        if (cleaner != null) {
            return;
        }
        synchronized (DescriptorCleaner.class) {
            if (cleaner == null) {
                try {
                    cleaner = Cleaner.create(Thread.ofPlatform().name(THREAD_NAME).daemon().factory());
                } catch (Error e) {   // OutOfMemoryError: unable to create native thread
                    throw InfrastructureThreads.cannotStart(THREAD_NAME, e);
                }
            }
        }
    }

    /**
     * Closes {@code pipe} once {@code owner} is unreachable. Only after {@link #start()} succeeded.
     *
     * @param owner the stream
     * @param pipe its {@link PipeReader} or {@link PipeWriter}; must not refer to the owner, or the
     *             owner never becomes unreachable
     */
    static void closeWhenUnreachable(Object owner, Closeable pipe) {
        Cleaner running = cleaner;
        if (running == null) {
            throw new IllegalStateException("DescriptorCleaner.start() has not succeeded");
        }
        running.register(owner, new Close(pipe));
    }

    /** The action; a class rather than a method reference, which a JVM's first start would have to spin. */
    private static final class Close implements Runnable {
        private final Closeable pipe;

        Close(Closeable pipe) {
            this.pipe = pipe;
        }

        @Override
        public void run() {
            try {
                pipe.close();
            } catch (IOException e) {   // not from PipeReader or PipeWriter, whose close() throws nothing
                throw new UncheckedIOException(e);
            }
        }
    }
}
